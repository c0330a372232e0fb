"""services/partner_bridge/outbox.py and store/outbox.py on the embedded database: ordered
delivery, retries, errors."""
import random
from datetime import datetime, timedelta

import pytest

from services.partner_bridge.outbox import (
    DELIVERED_OUTCOME, ERROR, MAX_DELAY, READY, REFUSED, RETRY, after_failure, backoff_delay,
    deliver_due, outcome_of_response)
from services.partner_bridge.store.outbox import OutboxStore
from services.shared.errors import Conflict, NotFound

NOW = datetime(2026, 11, 30, 12, 0)


@pytest.fixture
def store(db):
    OutboxStore.create_indexes(db)
    return OutboxStore(db)


def change(name):
    return lambda sequence: (f"ev-{name}", "troubleTicketStatusChangeEvent",
                             {"sequence": sequence, "name": name})


def fill(store, names, account_id="acme", link_id="link-1"):
    return [store.enqueue(account_id, link_id, change(n), now=NOW) for n in names]


class Partner:
    """A remote end whose answers the test scripts; it records what it accepted."""

    def __init__(self):
        self.received = []
        self.answer = DELIVERED_OUTCOME

    def send(self, item):
        if self.answer == DELIVERED_OUTCOME:
            self.received.append(item["payload"]["name"])
        return self.answer, f"answered {self.answer}"


def test_items_are_numbered_per_link_and_account(store):
    assert [i["sequence"] for i in fill(store, "abc")] == [1, 2, 3]
    assert [i["sequence"] for i in fill(store, "xy", link_id="link-2")] == [1, 2]
    assert [i["sequence"] for i in fill(store, "z", account_id="beta")] == [1]
    assert [i["payload"]["sequence"] for i in fill(store, "d")] == [4]


def test_a_writer_that_loses_the_race_takes_the_next_number(store, db):
    fill(store, "a")
    rival = OutboxStore(db)
    # The first read is stale, as if another writer inserted in between: the unique index
    # refuses number 1 and the writer reads again.
    reads = iter([0, 1])
    rival._last_sequence = lambda account_id, link_id: next(reads)
    item = rival.enqueue("acme", "link-1", change("b"), now=NOW)
    assert item["sequence"] == 2
    assert sorted(i["sequence"] for i in db.partner_outbox.find({"account_id": "acme"})) == [1, 2]


def test_delivery_goes_in_order_and_stops_when_nothing_is_left(store):
    fill(store, "abc")
    partner = Partner()
    assert deliver_due(store, "acme", "link-1", "active", partner.send, now=NOW, rng=random.Random(1)) == 3
    assert partner.received == ["a", "b", "c"]
    assert store.backlog("acme", "link-1")["counts"] == {"ready": 0, "error": 0, "delivered": 3}


def test_an_outage_queues_changes_and_they_arrive_in_order_after_it(store):
    rng = random.Random(2)
    partner = Partner()
    partner.answer = RETRY
    fill(store, "ab")
    now = NOW
    for _ in range(5):
        assert deliver_due(store, "acme", "link-1", "active", partner.send, now=now, rng=rng) == 0
        head = store.head("acme", "link-1")
        assert head["sequence"] == 1 and head["state"] == READY
        now = head["next_attempt_at"]
    fill(store, "c")
    assert store.head("acme", "link-1")["attempts"] == 5
    # Not yet due: nothing is sent before the pause is over, even when the partner is back.
    partner.answer = DELIVERED_OUTCOME
    assert deliver_due(store, "acme", "link-1", "active", partner.send,
                       now=now - timedelta(milliseconds=1), rng=rng) == 0
    assert deliver_due(store, "acme", "link-1", "active", partner.send, now=now, rng=rng) == 3
    assert partner.received == ["a", "b", "c"]


