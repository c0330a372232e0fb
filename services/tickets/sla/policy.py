"""What the ticket's life means for its SLA clock: which targets apply, which statuses pause, what
counts as a reaction and a resolution. Plain functions over plain documents and clocks.

Rules (docs/sla.md explains the why):
- targets come from the service level for the ticket's priority; a client's own targets for that
  priority, where it has them, win;
- reaction is met by the first public comment of an employee, or by an employee moving the ticket
  to in_progress; resolving or closing meets it too (an employee who resolves has reacted);
- resolution is met by resolved (or closed, which ends the work just as well);
- a status in the account's pausing set stops both clocks until the ticket leaves it;
- reopened resumes the resolution clock, without counting the time it stood resolved.
"""
from dataclasses import dataclass

from services.tickets.sla import clock as sla_clock
from services.tickets.tickets.workflow import STATUSES

DEFAULT_PAUSING = frozenset({"waiting"})
DEFAULT_WARNING_SHARE = 0.8
DONE_STATUSES = frozenset({"resolved", "closed"})
NEVER_PAUSING = DONE_STATUSES | {"opened", "in_progress", "reopened"}


@dataclass(frozen=True)
class SlaPolicy:
    pausing_statuses: frozenset = DEFAULT_PAUSING
    warning_share: float = DEFAULT_WARNING_SHARE

    def __post_init__(self):
        if not 0 < self.warning_share < 1:
            raise ValueError("The warning share is a fraction between 0 and 1.")
        if self.pausing_statuses & NEVER_PAUSING:
            raise ValueError("Only waiting statuses can pause the clock.")


SETTINGS = ("sla_calendar_id", "sla_pausing_statuses", "sla_warning_share")


def valid_share(share):
    """A warning share: a number strictly between 0 and 1 (True is no number here)."""
    return not isinstance(share, bool) and isinstance(share, (int, float)) and 0 < share < 1


def settings_errors(settings):
    """What is wrong with the SLA keys of account settings, as {key: [reason]} (empty: nothing).
    Whether `sla_calendar_id` names one of the account's calendars needs the database: the caller
    checks that."""
    errors = {}
    for key in sorted(k for k in settings if k.startswith("sla_") and k not in SETTINGS):
        errors[key] = [f"Unknown SLA setting; known: {', '.join(SETTINGS)}."]
    if not valid_share(settings.get("sla_warning_share", DEFAULT_WARNING_SHARE)):
        errors["sla_warning_share"] = ["A share of the target between 0 and 1, both excluded."]
    pausing = settings.get("sla_pausing_statuses", [])
    if not isinstance(pausing, list):
        errors["sla_pausing_statuses"] = ["A list of statuses."]
    else:
        reasons = [f"Unknown status {s!r}." if s not in STATUSES else
                   f"{s!r} never pauses: only waiting statuses stop the clock."
                   for s in pausing if s not in STATUSES or s in NEVER_PAUSING]
        if reasons:
            errors["sla_pausing_statuses"] = reasons
    calendar_id = settings.get("sla_calendar_id")
    if calendar_id is not None and not (isinstance(calendar_id, str) and 0 < len(calendar_id) <= 64):
        errors["sla_calendar_id"] = ["A calendar's id."]
    return errors


def targets_for(priority, level_targets, client_targets=None):
    """(reaction minutes, resolution minutes) for `priority`: the client's own, else the service
    level's (both as stored: priority -> {reaction_minutes, resolution_minutes}). None when
    neither names the priority: the ticket then runs without an SLA clock."""
    chosen = (client_targets or {}).get(priority) or (level_targets or {}).get(priority)
    if not chosen:
        return None
    return chosen["reaction_minutes"], chosen["resolution_minutes"]


def open_clock(created_at, targets):
    return sla_clock.start(created_at, *targets)


def on_status_change(clock, policy, *, old, new, at, by_employee):
    """The clock after the ticket moved from `old` to `new` at `at`."""
    if new in DONE_STATUSES:
        return sla_clock.resolve(clock, at)
    if old in DONE_STATUSES and new == "reopened":
        clock = sla_clock.reopen(clock, at)
    if old in policy.pausing_statuses and new not in policy.pausing_statuses:
        clock = sla_clock.resume(clock, at)
    if new in policy.pausing_statuses:
        # Moving between two pausing statuses keeps the one pause: the clock never ran between.
        clock = sla_clock.pause(clock, at, new)
    if new == "in_progress" and by_employee:
        clock = sla_clock.meet(clock, "reaction", at)
    return clock


def on_comment(clock, *, at, visibility, by_employee):
    if visibility == "public" and by_employee:
        return sla_clock.meet(clock, "reaction", at)
    return clock


def on_targets_changed(clock, targets):
    """Priority, client or contract changed: new targets, same time spent, same pauses. Without
    targets any more (no service level covers the ticket now) the clock is kept as it was, so the
    record of what was promised and spent is not lost."""
    if targets is None:
        return clock
    return sla_clock.retarget(clock, *targets)


def policy_of(account):
    """The account's policy from its settings; a setting the policy cannot take is ignored, not
    refused at every ticket write (store/sla_sources.py lists the settings)."""
    settings = account.get("settings") or {}
    pausing = settings.get("sla_pausing_statuses")
    pausing = (frozenset(s for s in pausing if isinstance(s, str)) - NEVER_PAUSING
               if isinstance(pausing, list) else DEFAULT_PAUSING)
    share = settings.get("sla_warning_share", DEFAULT_WARNING_SHARE)
    if not valid_share(share):
        share = DEFAULT_WARNING_SHARE
    return SlaPolicy(pausing_statuses=pausing, warning_share=float(share))
