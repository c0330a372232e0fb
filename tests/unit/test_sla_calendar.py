"""Business-time arithmetic on hand-checked cases: working hours, breaks, 24x7, Russian days off,
moved working days, shortened days, account overrides, daylight saving time, calendar changes."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from services.tickets.sla.calendar import BusinessCalendar, CalendarHistory, NoWorkingTime

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
NINE_TO_SIX = [(9 * 60, 18 * 60)]
WITH_LUNCH = [(9 * 60, 13 * 60), (14 * 60, 18 * 60)]


def office(zone="Europe/Moscow", day=NINE_TO_SIX, **options):
    options.setdefault("production_calendar", "RU")
    return BusinessCalendar(time_zone=zone, week=[day] * 5 + [[], []], **options)


def at(zone, *fields):
    return datetime(*fields, tzinfo=zone)


def minutes(n):
    return timedelta(minutes=n)


def test_within_one_working_day():
    calendar = office()
    assert calendar.add(at(MOSCOW, 2025, 10, 14, 10, 0), minutes(120)) == at(MOSCOW, 2025, 10, 14, 12, 0)
    assert calendar.elapsed(at(MOSCOW, 2025, 10, 14, 10), at(MOSCOW, 2025, 10, 14, 12)) == minutes(120)


def test_created_outside_working_hours_starts_at_the_next_opening():
    calendar = office()
    # Friday 20:00 -> Monday 09:00 + 1 h.
    assert calendar.add(at(MOSCOW, 2025, 10, 17, 20, 0), minutes(60)) == at(MOSCOW, 2025, 10, 20, 10, 0)
    assert calendar.next_working_instant(at(MOSCOW, 2025, 10, 18, 12)) == at(MOSCOW, 2025, 10, 20, 9)
    assert calendar.elapsed(at(MOSCOW, 2025, 10, 17, 20), at(MOSCOW, 2025, 10, 20, 9)) == minutes(0)


def test_a_lunch_break_is_not_counted():
    calendar = office(day=WITH_LUNCH)
    assert calendar.add(at(MOSCOW, 2025, 10, 14, 12, 30), minutes(60)) == at(MOSCOW, 2025, 10, 14, 14, 30)
    assert calendar.elapsed(at(MOSCOW, 2025, 10, 14, 0), at(MOSCOW, 2025, 10, 15, 0)) == minutes(480)


def test_24x7_counts_every_minute_and_no_holiday():
    calendar = BusinessCalendar.always("Europe/Moscow")
    start = at(MOSCOW, 2025, 12, 31, 23, 0)
    assert calendar.add(start, minutes(24 * 60)) == start + timedelta(days=1)


def test_over_the_russian_new_year_holidays():
    calendar = office()
    # Last working day of 2025 is Tuesday 30.12 (a full day); work resumes on Monday 12.01.2026.
    start = at(MOSCOW, 2025, 12, 30, 17, 0)
    assert calendar.add(start, minutes(120)) == at(MOSCOW, 2026, 1, 12, 10, 0)
    assert calendar.elapsed(start, at(MOSCOW, 2026, 1, 12, 10, 0)) == minutes(120)


def test_on_a_holiday_eve_the_day_is_an_hour_shorter():
    calendar = office()
    # Friday 07.03.2025, before Saturday 8 March: 09:00-17:00; then Monday 10.03.
    assert calendar.local_intervals(date(2025, 3, 7)) == ((540, 1020),)
    assert calendar.add(at(MOSCOW, 2025, 3, 7, 16, 0), minutes(120)) == at(MOSCOW, 2025, 3, 10, 10, 0)


def test_shortening_comes_off_the_end_of_the_last_interval():
    calendar = office(day=[(9 * 60, 13 * 60), (14 * 60, 14 * 60 + 30)])
    assert calendar.local_intervals(date(2025, 4, 30)) == ((540, 750),)


def test_shortened_days_can_be_switched_off():
    assert office(shorten_pre_holiday=False).local_intervals(date(2025, 3, 7)) == ((540, 1080),)


def test_a_working_saturday_works_the_hours_of_the_day_it_replaces():
    fridays_short = [NINE_TO_SIX] * 4 + [[(9 * 60, 16 * 60 + 45)], [], []]
    calendar = BusinessCalendar(time_zone="Europe/Moscow", week=fridays_short, production_calendar="RU")
    # 28.12.2024 worked for Monday 30.12: Monday's hours, full.
    assert calendar.local_intervals(date(2024, 12, 28)) == ((540, 1080),)
    # 01.11.2025 worked for Monday 03.11, the eve of 4 November: an hour shorter.
    assert calendar.local_intervals(date(2025, 11, 1)) == ((540, 1020),)
    start = at(MOSCOW, 2025, 10, 31, 16, 0)  # Friday: ends 16:45
    assert calendar.add(start, minutes(60)) == at(MOSCOW, 2025, 11, 1, 9, 15)


def test_account_overrides_win():
    calendar = office(days_off={date(2025, 10, 15)},
                      working_days={date(2025, 10, 18): None, date(2025, 10, 19): [(600, 660)],
                                    date(2025, 11, 4): None},
                      shortened_days={date(2025, 10, 16): 120})
    assert calendar.local_intervals(date(2025, 10, 15)) == ()
    assert calendar.local_intervals(date(2025, 10, 18)) == ((540, 1080),)
    assert calendar.local_intervals(date(2025, 10, 19)) == ((600, 660),)
    assert calendar.local_intervals(date(2025, 11, 4)) == ((540, 1080),)  # works on a holiday
    assert calendar.local_intervals(date(2025, 10, 16)) == ((540, 960),)


def test_client_and_employee_in_different_russian_time_zones():
    # The team works 9-18 in Vladivostok (UTC+10); the client calls at 09:00 Moscow time
    # (16:00 in Vladivostok): two business hours remain today, one more the next morning.
    vladivostok = ZoneInfo("Asia/Vladivostok")
    calendar = office("Asia/Vladivostok")
    deadline = calendar.add(at(MOSCOW, 2025, 10, 14, 9, 0), minutes(180))
    assert deadline == at(vladivostok, 2025, 10, 15, 10, 0)
    assert deadline.astimezone(MOSCOW) == at(MOSCOW, 2025, 10, 15, 3, 0)
    # An engineer in Yekaterinburg (UTC+5) replying at 08:00 his time is inside those hours.
    reply = at(ZoneInfo("Asia/Yekaterinburg"), 2025, 10, 15, 4, 30)
    assert calendar.elapsed(at(MOSCOW, 2025, 10, 14, 9, 0), reply) == minutes(150)


def test_berlin_office_hours_across_both_transitions():
    calendar = office("Europe/Berlin", production_calendar=None)
    # Friday 28.03.2025 17:00 CET + 2 h -> Monday 31.03 10:00 CEST, 7 real hours less than a
    # naive UTC walk would give.
    assert calendar.add(at(BERLIN, 2025, 3, 28, 17, 0), minutes(120)) == at(BERLIN, 2025, 3, 31, 10, 0)
    assert calendar.add(at(BERLIN, 2025, 10, 24, 17, 0), minutes(120)) == at(BERLIN, 2025, 10, 27, 10, 0)


def test_a_24x7_day_lasts_as_long_as_it_really_does():
    calendar = BusinessCalendar.always("Europe/Berlin")
    spring, autumn = date(2025, 3, 30), date(2025, 10, 26)
    assert calendar.elapsed(at(BERLIN, 2025, 3, 30), at(BERLIN, 2025, 3, 31)) == timedelta(hours=23)
    assert calendar.elapsed(at(BERLIN, 2025, 10, 26), at(BERLIN, 2025, 10, 27)) == timedelta(hours=25)
    assert len(calendar.intervals(spring)) == len(calendar.intervals(autumn)) == 1


def test_night_hours_inside_a_gap_start_when_the_clock_jumps():
    # 02:30-04:00 on the spring-forward night: 02:30 does not exist, work starts at 03:00 CEST.
    calendar = BusinessCalendar(time_zone="Europe/Berlin", week=[[(150, 240)]] * 7)
    (begin, end), = calendar.intervals(date(2025, 3, 30))
    assert begin == at(BERLIN, 2025, 3, 30, 3, 0) and end - begin == timedelta(hours=1)


def test_moscow_has_no_daylight_saving_time():
    calendar = BusinessCalendar.always("Europe/Moscow")
    assert calendar.elapsed(at(MOSCOW, 2025, 3, 30), at(MOSCOW, 2025, 3, 31)) == timedelta(hours=24)


def test_naive_instants_are_utc():
    calendar = office()
    naive = datetime(2025, 10, 14, 7, 0)  # 10:00 in Moscow
    assert calendar.add(naive, minutes(60)) == datetime(2025, 10, 14, 8, 0, tzinfo=timezone.utc)


def test_adding_nothing_gives_the_start_back_even_at_night():
    start = at(MOSCOW, 2025, 10, 14, 23, 0)
    assert office().add(start, minutes(0)) == start


def test_a_calendar_without_working_time_is_refused_and_overrides_cannot_loop_forever():
    with pytest.raises(ValueError):
        BusinessCalendar(time_zone="UTC", week=[[]] * 7)
    every_day = {date(2025, 1, 1) + timedelta(days=n) for n in range(366 * 13)}
    with pytest.raises(NoWorkingTime):
        office(days_off=every_day).add(at(MOSCOW, 2025, 1, 1), minutes(1))


def test_a_calendar_change_keeps_the_time_measured_before_it():
    before, after = office(), office(day=[(9 * 60, 21 * 60)])
    change = at(MOSCOW, 2025, 10, 15, 0, 0)
    history = CalendarHistory([(at(MOSCOW, 2025, 1, 1), before), (change, after)])
    start = at(MOSCOW, 2025, 10, 14, 9, 0)
    # 9 h on Tuesday under 9-18, then the rest under 9-21: 3 more hours end Wednesday 12:00.
    assert history.add(start, minutes(12 * 60)) == at(MOSCOW, 2025, 10, 15, 12, 0)
    assert history.elapsed(start, at(MOSCOW, 2025, 10, 15, 20, 0)) == minutes(20 * 60)
    assert history.elapsed(start, at(MOSCOW, 2025, 10, 14, 12)) == minutes(180)
