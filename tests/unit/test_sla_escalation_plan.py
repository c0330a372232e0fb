"""services/tickets/sla/escalation_plan.py: what the watcher decides for a due ticket (milestones
announced, escalations acting or waiting, their effects and notices), from plain data without a
store."""
from datetime import datetime, timedelta

from services.tickets.sla import tracking
from services.tickets.sla.calendar import BusinessCalendar
from services.tickets.sla.escalation import EscalationRule
from services.tickets.sla.escalation_plan import SYSTEM, decide

ALWAYS = BusinessCalendar.always()
# Monday to Friday 09:00-18:00 UTC: the built-in rules' "working hours".
OFFICE = BusinessCalendar(time_zone="UTC", week=[[(540, 1080)]] * 5 + [[], []])
# Friday 17:00 UTC; 30 minutes to react, so warning 17:24 and breach 17:30.
OPENED = datetime(2025, 11, 7, 17, 0)
REACTION_BREACH = OPENED + timedelta(minutes=30)


def ticket(priority="normal", group="g-1", calendar=ALWAYS, opened=OPENED, **sla_fields):
    sla = tracking.start(opened, (30, 240), service_level_id="sl-1", contract_id="c-1",
                         calendar_id=None, warning_share=0.8)
    sla = tracking.derived(dict(sla, **sla_fields), calendar)["sla"]
    return {"_id": "t-1", "account_id": "acme", "number": 7, "priority": priority,
            "client_id": "k-1", "assignee_id": "eve", "assignee_group_id": group, "sla": sla,
            "sla_rev": 3}


def rule(action, milestone="breach", **fields):
    return EscalationRule("reaction", milestone, action, **fields)


def test_nothing_is_due_before_the_first_milestone():
    decision = decide(ticket(), (rule("notify"),), ALWAYS, OPENED + timedelta(minutes=10))
    assert (decision.announced, decision.events) == ([], [])
    assert (decision.acting, decision.waiting) == ([], [])
    assert (decision.fields, decision.history, decision.notifications) == ({}, [], [])
    assert decision.raised_priority is None


def test_every_milestone_passed_is_announced_in_time_order_with_its_deadline():
    decision = decide(ticket(), (), ALWAYS, REACTION_BREACH)
    assert decision.announced == ["reaction:warning", "reaction:breach"]
    assert [(kind, p["target"], p["deadline"]) for kind, p in decision.events] == [
        ("sla_warning", "reaction", "2025-11-07T17:30:00+00:00"),
        ("sla_breached", "reaction", "2025-11-07T17:30:00+00:00")]


def test_milestones_already_announced_are_not_announced_again():
    decision = decide(ticket(announced=["reaction:warning"]), (), ALWAYS, REACTION_BREACH)
    assert decision.announced == ["reaction:breach"]


def test_a_notify_rule_acts_at_the_milestone_and_leaves_a_notice_for_the_assignee():
    decision = decide(ticket(), (rule("reassign", "warning", group_id="g-1"), rule("notify")),
                      ALWAYS, REACTION_BREACH)
    assert [step["key"] for step in decision.acting] == ["reaction:warning", "reaction:breach"]
    [notice] = decision.notifications
    assert notice["_id"] == "t-1:reaction:breach:1"   # the rule's place in the account's rules
    assert (notice["recipients"], notice["kind"], notice["due_at"]) == (
        ["eve"], "sla_breached", REACTION_BREACH)
    # A reassignment to the group the ticket already has changes nothing.
    assert (decision.fields, decision.history) == ({}, [])


def test_a_working_hours_rule_due_at_closing_time_waits_for_the_office_to_open():
    # Opened at 17:30: the reaction falls due at 18:00, exactly when the office closes.
    late = ticket(calendar=OFFICE, opened=REACTION_BREACH)
    closing = datetime(2025, 11, 7, 18, 0)
    notify = rule("notify", working_hours_only=True)
    decision = decide(late, (notify,), OFFICE, closing)
    assert decision.announced == ["reaction:warning", "reaction:breach"]
    assert decision.acting == [] and decision.notifications == []
    [waiting] = decision.waiting
    assert waiting["at"] == datetime(2025, 11, 10, 9, 0)   # Monday morning
    assert waiting["rule"]["working_hours_only"] is True

    # In the next scan the waiting escalation comes from the ticket and acts once it is time.
    kept = dict(late, sla=decision.sla_after(late["sla"]))
    assert kept["sla"]["escalations"] == [waiting]
    assert decide(kept, (notify,), OFFICE, datetime(2025, 11, 10, 8, 59)).acting == []
    monday = decide(kept, (notify,), OFFICE, datetime(2025, 11, 10, 9, 0))
    assert monday.announced == [] and monday.waiting == []
    assert [n["_id"] for n in monday.notifications] == ["t-1:reaction:breach:0"]


def test_a_reassignment_moves_the_ticket_to_the_group_and_clears_the_assignee():
    decision = decide(ticket(), (rule("reassign", group_id="seniors"),), ALWAYS, REACTION_BREACH)
    assert decision.fields == {"assignee_group_id": "seniors", "assignee_id": None,
                               "updated_at": REACTION_BREACH}
    assert decision.history == [{"at": REACTION_BREACH, "actor": SYSTEM,
                                 "field": "assignee_group_id", "old": "g-1", "new": "seniors"}]
    assert decision.notifications == []


def test_each_raise_takes_the_priority_one_step_up_with_its_history():
    rules = (rule("raise_priority", "warning"), rule("raise_priority"))
    decision = decide(ticket("normal"), rules, ALWAYS, REACTION_BREACH)
    assert decision.raised_priority == "critical"
    assert decision.fields == {"priority": "critical", "priority_rank": 3,
                               "updated_at": REACTION_BREACH}
    assert [(h["old"], h["new"]) for h in decision.history] == [("normal", "high"),
                                                                ("high", "critical")]


def test_a_critical_ticket_is_not_raised_further():
    decision = decide(ticket("critical"), (rule("raise_priority"),), ALWAYS, REACTION_BREACH)
    assert decision.raised_priority is None
    assert (decision.fields, decision.history) == ({}, [])


def test_the_sla_after_the_decision_has_the_milestones_announced_and_the_new_targets():
    original = ticket()
    decision = decide(original, (rule("raise_priority"),), ALWAYS, REACTION_BREACH)
    sla = decision.sla_after(original["sla"], (15, 120))
    assert sla["announced"] == ["reaction:warning", "reaction:breach"]
    assert sla["escalations"] == []
    assert tracking.clock_of(sla).targets["reaction"].minutes == 15
    assert tracking.clock_of(sla).targets["resolution"].minutes == 120
    # Without targets (none found for the raised priority) the clock stays as it was.
    assert tracking.clock_of(decision.sla_after(original["sla"])).targets == \
        tracking.clock_of(original["sla"]).targets
