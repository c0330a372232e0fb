"""Properties of business-time arithmetic on random calendars, instants and durations, in zones
with daylight saving time (Berlin, New York) and without (Moscow, Yekaterinburg, Vladivostok),
checked against a brute-force count of working minutes where the numbers are small enough."""
from datetime import date, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from services.tickets.sla.calendar import BusinessCalendar

ZONES = ("Europe/Moscow", "Asia/Yekaterinburg", "Asia/Vladivostok", "Europe/Berlin",
         "America/New_York")
# Around the transitions of 2025 in Berlin and New York, and across the Russian holidays.
HOT_DAYS = (date(2025, 3, 9), date(2025, 3, 30), date(2025, 10, 26), date(2025, 11, 2),
            date(2024, 12, 27), date(2025, 4, 30), date(2025, 10, 31), date(2026, 1, 1))
# No example database: nothing is written into the work tree, and CI starts from scratch anyway.
SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def day_intervals(draw):
    """Zero to three sorted, disjoint intervals on a quarter-hour grid, sometimes the whole day."""
    if draw(st.integers(0, 9)) == 0:
        return [(0, 1440)]
    edges = sorted(draw(st.sets(st.integers(0, 96), min_size=0, max_size=6)))
    edges = edges[:len(edges) // 2 * 2]
    return [(edges[i] * 15, edges[i + 1] * 15) for i in range(0, len(edges), 2)]


@st.composite
def calendars(draw):
    week = [draw(day_intervals()) for _ in range(7)]
    # A few minutes a week make a 20-day target last for years: real calendars have more.
    if sum(e - s for day in week for s, e in day) < 8 * 60:
        week[0] = [(9 * 60, 18 * 60)]
    return BusinessCalendar(time_zone=draw(st.sampled_from(ZONES)), week=week,
                            production_calendar=draw(st.sampled_from(("RU", None))),
                            days_off=draw(st.sets(st.sampled_from(HOT_DAYS), max_size=2)))


@st.composite
def instants(draw):
    if draw(st.booleans()):
        base = datetime.combine(draw(st.sampled_from(HOT_DAYS)), time(), tzinfo=timezone.utc)
        offset = timedelta(minutes=draw(st.integers(-36 * 60, 36 * 60)))
    else:
        base = datetime(2024, 1, 1, tzinfo=timezone.utc)
        offset = timedelta(minutes=draw(st.integers(0, 4 * 366 * 1440)))
    return base + offset + timedelta(seconds=draw(st.sampled_from((0, 0, 30, 59))))


durations = st.integers(0, 60 * 24 * 20).map(lambda m: timedelta(minutes=m))


@SETTINGS
@given(calendars(), instants(), durations)
def test_adding_then_measuring_gives_the_duration_back(calendar, start, duration):
    end = calendar.add(start, duration)
    assert end >= start
    assert calendar.elapsed(start, end) == duration


@SETTINGS
@given(calendars(), instants(), durations, durations)
def test_adding_is_monotonic(calendar, start, first, second):
    shorter, longer = sorted((first, second))
    assert calendar.add(start, shorter) <= calendar.add(start, longer)


@SETTINGS
@given(calendars(), instants(), st.integers(0, 3 * 1440), st.integers(0, 3 * 1440))
def test_measuring_is_monotonic_and_additive(calendar, start, first, second):
    middle = start + timedelta(minutes=first)
    end = middle + timedelta(minutes=second)
    assert calendar.elapsed(start, middle) <= calendar.elapsed(start, end)
    assert calendar.elapsed(start, end) == calendar.elapsed(start, middle) + calendar.elapsed(middle, end)


@SETTINGS
@given(calendars(), instants(), durations.filter(lambda d: d > timedelta(0)))
def test_the_last_minute_counted_is_a_working_minute(calendar, start, duration):
    end = calendar.add(start, duration)
    assert calendar.is_working(end - timedelta(microseconds=1))
    assert calendar.local_intervals(calendar.local_date(end - timedelta(microseconds=1)))


@SETTINGS
@given(calendars(), st.sampled_from(HOT_DAYS))
def test_days_off_and_weekends_count_nothing(calendar, day):
    zone = calendar.zone
    begin = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    if not calendar.local_intervals(day):
        assert calendar.elapsed(begin, end) == timedelta(0)
    if calendar.production and calendar.production.day_off(day) and day not in calendar.working_days:
        assert calendar.elapsed(begin, end) == timedelta(0)


def brute_force_minutes(calendar, start, end):
    """Working minutes counted one wall-clock minute at a time: a minute counts when, on its
    local date, the wall clock has passed an interval's start (its first showing) and not yet
    its end. Independent of the per-date UTC intervals the calendar builds."""
    counted = 0
    moment = start
    while moment < end:
        local = moment.astimezone(calendar.zone)
        for day in (local.date(), local.date() - timedelta(days=1)):
            if any(first_showing(calendar, day, s) <= moment < first_showing(calendar, day, e)
                   for s, e in calendar.local_intervals(day)):
                counted += 1
                break
        moment += timedelta(minutes=1)
    return counted


def first_showing(calendar, day, minute):
    """The first UTC minute at which the wall clock shows `minute` of `day` or later, found by
    scanning (the calendar computes it with the zone's rules instead)."""
    cached = calendar.__dict__.setdefault("_brute_cache", {})
    key = (day, minute)
    if key not in cached:
        moment = datetime.combine(day, time(), tzinfo=timezone.utc) - timedelta(hours=15)
        target = datetime.combine(day, time()) + timedelta(minutes=minute)
        while moment.astimezone(calendar.zone).replace(tzinfo=None) < target:
            moment += timedelta(minutes=1)
        cached[key] = moment
    return cached[key]


@settings(SETTINGS, max_examples=40)
@given(calendars(), st.sampled_from(HOT_DAYS), st.integers(-12 * 60, 12 * 60), st.integers(0, 2 * 1440))
def test_measuring_agrees_with_counting_minutes(calendar, day, offset, length):
    start = datetime.combine(day, time(), tzinfo=timezone.utc) + timedelta(minutes=offset)
    end = start + timedelta(minutes=length)
    assert calendar.elapsed(start, end) == timedelta(minutes=brute_force_minutes(calendar, start, end))