def test_a_refused_item_is_parked_blocks_its_link_and_is_replayed_by_an_admin(store):
    partner = Partner()
    fill(store, "ab")
    fill(store, "x", link_id="link-2")
    partner.answer = REFUSED
    deliver_due(store, "acme", "link-1", "active", partner.send, now=NOW, rng=random.Random(3))
    errors = store.errors("acme")
    assert [(e["link_id"], e["sequence"], e["state"]) for e in errors] == [("link-1", 1, ERROR)]
    assert errors[0]["last_error"] == "answered refused" and "payload" not in errors[0]
    assert store.backlog("acme", "link-1")["blocked"] is True
    partner.answer = DELIVERED_OUTCOME
    assert deliver_due(store, "acme", "link-1", "active", partner.send, now=NOW, rng=random.Random(3)) == 0
    # Another link of the account is not held back.
    assert deliver_due(store, "acme", "link-2", "active", partner.send, now=NOW, rng=random.Random(3)) == 1
    store.replay("acme", errors[0]["_id"], now=NOW)
    assert deliver_due(store, "acme", "link-1", "active", partner.send, now=NOW, rng=random.Random(3)) == 2
    assert partner.received == ["x", "a", "b"]


def test_retries_end_in_the_error_state_after_the_last_attempt(store):
    [item] = fill(store, "a")
    rng = random.Random(4)
    for _ in range(3):
        after = store.mark_failed("acme", item["_id"], "timeout", retryable=True, now=NOW, rng=rng,
                                  max_attempts=3)
    assert after["state"] == ERROR and after["attempts"] == 3


def test_a_paused_link_queues_and_sends_after_resume(store):
    partner = Partner()
    fill(store, "ab")
    for state in ("paused", "pending", "revoked"):
        assert deliver_due(store, "acme", "link-1", state, partner.send, now=NOW, rng=random.Random(5)) == 0
    fill(store, "c")
    assert deliver_due(store, "acme", "link-1", "active", partner.send, now=NOW, rng=random.Random(5)) == 3
    assert partner.received == ["a", "b", "c"]


def test_a_transport_that_raises_loses_nothing(store):
    fill(store, "a")

    def broken(item):
        raise OSError("connection reset")

    assert deliver_due(store, "acme", "link-1", "active", broken, now=NOW, rng=random.Random(6)) == 0
    head = store.head("acme", "link-1")
    assert head["state"] == READY and "connection reset" in head["last_error"]


def test_a_leased_item_is_not_claimed_twice(store, db):
    fill(store, "a")
    assert store.claim_due("acme", "link-1", now=NOW) is not None
    assert OutboxStore(db).claim_due("acme", "link-1", now=NOW + timedelta(seconds=30)) is None
    assert OutboxStore(db).claim_due("acme", "link-1", now=NOW + timedelta(seconds=61)) is not None


def test_replay_refuses_what_is_not_in_error_and_other_accounts(store):
    [item] = fill(store, "a")
    with pytest.raises(Conflict) as excinfo:
        store.replay("acme", item["_id"], now=NOW)
    assert excinfo.value.extra == {"state": READY, "allowed": [ERROR]}
    store.mark_failed("acme", item["_id"], "bad", retryable=False, now=NOW, rng=random.Random(7))
    with pytest.raises(NotFound):
        store.replay("beta", item["_id"], now=NOW)
    assert store.errors("beta") == []
    assert store.replay("acme", item["_id"], now=NOW)["state"] == READY


def test_purge_keeps_each_links_newest_item_so_numbering_goes_on(store, db):
    fill(store, "abc")
    deliver_due(store, "acme", "link-1", "active", Partner().send, now=NOW, rng=random.Random(8))
    assert store.purge("acme", before=NOW + timedelta(days=1)) == 2
    assert [i["sequence"] for i in db.partner_outbox.find({"account_id": "acme"})] == [3]
    assert fill(store, "d")[0]["sequence"] == 4


def test_every_stored_item_carries_its_account(store, db):
    fill(store, "ab")
    fill(store, "c", account_id="beta")
    assert all(doc.get("account_id") for doc in db.partner_outbox.find({"account_id": {"$exists": True}}))
    assert db.partner_outbox.count_documents({"account_id": {"$exists": False}}) == 0


@pytest.mark.parametrize("attempt", range(1, 30))
def test_backoff_grows_is_capped_and_never_below_half(attempt):
    nominal = min(MAX_DELAY.total_seconds(), 2 * 2 ** (attempt - 1))
    for seed in range(5):
        delay = backoff_delay(attempt, random.Random(seed)).total_seconds()
        assert nominal / 2 <= delay <= nominal


