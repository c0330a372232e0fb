"""The SLA clock on the issue's named cases: every deadline here is checked by hand against a
Moscow office calendar (Monday-Friday 09:00-18:00, the Russian production calendar)."""
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.tickets.sla import clock as sla_clock
from services.tickets.sla.calendar import BusinessCalendar, CalendarHistory
from services.tickets.sla.clock import SlaClock, next_milestone, status
from services.tickets.sla.policy import (SlaPolicy, on_comment, on_status_change,
                                         on_targets_changed, open_clock, targets_for)

MOSCOW = ZoneInfo("Europe/Moscow")
OFFICE = BusinessCalendar(time_zone="Europe/Moscow", week=[[(540, 1080)]] * 5 + [[], []],
                          production_calendar="RU")
POLICY = SlaPolicy()
LEVEL = {"normal": {"reaction_minutes": 120, "resolution_minutes": 960},
         "high": {"reaction_minutes": 60, "resolution_minutes": 480},
         "critical": {"reaction_minutes": 30, "resolution_minutes": 240}}


def msk(*fields):
    return datetime(*fields, tzinfo=MOSCOW)


def deadline(clock, name, calendar=OFFICE):
    return sla_clock.instant_of(clock, calendar, clock.targets[name].duration)


def state(clock, name, now, calendar=OFFICE):
    return status(clock, calendar, name, now, POLICY.warning_share)


def move(clock, old, new, at, by_employee=True):
    return on_status_change(clock, POLICY, old=old, new=new, at=at, by_employee=by_employee)


def test_deadlines_at_creation_within_working_hours():
    clock = open_clock(msk(2025, 10, 14, 10, 0), targets_for("normal", LEVEL))
    assert deadline(clock, "reaction") == msk(2025, 10, 14, 12, 0)
    # 16 business hours: 8 on Tuesday, 9 on Wednesday would be 17: Wednesday 17:00.
    assert deadline(clock, "resolution") == msk(2025, 10, 15, 17, 0)


def test_created_outside_working_hours():
    clock = open_clock(msk(2025, 10, 17, 22, 30), targets_for("normal", LEVEL))  # Friday night
    assert deadline(clock, "reaction") == msk(2025, 10, 20, 11, 0)
    assert state(clock, "reaction", msk(2025, 10, 19, 12, 0)).state == "running"
    assert state(clock, "reaction", msk(2025, 10, 19, 12, 0)).remaining_minutes == 120


def test_created_on_a_holiday_eve():
    # Friday 07.03.2025 16:00, an hour-shorter day: one business hour left, then Monday 10.03.
    clock = open_clock(msk(2025, 3, 7, 16, 0), targets_for("normal", LEVEL))
    assert deadline(clock, "reaction") == msk(2025, 3, 10, 10, 0)


def test_over_the_russian_new_year_holidays():
    # Tuesday 30.12.2025 is the last (full) working day; 31.12-11.01 are days off.
    clock = open_clock(msk(2025, 12, 30, 17, 0), targets_for("high", LEVEL))
    assert deadline(clock, "reaction") == msk(2025, 12, 30, 18, 0)
    assert deadline(clock, "resolution") == msk(2026, 1, 12, 16, 0)


def test_a_working_saturday_counts():
    # Friday 31.10.2025 17:00 + 2 h: 1 h on Friday, Saturday 01.11 is worked from 09:00.
    clock = open_clock(msk(2025, 10, 31, 17, 0), targets_for("normal", LEVEL))
    assert deadline(clock, "reaction") == msk(2025, 11, 1, 10, 0)


def test_a_shortened_pre_holiday_day_ends_an_hour_early():
    # Wednesday 30.04.2025 ends at 17:00; 1-4 May are days off; Monday 05.05 resumes.
    clock = open_clock(msk(2025, 4, 30, 16, 0), targets_for("normal", LEVEL))
    assert deadline(clock, "reaction") == msk(2025, 5, 5, 10, 0)


