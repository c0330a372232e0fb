"""Both sides changed a shared ticket's status at once: which status stands, and the record of it.

The rule (docs/partner-bridge.md): every status change on a correlation carries a Lamport stamp
(counter, side) and the stamp of the status it replaced (`based_on`). Side is "origin" for the
account that shared the ticket first and "replica" for the one it was shared with; both know
which they are, so both judge alike.

- An incoming status change based on the stamp in force here is no conflict: it is applied.
- Otherwise this side changed the status meanwhile, and the two changes are concurrent. The
  higher counter wins (it was made knowing more); on equal counters the origin side wins,
  because the ticket belongs to the requester who opened it. The winner's status stands on
  both sides: each side computes the same verdict when the other's change reaches it, so
  they converge without a further message.
- Either way a conflict is recorded on the correlation, with both statuses and stamps, so
  people can see what was overruled.

A Lamport stamp and not the wall clock: the two installations' clocks differ, and "who was
last" by a clock a few seconds off would be an arbitrary winner dressed up as a fair one.
"""
from dataclasses import dataclass

ORIGIN, REPLICA = "origin", "replica"
SIDES = (ORIGIN, REPLICA)
RULE = "lamport-counter-then-origin"


@dataclass(frozen=True)
class Stamp:
    counter: int
    side: str

    def __post_init__(self):
        if self.side not in SIDES:
            raise ValueError(f"A stamp's side is one of {SIDES}.")
        if not isinstance(self.counter, int) or self.counter < 0:
            raise ValueError("A stamp's counter is a non-negative integer.")

    def rank(self):
        return (self.counter, self.side == ORIGIN)

    def beats(self, other):
        return other is None or self.rank() > other.rank()

    def as_dict(self):
        return {"counter": self.counter, "side": self.side}

    @classmethod
    def from_dict(cls, data):
        return None if data is None else cls(int(data["counter"]), data["side"])


def next_stamp(in_force, side):
    """The stamp of a status change made here now, over the stamp of the status it replaces."""
    return Stamp((in_force.counter if in_force else 0) + 1, side)


def status_clock(in_force, side):
    """The envelope's statusClock for a local status change (tmf621.envelope)."""
    stamp = next_stamp(in_force, side)
    return dict(stamp.as_dict(), basedOn=in_force.as_dict() if in_force else None), stamp


@dataclass(frozen=True)
class Verdict:
    apply: bool
    conflict: bool
    in_force: Stamp

    @property
    def winner(self):
        return "remote" if self.apply else "local"


def judge(in_force, incoming, based_on):
    """What to do with a partner's status change stamped `incoming`, made over `based_on`,
    while the status here is stamped `in_force` (None: nobody changed it since sharing)."""
    if based_on == in_force:
        return Verdict(apply=True, conflict=False, in_force=incoming)
    if incoming.beats(in_force):
        return Verdict(apply=True, conflict=True, in_force=incoming)
    return Verdict(apply=False, conflict=True, in_force=in_force)


def conflict_record(*, at, verdict, local_status, local_stamp, remote_status, remote_stamp,
                    event_id):
    """The entry kept on the correlation when two status changes crossed."""
    return {"at": at, "rule": RULE, "winner": verdict.winner, "event_id": event_id,
            "local": {"status": local_status, "stamp": local_stamp.as_dict()},
            "remote": {"status": remote_status, "stamp": remote_stamp.as_dict()}}
