"""Properties of the clock and of calendar histories on random pauses, targets and changes:
the deadline is exactly when the target is used up, pauses never count, recomputation keeps
pauses, and a calendar change splits the measure without losing or doubling time."""
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from services.tickets.sla import clock as sla_clock
from services.tickets.sla.calendar import BusinessCalendar, CalendarHistory

SETTINGS = settings(max_examples=120, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
OFFICE = BusinessCalendar(time_zone="Europe/Moscow", week=[[(540, 780), (840, 1080)]] * 5 + [[], []],
                          production_calendar="RU")
BERLIN_LATE = BusinessCalendar(time_zone="Europe/Berlin", week=[[(600, 1320)]] * 6 + [[]])
BASE = datetime(2025, 3, 24, tzinfo=timezone.utc)  # a week before the spring transition in Berlin

minutes = st.integers(0, 20 * 24 * 60)


@st.composite
def clocks(draw):
    started = BASE + timedelta(minutes=draw(st.integers(0, 14 * 24 * 60)))
    clock = sla_clock.start(started, draw(st.integers(1, 3000)), draw(st.integers(1, 6000)))
    cursor = started
    for _ in range(draw(st.integers(0, 4))):
        cursor += timedelta(minutes=draw(st.integers(0, 3000)), seconds=draw(st.integers(0, 59)))
        clock = sla_clock.pause(clock, cursor, "waiting")
        if draw(st.integers(0, 5)) == 0:
            return clock  # left paused
        cursor += timedelta(minutes=draw(st.integers(0, 4000)))
        clock = sla_clock.resume(clock, cursor)
    return clock


calendars = st.sampled_from([OFFICE, BERLIN_LATE, BusinessCalendar.always("Asia/Vladivostok")])


@SETTINGS
@given(clocks(), calendars, minutes)
def test_the_instant_of_an_amount_is_when_that_amount_is_spent(clock, calendar, amount):
    amount = timedelta(minutes=amount)
    instant = sla_clock.instant_of(clock, calendar, amount)
    if instant is None:
        assert clock.paused
        assert sla_clock.spent(clock, calendar, BASE + timedelta(days=400)) < amount
    else:
        assert sla_clock.spent(clock, calendar, instant) == amount


@SETTINGS
@given(clocks(), calendars, minutes)
def test_pauses_never_count(clock, calendar, offset):
    at = clock.started_at + timedelta(minutes=offset)
    paused = sum((calendar.elapsed(p.start, min(p.end or at, at)) for p in clock.pauses
                  if p.start < at), timedelta(0))
    assert sla_clock.spent(clock, calendar, at) == calendar.elapsed(clock.started_at, at) - paused


@SETTINGS
@given(clocks(), calendars, st.integers(1, 3000), st.integers(1, 6000), minutes)
def test_recomputation_keeps_pauses_and_time_spent(clock, calendar, reaction, resolution, offset):
    at = clock.started_at + timedelta(minutes=offset)
    changed = sla_clock.retarget(clock, reaction, resolution)
    assert changed.pauses == clock.pauses
    assert sla_clock.spent(changed, calendar, at) == sla_clock.spent(clock, calendar, at)
    shorter, longer = sorted((reaction, resolution))
    first = sla_clock.instant_of(changed, calendar, timedelta(minutes=shorter))
    second = sla_clock.instant_of(changed, calendar, timedelta(minutes=longer))
    assert second is None or first <= second


@SETTINGS
@given(st.integers(0, 30 * 24 * 60), st.integers(0, 30 * 24 * 60), minutes)
def test_a_calendar_history_adds_and_measures_consistently(start, change, amount):
    start = BASE + timedelta(minutes=start)
    history = CalendarHistory([(BASE, OFFICE), (BASE + timedelta(minutes=change), BERLIN_LATE)])
    amount = timedelta(minutes=amount)
    end = history.add(start, amount)
    assert history.elapsed(start, end) == amount
    assert history.add(start, amount + timedelta(minutes=1)) > end


def test_no_time_is_run_at_the_start_even_when_paused_there():
    """The counterexample hypothesis found: a pause opened at the very start, amount zero."""
    clock = sla_clock.pause(sla_clock.start(BASE, 1, 1), BASE, "waiting")
    assert sla_clock.instant_of(clock, OFFICE, timedelta(0)) == BASE
