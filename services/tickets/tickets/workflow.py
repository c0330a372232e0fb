"""The ticket status state machine."""
from services.shared.errors import Conflict

STATUSES = ("opened", "in_progress", "waiting", "resolved", "closed", "reopened")
# Still someone's work: the caller card, a client's card and the queue's default show these.
OPEN_STATUSES = ("opened", "in_progress", "waiting", "reopened")

TRANSITIONS = {
    "opened": ("in_progress", "waiting", "resolved", "closed"),
    "in_progress": ("waiting", "resolved", "closed"),
    "waiting": ("in_progress", "resolved", "closed"),
    "resolved": ("closed", "reopened"),
    "closed": ("reopened",),
    "reopened": ("in_progress", "waiting", "resolved", "closed"),
}

INITIAL_STATUS = "opened"


def allowed_transitions(status):
    return TRANSITIONS[status]


def check_transition(current, target):
    """Raise Conflict naming the allowed targets unless `current` may move to `target`."""
    allowed = allowed_transitions(current)
    if target not in allowed:
        raise Conflict(
            f"A ticket cannot move from '{current}' to '{target}'.",
            {"current_status": current, "requested_status": target, "allowed": list(allowed)})