def test_pause_across_a_night_and_a_weekend():
    clock = open_clock(msk(2025, 10, 17, 10, 0), targets_for("normal", LEVEL))  # Friday
    clock = move(clock, "opened", "waiting", msk(2025, 10, 17, 11, 0))  # 1 h spent
    assert state(clock, "resolution", msk(2025, 10, 19, 12)).state == "paused"
    assert deadline(clock, "resolution") is None
    assert next_milestone(clock, OFFICE, POLICY.warning_share) is None
    clock = move(clock, "waiting", "in_progress", msk(2025, 10, 20, 12, 0))  # Monday noon
    # 15 h left from Monday 12:00: 6 on Monday, 9 on Tuesday: Tuesday 18:00.
    assert deadline(clock, "resolution") == msk(2025, 10, 21, 18, 0)
    assert state(clock, "resolution", msk(2025, 10, 20, 12)).spent == timedelta(hours=1)
    assert clock.pauses[0].reason == "waiting"


def test_pause_and_resume_within_the_same_minute():
    clock = open_clock(msk(2025, 10, 14, 10, 0), targets_for("normal", LEVEL))
    before = deadline(clock, "resolution")
    clock = move(clock, "opened", "waiting", msk(2025, 10, 14, 10, 30, 5))
    clock = move(clock, "waiting", "in_progress", msk(2025, 10, 14, 10, 30, 40))
    assert deadline(clock, "resolution") == before + timedelta(seconds=35)
    clock = move(clock, "in_progress", "waiting", msk(2025, 10, 14, 11, 0))
    clock = move(clock, "waiting", "in_progress", msk(2025, 10, 14, 11, 0))
    assert deadline(clock, "resolution") == before + timedelta(seconds=35)
    assert len(clock.pauses) == 2


def test_priority_raised_midway_keeps_the_time_spent():
    clock = open_clock(msk(2025, 10, 14, 10, 0), targets_for("normal", LEVEL))
    clock = move(clock, "opened", "in_progress", msk(2025, 10, 14, 10, 20))
    clock = on_targets_changed(clock, targets_for("critical", LEVEL))  # at 11:00: 1 h spent
    assert deadline(clock, "resolution") == msk(2025, 10, 14, 14, 0)
    assert clock.targets["reaction"].met_at == msk(2025, 10, 14, 10, 20)
    # Met at 10:20, 20 minutes in: in time for the new 30-minute target as well.
    assert state(clock, "reaction", msk(2025, 10, 14, 11)).state == "met"


def test_priority_raised_past_the_new_target_is_breached_at_once():
    clock = open_clock(msk(2025, 10, 14, 10, 0), targets_for("normal", LEVEL))
    clock = on_targets_changed(clock, targets_for("critical", LEVEL))
    report = state(clock, "reaction", msk(2025, 10, 14, 11, 0))
    assert report.state == "breached" and report.remaining == timedelta(0)
    assert report.deadline == msk(2025, 10, 14, 10, 30)


def test_service_level_changed_while_paused_time_exists():
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))
    clock = move(clock, "opened", "waiting", msk(2025, 10, 14, 10, 0))
    clock = move(clock, "waiting", "in_progress", msk(2025, 10, 14, 14, 0))  # 4 h paused
    # The contract moves to a level with 12 h resolution at 15:00 (2 h spent so far).
    clock = on_targets_changed(clock, (60, 720))
    assert [(p.start, p.end) for p in clock.pauses] == [(msk(2025, 10, 14, 10), msk(2025, 10, 14, 14))]
    assert state(clock, "resolution", msk(2025, 10, 14, 15)).spent == timedelta(hours=2)
    # 10 h left from 15:00: 3 today, 7 tomorrow: Wednesday 16:00.
    assert deadline(clock, "resolution") == msk(2025, 10, 15, 16, 0)
    # And while still paused: the change keeps the open pause open.
    paused = move(clock, "in_progress", "waiting", msk(2025, 10, 14, 16, 0))
    paused = on_targets_changed(paused, (60, 960))
    assert paused.paused and len(paused.pauses) == 2
    assert state(paused, "resolution", msk(2025, 10, 20)).spent == timedelta(hours=3)


def test_reopened_after_resolution_resumes_the_resolution_clock():
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))
    clock = move(clock, "opened", "resolved", msk(2025, 10, 14, 13, 0))  # 4 h spent
    assert state(clock, "resolution", msk(2025, 10, 20)).state == "met"
    assert clock.targets["reaction"].met_at == msk(2025, 10, 14, 13, 0)
    clock = move(clock, "resolved", "reopened", msk(2025, 10, 16, 9, 0), by_employee=False)
    assert clock.targets["resolution"].met_at is None
    assert clock.pauses[-1].reason == "resolved"
    # 12 h left from Thursday 09:00: 9 on Thursday, 3 on Friday: Friday 12:00.
    assert deadline(clock, "resolution") == msk(2025, 10, 17, 12, 0)
    assert state(clock, "resolution", msk(2025, 10, 16, 12)).state == "running"
    clock = move(clock, "reopened", "resolved", msk(2025, 10, 17, 10, 0))
    report = state(clock, "resolution", msk(2025, 10, 20))
    assert report.state == "met" and report.spent == timedelta(hours=14)


