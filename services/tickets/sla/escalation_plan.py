"""What the SLA watcher decides for a due ticket, as plain data: the milestones it announces with
their events, the escalations acting now and those left for working hours, what the acting ones
change on the ticket (a new group, a raised priority) and the notices they leave.
store/sla_watcher.py reads the ticket, its calendar and the account's rules, looks up the targets
of a raised priority, and writes the decision as one conditional update."""
from dataclasses import dataclass

from services.tickets.sla import clock as sla_clock
from services.tickets.sla import tracking
from services.tickets.sla.escalation import EscalationRule, escalations, raised
from services.tickets.sla.notices import event_payload, notification, rule_document
from services.tickets.tickets.vocabulary import PRIORITY_RANK

SYSTEM = {"kind": "system", "id": "sla"}


@dataclass(frozen=True)
class Decision:
    announced: list      # keys of the milestones announced now ("reaction:breach")
    events: list         # (event type, payload) per milestone announced now
    acting: list         # escalations carried out now, as kept in `sla.escalations`
    waiting: list        # escalations left for working hours
    fields: dict         # the ticket fields the acting escalations change
    history: list        # their history entries
    notifications: list  # the notices of the acting `notify` escalations

    @property
    def raised_priority(self):
        """The priority an escalation raised the ticket to, None if none did: its SLA targets
        change with it."""
        return self.fields.get("priority")

    def sla_after(self, sla, targets=None):
        """The ticket's `sla` once the decision is written: the milestones announced, the
        escalations still waiting kept, and the clock on `targets` ((reaction, resolution)
        minutes of the raised priority) when they are given."""
        if targets is not None:
            sla = tracking.with_clock(sla, sla_clock.retarget(tracking.clock_of(sla), *targets))
        return dict(sla, announced=sla.get("announced", []) + self.announced,
                    escalations=self.waiting)


def decide(ticket, rules, calendar, now):
    """What is due on `ticket` (with its `sla`) at `now`, under the account's escalation `rules`
    (a sequence of EscalationRule) and the ticket's business `calendar`."""
    sla = ticket["sla"]
    deadlines = sla.get("due", {})
    keys, events, planned = [], [], []
    for milestone in tracking.due_milestones(sla, calendar, now):
        due_at, target, kind = milestone
        key = tracking.milestone_key(target, kind)
        keys.append(key)
        events.append((tracking.KINDS[kind], event_payload(
            ticket, milestone, deadlines.get(target, {}).get("deadline"), now)))
        planned += [{"key": key, "index": rules.index(step.rule), "rule": rule_document(step.rule),
                     "due_at": tracking.stored(due_at), "at": tracking.stored(step.at)}
                    for step in escalations(rules, milestone, calendar)]
    waiting = list(sla.get("escalations", [])) + planned
    acting = [step for step in waiting if step["at"] <= now]
    fields, history = effects(ticket, acting, now)
    notifications = [notification(ticket, step, now) for step in acting
                     if step["rule"]["action"] == "notify"]
    return Decision(keys, events, acting, [step for step in waiting if step["at"] > now], fields,
                    history, notifications)


def effects(ticket, acting, now):
    """The ticket fields the escalations `acting` now change, and their history entries."""
    fields, history = {}, []
    priority = ticket["priority"]
    for step in acting:
        rule = EscalationRule(**dict(step["rule"], recipients=tuple(step["rule"]["recipients"])))
        if rule.action == "reassign" and ticket.get("assignee_group_id") != rule.group_id:
            group = fields.get("assignee_group_id", ticket.get("assignee_group_id"))
            history.append(system_entry(now, "assignee_group_id", group, rule.group_id))
            fields.update(assignee_group_id=rule.group_id, assignee_id=None)
        elif rule.action == "raise_priority" and raised(priority) != priority:
            history.append(system_entry(now, "priority", priority, raised(priority)))
            priority = raised(priority)
    if priority != ticket["priority"]:
        fields.update(priority=priority, priority_rank=PRIORITY_RANK[priority])
    if fields:
        fields["updated_at"] = now
    return fields, history


def system_entry(at, field, old, new):
    return {"at": at, "actor": SYSTEM, "field": field, "old": old, "new": new}
