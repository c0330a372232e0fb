"""services/partner_bridge/ordering.py and received.py: incoming changes applied in order, once,
and never echoed. Each sequence test runs on the in-memory rule and on the stored one."""
from datetime import datetime

import pytest
from hypothesis import given, settings, strategies as st

from services.partner_bridge.ordering import (
    IncomingSequence, drain, is_echo, links_to_notify, origin_mark, partner_actor, source_link)
from services.partner_bridge.store.received import ReceivedStore
from services.shared.embedded import open_embedded_database
from services.shared.errors import Unavailable
from tests.unit.partner_sides import EMPLOYEE, Side, connect, deliver_all

NOW = datetime(2026, 11, 30, 12, 0)


@pytest.fixture(params=["memory", "stored"])
def make_sequence(request, db):
    if request.param == "memory":
        return lambda **options: IncomingSequence(**options)
    ReceivedStore.create_indexes(db)
    links = iter(range(1000))
    return lambda **options: ReceivedStore(db).for_link("acme", f"link-{next(links)}", now=NOW,
                                                        **options)


def test_in_order_changes_apply_at_once(make_sequence):
    incoming, applied = make_sequence(), []
    for n in (1, 2, 3):
        assert incoming.receive(n, f"c{n}") == "accepted"
        drain(incoming, applied.append)
    assert applied == ["c1", "c2", "c3"] and incoming.applied_through == 3


def test_a_gap_holds_later_changes_until_it_is_filled(make_sequence):
    incoming, applied = make_sequence(), []
    incoming.receive(2, "c2")
    incoming.receive(3, "c3")
    assert drain(incoming, applied.append) == 0
    assert incoming.waiting_for() == 1
    incoming.receive(1, "c1")
    assert drain(incoming, applied.append) == 3
    assert applied == ["c1", "c2", "c3"] and incoming.waiting_for() is None


def test_duplicates_change_nothing(make_sequence):
    incoming, applied = make_sequence(), []
    incoming.receive(1, "c1")
    drain(incoming, applied.append)
    incoming.receive(3, "c3")
    assert incoming.receive(1, "again") == "duplicate"
    assert incoming.receive(3, "again") == "duplicate"
    incoming.receive(2, "c2")
    drain(incoming, applied.append)
    assert applied == ["c1", "c2", "c3"]


def test_a_failing_change_stays_first_in_line(make_sequence):
    incoming, applied = make_sequence(), []
    incoming.receive(1, "c1")
    incoming.receive(2, "c2")

    def flaky(change):
        if change == "c2" and len(applied) == 1:
            applied.append("failed")
            raise RuntimeError("tickets unavailable")
        applied.append(change)

    with pytest.raises(RuntimeError):
        drain(incoming, flaky)
    assert incoming.applied_through == 1 and incoming.next_ready() == (2, "c2")
    drain(incoming, flaky)
    assert applied == ["c1", "failed", "c2"]


def test_a_change_applied_by_another_worker_is_not_applied_again(make_sequence):
    incoming = make_sequence()
    incoming.receive(1, "c1")
    assert incoming.mark_applied(1) is True
    assert incoming.mark_applied(1) is False
    assert incoming.next_ready() is None


def test_too_much_behind_a_gap_asks_the_sender_to_come_back(make_sequence):
    incoming = make_sequence(max_buffered=2)
    incoming.receive(2, "c2")
    incoming.receive(3, "c3")
    with pytest.raises(Unavailable) as excinfo:
        incoming.receive(4, "c4")
    assert excinfo.value.extra == {"waiting_for": "1"}
    # The missing change itself is always taken: it is what unblocks everything.
    assert incoming.receive(1, "c1") == "accepted"
    assert drain(incoming, lambda c: None) == 3


def test_two_replicas_share_one_stored_sequence(files):
    db = files.open()
    ReceivedStore.create_indexes(db)
    first = ReceivedStore(db).for_link("acme", "link-1", now=NOW)
    second = ReceivedStore(db).for_link("acme", "link-1", now=NOW)
    other_account = ReceivedStore(db).for_link("beta", "link-1", now=NOW)
    assert first.receive(1, {"n": 1}) == "accepted"
    assert second.receive(1, {"n": 1}) == "duplicate"
    assert other_account.receive(1, {"n": 1}) == "accepted"
    assert second.next_ready() == (1, {"n": 1})
    assert first.mark_applied(1) and not second.mark_applied(1)
    db = files.reopen(db)
    restarted = ReceivedStore(db).for_link("acme", "link-1", now=NOW)
    assert restarted.applied_through == 1 and restarted.receive(1, {"n": 1}) == "duplicate"
    assert all(doc["account_id"] for doc in db.partner_received.find({}))


