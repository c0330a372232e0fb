"""A ticket's SLA as stored on the ticket document, and what it shows: plain functions, no database.

The ticket document carries (docs/sla.md, "Storage on the ticket"):

  sla                the clock (started_at, targets with minutes and met_at, pauses) as
                     clock.SlaClock.to_document() writes it, plus what it was computed from
                     (service_level_id, contract_id, calendar_id, warning_share), the milestones
                     already announced ("reaction:warning"...), escalations waiting for working
                     hours, and `due`: per target the deadline, the warning instant and, once met,
                     whether in time. `due` and `paused` are derived, rewritten with every change of
                     the clock, so that lists can filter by state in the database;
  sla_next_deadline  the first instant the watcher has something to do (an unannounced milestone
                     or a waiting escalation), None when nothing can fall due: the index entry;
  sla_sort_at        the earliest deadline of an unmet target, far in the future without one, so
                     a list sorted by it pages with a cursor (a cursor cannot step over nulls);
  sla_rev            grows with every write of `sla`: a write computed from an older read is
                     refused and retried, so a scan and an edit never overwrite each other.
"""
import math
from datetime import datetime, timedelta

from services.tickets.sla import clock as sla_clock
from services.tickets.sla.calendar import as_utc
from services.tickets.sla.clock import TARGETS

# Far enough to sort after every real deadline, near enough for any store's date range.
FAR_FUTURE = datetime(9999, 12, 31)
KINDS = {"warning": "sla_warning", "breach": "sla_breached"}


def stored(moment):
    """An instant as the store keeps it: naive UTC, rounded up to the millisecond (BSON's
    precision), so that a milestone read back is never before the instant it stands for."""
    if moment is None:
        return None
    moment = as_utc(moment).replace(tzinfo=None)
    extra = moment.microsecond % 1000
    return moment + timedelta(microseconds=1000 - extra) if extra else moment


def milestone_key(target, kind):
    return f"{target}:{kind}"


def clock_of(sla):
    return sla_clock.SlaClock.from_document(sla)


def announced_pairs(sla):
    return {tuple(key.split(":")) for key in sla.get("announced", [])}


def start(now, targets, *, service_level_id, contract_id, calendar_id, warning_share):
    """The `sla` of a new ticket whose clock starts at `now` with (reaction, resolution) minutes."""
    clock = sla_clock.start(now, *targets)
    return dict(clock.to_document(), service_level_id=service_level_id, contract_id=contract_id,
                calendar_id=calendar_id, warning_share=warning_share, announced=[], escalations=[])


def with_clock(sla, clock):
    return dict(sla, **clock.to_document())


def derived(sla, calendar):
    """The fields written beside the clock: `sla.due`, `sla.paused`, and the ticket's
    sla_next_deadline and sla_sort_at."""
    clock = clock_of(sla)
    share = sla["warning_share"]
    due, earliest = {}, None
    for name in TARGETS:
        target = clock.targets[name]
        deadline = sla_clock.instant_of(clock, calendar, target.duration)
        warning_at = sla_clock.instant_of(clock, calendar, target.duration * share)
        met_in_time = None
        if target.met_at is not None:
            met_in_time = sla_clock.spent(clock, calendar, target.met_at) <= target.duration
        elif deadline is not None and (earliest is None or deadline < earliest):
            earliest = deadline
        due[name] = {"deadline": stored(deadline), "warning_at": stored(warning_at),
                     "met_in_time": met_in_time}
    upcoming = sla_clock.next_milestone(clock, calendar, share, announced_pairs(sla))
    moments = [stored(upcoming[0])] if upcoming else []
    moments += [e["at"] for e in sla.get("escalations", [])]
    sla = dict(sla, due=due, paused=clock.paused)
    return {"sla": sla, "sla_next_deadline": min(moments) if moments else None,
            "sla_sort_at": stored(earliest) or FAR_FUTURE}


def due_milestones(sla, calendar, now):
    """Milestones at or before `now` not yet announced, in time order."""
    clock = clock_of(sla)
    announced = announced_pairs(sla)
    return [m for m in sla_clock.milestones(clock, calendar, sla["warning_share"])
            if (m[1], m[2]) not in announced and stored(m[0]) <= now]


def view(sla, calendar, now):
    """What an API reader sees per target: deadline, remaining business minutes, state."""
    if not sla:
        return None
    clock = clock_of(sla)
    targets = {}
    for name in TARGETS:
        status = sla_clock.status(clock, calendar, name, as_utc(now), sla["warning_share"])
        targets[name] = {"state": status.state, "minutes": status.minutes,
                         "deadline": stored(status.deadline), "warning_at": stored(status.warning_at),
                         "remaining_minutes": status.remaining_minutes, "met_at": status.met_at,
                         "met_in_time": status.met_in_time}
    return {"service_level_id": sla.get("service_level_id"), "calendar_id": sla.get("calendar_id"),
            "paused": clock.paused, "targets": targets}


def business_minutes(duration):
    return math.ceil(duration.total_seconds() / 60)

