"""The SLA clock of one ticket: two targets (reaction and resolution) in business minutes, run on
one timeline from the ticket's creation, with every pause kept as an explicit interval.

Nothing derived is stored as truth: deadlines, time spent, remaining time and states are computed
from the start instant, the pauses, the targets and the calendar. That is what makes
recomputation safe: a new priority or service level replaces the target minutes and everything
else follows, with the business time already spent and every pause (including those before the
change) still counted exactly as before. The derived values are still written next to the clock
by the store, for indexes and lists, and rewritten whenever the clock changes.

A pause is (start, end, reason); `end` is None while it lasts. Reasons are the pausing status that
stopped the clock (e.g. "waiting") or "resolved" for the time between a resolution and the reopening
that resumed the resolution clock.

`calendar` is anything with `add(start, duration)` and `elapsed(start, end)`: a BusinessCalendar
or a CalendarHistory.
"""
from dataclasses import dataclass, field, replace
from datetime import timedelta

from services.tickets.sla.calendar import ZERO, as_utc, to_micros

TARGETS = ("reaction", "resolution")
STATES = ("running", "warning", "breached", "paused", "met")
RESOLVED_REASON = "resolved"


@dataclass(frozen=True)
class Pause:
    start: object
    end: object = None
    reason: str = "waiting"


@dataclass(frozen=True)
class Target:
    minutes: int
    met_at: object = None

    @property
    def duration(self):
        return timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class SlaClock:
    started_at: object
    targets: dict = field(default_factory=dict)  # name -> Target
    pauses: tuple = ()

    @property
    def paused(self):
        return bool(self.pauses) and self.pauses[-1].end is None

    def to_document(self):
        return {"started_at": self.started_at,
                "targets": {name: {"minutes": t.minutes, "met_at": t.met_at}
                            for name, t in self.targets.items()},
                "pauses": [{"start": p.start, "end": p.end, "reason": p.reason} for p in self.pauses]}

    @classmethod
    def from_document(cls, document):
        return cls(started_at=document["started_at"],
                   targets={name: Target(t["minutes"], t.get("met_at"))
                            for name, t in document["targets"].items()},
                   pauses=tuple(Pause(p["start"], p.get("end"), p["reason"])
                                for p in document.get("pauses", ())))


