"""The call: one model for every vendor, folded from the call's events.

Why the fold does not depend on the order of delivery or on duplicates: the call is never
updated step by step. It is a pure function of the *set* of its distinct events. Adding an event
is a set union (`merge_events`), which is commutative, associative and idempotent; two deliveries
of one event share a key and the union keeps one of them by a rule that looks only at the two
events (`earlier`). `fold` then reads the set in a total order built from the events' own content
(`CallEvent.order`), never from arrival. So any permutation of a call's events, with any
repetitions, yields the same set and therefore the same call.

Each field is chosen by a rule a later event cannot undo by merely arriving later:
- state: finished if an event said the call ended, else answered if anyone answered, else
  ringing. Adding events never moves the state back;
- settled: the call's final record is in (the vendor's own summary, or the quiet end that
  `quiet_end` adds when a call stops changing without one). Decisions that more events could
  overturn, such as "missed", wait for it;
- parties and direction: from the vendor's final record of the call when there is one, else from
  the earliest event that states them;
- times: the vendor's stated times when it gives them (earliest start and answer, latest end),
  else the times of the events that mark them. An answer is never later than the end: a PBX that
  sends its answer after the hangup (the generic dialect states no times, so its events carry
  their arrival) gets the answer at the end, with no talk time;
- disposition: answered when any event shows a person answered; otherwise from what the end
  records say: missed if any says missed (or none says anything), failed if all say failed,
  else busy.
"""
from dataclasses import asdict, dataclass, field
from datetime import datetime

from services.telephony.call_events import (ANSWERED, ENDED, LEG_ENDED, RECORDING, CallEvent,
                                            canonical_json, earlier)

RINGING_STATE, ANSWERED_STATE, FINISHED_STATE = "ringing", "answered", "finished"
STATES = (RINGING_STATE, ANSWERED_STATE, FINISHED_STATE)


@dataclass(frozen=True)
class Call:
    vendor: str
    call_key: str
    state: str
    direction: str | None
    caller: str | None
    callee: str | None
    line: str | None
    extension: str | None
    started_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    duration: int | None
    disposition: str | None
    settled: bool = False
    ticket_reference: str | None = None
    recordings: list = field(default_factory=list)
    events: list = field(default_factory=list)

    @property
    def recording(self):
        """The first recording of the call, the one a ticket shows first."""
        return self.recordings[0] if self.recordings else None

    def to_document(self):
        return dict(asdict(self), events=[event.to_document() for event in self.events])


def merge_events(known, incoming):
    """`known` (key -> CallEvent) with `incoming` added: a new dict, `known` is left as it was."""
    merged = dict(known)
    for event in incoming:
        present = merged.get(event.key)
        merged[event.key] = event if present is None else earlier(present, event)
    return merged


def fold(events):
    """The call that a call's events describe, whatever their order and repetitions."""
    distinct = sorted(merge_events({}, events).values(), key=lambda event: event.order)
    if not distinct:
        raise ValueError("A call needs at least one event.")
    if len({(event.vendor, event.call_key) for event in distinct}) != 1:
        raise ValueError("Events of different calls cannot make one call.")
    # The vendor's final records first, then the others, each group in event order.
    by_authority = [event for event in distinct if event.final] + [
        event for event in distinct if not event.final]
    answered = any(event.kind == ANSWERED or (event.kind in (ENDED, LEG_ENDED)
                                              and event.disposition == "answered")
                   for event in distinct)
    finished = any(event.kind == ENDED for event in distinct)
    state = FINISHED_STATE if finished else ANSWERED_STATE if answered else RINGING_STATE
    answered_at = _answered_at(distinct) if answered else None
    ended_at = _ended_at(distinct) if finished else None
    if answered_at is not None and ended_at is not None:
        answered_at = min(answered_at, ended_at)
    return Call(
        vendor=distinct[0].vendor, call_key=distinct[0].call_key, state=state,
        direction=_first(by_authority, "direction"), caller=_first(by_authority, "caller"),
        callee=_first(by_authority, "callee"), line=_first(by_authority, "line"),
        extension=_extension(distinct) if answered else None,
        started_at=_started_at(distinct), answered_at=answered_at, ended_at=ended_at,
        duration=_duration(by_authority, answered, answered_at, ended_at) if finished else None,
        disposition=_disposition(distinct, answered) if finished else None,
        settled=any(event.kind == ENDED and event.final for event in distinct),
        ticket_reference=_first(by_authority, "ticket_reference"),
        recordings=_recordings(distinct), events=distinct)


