"""What the SLA watcher announces and records of a due milestone, as plain data: the payload of
the warning or breach event, the notice a `notify` escalation leaves, and an escalation rule as it
is kept with an escalation waiting for working hours (store/sla_watcher.py writes them)."""
from services.tickets.sla import tracking
from services.tickets.sla.sla_schemas import SlaEventSchema

EVENT = SlaEventSchema()


def event_payload(ticket, milestone, deadline, now):
    due_at, target, _ = milestone
    return EVENT.dump({"occurred_at": now, "account_id": ticket["account_id"],
                       "ticket_id": ticket["_id"], "number": ticket["number"], "target": target,
                       "due_at": tracking.stored(due_at), "deadline": deadline,
                       "priority": ticket["priority"], "client_id": ticket.get("client_id"),
                       "assignee_id": ticket.get("assignee_id"),
                       "assignee_group_id": ticket.get("assignee_group_id")})


def notification(ticket, planned, now):
    rule = planned["rule"]
    recipients = list(rule["recipients"]) or [r for r in (ticket.get("assignee_id"),) if r]
    return {"_id": f"{ticket['_id']}:{planned['key']}:{planned['index']}",
            "account_id": ticket["account_id"], "ticket_id": ticket["_id"],
            "number": ticket["number"], "kind": tracking.KINDS[planned["key"].split(":")[1]],
            "target": planned["key"].split(":")[0], "recipients": recipients,
            "group_id": None if recipients else ticket.get("assignee_group_id"),
            "due_at": planned["due_at"], "created_at": now, "read": False}


def rule_document(rule):
    return {"target": rule.target, "milestone": rule.milestone, "action": rule.action,
            "working_hours_only": rule.working_hours_only, "group_id": rule.group_id,
            "recipients": list(rule.recipients)}
