"""Per-account escalation rules: what happens when a target nears or passes its deadline.

A rule names the target (reaction, resolution), the milestone (warning, breach), an action and,
optionally, that it acts only in working hours. The actions, carried out by the service:
  notify          a notification record for the assignee, the group or the managers named;
  reassign        the ticket moves to the group named;
  raise_priority  the ticket's priority goes one step up (never past critical).
A rule limited to working hours that falls due at night acts when the team's calendar next opens:
a manager is not paged at 03:00 for a ticket the office will see at 09:00, and a breach that
happens exactly at closing time (deadlines often end a working interval) waits for the morning.
"""
from dataclasses import dataclass

from services.tickets.sla.calendar import as_utc
from services.tickets.tickets.vocabulary import PRIORITIES

MILESTONES = ("warning", "breach")
ACTIONS = ("notify", "reassign", "raise_priority")


@dataclass(frozen=True)
class EscalationRule:
    target: str
    milestone: str
    action: str
    working_hours_only: bool = False
    group_id: str = None            # reassign: where to
    recipients: tuple = ()          # notify: employee or group ids; empty: the assignee

    def __post_init__(self):
        if self.target not in ("reaction", "resolution"):
            raise ValueError(f"Unknown target {self.target!r}.")
        if self.milestone not in MILESTONES:
            raise ValueError(f"Unknown milestone {self.milestone!r}.")
        if self.action not in ACTIONS:
            raise ValueError(f"Unknown action {self.action!r}.")
        if self.action == "reassign" and not self.group_id:
            raise ValueError("A reassignment names the group.")


@dataclass(frozen=True)
class Escalation:
    rule: EscalationRule
    at: object   # when to act: the milestone, or the next working instant after it


def escalations(rules, milestone, calendar):
    """What the account's `rules` do for `milestone` ((instant, target, kind) from the clock),
    each with the instant to act, in rule order."""
    due_at, target, kind = milestone
    planned = []
    for rule in rules:
        if rule.target != target or rule.milestone != kind:
            continue
        at = calendar.next_working_instant(due_at) if rule.working_hours_only else as_utc(due_at)
        planned.append(Escalation(rule, at))
    return planned


def raised(priority):
    """One step up, stopping at the top."""
    return PRIORITIES[min(PRIORITIES.index(priority) + 1, len(PRIORITIES) - 1)]
