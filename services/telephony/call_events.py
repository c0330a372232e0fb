"""A PBX event in the one vocabulary every dialect translates into.

Adapters produce `CallEvent`s; calls.py folds a call's events into the call. An event says what
it knows and nothing more: a field the vendor did not send stays None, so that folding never
lets a silent event overwrite what another one said.
"""
import hashlib
import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime

RINGING, ANSWERED, LEG_ENDED, ENDED, RECORDING = (
    "ringing", "answered", "leg_ended", "ended", "recording")
KINDS = (RINGING, ANSWERED, LEG_ENDED, ENDED, RECORDING)
DIRECTIONS = ("in", "out", "internal")
DISPOSITIONS = ("answered", "missed", "busy", "failed")


@dataclass(frozen=True)
class CallEvent:
    """One normalized event.

    kind: ringing (the call or a leg appeared or rings), answered (a person answered: never an
      IVR), leg_ended (one leg is over, the call may go on), ended (the whole call is over),
      recording (a recording exists; `recording_ready` once it can be fetched).
    final: the vendor's own record of the whole call (Mango summary, Zadarma *_END, Asterisk
      Cdr of the call's first channel). Its parties and figures win over those of other events.
    extension: our side's person on the call: who answered an incoming call, who placed an
      answered outgoing one (an extension, a number, or for the generic dialect a login).
    started_at / answered_at / ended_at / talk_seconds: only when the vendor states them; when it
      does not, calls.py derives them from `occurred_at`.
    ticket_reference: our ticket the call belongs to, when the PBX passes it back (an outgoing
      call dialled from a ticket).
    raw: the vendor's payload for this event, as canonical JSON text.
    """
    vendor: str
    call_key: str
    kind: str
    name: str
    occurred_at: datetime
    raw: str
    leg_key: str | None = None
    sequence: int | None = None
    final: bool = False
    direction: str | None = None
    caller: str | None = None
    callee: str | None = None
    line: str | None = None
    extension: str | None = None
    disposition: str | None = None
    started_at: datetime | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    talk_seconds: int | None = None
    recording: str | None = None
    recording_ready: bool = False
    ticket_reference: str | None = None
    ringing: tuple = ()  # the extensions (or logins) a ringing event rings, for call_ringing

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown event kind {self.kind!r}.")
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise ValueError(f"Unknown direction {self.direction!r}.")
        if self.disposition is not None and self.disposition not in DISPOSITIONS:
            raise ValueError(f"Unknown disposition {self.disposition!r}.")

    @property
    def key(self):
        """Equal for the same event delivered twice. The digest of the payload stands in for a
        vendor event id, which none of the vendors sends; the readable parts help debugging."""
        digest = hashlib.sha256(self.raw.encode("utf-8")).hexdigest()[:24]
        sequence = "" if self.sequence is None else self.sequence
        return f"{self.call_key}|{self.leg_key or ''}|{self.name}|{self.kind}|{sequence}|{digest}"

    @property
    def order(self):
        """A total order that depends on the events alone, never on when they arrived."""
        return (self.occurred_at, -1 if self.sequence is None else self.sequence,
                KINDS.index(self.kind), self.key)

    def to_document(self):
        return dict(asdict(self), key=self.key, ringing=list(self.ringing))

    @classmethod
    def from_document(cls, document):
        names = {field.name for field in fields(cls)}
        found = {name: value for name, value in document.items() if name in names}
        return cls(**dict(found, ringing=tuple(found.get("ringing") or ())))


def canonical_json(payload):
    """The text of a payload that is the same however its keys were ordered on the wire."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def earlier(first, second):
    """Of two deliveries of the same event (same key), the one to keep: the earlier one, and by
    content when even the times agree, so that keeping is commutative and idempotent."""
    return min(first, second,
               key=lambda event: (event.occurred_at, repr(sorted(event.to_document().items()))))
