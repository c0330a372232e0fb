"""Business time: when a service team works, and arithmetic in working time.

A business calendar is a weekly pattern of working intervals in wall-clock time (several a day, or
the whole day for 24x7), an IANA time zone, optionally a country's production calendar (days off,
moved working days, shortened pre-holiday days) and the account's own overrides, which win over
everything else: extra days off, extra working days (with their own intervals or the standard
ones) and shortened days.

Wall-clock intervals become UTC instants per date, so a day of a zone with daylight saving time has
as many business minutes as really elapse in it (an interval 00:00-24:00 is 23 hours long on the
spring-forward day in Berlin). Arithmetic walks the dates one at a time over those per-date
intervals, cached per calendar: a deadline a week away costs seven cached look-ups, not ten
thousand minute steps.

Instants go in and out as timezone-aware datetimes; naive ones are taken as UTC (what the store
returns). Business time is a timedelta, exact to the microsecond, so that adding a duration and
measuring it back gives the same duration.
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from services.tickets.sla.production_calendar import PRODUCTION_CALENDARS

MINUTES_A_DAY = 24 * 60
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# No deadline is searched further than this: a calendar whose overrides leave no working time for
# years is a configuration error, and an error is better than a loop.
SEARCH_LIMIT_DAYS = 366 * 12
ZERO = timedelta(0)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class NoWorkingTime(ValueError):
    """The calendar has no working time within the search limit."""


def as_utc(moment):
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def to_micros(value):
    """An instant as microseconds since the epoch, or a timedelta as microseconds: exact."""
    if isinstance(value, datetime):
        value = as_utc(value) - EPOCH
    return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds


def to_moment(micros):
    return EPOCH + timedelta(microseconds=micros)


def shorten(intervals, minutes):
    """`intervals` (sorted minute pairs) with `minutes` cut from the end of the day, as art. 95
    and common practice do it: the team leaves an hour earlier."""
    kept = list(intervals)
    while minutes > 0 and kept:
        start, end = kept.pop()
        if end - start > minutes:
            kept.append((start, end - minutes))
            break
        minutes -= end - start
    return tuple(kept)


class BusinessCalendar:
    """`week`: seven sequences (Monday first) of (start, end) minutes since local midnight, end
    exclusive, at most 1440. `working_days` maps a date to its intervals, or to None for the
    standard ones. `shortened_days` maps a date to the minutes it is shorter by."""

    def __init__(self, *, time_zone, week, production_calendar=None, shorten_pre_holiday=True,
                 days_off=(), working_days=None, shortened_days=None):
        self.time_zone = time_zone
        self.zone = ZoneInfo(time_zone)
        self.week = tuple(tuple(sorted((int(s), int(e)) for s, e in day)) for day in week)
        if len(self.week) != 7:
            raise ValueError("A week has seven days.")
        if not any(self.week):
            raise ValueError("A business calendar needs working time on some weekday.")
        self.production = PRODUCTION_CALENDARS[production_calendar] if production_calendar else None
        self.shorten_pre_holiday = shorten_pre_holiday
        self.days_off = frozenset(days_off)
        self.working_days = {d: (None if i is None else tuple(sorted(i)))
                             for d, i in (working_days or {}).items()}
        self.shortened_days = dict(shortened_days or {})
        self._cache = {}

    @classmethod
    def always(cls, time_zone="UTC"):
        """24x7: every minute of every day, no holidays."""
        return cls(time_zone=time_zone, week=[[(0, MINUTES_A_DAY)]] * 7)

    def standard_day(self):
        """The intervals of a working day that has no weekday of its own (an extra working day on
        a weekend): those of the weekday with the most working time, the earliest on a tie."""
        return max(self.week, key=lambda day: sum(e - s for s, e in day))

    def local_intervals(self, day):
        """The working intervals of `day` in wall-clock minutes, all rules applied."""
        if day in self.days_off:
            return ()
        if day in self.working_days:
            intervals = self.working_days[day]
            intervals = self.standard_day() if intervals is None else intervals
        elif self.production and self.production.day_off(day):
            return ()
        elif self.production and self.production.moved_working_day(day):
            intervals = self.week[self.production.moved_working_day(day).weekday()] or self.standard_day()
        else:
            intervals = self.week[day.weekday()]
        if day in self.shortened_days:
            return shorten(intervals, self.shortened_days[day])
        if self.production and self.shorten_pre_holiday:
            return shorten(intervals, self.production.shortened_by(day))
        return intervals

    def intervals(self, day):
        """The working intervals of `day` as (start, end) UTC instants, in order, not overlapping."""
        return tuple((to_moment(begin), to_moment(end)) for begin, end in self._spans(day.toordinal()))

    def _spans(self, ordinal):
        """`intervals` of the date with this ordinal as microseconds since the epoch: the walks
        below compare plain integers, several times faster than aware datetimes."""
        cached = self._cache.get(ordinal)
        if cached is None:
            cached = self._cache[ordinal] = self._utc_spans(date.fromordinal(ordinal))
        return cached

    def _utc_spans(self, day):
        result = []
        previous_end = None
        for start, end in self.local_intervals(day):
            utc_start, utc_end = to_micros(self._instant(day, start)), to_micros(self._instant(day, end))
            # Defensive: an interval's instants never run backwards, and they never overlap the
            # previous interval's, even around a zone's transitions.
            if previous_end is not None and utc_start < previous_end:
                utc_start = previous_end
            if utc_end > utc_start:
                result.append((utc_start, utc_end))
                previous_end = utc_end
        return tuple(result)

    def _instant(self, day, minute):
        """The first instant the wall clock shows `minute` of `day` or later: the first of two
        in an autumn overlap, and the end of the gap for a time a spring-forward skips."""
        if minute >= MINUTES_A_DAY:
            day, minute = day + timedelta(days=1), minute - MINUTES_A_DAY
        for _ in range(MINUTES_A_DAY):
            wall = datetime.combine(day, time(minute // 60, minute % 60))
            instant = wall.replace(tzinfo=self.zone).astimezone(timezone.utc)
            if instant.astimezone(self.zone).replace(tzinfo=None) == wall:
                return instant
            # Skipped by a gap (at most a few hours in any zone): try the next wall minute.
            minute += 1
            if minute == MINUTES_A_DAY:
                day, minute = day + timedelta(days=1), 0
        raise ValueError(f"No wall time near {day} exists in {self.time_zone}.")

    def local_date(self, moment):
        return as_utc(moment).astimezone(self.zone).date()

    def _first_ordinal(self, moment):
        """The first date whose intervals can hold `moment`: the day before its local date is
        one too many (a day's intervals end by the next local midnight), and costs one look-up."""
        return self.local_date(moment).toordinal() - 1

    def add(self, start, duration):
        """The instant when `duration` of business time has passed after `start`. Adding zero
        gives `start` itself, even outside working hours: nothing has to pass."""
        start = as_utc(start)
        remaining = to_micros(duration)
        if remaining <= 0:
            return start
        moment = to_micros(start)
        ordinal = self._first_ordinal(start)
        for _ in range(SEARCH_LIMIT_DAYS):
            for begin, end in self._spans(ordinal):
                if end <= moment:
                    continue
                if begin < moment:
                    begin = moment
                if end - begin >= remaining:
                    return to_moment(begin + remaining)
                remaining -= end - begin
            ordinal += 1
        raise NoWorkingTime(f"No working time within {SEARCH_LIMIT_DAYS} days of {start:%Y-%m-%d}.")

    def elapsed(self, start, end):
        """Business time between two instants (zero when `end` is not after `start`)."""
        start, end = as_utc(start), as_utc(end)
        if end <= start:
            return ZERO
        low, high = to_micros(start), to_micros(end)
        total = 0
        ordinal, last = self._first_ordinal(start), self.local_date(end).toordinal()
        while ordinal <= last:
            for begin, finish in self._spans(ordinal):
                overlap = min(finish, high) - max(begin, low)
                if overlap > 0:
                    total += overlap
            ordinal += 1
        return timedelta(microseconds=total)

    def is_working(self, moment):
        point = to_micros(moment)
        ordinal = self._first_ordinal(moment)
        return any(begin <= point < end
                   for o in (ordinal, ordinal + 1) for begin, end in self._spans(o))

    def next_working_instant(self, moment):
        """`moment` itself when the team works then, else when it starts working next."""
        point = to_micros(moment)
        ordinal = self._first_ordinal(moment)
        for _ in range(SEARCH_LIMIT_DAYS):
            for begin, end in self._spans(ordinal):
                if end > point:
                    return to_moment(max(begin, point))
            ordinal += 1
        raise NoWorkingTime(f"No working time within {SEARCH_LIMIT_DAYS} days of {moment:%Y-%m-%d}.")


class CalendarHistory:
    """The calendars a ticket was measured by, each from an instant on: business time before a
    calendar change stays measured by the calendar in force then, so a change of working hours
    moves the deadlines of open tickets only by the time still to run.

    `periods`: (since, calendar) pairs; the first one also covers everything before its `since`.
    Offers `add` and `elapsed` like a single calendar, so the clock takes either."""

    def __init__(self, periods):
        if not periods:
            raise ValueError("A calendar history needs a calendar.")
        self.periods = sorted(((as_utc(since), calendar) for since, calendar in periods),
                              key=lambda period: period[0])

    def _spans(self, start):
        """(calendar, until) from the period containing `start` on; the last `until` is None."""
        index = 0
        while index + 1 < len(self.periods) and self.periods[index + 1][0] <= start:
            index += 1
        for position in range(index, len(self.periods)):
            following = self.periods[position + 1][0] if position + 1 < len(self.periods) else None
            yield self.periods[position][1], following

    def add(self, start, duration):
        start = as_utc(start)
        remaining = duration
        for calendar, until in self._spans(start):
            candidate = calendar.add(start, remaining)
            if until is None or candidate <= until:
                return candidate
            remaining -= calendar.elapsed(start, until)
            start = max(start, until)
        raise AssertionError("the last period is open-ended")

    def elapsed(self, start, end):
        start, end = as_utc(start), as_utc(end)
        total = ZERO
        for calendar, until in self._spans(start):
            stop = end if until is None else min(end, until)
            total += calendar.elapsed(start, stop)
            if until is None or end <= until:
                return total
            start = max(start, until)
        return total