@pytest.mark.parametrize("sequence", [0, -1, True, "1", 1.0])
def test_sequence_numbers_are_positive_integers(make_sequence, sequence):
    with pytest.raises(ValueError):
        make_sequence().receive(sequence, "c")


@settings(max_examples=200, deadline=None, database=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.integers(1, n), max_size=2 * n).flatmap(
        lambda extra: st.permutations(list(range(1, n + 1)) + extra)))))
def test_shuffled_and_repeated_delivery_applies_each_change_once_in_order(case):
    count, deliveries = case
    incoming, applied = IncomingSequence(), []
    for sequence in deliveries:
        incoming.receive(sequence, f"c{sequence}")
        drain(incoming, applied.append)
        # Never ahead of a gap: what is applied is always a prefix.
        assert applied == [f"c{n}" for n in range(1, len(applied) + 1)]
    assert applied == [f"c{n}" for n in range(1, count + 1)]
    assert incoming.buffered == {}


@settings(max_examples=25, deadline=None, database=None)
@given(st.integers(1, 12).flatmap(lambda n: st.permutations(list(range(1, n + 1)) * 2)))
def test_shuffled_delivery_on_the_stored_sequence(tmp_path_factory, deliveries):
    db = open_embedded_database(tmp_path_factory.mktemp("received") / "store.sqlite3", "unit")
    try:
        ReceivedStore.create_indexes(db)
        incoming, applied = ReceivedStore(db).for_link("acme", "link-1", now=NOW), []
        for sequence in deliveries:
            incoming.receive(sequence, f"c{sequence}")
            drain(incoming, applied.append)
        assert applied == [f"c{n}" for n in range(1, len(deliveries) // 2 + 1)]
        assert db.partner_received.count_documents({"account_id": "acme"}) == 0
    finally:
        db.journal.close()


def test_echo_marks():
    assert source_link({"changed_by": partner_actor("link-1")}) == "link-1"
    assert source_link({"author": partner_actor("link-2")}) == "link-2"
    assert source_link({"origin": origin_mark("link-3", "ev")}) == "link-3"
    assert source_link({"changed_by": EMPLOYEE}) is None
    assert is_echo({"changed_by": partner_actor("link-1")}, "link-1")
    assert not is_echo({"changed_by": partner_actor("link-1")}, "link-2")
    assert links_to_notify({"changed_by": partner_actor("link-1")}, ["link-1", "link-2"]) == ["link-2"]
    assert links_to_notify({"changed_by": EMPLOYEE}, ["link-1", "link-2"]) == ["link-1", "link-2"]


def test_a_status_change_crosses_once_and_never_comes_back():
    partner, manufacturer = Side("partner"), Side("manufacturer")
    connect(partner, manufacturer)
    partner.change_status("waiting")
    assert deliver_all(partner, manufacturer) == 1
    assert manufacturer.status == "waiting"
    manufacturer.change_status("resolved")
    assert deliver_all(partner, manufacturer) == 1
    assert partner.status == "resolved"
    assert partner.conflicts == [] and manufacturer.conflicts == []


def test_a_hub_forwards_a_partners_status_to_its_other_links_but_not_back():
    partner, manufacturer, other = Side("partner"), Side("manufacturer"), Side("other")
    connect(partner, manufacturer, "link-pm")
    connect(manufacturer, other, "link-mo")
    partner.change_status("waiting")
    manufacturer.receive("link-pm", partner.links["link-pm"].outbox.pop())
    assert manufacturer.links["link-pm"].outbox == []  # not echoed to its sender
    assert len(manufacturer.links["link-mo"].outbox) == 1  # the hub's own status, told to the other
    other.receive("link-mo", manufacturer.links["link-mo"].outbox.pop())
    assert other.status == "waiting" and other.links["link-mo"].outbox == []
