"""Integrations and calls on the embedded store: secrets, tenancy, and calls merged by
compare-and-set so that redeliveries change nothing and concurrent events are all kept."""
import random
import threading
import time

import pytest

from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.validation import load
from services.telephony.calls import fold
from services.telephony.integrations import dialect_settings
from services.telephony.schemas import (CallDetailSchema, CallQuerySchema, CallSchema,
                                        IntegrationQuerySchema, IntegrationSchema,
                                        IntegrationWriteSchema)
from services.telephony.store import Store, calls as call_store
from tests.unit.telephony_flows import flow_events, load_flow

ZADARMA_SECRET = {"secret": "b1c8e3d9f2a7c4e6"}


@pytest.fixture
def telephony(db):
    Store.create_indexes(db)
    return Store(db)


def integration_data(**fields):
    return load(IntegrationWriteSchema(), {
        "name": "Офис на Тверской", "dialect": "zadarma", "secrets": ZADARMA_SECRET,
        "lines": [{"number": "8 (495) 123-45-67", "name": "Поддержка"}],
        "extensions": [{"extension": "101", "employee_id": "e-ivanov"},
                       {"extension": "102", "employee_id": "e-petrova"}], **fields})


def shuffled_with_duplicates(events, seed):
    rng = random.Random(seed)
    delivered = events + rng.sample(events, k=max(1, len(events) // 2))
    rng.shuffle(delivered)
    return delivered


# -- integrations --------------------------------------------------------------------------------

def test_an_integration_shows_which_secrets_are_set_never_their_values(telephony):
    created = telephony.integrations.create("acme", integration_data())
    shown = IntegrationSchema().dump(created)
    assert shown["secrets_set"] == ["secret"] and "secrets" not in shown
    assert ZADARMA_SECRET["secret"] not in str(shown)
    assert shown["lines"] == [{"number": "+74951234567", "name": "Поддержка"}]
    assert shown["webhook_path"] == f"/api/v1/webhooks/telephony/{created['_id']}"
    assert shown["rules"] == {"known_caller": "attach_to_open_ticket",
                              "unknown_caller": "open_ticket", "missed_call": "callback_ticket",
                              "callback_window_minutes": 60}


def test_a_token_dialect_gets_a_token_in_its_url(telephony):
    created = telephony.integrations.create("acme", integration_data(dialect="generic",
                                                                     secrets=None))
    token = created["secrets"]["token"]
    assert len(token) >= 32
    assert created["webhook_path"].endswith(f"/{created['_id']}/{token}")
    assert telephony.integrations.webhook_target("acme", created["_id"]) == (
        "generic", {"token": token})


def test_the_webhook_edge_learns_account_dialect_and_secrets_of_an_enabled_integration(telephony):
    created = telephony.integrations.create("acme", integration_data())
    assert telephony.integrations.webhook_secrets(created["_id"]) == {
        "account_id": "acme", "integration_id": created["_id"], "dialect": "zadarma",
        "secrets": ZADARMA_SECRET}
    telephony.integrations.replace("acme", created["_id"], integration_data(enabled=False))
    with pytest.raises(NotFound):
        telephony.integrations.webhook_secrets(created["_id"])


def test_vendor_secrets_are_required_and_only_the_dialects_own(telephony):
    with pytest.raises(ValidationFailed) as refused:
        telephony.integrations.create("acme", integration_data(dialect="mango", secrets=None))
    assert set(refused.value.fields) == {"secrets.api_key", "secrets.api_salt"}
    with pytest.raises(ValidationFailed) as refused:
        integration_data(secrets={"secret": "b1c8e3d9f2a7c4e6", "token": "0123456789"})
    assert "secrets" in refused.value.fields


@pytest.mark.parametrize("fields, field", [
    ({"extensions": [{"extension": "101", "employee_id": "a"},
                     {"extension": "101", "employee_id": "b"}]}, "extensions"),
    ({"lines": [{"number": "84951234567", "name": "a"}, {"number": "+74951234567", "name": "b"}]},
     "lines"),
    ({"lines": [{"number": "not a phone", "name": "a"}]}, "lines.0.number"),
    ({"area_code": "49"}, "area_code"),
    ({"time_zone": "Moscow"}, "time_zone"),
    ({"dialect": "skype"}, "dialect"),
    ({"rules": {"missed_call": "shrug"}}, "rules.missed_call"),
    ({"extensions": [{"extension": "1 01", "employee_id": "a"}]}, "extensions.0.extension"),
])
def test_integration_input_is_validated(fields, field):
    with pytest.raises(ValidationFailed) as refused:
        integration_data(**fields)
    assert field in refused.value.fields


def test_replacing_keeps_the_secrets_unless_the_dialect_changes(telephony):
    created = telephony.integrations.create("acme", integration_data())
    replaced = telephony.integrations.replace("acme", created["_id"], integration_data(
        secrets=None, enabled=False))
    assert replaced["secrets"] == ZADARMA_SECRET and replaced["version"] == 2
    with pytest.raises(ValidationFailed):
        telephony.integrations.replace("acme", created["_id"], integration_data(
            dialect="mango", secrets=None))
    stale = dict(telephony.integrations.get("acme", created["_id"]), version=1)
    telephony.integrations.get = lambda account_id, integration_id: stale
    with pytest.raises(Conflict):
        telephony.integrations.replace("acme", created["_id"], integration_data(secrets=None))


def test_another_account_and_a_disabled_integration_are_not_found(telephony):
    created = telephony.integrations.create("acme", integration_data())
    with pytest.raises(NotFound):
        telephony.integrations.get("globex", created["_id"])
    with pytest.raises(NotFound):
        telephony.integrations.webhook_target("globex", created["_id"])
    with pytest.raises(NotFound):
        telephony.integrations.replace("globex", created["_id"], integration_data())
    telephony.integrations.replace("acme", created["_id"], integration_data(enabled=False))
    with pytest.raises(NotFound):
        telephony.integrations.webhook_target("acme", created["_id"])
    page, _ = telephony.integrations.list("globex", load(IntegrationQuerySchema(), {}))
    assert page == []


def test_an_integrations_settings_read_its_numbers(telephony):
    created = telephony.integrations.create("acme", integration_data(
        area_code="4852", time_zone="Europe/Samara"))
    settings = dialect_settings(created)
    assert settings.numbering.normalize("30-11-22") == "+74852301122"
    assert settings.time_zone == "Europe/Samara"


# -- calls ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["zadarma_incoming_answered", "mango_incoming_answered",
                                  "asterisk_incoming_answered_ami", "generic_incoming_answered"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_calls_stored_from_shuffled_redelivered_events_equal_the_in_order_call(
        telephony, name, seed):
    integration = telephony.integrations.create("acme", integration_data())
    events = flow_events(load_flow(name))
    for event in shuffled_with_duplicates(events, seed):
        telephony.calls.record(integration, [event])
    [stored] = telephony.calls.list("acme", load(CallQuerySchema(), {}))[0]
    expected = fold(events).to_document()
    full = telephony.calls.get("acme", stored["_id"])
    assert {key: full[key] for key in expected} == expected
    assert full["employee_id"] == "e-ivanov"  # extension 101 in the integration's mapping
    assert full["version"] == len(events)  # one write per distinct event, none per duplicate


def test_a_redelivered_event_changes_nothing(telephony):
    integration = telephony.integrations.create("acme", integration_data())
    events = flow_events(load_flow("zadarma_incoming_missed"))
    first = telephony.calls.record(integration, events)
    again = telephony.calls.record(integration, events[1:2])
    assert [(r.previous_state, r.changed) for r in first] == [(None, True)]
    assert [(r.previous_state, r.changed) for r in again] == [("finished", False)]
    assert again[0].call["version"] == 1


def test_one_request_may_carry_events_of_several_calls(telephony):
    integration = telephony.integrations.create("acme", integration_data())
    events = (flow_events(load_flow("zadarma_incoming_missed"))
              + flow_events(load_flow("zadarma_outgoing_busy")))
    recorded = telephony.calls.record(integration, events)
    assert sorted(r.call["disposition"] for r in recorded) == ["busy", "missed"]


def test_an_event_read_stale_is_merged_again_not_lost(telephony, db):
    """Worker A reads the call; worker B stores another event of it; A's write over the version
    it read fails, A reads again and stores the merge: both events are kept."""
    integration = telephony.integrations.create("acme", integration_data())
    start, internal, answer, end, record = flow_events(load_flow("zadarma_incoming_answered"))
    telephony.calls.record(integration, [start])
    other = Store(db)
    real_find_one = telephony.calls.calls.find_one
    raced = []

    def find_one_then_race(*args, **kwargs):
        found = real_find_one(*args, **kwargs)
        if not raced:
            raced.append(other.calls.record(integration, [end]))
        return found

    telephony.calls.calls = type("Racing", (), {
        "find_one": staticmethod(find_one_then_race),
        "update_one": telephony.calls.calls.update_one,
        "insert_one": telephony.calls.calls.insert_one})()
    [recorded] = telephony.calls.record(integration, [answer])
    assert raced[0][0].changed
    assert recorded.previous_state == "finished" and recorded.call["version"] == 3
    stored = Store(db).calls.get("acme", recorded.call["_id"])
    assert {event["name"] for event in stored["events"]} == {
        "NOTIFY_START", "NOTIFY_ANSWER", "NOTIFY_END"}
    assert stored["extension"] == "101" and stored["answered_at"] is not None


class AtomicOperations:
    """The calls collection with each operation atomic, as in MongoDB, and a pause after every
    read so that workers act on stale reads as often as possible.

    Why the lock: the embedded store runs one eventlet process, where a read never interleaves
    with a write; OS threads can copy a document half-way through another thread's update (a
    torn read no MongoDB server returns). The lock gives each operation MongoDB's atomicity and
    leaves every interleaving *between* operations to the threads, which is what compare-and-set
    must survive.
    """

    def __init__(self, collection):
        self.collection, self.lock = collection, threading.Lock()

    def find_one(self, *args, **kwargs):
        with self.lock:
            found = self.collection.find_one(*args, **kwargs)
        time.sleep(0.002)
        return found

    def insert_one(self, *args, **kwargs):
        with self.lock:
            return self.collection.insert_one(*args, **kwargs)

    def update_one(self, *args, **kwargs):
        with self.lock:
            return self.collection.update_one(*args, **kwargs)


@pytest.mark.parametrize("name", ["mango_incoming_answered", "asterisk_incoming_answered_ami"])
def test_concurrent_events_of_one_call_are_all_kept(telephony, db, name):
    integration = telephony.integrations.create("acme", integration_data())
    events = flow_events(load_flow(name))
    shared = AtomicOperations(db.calls)
    stores = [Store(db) for _ in events]
    for worker in stores:
        worker.calls.calls = shared
    errors, barrier = [], threading.Barrier(len(events))

    def deliver(worker, event):
        barrier.wait()
        try:
            worker.calls.record(integration, [event])
        except Exception as error:  # a thread's failure must fail the test, not vanish
            errors.append(error)

    threads = [threading.Thread(target=deliver, args=pair) for pair in zip(stores, events)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    [stored] = telephony.calls.list("acme", load(CallQuerySchema(), {}))[0]
    full = telephony.calls.get("acme", stored["_id"])
    assert len(full["events"]) == len(events)
    expected = fold(events).to_document()
    assert {key: full[key] for key in expected} == expected


def test_a_call_that_keeps_changing_gives_up_with_a_conflict(telephony, monkeypatch):
    integration = telephony.integrations.create("acme", integration_data())
    start, internal, *_ = flow_events(load_flow("zadarma_incoming_answered"))
    telephony.calls.record(integration, [start])
    real = telephony.calls.calls
    telephony.calls.calls = type("Lost", (), {
        "find_one": staticmethod(real.find_one), "insert_one": real.insert_one,
        "update_one": staticmethod(lambda *a, **k: type("R", (), {"matched_count": 0})())})()
    with pytest.raises(Conflict):
        telephony.calls.record(integration, [internal])


def test_a_call_keeps_a_bounded_number_of_events(telephony, monkeypatch):
    monkeypatch.setattr(call_store, "MAX_EVENTS_PER_CALL", 3)
    integration = telephony.integrations.create("acme", integration_data())
    events = flow_events(load_flow("zadarma_incoming_answered"))
    telephony.calls.record(integration, events[:3])
    with pytest.raises(ValidationFailed):
        telephony.calls.record(integration, events[3:])


def test_calls_are_listed_per_account_by_number_and_state_without_their_events(telephony):
    integration = telephony.integrations.create("acme", integration_data())
    for name in ("zadarma_incoming_answered", "zadarma_incoming_missed", "zadarma_outgoing_busy"):
        telephony.calls.record(integration, flow_events(load_flow(name)))

    def listed(account_id="acme", **query):
        page, _ = telephony.calls.list(account_id, load(CallQuerySchema(), query))
        return [call["call_key"] for call in page]

    assert len(listed()) == 3
    assert listed(number="8 916 123-45-67") == ["in_5f0e8c2b7d1a4e3f9b6c0d2a1e4f7b8c"]
    assert listed(number="+73832001122", disposition="busy") == [
        "out_77aa66bb55cc44dd33ee22ff11009988"]
    assert listed(direction="in", disposition="missed") == ["in_0a9b8c7d6e5f40312233445566778899"]
    assert listed("globex") == []
    page, _ = telephony.calls.list("acme", load(CallQuerySchema(), {"limit": 1}))
    assert "events" not in page[0]
    with pytest.raises(NotFound):
        telephony.calls.get("globex", page[0]["_id"])
    shown = CallSchema().dump(page[0])
    assert shown["started_at"].endswith("+00:00")
    detail = CallDetailSchema().dump(telephony.calls.get("acme", page[0]["_id"]))
    assert detail["events"][0]["raw"].startswith("{")
