"""Changes from a partner applied in the order they were made, and never sent back.

Ordering: the sender numbers every change on a link 1, 2, 3... with no gaps (outbox.py). The
receiver keeps, per link, the last number it applied and the changes that arrived early; a change
is applied only when every earlier one has been. A duplicate (a retry, a redelivery) is
recognised by its number and changes nothing. Numbering per link rather than per ticket is
stricter than the promise ("in the order made on the source ticket") and lets one counter serve
every ticket of the link.

Echoes: a change applied here because a partner sent it is made by the actor
`{"kind": "partner_link", "id": <link id>}` (a comment also carries `origin`). When the tickets
service announces that change, `is_echo` recognises it and it is not queued for that link, so
a status bounced back and forth can never start a loop.
"""
from dataclasses import dataclass, field

from services.shared.errors import Unavailable

PARTNER_ACTOR_KIND = "partner_link"
MAX_BUFFERED = 100


def partner_actor(link_id):
    """Who changes a ticket when a partner's change is applied: the mark echo detection reads."""
    return {"kind": PARTNER_ACTOR_KIND, "id": link_id}


def origin_mark(link_id, event_id):
    """What a comment (or any record) applied from a partner carries."""
    return {"link_id": link_id, "event_id": event_id}


def source_link(change):
    """The link a local change came in through, or None when someone here made it.

    `change` is a tickets event payload or record: its `changed_by` / `author` / `created_by`
    actor reference, or the `origin` of a comment."""
    origin = change.get("origin")
    if isinstance(origin, dict) and origin.get("link_id"):
        return origin["link_id"]
    for key in ("changed_by", "author", "created_by"):
        actor = change.get(key)
        if isinstance(actor, dict) and actor.get("kind") == PARTNER_ACTOR_KIND:
            return actor.get("id")
    return None


def is_echo(change, link_id):
    return source_link(change) == link_id


def links_to_notify(change, link_ids):
    """The links a local change is queued for: all the ticket's links but the one it came from."""
    return [link_id for link_id in link_ids if not is_echo(change, link_id)]


def check_sequence(sequence):
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise ValueError("A sequence number is a positive integer.")


def too_many_waiting(applied_through):
    """What the receiver answers when too much is held back behind a gap: the sender retries
    later, by which time the missing change has usually arrived."""
    return Unavailable("Too many changes wait for an earlier one; deliver again later.",
                       {"waiting_for": str(applied_through + 1)})


@dataclass
class IncomingSequence:
    """A link's incoming changes in memory: the rule, for tests and tools. The service keeps them
    in its database with the same interface (received.py)."""

    applied_through: int = 0
    buffered: dict = field(default_factory=dict)
    max_buffered: int = MAX_BUFFERED

    def receive(self, sequence, change):
        """Hold `change` until its turn; returns "duplicate" or "accepted"."""
        check_sequence(sequence)
        if sequence <= self.applied_through or sequence in self.buffered:
            return "duplicate"
        if len(self.buffered) >= self.max_buffered and sequence > self.applied_through + 1:
            raise too_many_waiting(self.applied_through)
        self.buffered[sequence] = change
        return "accepted"

    def waiting_for(self):
        """The missing number that holds the buffer back, or None when nothing waits."""
        if not self.buffered or (self.applied_through + 1) in self.buffered:
            return None
        return self.applied_through + 1

    def next_ready(self):
        """(sequence, change) whose turn has come, or None."""
        following = self.applied_through + 1
        return (following, self.buffered[following]) if following in self.buffered else None

    def mark_applied(self, sequence):
        """Move past `sequence`; False if that happened already (another worker applied it)."""
        if sequence <= self.applied_through:
            return False
        if sequence != self.applied_through + 1 or sequence not in self.buffered:
            raise ValueError(f"Change {sequence} is not the next one to apply.")
        del self.buffered[sequence]
        self.applied_through = sequence
        return True


def drain(sequence, apply):
    """Apply every change whose turn has come, in order; returns how many were applied.

    The position moves past a change only once `apply` returned, so a change whose application
    fails stays first in line and is tried again on the next drain."""
    applied = 0
    while (ready := sequence.next_ready()) is not None:
        apply(ready[1])
        if sequence.mark_applied(ready[0]):
            applied += 1
    return applied
