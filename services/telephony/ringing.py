"""`call_ringing`: a call rings on some employees' extensions (issue 14, point 5), so that their
open consoles pop the caller's card.

Announced through the calls' outbox (services/shared/events.py): the entry goes into the call's
document in the same write that stores the ringing event, and is published right after the
consumer stored the message, or by the relay timer if that failed. At least once: consoles take
a second copy of a ring as the same call. A ringing event delivered again is not new, so it is
not announced again; a call that rings again on another leg (a transfer) is.

Payload: event_id, account_id, call_id, number (the caller; None when hidden), employee_ids
(whose extensions ring, as the integration maps them; an extension nobody maps rings nobody),
occurred_at (UTC).
"""
from services.shared.events import outbox_entry
from services.telephony.call_events import RINGING

CALL_RINGING = "call_ringing"


def announcements(integration, account_id, call_id, known, merged, caller, employee_for):
    """Outbox entries for the ringing events of `merged` that were not in `known`."""
    entries = []
    for key, event in merged.items():
        if key in known or event.kind != RINGING or not event.ringing:
            continue
        employees = sorted({found for extension in event.ringing
                            if (found := employee_for(integration, extension))})
        if employees:
            entries.append(outbox_entry(CALL_RINGING, {
                "account_id": account_id, "call_id": call_id, "number": caller,
                "employee_ids": employees,
                "occurred_at": event.occurred_at.isoformat(timespec="milliseconds") + "Z"}))
    return entries
