"""What a change of a call asks of the ticket side (issue 7, point 5), decided from the call alone.

The store reports each change of a call as the call before and after it; `reactions` turns that
into intents which the service carries out through the tickets service. Each intent belongs to
one transition, so a redelivered event (which changes nothing) asks for nothing. Consumers still
deduplicate on (call id, kind, recording): delivery is at least once, and a call told only by its
legs may cross a transition twice (see calls.py).
"""
from dataclasses import dataclass
from datetime import datetime

from services.telephony.numbers import is_extension

TICKET_FOR_CALL = "ticket_for_call"
CALLBACK_TICKET = "callback_ticket"
LINK_TO_TICKET = "link_to_ticket"
RECORDING_READY = "recording_ready"


@dataclass(frozen=True)
class Reaction:
    """kind:
    ticket_for_call: an incoming call was answered; attach it to the caller's open ticket or
      open one, as `known_caller` / `unknown_caller` say once the tickets side knows the number.
    callback_ticket: an incoming call settled unanswered; open a high-priority callback ticket,
      once per caller per `window_minutes` from `at` (see CallbackClaims in store.py).
    link_to_ticket: the PBX named our ticket (`ticket_reference`); link the call to it.
    recording_ready: `recording` can be fetched; add it to the call's ticket.
    """
    kind: str
    call_id: str
    number: str | None = None
    at: datetime | None = None
    known_caller: str | None = None
    unknown_caller: str | None = None
    window_minutes: int | None = None
    ticket_reference: str | None = None
    recording: str | None = None


def client_number(call):
    """The client's side of a call: who called us, or whom we called. None for internal calls,
    hidden numbers and extensions."""
    number = {"in": call.get("caller"), "out": call.get("callee")}.get(call.get("direction"))
    return None if number is None or is_extension(number) else number


def reactions(rules, before, after):
    """The intents raised by the change of a call from `before` (None: new) to `after`.

    Each intent fires when its condition on the call becomes true, not on a particular event:
    the events that make it true may arrive in any order (the answer before the event that
    says the call is incoming, say).
    """
    was = before or {}
    found = []
    number = client_number(after)
    if _answered_incoming(after) and not _answered_incoming(was):
        found.append(Reaction(TICKET_FOR_CALL, after["_id"], number, after.get("started_at"),
                              known_caller=rules["known_caller"],
                              unknown_caller=rules["unknown_caller"]))
    if (rules["missed_call"] == "callback_ticket" and _to_call_back(after)
            and not _to_call_back(was)):
        found.append(Reaction(CALLBACK_TICKET, after["_id"], number,
                              after.get("ended_at") or after.get("started_at"),
                              window_minutes=rules["callback_window_minutes"]))
    reference = after.get("ticket_reference")
    if reference is not None and reference != was.get("ticket_reference"):
        found.append(Reaction(LINK_TO_TICKET, after["_id"], number, after.get("started_at"),
                              ticket_reference=reference))
    ready_before = {entry["reference"] for entry in was.get("recordings", []) if entry["ready"]}
    for entry in after.get("recordings", []):
        if entry["ready"] and entry["reference"] not in ready_before:
            found.append(Reaction(RECORDING_READY, after["_id"], number, after.get("ended_at"),
                                  recording=entry["reference"]))
    return found


def _answered_incoming(call):
    return call.get("direction") == "in" and _answered(call)


def _to_call_back(call):
    """An incoming call nobody answered, settled (its final record is in: a later event cannot
    turn it into an answered one), from a number we can call."""
    return (call.get("direction") == "in" and bool(call.get("settled"))
            and not _answered(call) and client_number(call) is not None)


def _answered(call):
    return call.get("state") == "answered" or call.get("disposition") == "answered"
