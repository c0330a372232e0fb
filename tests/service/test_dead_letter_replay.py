"""A poisoned event becomes a dead letter in a real container; once the cause is fixed, an admin's
replay handles it exactly once, and a replay that races it or comes later is refused."""
import eventlet
import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy
from nameko.testing.services import entrypoint_waiter

from services.shared import events
from services.shared.dead_letter_entrypoints import DeadLetterEntrypoints
from services.shared.errors import Conflict, Forbidden, NotFound
from services.shared.events import Inbox, reliable_handler
from services.shared.storage import open_database
from tests.service.waiting import wait_for

ADMIN = {"account_id": "acme", "kind": "employee", "id": "alice", "roles": ["admin"]}
OTHER_ADMIN = {"account_id": "globex", "kind": "employee", "id": "bob", "roles": ["admin"]}
AGENT = {"account_id": "acme", "kind": "employee", "id": "carl", "roles": ["agent"]}
OWNER = {"account_id": None, "kind": "owner", "id": "owner"}
PAYLOAD = {"event_id": "evt-1", "account_id": "acme", "ticket": {"id": "t1", "title": "Камера 3"}}
handled = []
fault = {"broken": True, "gate": None}


class Consumer(DeadLetterEntrypoints):
    name = "dl_consumer"
    inbox = Inbox("dl_consumer")

    @reliable_handler("tickets", "ticket_created")
    def on_created(self, payload):
        if fault["gate"] is not None:
            fault["gate"].wait()
        if fault["broken"]:
            raise RuntimeError("the contract is not loaded yet")
        handled.append(payload["event_id"])


@pytest.fixture
def consumer(container_factory, config, monkeypatch):
    monkeypatch.setattr(events.eventlet, "sleep", lambda seconds: eventlet.greenthread.sleep(0))
    handled.clear()
    fault.update(broken=True, gate=None)
    container = container_factory(Consumer, config)
    container.start()
    return container


def buried(config, payload):
    event_dispatcher(config)("tickets", "ticket_created", payload)
    letters = open_database("dl_consumer").dead_letters
    wait_for(lambda: letters.count_documents({"state": "dead"}) == 1)
    return letters.find_one({})


def test_a_fixed_cause_and_a_replay_handle_the_poisoned_event_once(consumer, config):
    letter = buried(config, PAYLOAD)
    with ServiceRpcProxy("dl_consumer", config) as rpc:
        [listed] = rpc.list_dead_letters(ADMIN, {"state": "dead"})["items"]
        assert listed["id"] == letter["_id"] == "tickets.ticket_created.evt-1"
        assert "the contract is not loaded yet" in listed["error"]
        still_broken = rpc.replay_dead_letter(ADMIN, listed["id"])
        assert still_broken["state"] == "dead" and still_broken["replays"][0]["outcome"] == "failed"
        fault["broken"] = False
        replayed = rpc.replay_dead_letter(ADMIN, listed["id"])
        assert replayed["state"] == "replayed" and replayed["replayed_by"] == {"kind": "employee",
                                                                                "id": "alice"}
        with pytest.raises(Conflict):
            rpc.replay_dead_letter(ADMIN, listed["id"])
        assert rpc.get_dead_letter(ADMIN, listed["id"])["state"] == "replayed"
    assert handled == ["evt-1"]
    with entrypoint_waiter(consumer, "on_created"):  # the original, redelivered
        event_dispatcher(config)("tickets", "ticket_created", PAYLOAD)
    assert handled == ["evt-1"]


def test_two_replays_at_once_run_the_handler_once(consumer, config):
    letter = buried(config, PAYLOAD)
    fault.update(broken=False, gate=eventlet.event.Event())

    def replay():
        with ServiceRpcProxy("dl_consumer", config) as rpc:
            try:
                return rpc.replay_dead_letter(ADMIN, letter["_id"])["state"]
            except Conflict as refused:
                return refused.extra["state"]

    first = eventlet.spawn(replay)
    wait_for(lambda: open_database("dl_consumer").dead_letters.find_one()["state"] == "replaying")
    second = eventlet.spawn(replay)
    assert second.wait() == "replaying"
    fault["gate"].send(True)
    assert first.wait() == "replayed"
    assert handled == ["evt-1"]


def test_only_the_letters_account_admin_reaches_it(consumer, config):
    letter = buried(config, PAYLOAD)
    with ServiceRpcProxy("dl_consumer", config) as rpc:
        for actor in (OTHER_ADMIN, OWNER):
            assert rpc.list_dead_letters(actor, {})["items"] == []
            for action in (rpc.get_dead_letter, rpc.replay_dead_letter, rpc.discard_dead_letter):
                with pytest.raises(NotFound):
                    action(actor, letter["_id"])
        with pytest.raises(Forbidden):
            rpc.list_dead_letters(AGENT, {})
        assert rpc.discard_dead_letter(ADMIN, letter["_id"])["state"] == "discarded"
    assert handled == []


def test_an_event_without_an_id_is_the_owners_to_see(consumer, config):
    letter = buried(config, {"account_id": 42, "ticket": {"id": "t1"}})
    with ServiceRpcProxy("dl_consumer", config) as rpc:
        [listed] = rpc.list_dead_letters(OWNER, {})["items"]
        assert listed["id"] == letter["_id"] and listed["account_id"] is None
        assert rpc.list_dead_letters(ADMIN, {})["items"] == []
