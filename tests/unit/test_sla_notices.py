"""services/tickets/sla/notices.py: what the watcher announces and records of a due milestone,
built from plain ticket data without a store."""
from datetime import datetime, timezone

from services.tickets.sla.escalation import EscalationRule
from services.tickets.sla.notices import event_payload, notification, rule_document

NOW = datetime(2026, 12, 7, 12, 0)
DUE = datetime(2026, 12, 7, 11, 59, 30, 123456, tzinfo=timezone.utc)
TICKET = {"_id": "t-1", "account_id": "acme", "number": 42, "priority": "high",
          "client_id": "k-1", "assignee_id": "eve", "assignee_group_id": "g-1"}


def planned(recipients=(), key="reaction:breach", index=0):
    rule = EscalationRule("reaction", "breach", "notify", recipients=tuple(recipients))
    return {"key": key, "index": index, "rule": rule_document(rule), "due_at": NOW, "at": NOW}


def test_the_event_names_the_ticket_the_target_and_both_instants():
    payload = event_payload(TICKET, (DUE, "reaction", "breach"), NOW, NOW)
    # due_at rounded up to the millisecond, as the store keeps it (tracking.stored).
    assert payload == {"occurred_at": "2026-12-07T12:00:00+00:00", "account_id": "acme",
                       "ticket_id": "t-1", "number": 42, "target": "reaction",
                       "due_at": "2026-12-07T11:59:30.124000+00:00",
                       "deadline": "2026-12-07T12:00:00+00:00", "priority": "high",
                       "client_id": "k-1", "assignee_id": "eve", "assignee_group_id": "g-1"}


def test_a_notice_goes_to_the_rules_recipients_under_its_natural_key():
    notice = notification(TICKET, planned(["ivan", "g-7"], index=2), NOW)
    assert notice["_id"] == "t-1:reaction:breach:2"
    assert (notice["kind"], notice["target"]) == ("sla_breached", "reaction")
    assert notice["recipients"] == ["ivan", "g-7"] and notice["group_id"] is None
    assert notice["read"] is False and notice["created_at"] == NOW


def test_a_rule_without_recipients_notifies_the_assignee():
    assert notification(TICKET, planned(), NOW)["recipients"] == ["eve"]


def test_an_unassigned_ticket_notifies_its_group():
    ticket = dict(TICKET, assignee_id=None)
    notice = notification(ticket, planned(key="resolution:warning"), NOW)
    assert notice["recipients"] == [] and notice["group_id"] == "g-1"
    assert notice["kind"] == "sla_warning"


def test_a_rule_kept_with_a_waiting_escalation_makes_the_same_rule_again():
    rule = EscalationRule("resolution", "warning", "reassign", working_hours_only=True,
                          group_id="g-2")
    document = rule_document(rule)
    assert EscalationRule(**dict(document, recipients=tuple(document["recipients"]))) == rule
