"""The Russian production calendar: days off, moved working days and shortened pre-holiday days.

Days off (the non-working holidays of Labour Code art. 112, the weekend holidays carried to the next
working day, and the days moved by the Government's yearly decree) and moved working days (the
Saturdays worked instead) come from the `holidays` package, which follows those decrees.

Shortened days are not in that package. Labour Code art. 95: "the working day immediately before
a non-working holiday is one hour shorter". What counts, as the Ministry of Labour and Rostrud apply
it in the official production calendars:

- only a day followed by a holiday of art. 112 part 1 (1-8 January, 23 February, 8 March, 1 and 9
  May, 12 June, 4 November). A day followed by a day off moved there by decree is not shortened:
  30 December 2025 was a full day, because 31 December 2025 was a moved day off (the production
  calendar for 2025), and so was 7 May 2025 before the moved day off of 8 May;
- a Saturday worked by decree works the day whose day off it received: it is shortened when that
  day would have been (2 November 2024 worked for 30 April 2024, the eve of 1 May, so it was one hour
  shorter; 28 December 2024 worked for 30 December 2024, a full day, so it was full; 1 November 2025
  worked for 3 November 2025, the eve of 4 November).

PUBLISHED lists the shortened days of the official production calendars for the years the decrees
have fixed; those lists are what the service uses for those years, and a test checks that the rule
above derives exactly them from the `holidays` data (so a wrong transfer in a new release of that
package shows up as a failing test, not as a wrong deadline). Sources, per year:

- 2024: Government decree No. 1314 of 10.08.2023 on the transfer of days off in 2024, and the
  production calendar for 2024 (five-day week; 248 working days, 1979 hours): 22.02, 07.03, 08.05,
  11.06, 02.11.
- 2025: the Government decree on the transfer of days off in 2025 (ConsultantPlus LAW_481586) and the
  production calendar for 2025 (247 working days, 1972 hours): 07.03, 30.04, 11.06, 01.11.
  Not 07.05 or 30.12 (both precede moved days off, see above).
- 2026: the Government decree on the transfer of days off in 2026 (ConsultantPlus LAW_515170) and
  the production calendar for 2026 (247 working days, 1972 hours): 30.04, 08.05, 11.06, 03.11.
- 2027: the Government decree on the transfer of days off in 2027 (ConsultantPlus LAW_544706) and the
  production calendar for 2027: 20.02 (worked for 22.02, the eve of 23 February), 30.04, 11.06, 03.11.

Years outside PUBLISHED use the derived days: a year whose decree is not out yet gets art. 112 and
95 applied to its plain calendar, which is what that year will look like unless a decree moves days;
accounts correct anything else with overrides on their business calendar.

The weekend carry of art. 112 part 2 ("when a day off and a non-working holiday coincide, the day
off moves to the next working day after the holiday", except the days off of 1-8 January, which
only the Government's decree moves) is in the `holidays` package only for the years whose decree it
knows (their "observed" days). For the years after the last one it knows, `carried_days_off`
derives the carry: 4 November 2028 is a Saturday, so Monday 6 November 2028 is a day off.
"""
from datetime import date, timedelta
from functools import lru_cache

import holidays
from holidays.countries.russia import RussiaStaticHolidays

SHORTENED_BY_MINUTES = 60  # art. 95: one hour

# Labour Code art. 112 part 1, as (month, day): the days whose eve is shortened.
ARTICLE_112_HOLIDAYS = frozenset([(1, d) for d in range(1, 9)] + [
    (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)])

PUBLISHED = {
    2024: frozenset({date(2024, 2, 22), date(2024, 3, 7), date(2024, 5, 8), date(2024, 6, 11),
                     date(2024, 11, 2)}),
    2025: frozenset({date(2025, 3, 7), date(2025, 4, 30), date(2025, 6, 11), date(2025, 11, 1)}),
    2026: frozenset({date(2026, 4, 30), date(2026, 5, 8), date(2026, 6, 11), date(2026, 11, 3)}),
    2027: frozenset({date(2027, 2, 20), date(2027, 4, 30), date(2027, 6, 11), date(2027, 11, 3)}),
}


class RussianProductionCalendar:
    """Kinds of days for one year at a time, computed once per year and process."""

    code = "RU"

    def day_off(self, day):
        return day in production_year(day.year).days_off

    def moved_working_day(self, day):
        """For a weekend day worked by decree: the weekday whose day off it received (its working
        hours are that day's); None for any other day."""
        return production_year(day.year).moved_working_days.get(day)

    def shortened_by(self, day):
        """Minutes the working day is shorter by (0 for a full day)."""
        return SHORTENED_BY_MINUTES if day in production_year(day.year).shortened else 0

    def shortened_days(self, year):
        return production_year(year).shortened


class ProductionYear:
    def __init__(self, year):
        library = holidays.country_holidays("RU", years=year)
        self.carried = carried_days_off(year, frozenset(library))
        self.days_off = frozenset(library) | frozenset(self.carried)
        self.moved_working_days = _moved_working_days(year, library)
        self.shortened = PUBLISHED.get(year) or derive_shortened_days(
            year, self.days_off, self.moved_working_days)


@lru_cache(maxsize=64)
def production_year(year):
    return ProductionYear(year)


def last_decreed_year():
    """The last year whose decree on the transfer of days off the `holidays` package knows."""
    return max(set(RussiaStaticHolidays.special_public_holidays)
               | set(RussiaStaticHolidays.special_public_holidays_observed))


def carried_days_off(year, holidays_of_year):
    """Art. 112 part 2 for a year with no decree yet: each holiday outside 1-8 January that falls on
    a Saturday or Sunday gives the next working day off. Answers {day off: the holiday it carries},
    empty for the years the package has a decree for (their carried days are in its data)."""
    if year <= last_decreed_year():
        return {}
    carried = {}
    for holiday in sorted(holidays_of_year):
        if holiday.weekday() < 5 or (holiday.month == 1 and holiday.day <= 8):
            continue
        day = holiday + timedelta(days=1)
        while day.weekday() >= 5 or day in holidays_of_year or day in carried:
            day += timedelta(days=1)
        carried[day] = holiday
    return carried


def _transfers(year):
    """The decree's pairs (day off, the day it was moved from) for `year`, as the library keeps
    them: a tuple of (month, day, month, day) or a tuple of such tuples."""
    entries = RussiaStaticHolidays.special_public_holidays.get(year, ())
    if entries and isinstance(entries[0], int):
        entries = (entries,)
    return [(date(year, m1, d1), date(year, m2, d2)) for m1, d1, m2, d2 in entries]


def _moved_working_days(year, library):
    moved = {}
    working_weekend_days = {day for day in library.weekend_workdays if day.year == year}
    for day_off, moved_from in _transfers(year):
        if moved_from in working_weekend_days:
            moved[moved_from] = day_off
    return moved


def derive_shortened_days(year, days_off, moved_working_days):
    """Art. 95 as the official calendars apply it (see the module's docstring)."""
    def eve_of_holiday(day):
        following = day + timedelta(days=1)
        return (following.month, following.day) in ARTICLE_112_HOLIDAYS

    shortened = set()
    day = date(year, 1, 1)
    while day.year == year:
        if day in moved_working_days:
            if eve_of_holiday(moved_working_days[day]):
                shortened.add(day)
        elif day.weekday() < 5 and day not in days_off and eve_of_holiday(day):
            shortened.add(day)
        day += timedelta(days=1)
    return frozenset(shortened)


PRODUCTION_CALENDARS = {"RU": RussianProductionCalendar()}
