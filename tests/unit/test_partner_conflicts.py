"""services/partner_bridge/conflicts.py: both sides change a status at once."""
import random

import pytest
from hypothesis import given, settings, strategies as st

from services.partner_bridge.conflicts import RULE, Stamp, judge, next_stamp, status_clock
from tests.unit.partner_sides import Side, connect, deliver_all

# Statuses whose trip through TMF621 words and the default incoming map comes back unchanged, so
# that "both sides agree" can be checked as plain equality.
ROUND_TRIP = ("in_progress", "waiting", "resolved", "closed")


def stamp(counter, side):
    return Stamp(counter, side)


def test_stamps_order_by_counter_then_origin():
    assert stamp(3, "replica").beats(stamp(2, "origin"))
    assert stamp(2, "origin").beats(stamp(2, "replica"))
    assert not stamp(2, "replica").beats(stamp(2, "origin"))
    assert stamp(1, "replica").beats(None)


def test_next_stamp_counts_on_from_the_status_in_force():
    assert next_stamp(None, "origin") == stamp(1, "origin")
    assert next_stamp(stamp(4, "origin"), "replica") == stamp(5, "replica")
    clock, new = status_clock(stamp(4, "origin"), "replica")
    assert clock == {"counter": 5, "side": "replica", "basedOn": {"counter": 4, "side": "origin"}}
    assert new == stamp(5, "replica")


@pytest.mark.parametrize("bad", [(1, "middle"), (-1, "origin"), ("1", "origin")])
def test_malformed_stamps_are_refused(bad):
    with pytest.raises(ValueError):
        Stamp(*bad)


def test_a_change_based_on_the_status_in_force_is_no_conflict():
    verdict = judge(stamp(2, "origin"), stamp(3, "replica"), stamp(2, "origin"))
    assert verdict.apply and not verdict.conflict and verdict.in_force == stamp(3, "replica")
    first = judge(None, stamp(1, "replica"), None)
    assert first.apply and not first.conflict


def test_concurrent_changes_with_equal_counters_go_to_the_origin_side():
    # The origin side changed to 3 over 2; the replica side also changed to 3 over 2.
    at_origin = judge(stamp(3, "origin"), stamp(3, "replica"), stamp(2, "origin"))
    assert at_origin.conflict and not at_origin.apply and at_origin.winner == "local"
    at_replica = judge(stamp(3, "replica"), stamp(3, "origin"), stamp(2, "origin"))
    assert at_replica.conflict and at_replica.apply and at_replica.winner == "remote"
    assert at_origin.in_force == at_replica.in_force == stamp(3, "origin")


def test_the_side_that_knew_more_wins():
    at_origin = judge(stamp(3, "origin"), stamp(4, "replica"), stamp(2, "origin"))
    assert at_origin.conflict and at_origin.apply and at_origin.in_force == stamp(4, "replica")


def test_crossing_status_changes_converge_and_are_recorded_on_both_sides():
    partner, manufacturer = Side("partner"), Side("manufacturer")
    connect(partner, manufacturer)  # the partner shared its ticket: it is the origin side
    partner.change_status("waiting")
    manufacturer.change_status("resolved")
    deliver_all(partner, manufacturer)
    assert partner.status == manufacturer.status == "waiting"
    for side in (partner, manufacturer):
        assert len(side.conflicts) == 1
        record = side.conflicts[0]
        assert record["rule"] == RULE
    assert partner.conflicts[0]["winner"] == "local"
    assert manufacturer.conflicts[0]["winner"] == "remote"
    assert manufacturer.conflicts[0]["local"] == {"status": "resolved",
                                                  "stamp": {"counter": 1, "side": "replica"}}
    # The partner's status is recorded in its own (TMF621) words, as it was sent.
    assert manufacturer.conflicts[0]["remote"] == {"status": "pending",
                                                   "stamp": {"counter": 1, "side": "origin"}}
    assert partner.conflicts[0]["local"]["status"] == "waiting"


def test_after_a_conflict_the_next_change_is_plain_again():
    partner, manufacturer = Side("partner"), Side("manufacturer")
    connect(partner, manufacturer)
    partner.change_status("waiting")
    manufacturer.change_status("resolved")
    deliver_all(partner, manufacturer)
    manufacturer.change_status("closed")
    deliver_all(partner, manufacturer)
    assert partner.status == manufacturer.status == "closed"
    assert len(partner.conflicts) == len(manufacturer.conflicts) == 1


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.tuples(st.sampled_from(["partner", "manufacturer", "deliver"]),
                          st.sampled_from(ROUND_TRIP), st.integers(0, 3)), max_size=25),
       st.randoms(use_true_random=False))
def test_any_interleaving_converges(steps, rng):
    sides = {"partner": Side("partner"), "manufacturer": Side("manufacturer")}
    connect(sides["partner"], sides["manufacturer"])
    local_changes = 0
    for actor, status, batch in steps:
        if actor == "deliver":
            # Part of one direction's queue arrives, maybe out of order and twice.
            source, target = rng.sample(list(sides.values()), 2)
            outbox = source.links["link-ab"].outbox
            chosen = outbox[:batch]
            del outbox[:batch]
            for body in rng.sample(chosen + chosen[:1], len(chosen + chosen[:1])):
                target.receive("link-ab", body)
        elif sides[actor].status != status:
            sides[actor].change_status(status)
            local_changes += 1
    deliver_all(sides["partner"], sides["manufacturer"])
    partner, manufacturer = sides["partner"], sides["manufacturer"]
    assert partner.status == manufacturer.status
    assert partner.links["link-ab"].in_force == manufacturer.links["link-ab"].in_force
    # Every change crossed once: applied changes are numbered 1..n on each side, nothing echoed.
    sent = partner.links["link-ab"].sent + manufacturer.links["link-ab"].sent
    assert sent <= local_changes
    assert sorted(partner.applied) == list(range(1, manufacturer.links["link-ab"].sent + 1))
    assert sorted(manufacturer.applied) == list(range(1, partner.links["link-ab"].sent + 1))


def test_a_deterministic_storm_converges():
    rng = random.Random(7)
    partner, manufacturer = Side("partner"), Side("manufacturer")
    connect(partner, manufacturer)
    for _ in range(200):
        side = rng.choice([partner, manufacturer])
        status = rng.choice([s for s in ROUND_TRIP if s != side.status])
        side.change_status(status)
        if rng.random() < 0.3:
            deliver_all(partner, manufacturer)
    deliver_all(partner, manufacturer)
    assert partner.status == manufacturer.status
    assert partner.conflicts and manufacturer.conflicts
