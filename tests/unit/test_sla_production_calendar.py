"""The Russian production calendar: days off and moved working days from the `holidays` package,
shortened pre-holiday days from the official calendars (one test per supported year)."""
from datetime import date

import pytest

from services.tickets.sla.production_calendar import (PUBLISHED, RussianProductionCalendar,
                                                      ProductionYear, carried_days_off,
                                                      derive_shortened_days, production_year)

RU = RussianProductionCalendar()


def d(text):
    return date.fromisoformat(text)


def shortened(year):
    return sorted(day.isoformat() for day in RU.shortened_days(year))


def test_2024_shortened_days():
    # Decree No. 1314 of 10.08.2023; 28.12 worked for the full day 30.12, 27.04 for 29.04.
    assert shortened(2024) == ["2024-02-22", "2024-03-07", "2024-05-08", "2024-06-11", "2024-11-02"]
    assert RU.shortened_by(d("2024-11-02")) == 60
    assert RU.shortened_by(d("2024-12-28")) == 0
    assert RU.shortened_by(d("2024-04-27")) == 0


def test_2025_shortened_days():
    assert shortened(2025) == ["2025-03-07", "2025-04-30", "2025-06-11", "2025-11-01"]
    # Both precede days off moved there by decree, not holidays: full days.
    assert RU.shortened_by(d("2025-05-07")) == 0
    assert RU.shortened_by(d("2025-12-30")) == 0
    assert RU.day_off(d("2025-12-31"))


def test_2026_shortened_days():
    assert shortened(2026) == ["2026-04-30", "2026-05-08", "2026-06-11", "2026-11-03"]
    assert RU.shortened_by(d("2026-12-30")) == 0  # 31.12.2026 is a moved day off


def test_2027_shortened_days():
    # Saturday 20.02 worked for Monday 22.02, the eve of 23 February.
    assert shortened(2027) == ["2027-02-20", "2027-04-30", "2027-06-11", "2027-11-03"]


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_the_rule_derives_the_published_days_from_the_library(year):
    known = ProductionYear(year)
    assert derive_shortened_days(year, known.days_off, known.moved_working_days) == PUBLISHED[year]


def test_the_rule_matches_older_official_calendars():
    # 2016: the working Saturday 20.02 was a shortened day (it worked for Monday 22.02).
    for year, expected in ((2016, {"2016-02-20", "2016-11-03"}),
                           (2021, {"2021-02-20", "2021-04-30", "2021-06-11", "2021-11-03"}),
                           (2023, {"2023-02-22", "2023-03-07", "2023-11-03"})):
        assert {day.isoformat() for day in RU.shortened_days(year)} == expected


def test_a_year_without_a_decree_gets_articles_112_and_95():
    days = RU.shortened_days(2030)
    assert d("2030-02-22") in days and d("2030-03-07") in days  # Fridays before 23.02 and 08.03 (Sat)
    assert all(day.weekday() < 5 for day in days)


def test_new_year_holidays_and_transfers():
    for text in ("2025-01-01", "2025-01-06", "2025-01-08", "2025-05-02", "2025-05-08",
                 "2025-06-13", "2025-11-03", "2026-01-09", "2027-02-22"):
        assert RU.day_off(d(text)), text
    assert not RU.day_off(d("2025-01-09"))


def test_moved_working_days_name_the_day_they_work_for():
    assert RU.moved_working_day(d("2024-12-28")) == d("2024-12-30")
    assert RU.moved_working_day(d("2025-11-01")) == d("2025-11-03")
    assert RU.moved_working_day(d("2027-02-20")) == d("2027-02-22")
    assert RU.moved_working_day(d("2025-11-08")) is None


def test_2028_carries_unity_day_from_saturday_to_monday():
    # No decree for 2028 yet: 4 November is a Saturday, so art. 112 part 2 gives Monday 6 November.
    assert RU.day_off(d("2028-11-06"))
    assert not RU.day_off(d("2028-11-07"))
    assert RU.shortened_by(d("2028-11-03")) == 60  # the eve of 4 November itself
    # 1 and 2 January 2028 (Saturday, Sunday) are not carried: only a decree moves those.
    assert not RU.day_off(d("2028-01-10"))


def test_2029_carries_unity_day_from_sunday_to_monday():
    assert RU.day_off(d("2029-11-05"))
    assert not RU.day_off(d("2029-11-06"))
    assert not RU.day_off(d("2029-01-09"))  # 6 January 2029 is a Saturday: no carry without decree


def test_a_carry_skips_days_that_are_already_off():
    # 2033: 1 May Sunday -> Monday 2 May; 12 June Sunday -> Monday 13 June.
    assert RU.day_off(d("2033-05-02")) and RU.day_off(d("2033-06-13"))
    # A Saturday and a Sunday holiday followed by a Monday holiday: the carries go to Tuesday and
    # Wednesday, each to the next day still working.
    holidays_of_year = frozenset({d("2033-10-01"), d("2033-10-02"), d("2033-10-03")})
    assert carried_days_off(2033, holidays_of_year) == {d("2033-10-04"): d("2033-10-01"),
                                                        d("2033-10-05"): d("2033-10-02")}


def test_years_with_a_decree_take_the_carry_from_the_decree_only():
    # 2027's decree carries 9 May (Sunday) to 10 May and 12 June (Saturday) to 14 June itself.
    assert production_year(2027).carried == {}
    assert RU.day_off(d("2027-05-10")) and RU.day_off(d("2027-06-14"))
