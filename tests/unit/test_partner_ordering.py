"""services/partner_bridge/ordering.py: ordered application of incoming changes, and no echoes."""
import pytest
from hypothesis import given, settings, strategies as st

from services.partner_bridge.ordering import (
    IncomingSequence, is_echo, links_to_notify, origin_mark, partner_actor, source_link)
from services.shared.errors import Unavailable
from tests.unit.partner_sides import EMPLOYEE, Side, connect, deliver_all


def test_in_order_changes_apply_at_once():
    incoming, applied = IncomingSequence(), []
    for n in (1, 2, 3):
        assert incoming.receive(n, f"c{n}") == "accepted"
        incoming.drain(applied.append)
    assert applied == ["c1", "c2", "c3"] and incoming.applied_through == 3


def test_a_gap_holds_later_changes_until_it_is_filled():
    incoming, applied = IncomingSequence(), []
    incoming.receive(2, "c2")
    incoming.receive(3, "c3")
    assert incoming.drain(applied.append) == 0
    assert incoming.waiting_for == 1
    incoming.receive(1, "c1")
    assert incoming.drain(applied.append) == 3
    assert applied == ["c1", "c2", "c3"] and incoming.waiting_for is None


def test_duplicates_change_nothing():
    incoming, applied = IncomingSequence(), []
    incoming.receive(1, "c1")
    incoming.drain(applied.append)
    incoming.receive(3, "c3")
    assert incoming.receive(1, "again") == "duplicate"
    assert incoming.receive(3, "again") == "duplicate"
    incoming.receive(2, "c2")
    incoming.drain(applied.append)
    assert applied == ["c1", "c2", "c3"]


def test_a_failing_change_stays_first_in_line():
    incoming, applied = IncomingSequence(), []
    incoming.receive(1, "c1")
    incoming.receive(2, "c2")

    def flaky(change):
        if change == "c2" and len(applied) == 1:
            applied.append("failed")
            raise RuntimeError("tickets unavailable")
        applied.append(change)

    with pytest.raises(RuntimeError):
        incoming.drain(flaky)
    assert incoming.applied_through == 1 and 2 in incoming.buffered
    incoming.drain(flaky)
    assert applied == ["c1", "failed", "c2"]


def test_the_state_survives_a_round_trip_through_storage():
    incoming = IncomingSequence()
    incoming.receive(1, {"n": 1})
    incoming.drain(lambda c: None)
    incoming.receive(4, {"n": 4})
    incoming.receive(3, {"n": 3})
    state = incoming.to_state()
    assert state == {"applied_through": 1,
                     "buffered": [{"sequence": 3, "change": {"n": 3}}, {"sequence": 4, "change": {"n": 4}}]}
    assert IncomingSequence.from_state(state).to_state() == state
    assert IncomingSequence.from_state(None).applied_through == 0


def test_too_much_behind_a_gap_asks_the_sender_to_come_back():
    incoming = IncomingSequence(max_buffered=2)
    incoming.receive(2, "c2")
    incoming.receive(3, "c3")
    with pytest.raises(Unavailable) as excinfo:
        incoming.receive(4, "c4")
    assert excinfo.value.extra == {"waiting_for": "1"}
    # The missing change itself is always taken: it is what unblocks everything.
    assert incoming.receive(1, "c1") == "accepted"
    assert incoming.drain(lambda c: None) == 3


@pytest.mark.parametrize("sequence", [0, -1, True, "1", 1.0])
def test_sequence_numbers_are_positive_integers(sequence):
    with pytest.raises(ValueError):
        IncomingSequence().receive(sequence, "c")


@settings(max_examples=200, deadline=None, database=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.integers(1, n), max_size=2 * n).flatmap(
        lambda extra: st.permutations(list(range(1, n + 1)) + extra)))))
def test_shuffled_and_repeated_delivery_applies_each_change_once_in_order(case):
    count, deliveries = case
    incoming, applied = IncomingSequence(), []
    for sequence in deliveries:
        incoming.receive(sequence, f"c{sequence}")
        incoming.drain(applied.append)
        # Never ahead of a gap: what is applied is always a prefix.
        assert applied == [f"c{n}" for n in range(1, len(applied) + 1)]
    assert applied == [f"c{n}" for n in range(1, count + 1)]
    assert incoming.buffered == {}


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