@dataclass(frozen=True)
class TargetStatus:
    name: str
    state: str
    minutes: int
    spent: timedelta
    remaining: timedelta
    deadline: object       # None while paused before the deadline was reached
    warning_at: object
    met_at: object
    met_in_time: object    # None until met

    @property
    def remaining_minutes(self):
        """Whole minutes left, rounded up: half a minute left is not zero minutes left."""
        return -(-to_micros(self.remaining) // 60_000_000)


# -- changes (each returns a new clock) ---------------------------------------------------------

def start(at, reaction_minutes, resolution_minutes):
    return SlaClock(started_at=at, targets={"reaction": Target(reaction_minutes),
                                            "resolution": Target(resolution_minutes)})


def pause(clock, at, reason):
    if clock.paused or all(t.met_at is not None for t in clock.targets.values()):
        return clock
    return replace(clock, pauses=clock.pauses + (Pause(at, None, reason),))


def resume(clock, at):
    """Close the open pause at `at`; a pause and a resume in the same minute (or instant) stay
    on record as a short (or empty) pause and cost nothing."""
    if not clock.paused:
        return clock
    last = clock.pauses[-1]
    return replace(clock, pauses=clock.pauses[:-1] + (replace(last, end=max(at, last.start)),))


def meet(clock, name, at):
    """Mark a target met at `at` (the first time counts; a met target stays met)."""
    target = clock.targets[name]
    if target.met_at is not None:
        return clock
    return replace(clock, targets=dict(clock.targets, **{name: replace(target, met_at=at)}))


def resolve(clock, at):
    """Resolution met; an employee who resolves has reacted too. An open pause ends here."""
    clock = resume(clock, at)
    return meet(meet(clock, "reaction", at), "resolution", at)


def reopen(clock, at):
    """The resolution clock resumes: the time since the resolution becomes a pause, so it does
    not count, and the business time spent before it still does."""
    resolution = clock.targets["resolution"]
    if resolution.met_at is None:
        return clock
    gap = Pause(resolution.met_at, max(at, resolution.met_at), RESOLVED_REASON)
    return replace(clock, pauses=clock.pauses + (gap,),
                   targets=dict(clock.targets, resolution=replace(resolution, met_at=None)))


def retarget(clock, reaction_minutes, resolution_minutes):
    """New targets (priority, client or contract changed): time spent and pauses are kept as
    they are, so the deadlines move by the difference of the targets only."""
    targets = dict(clock.targets)
    targets["reaction"] = replace(targets["reaction"], minutes=reaction_minutes)
    targets["resolution"] = replace(targets["resolution"], minutes=resolution_minutes)
    return replace(clock, targets=targets)


# -- measures ----------------------------------------------------------------------------------

def running_segments(clock):
    """The intervals the clock runs in: from the start, minus the pauses (merged if they
    overlap). The last segment's end is None while the clock runs; with an open pause there is
    no open segment."""
    segments = []
    cursor = as_utc(clock.started_at)
    for paused in sorted(clock.pauses, key=lambda p: as_utc(p.start)):
        begin = as_utc(paused.start)
        if begin > cursor:
            segments.append((cursor, begin))
        if paused.end is None:
            return segments
        cursor = max(cursor, as_utc(paused.end))
    segments.append((cursor, None))
    return segments


def spent(clock, calendar, at):
    """Business time the clock ran from its start until `at`."""
    at = as_utc(at)
    total = ZERO
    for begin, end in running_segments(clock):
        if begin >= at:
            break
        total += calendar.elapsed(begin, at if end is None else min(end, at))
    return total


def instant_of(clock, calendar, amount):
    """The instant when the clock will have run `amount` of business time, or None when an open
    pause comes first (the instant is unknown until the clock resumes). No time at all is run
    at the start, even when a pause begins right there."""
    if amount <= timedelta(0):
        return as_utc(clock.started_at)
    remaining = amount
    for begin, end in running_segments(clock):
        if end is None:
            return calendar.add(begin, remaining)
        available = calendar.elapsed(begin, end)
        if available >= remaining:
            return calendar.add(begin, remaining)
        remaining -= available
    return None


def status(clock, calendar, name, now, warning_share):
    """Where target `name` stands at `now`: state, time spent and left, deadline and warning."""
    target = clock.targets[name]
    until = as_utc(now) if target.met_at is None else min(as_utc(now), as_utc(target.met_at))
    used = spent(clock, calendar, until)
    deadline = instant_of(clock, calendar, target.duration)
    warning_at = instant_of(clock, calendar, target.duration * warning_share)
    met_in_time = None if target.met_at is None else used <= target.duration
    if target.met_at is not None:
        state = "met" if met_in_time else "breached"
    elif used >= target.duration:
        state = "breached"
    elif clock.paused:
        state = "paused"
    elif used >= target.duration * warning_share:
        state = "warning"
    else:
        state = "running"
    return TargetStatus(name=name, state=state, minutes=target.minutes, spent=used,
                        remaining=max(target.duration - used, ZERO), deadline=deadline,
                        warning_at=warning_at, met_at=target.met_at, met_in_time=met_in_time)


def milestones(clock, calendar, warning_share):
    """(instant, target, kind) for each warning and breach still ahead of an unmet target, in
    time order, whether or not already announced; none while paused (nothing can fall due)."""
    if clock.paused:
        return []
    found = []
    for name, target in clock.targets.items():
        if target.met_at is not None:
            continue
        found.append((instant_of(clock, calendar, target.duration * warning_share), name, "warning"))
        found.append((instant_of(clock, calendar, target.duration), name, "breach"))
    return sorted(found, key=lambda m: m[0])


def next_milestone(clock, calendar, warning_share, announced=()):
    """The first milestone not yet announced (`announced`: (target, kind) pairs), or None: the
    instant the scheduler's index holds for this ticket."""
    for milestone in milestones(clock, calendar, warning_share):
        if (milestone[1], milestone[2]) not in announced:
            return milestone
    return None
