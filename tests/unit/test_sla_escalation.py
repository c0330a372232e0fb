"""Escalation rules: which fire for a milestone, and when, with and without working hours."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from services.tickets.sla.calendar import BusinessCalendar
from services.tickets.sla.clock import next_milestone
from services.tickets.sla.escalation import EscalationRule, escalations, raised
from services.tickets.sla.policy import open_clock

MOSCOW = ZoneInfo("Europe/Moscow")
OFFICE = BusinessCalendar(time_zone="Europe/Moscow", week=[[(540, 1080)]] * 5 + [[], []],
                          production_calendar="RU")
RULES = (
    EscalationRule("resolution", "breach", "notify", working_hours_only=True, recipients=("boss",)),
    EscalationRule("resolution", "breach", "raise_priority"),
    EscalationRule("resolution", "warning", "reassign", group_id="seniors"),
    EscalationRule("reaction", "breach", "notify"),
)


def msk(*fields):
    return datetime(*fields, tzinfo=MOSCOW)


def test_a_notice_limited_to_working_hours_waits_for_the_office_to_open():
    # Created Friday 10:00 with 8 h to resolve: due at 18:00, exactly at closing time.
    clock = open_clock(msk(2025, 10, 17, 10, 0), (60, 480))
    announced = {("reaction", "warning"), ("reaction", "breach"), ("resolution", "warning")}
    milestone = next_milestone(clock, OFFICE, 0.8, announced)
    assert milestone == (msk(2025, 10, 17, 18, 0), "resolution", "breach")
    planned = escalations(RULES, milestone, OFFICE)
    assert [(e.rule.action, e.at) for e in planned] == [
        ("notify", msk(2025, 10, 20, 9, 0)),       # not on Friday evening, Monday morning
        ("raise_priority", msk(2025, 10, 17, 18, 0)),  # at once, as the rule allows
    ]


def test_only_the_rules_of_that_target_and_milestone_fire():
    planned = escalations(RULES, (msk(2025, 10, 14, 12, 0), "resolution", "warning"), OFFICE)
    assert [(e.rule.action, e.rule.group_id) for e in planned] == [("reassign", "seniors")]
    assert escalations(RULES, (msk(2025, 10, 14, 12, 0), "reaction", "warning"), OFFICE) == []


def test_a_working_hours_notice_inside_working_hours_is_not_delayed():
    planned = escalations(RULES[:1], (msk(2025, 10, 14, 12, 0), "resolution", "breach"), OFFICE)
    assert planned[0].at == msk(2025, 10, 14, 12, 0)


def test_priority_goes_one_step_up_and_stops_at_the_top():
    assert raised("normal") == "high"
    assert raised("critical") == "critical"


def test_rules_refuse_nonsense():
    with pytest.raises(ValueError):
        EscalationRule("resolution", "breach", "reassign")
    with pytest.raises(ValueError):
        EscalationRule("response", "breach", "notify")