def _first(events, name):
    return next((getattr(event, name) for event in events if getattr(event, name) is not None),
                None)


def _extension(events):
    answers = [event for event in events if event.kind == ANSWERED]
    finals = [event for event in events if event.final and event.disposition == "answered"]
    return _first(answers, "extension") or _first(finals, "extension")


def _started_at(events):
    stated = [event.started_at for event in events if event.started_at is not None]
    return min(stated) if stated else min(event.occurred_at for event in events)


def _answered_at(events):
    stated = [event.answered_at for event in events if event.answered_at is not None]
    if stated:
        return min(stated)
    marked = [event.occurred_at for event in events if event.kind == ANSWERED]
    return min(marked) if marked else None


def _ended_at(events):
    stated = [event.ended_at for event in events if event.ended_at is not None]
    if stated:
        return max(stated)
    return max(event.occurred_at for event in events if event.kind == ENDED)


def _duration(by_authority, answered, answered_at, ended_at):
    """Seconds of conversation: what the vendor counted, else answer to end, 0 if unanswered."""
    counted = _first([event for event in by_authority if event.kind in (ENDED, LEG_ENDED)],
                     "talk_seconds")
    if counted is not None:
        return counted
    if not answered:
        return 0
    if answered_at is None or ended_at is None:
        return None
    return max(0, int((ended_at - answered_at).total_seconds()))


def _disposition(events, answered):
    if answered:
        return "answered"
    said = {event.disposition for event in events
            if event.kind in (ENDED, LEG_ENDED) and event.disposition is not None}
    if not said or "missed" in said:
        return "missed"
    if said == {"failed"}:
        return "failed"
    return "busy"


def _recordings(events):
    found = {}
    for event in events:  # in event order, so a recording's position is where it first appears
        if event.recording is not None:
            entry = found.setdefault(event.recording, {"reference": event.recording,
                                                       "ready": False})
            entry["ready"] = entry["ready"] or event.recording_ready
    return list(found.values())


def quiet_end(events, abandoned):
    """The end record a call that stopped changing gets when its vendor sent none, or None.

    Some vendors report legs only (Mango without its summary, Asterisk without a Cdr): such a call
    ends when every leg we know of has ended, or, if `abandoned`, whatever its legs say (events
    were lost). The caller decides when a call has been quiet long enough; the record itself
    depends on the events alone, so two sweepers that saw the same events add the same one.
    """
    distinct = list(merge_events({}, events).values())
    if any(event.kind == ENDED and event.final for event in distinct):
        return None
    legs = {event.leg_key for event in distinct if event.leg_key is not None}
    ended_legs = {event.leg_key for event in distinct if event.kind == LEG_ENDED}
    if not abandoned and not (legs and legs <= ended_legs):
        return None
    # A recording may become downloadable long after the call: it does not make the call longer.
    progress = [event for event in distinct if event.kind != RECORDING] or distinct
    last = max(event.occurred_at for event in progress)
    reason = "abandoned" if abandoned and not (legs and legs <= ended_legs) else "legs_ended"
    first = distinct[0]
    return CallEvent(vendor=first.vendor, call_key=first.call_key, kind=ENDED, name="quiet_end",
                     occurred_at=last, final=True, raw=canonical_json(
                         {"reason": reason, "last_event_at": last.isoformat()}))


def call_from_document(document):
    """The call stored as `document`, folded again from the events it keeps."""
    return fold([CallEvent.from_document(event) for event in document["events"]])

