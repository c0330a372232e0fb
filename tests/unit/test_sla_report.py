"""The SLA report as plain functions: outcomes per target, rows that add up to the total, and
nearest-rank percentiles of business minutes."""
from datetime import datetime, timedelta

import pytest

from services.tickets.sla import clock as sla_clock
from services.tickets.sla import report, tracking
from services.tickets.sla.calendar import BusinessCalendar

# 24x7 in UTC: business minutes are plain minutes, so the figures are easy to check by hand.
ALWAYS = BusinessCalendar.always()
T0 = datetime(2026, 1, 5, 10, 0)


def ticket(client, level, assignee, reaction_after=None, resolution_after=None, group=None,
           opened_after=0):
    opened = T0 + timedelta(minutes=opened_after)
    clock = sla_clock.start(opened, 60, 240)
    if reaction_after is not None:
        clock = sla_clock.meet(clock, "reaction", T0 + timedelta(minutes=reaction_after))
    if resolution_after is not None:
        clock = sla_clock.resolve(clock, T0 + timedelta(minutes=resolution_after))
    sla = tracking.start(opened, (60, 240), service_level_id=level, contract_id=None,
                         calendar_id=None, warning_share=0.8)
    return {"client_id": client, "assignee_id": assignee, "assignee_group_id": group,
            "sla": tracking.with_clock(sla, clock)}


TICKETS = [
    ticket("c1", "gold", "ann", reaction_after=10, resolution_after=100),
    ticket("c1", "gold", "ann", reaction_after=90, resolution_after=250),   # both late
    ticket("c2", "gold", "bob", reaction_after=30),                          # resolution open
    ticket("c2", "silver", None, opened_after=240),                         # opened late
    ticket("c3", "silver", "bob"),                                          # left unmet
]


def build(now):
    return report.build(TICKETS, lambda t: ALWAYS, now, T0, T0 + timedelta(days=1))


def test_outcomes_and_compliance():
    found = build(T0 + timedelta(minutes=270))
    total = found["total"]
    assert total["tickets"] == 5
    assert total["reaction"] == {"met": 2, "breached": 2, "pending": 1, "compliance": 0.5}
    assert total["resolution"] == {"met": 1, "breached": 3, "pending": 1, "compliance": 0.25}


def test_unmet_targets_past_their_deadline_count_as_breached():
    total = build(T0 + timedelta(hours=5))["total"]
    assert total["reaction"] == {"met": 2, "breached": 3, "pending": 0, "compliance": 0.4}
    assert total["resolution"] == {"met": 1, "breached": 3, "pending": 1, "compliance": 0.25}


@pytest.mark.parametrize("grouping", sorted(report.GROUPINGS))
def test_every_grouping_adds_up_to_the_total(grouping):
    found = build(T0 + timedelta(hours=5))
    rows = found[grouping]
    assert sum(r["tickets"] for r in rows) == found["total"]["tickets"]
    for target in ("reaction", "resolution"):
        for outcome in ("met", "breached", "pending"):
            assert sum(r[target][outcome] for r in rows) == found["total"][target][outcome]


def test_rows_are_keyed_by_id_with_none_last():
    found = build(T0 + timedelta(hours=5))
    assert [r["key"] for r in found["by_assignee"]] == ["ann", "bob", None]
    assert [(r["key"], r["tickets"]) for r in found["by_service_level"]] == [("gold", 3), ("silver", 2)]


def test_distributions_of_business_minutes_to_meet():
    minutes = build(T0 + timedelta(hours=5))["business_minutes"]
    assert minutes["reaction"] == {"count": 3, "p50": 30, "p90": 90, "p95": 90, "max": 90}
    assert minutes["resolution"] == {"count": 2, "p50": 100, "p90": 250, "p95": 250, "max": 250}


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert [report.percentile(values, p) for p in (50, 90, 95)] == [50, 90, 95]
    assert report.distribution([]) == {"count": 0, "max": None, "p50": None, "p90": None, "p95": None}
