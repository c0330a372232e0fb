"""The SLA report: compliance per period by client, service level, assignee and group, and the
distributions of business time to reaction and to resolution. Plain functions over ticket
documents; the entrypoint reads the tickets of the period and the calendars.

Each target of each ticket with a clock is counted once per grouping, as one of:
  met       met within the target;
  breached  met late, or not met and past its deadline now;
  pending   neither yet (running, in warning, or paused).
So in every grouping the rows add up to the total, and met + breached + pending is the number of
tickets with a clock. Compliance is met / (met + breached): pending targets are not yet a promise
kept or broken.

Percentiles are nearest-rank (the smallest value with at least p% of the values at or below it),
in business minutes rounded up, over the targets met in the period's tickets.
"""
import math

from services.tickets.sla import clock as sla_clock
from services.tickets.sla import tracking
from services.tickets.sla.clock import TARGETS

GROUPINGS = {"by_client": lambda t: t.get("client_id"),
             "by_service_level": lambda t: t["sla"].get("service_level_id"),
             "by_assignee": lambda t: t.get("assignee_id"),
             "by_group": lambda t: t.get("assignee_group_id")}
PERCENTILES = (50, 90, 95)


def outcomes(ticket, calendar, now):
    """{target: (outcome, business minutes to meet it or None)} of one ticket."""
    sla = ticket["sla"]
    clock = tracking.clock_of(sla)
    found = {}
    for name in TARGETS:
        status = sla_clock.status(clock, calendar, name, now, sla["warning_share"])
        outcome = status.state if status.state in ("met", "breached") else "pending"
        minutes = tracking.business_minutes(status.spent) if status.met_at is not None else None
        found[name] = (outcome, minutes)
    return found


def empty_row(key):
    return {"key": key, "tickets": 0,
            **{name: {"met": 0, "breached": 0, "pending": 0} for name in TARGETS}}


def add(row, found):
    row["tickets"] += 1
    for name, (outcome, _) in found.items():
        row[name][outcome] += 1


def finish(row):
    for name in TARGETS:
        counts = row[name]
        decided = counts["met"] + counts["breached"]
        counts["compliance"] = round(counts["met"] / decided, 4) if decided else None
    return row


def percentile(ordered, share):
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


def distribution(values):
    ordered = sorted(values)
    if not ordered:
        return {"count": 0, "max": None, **{f"p{p}": None for p in PERCENTILES}}
    return {"count": len(ordered), "max": ordered[-1],
            **{f"p{p}": percentile(ordered, p) for p in PERCENTILES}}


def build(tickets, calendar_of, now, created_from, created_to):
    """The report over `tickets` (documents with a clock, created in the period); `calendar_of`
    gives a ticket's calendar."""
    total = empty_row(None)
    groups = {name: {} for name in GROUPINGS}
    minutes = {name: [] for name in TARGETS}
    for ticket in tickets:
        found = outcomes(ticket, calendar_of(ticket), now)
        add(total, found)
        for grouping, key_of in GROUPINGS.items():
            key = key_of(ticket)
            add(groups[grouping].setdefault(key, empty_row(key)), found)
        for name, (_, spent) in found.items():
            if spent is not None:
                minutes[name].append(spent)
    report = {"created_from": created_from, "created_to": created_to, "generated_at": now,
              "total": finish(total),
              "business_minutes": {name: distribution(values) for name, values in minutes.items()}}
    for grouping, rows in groups.items():
        ordered = sorted(rows.values(), key=lambda r: (r["key"] is None, r["key"] or ""))
        report[grouping] = [finish(row) for row in ordered]
    return report