def test_resolved_late_stays_breached():
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("high", LEVEL))
    clock = move(clock, "opened", "resolved", msk(2025, 10, 15, 12, 0))  # 12 h for an 8 h target
    report = state(clock, "resolution", msk(2025, 10, 20))
    assert report.state == "breached" and report.met_in_time is False


def test_reaction_rules():
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))
    assert on_comment(clock, at=msk(2025, 10, 14, 9, 10), visibility="internal",
                      by_employee=True).targets["reaction"].met_at is None
    assert on_comment(clock, at=msk(2025, 10, 14, 9, 10), visibility="public",
                      by_employee=False).targets["reaction"].met_at is None
    met = on_comment(clock, at=msk(2025, 10, 14, 9, 10), visibility="public", by_employee=True)
    assert met.targets["reaction"].met_at == msk(2025, 10, 14, 9, 10)
    later = on_comment(met, at=msk(2025, 10, 14, 9, 50), visibility="public", by_employee=True)
    assert later.targets["reaction"].met_at == msk(2025, 10, 14, 9, 10)
    assert move(clock, "opened", "in_progress", msk(2025, 10, 14, 9, 5),
                by_employee=False).targets["reaction"].met_at is None


def test_remaining_minutes_round_up():
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))
    assert state(clock, "reaction", msk(2025, 10, 14, 10, 59, 59, 999999)).remaining_minutes == 1
    assert state(clock, "reaction", msk(2025, 10, 14, 10, 59, 30)).remaining_minutes == 1
    assert state(clock, "reaction", msk(2025, 10, 14, 10, 59, 0)).remaining_minutes == 1
    assert state(clock, "reaction", msk(2025, 10, 14, 10, 58, 59)).remaining_minutes == 2
    assert state(clock, "reaction", msk(2025, 10, 14, 11, 0)).remaining_minutes == 0


def test_states_through_a_tickets_life():
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))
    assert state(clock, "reaction", msk(2025, 10, 14, 10, 0)).state == "running"
    assert state(clock, "reaction", msk(2025, 10, 14, 10, 36)).state == "warning"  # 80% of 2 h
    assert state(clock, "reaction", msk(2025, 10, 14, 11, 0)).state == "breached"
    assert state(clock, "reaction", msk(2025, 10, 14, 10, 0)).warning_at == msk(2025, 10, 14, 10, 36)


def test_milestones_for_the_scheduler():
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))
    assert next_milestone(clock, OFFICE, 0.8) == (msk(2025, 10, 14, 10, 36), "reaction", "warning")
    announced = {("reaction", "warning")}
    assert next_milestone(clock, OFFICE, 0.8, announced) == (msk(2025, 10, 14, 11, 0), "reaction", "breach")
    clock = sla_clock.meet(clock, "reaction", msk(2025, 10, 14, 9, 30))
    # 80% of 16 h is 12.8 h: Tuesday 9 h, then 3 h 48 min on Wednesday.
    assert next_milestone(clock, OFFICE, 0.8) == (msk(2025, 10, 15, 12, 48), "resolution", "warning")
    done = sla_clock.resolve(clock, msk(2025, 10, 14, 12, 0))
    assert next_milestone(done, OFFICE, 0.8) is None


def test_a_calendar_change_while_tickets_are_open():
    extended = BusinessCalendar(time_zone="Europe/Moscow", week=[[(540, 1260)]] * 5 + [[], []],
                                production_calendar="RU")
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))
    history = CalendarHistory([(msk(2025, 10, 14, 9, 0), OFFICE), (msk(2025, 10, 15, 0, 0), extended)])
    # Tuesday's 9 h stay measured by 9-18; Wednesday runs 9-21: 7 h more end at 16:00.
    assert deadline(clock, "resolution", history) == msk(2025, 10, 15, 16, 0)
    assert deadline(clock, "resolution", OFFICE) == msk(2025, 10, 15, 16, 0)
    # A ticket opened Wednesday 17:00 gets the longer day: 2 h reaction by 19:00.
    late = open_clock(msk(2025, 10, 15, 17, 0), targets_for("normal", LEVEL))
    assert deadline(late, "reaction", history) == msk(2025, 10, 15, 19, 0)


