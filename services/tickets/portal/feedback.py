"""What a client may do with a ticket once the work is done: confirm the resolution, reopen it
within the account's window, rate the work. Plain rules over the stored ticket."""
from datetime import timedelta

from services.shared.errors import Conflict

DONE = ("resolved", "closed")


def done_at(ticket):
    """When the ticket last became resolved or closed (from its history), or None."""
    moves = [entry["at"] for entry in ticket.get("history", [])
             if entry.get("field") == "status" and entry.get("new") in DONE]
    return max(moves) if moves else None


def window_end(ticket, days):
    at = done_at(ticket) if ticket["status"] in DONE else None
    return at + timedelta(days=days) if at else None


def state(ticket, now, days):
    """What the client may do now: {"confirm", "reopen", "rate": bool, "until": the window's end
    or None, "rating": the rating given or None}."""
    until = window_end(ticket, days)
    within = until is not None and now <= until
    return {"confirm": within and ticket["status"] == "resolved",
            "reopen": within,
            "rate": ticket["status"] in DONE and not ticket.get("rating"),
            "until": until, "rating": ticket.get("rating")}


def check(action, ticket, now, days):
    """Conflict (409) unless `action` (confirm, reopen, rate) is open to the client now."""
    allowed = state(ticket, now, days)
    if allowed[action]:
        return
    reasons = {
        "confirm": "Only a resolved ticket can be confirmed, within %s days of its resolution." % days,
        "reopen": "A ticket can be reopened within %s days of its resolution." % days,
        "rate": "Only a resolved or closed ticket can be rated, once.",
    }
    raise Conflict(reasons[action], {"current_status": ticket["status"], "action": action})


def target_status(action):
    return {"confirm": "closed", "reopen": "reopened"}[action]