def test_backoff_spreads_retries():
    delays = {backoff_delay(10, random.Random(seed)) for seed in range(20)}
    assert len(delays) == 20


@pytest.mark.parametrize("status,reason,expected", [
    (200, None, DELIVERED_OUTCOME), (202, None, DELIVERED_OUTCOME),
    (409, "duplicate", DELIVERED_OUTCOME), (409, None, REFUSED),
    (408, None, RETRY), (425, None, RETRY), (429, None, RETRY), (500, None, RETRY),
    (503, None, RETRY), (401, "bad_signature", REFUSED), (403, None, REFUSED),
    (404, None, REFUSED), (422, None, REFUSED),
])
def test_outcome_of_a_partners_answer(status, reason, expected):
    assert outcome_of_response(status, reason) == expected


def test_a_failed_attempt_is_retried_later_or_parked_as_plain_data():
    rng = random.Random(7)
    retried = after_failure(0, "503", retryable=True, now=NOW, rng=rng)
    assert retried["attempts"] == 1 and "state" not in retried
    assert NOW + timedelta(seconds=1) <= retried["next_attempt_at"] <= NOW + timedelta(seconds=2)
    assert after_failure(0, "422", retryable=False, now=NOW, rng=rng)["state"] == ERROR
    out_of_attempts = after_failure(2, "503", retryable=True, now=NOW, rng=rng, max_attempts=3)
    assert out_of_attempts["state"] == ERROR and "next_attempt_at" not in out_of_attempts
    assert len(after_failure(0, "x" * 5000, retryable=True, now=NOW, rng=rng)["last_error"]) == 1000


def test_each_item_records_its_own_delivery_time_and_every_try(store):
    """Issue 22: delivered_at was the round's start and attempts counted failures only."""
    fill(store, "ab")
    partner = Partner()
    partner.answer = RETRY
    rng = random.Random(6)
    deliver_due(store, "acme", "link-1", "active", partner.send, now=NOW, rng=rng)
    head = store.head("acme", "link-1")
    assert head["attempts"] == 1 and head["last_error"] == "answered retry"
    partner.answer = DELIVERED_OUTCOME
    ticks = iter([NOW + timedelta(seconds=10), NOW + timedelta(seconds=11)])
    due = head["next_attempt_at"]
    assert deliver_due(store, "acme", "link-1", "active", partner.send, now=due, rng=rng,
                       clock=lambda: next(ticks)) == 2
    delivered, _ = store.list("acme", {"state": "delivered", "limit": 10})
    first, second = sorted(delivered, key=lambda item: item["sequence"])
    assert (first["delivered_at"], second["delivered_at"]) == (NOW + timedelta(seconds=10),
                                                               NOW + timedelta(seconds=11))
    assert (first["attempts"], second["attempts"]) == (2, 1)
    assert first["last_error"] is None


def test_a_replay_keeps_counting_tries_and_gives_a_fresh_retry_budget(store):
    [item] = fill(store, "a")
    rng = random.Random(7)
    for _ in range(3):
        store.mark_failed("acme", item["_id"], "timeout", retryable=True, now=NOW, rng=rng,
                          max_attempts=3)
    store.replay("acme", item["_id"], now=NOW)
    again = store.mark_failed("acme", item["_id"], "timeout", retryable=True, now=NOW, rng=rng,
                              max_attempts=3)
    assert again["attempts"] == 4 and again["state"] == READY


def test_the_admins_outbox_list_comes_in_pages_oldest_first(store):
    for minute, name in enumerate("abcde"):
        store.enqueue("acme", "link-1", change(name), now=NOW + timedelta(minutes=minute))
    store.enqueue("globex", "link-9", change("theirs"), now=NOW)
    first, cursor = store.list("acme", {"state": READY, "limit": 2})
    second, cursor = store.list("acme", {"state": READY, "limit": 2, "cursor": cursor})
    third, last = store.list("acme", {"state": READY, "limit": 2, "cursor": cursor})
    assert [i["sequence"] for i in first + second + third] == [1, 2, 3, 4, 5] and last is None
    assert all("payload" not in item for item in first)
    assert store.list("acme", {"state": READY, "link_id": "link-2", "limit": 2}) == ([], None)