def test_client_and_employee_in_different_russian_time_zones():
    vladivostok = ZoneInfo("Asia/Vladivostok")
    team = BusinessCalendar(time_zone="Asia/Vladivostok", week=[[(540, 1080)]] * 5 + [[], []],
                            production_calendar="RU")
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))  # 16:00 there
    assert deadline(clock, "reaction", team) == datetime(2025, 10, 14, 18, 0, tzinfo=vladivostok)
    # The engineer in Yekaterinburg replies at 14:30 his time (17:30 in Vladivostok): in time.
    reply = datetime(2025, 10, 14, 12, 30, tzinfo=ZoneInfo("Asia/Yekaterinburg"))
    clock = on_comment(clock, at=reply, visibility="public", by_employee=True)
    assert status(clock, team, "reaction", msk(2025, 10, 20), 0.8).state == "met"


def test_the_clock_survives_a_round_trip_through_a_document():
    clock = open_clock(msk(2025, 10, 14, 9, 0), targets_for("normal", LEVEL))
    clock = move(clock, "opened", "waiting", msk(2025, 10, 14, 10, 0))
    clock = move(clock, "waiting", "resolved", msk(2025, 10, 14, 11, 0))
    assert SlaClock.from_document(clock.to_document()) == clock


def test_targets_prefer_the_clients_own():
    client = {"high": {"reaction_minutes": 15, "resolution_minutes": 120}}
    assert targets_for("high", LEVEL, client) == (15, 120)
    assert targets_for("normal", LEVEL, client) == (120, 960)
    assert targets_for("low", LEVEL) is None


def test_a_policy_rejects_nonsense():
    with pytest.raises(ValueError):
        SlaPolicy(warning_share=1.5)
    with pytest.raises(ValueError):
        SlaPolicy(pausing_statuses=frozenset({"resolved"}))


def test_deadlines_for_many_tickets_are_fast_enough():
    # Not the benchmark (that is bench/), a guard against falling back to minute steps.
    started = time.perf_counter()
    base = msk(2025, 1, 9, 9, 0)
    for n in range(2000):
        clock = open_clock(base + timedelta(minutes=97 * n), targets_for("normal", LEVEL))
        deadline(clock, "resolution")
    assert time.perf_counter() - started < 5


def test_the_hand_computation_in_docs_sla():
    moscow = BusinessCalendar(time_zone="Europe/Moscow", production_calendar="RU",
                              week=[[(540, 780), (840, 1080)]] * 5 + [[], []])
    branch = BusinessCalendar(time_zone="Asia/Vladivostok", production_calendar="RU",
                              week=[[(480, 1200)]] * 6 + [[]])
    standard = {"normal": {"reaction_minutes": 240, "resolution_minutes": 960}}
    premium = {"high": {"reaction_minutes": 60, "resolution_minutes": 480}}

    first = open_clock(msk(2025, 3, 6, 15, 30), targets_for("normal", standard))
    assert deadline(first, "reaction", moscow) == msk(2025, 3, 7, 10, 30)
    assert deadline(first, "resolution", moscow) == msk(2025, 3, 10, 16, 30)
    first = move(first, "opened", "waiting", msk(2025, 3, 10, 11, 0))
    first = move(first, "waiting", "in_progress", msk(2025, 3, 11, 10, 0))
    assert deadline(first, "resolution", moscow) == msk(2025, 3, 11, 15, 30)

    vladivostok = ZoneInfo("Asia/Vladivostok")
    second = open_clock(datetime(2025, 11, 1, 18, 30, tzinfo=vladivostok), targets_for("high", premium))
    assert branch.local_intervals(datetime(2025, 11, 1).date()) == ((480, 1140),)
    assert deadline(second, "reaction", branch) == datetime(2025, 11, 5, 8, 30, tzinfo=vladivostok)
    assert deadline(second, "resolution", branch) == datetime(2025, 11, 5, 15, 30, tzinfo=vladivostok)
    assert deadline(second, "reaction", branch) == msk(2025, 11, 5, 1, 30)
