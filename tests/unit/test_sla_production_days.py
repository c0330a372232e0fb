"""One year of the production calendar as the API and the calendars page list it: the same days
deadlines are computed with, named in Russian or English."""
from datetime import date

from services.tickets.sla.production_calendar import production_year
from services.tickets.sla.production_days import year_days


def test_2025_lists_the_decrees_days_off_moved_days_and_shortened_days():
    days = year_days(2025)
    off = {entry["date"]: entry["name"] for entry in days["days_off"]}
    assert off["2025-01-07"] == "Рождество Христово"
    assert {"2025-05-02", "2025-05-08", "2025-06-13", "2025-11-03", "2025-12-31"} <= set(off)
    assert "2025-12-30" not in off
    assert {"date": "2025-11-01", "works_as": "2025-11-03"} in days["moved_working_days"]
    assert [entry["date"] for entry in days["shortened_days"]] == [
        "2025-03-07", "2025-04-30", "2025-06-11", "2025-11-01"]
    assert {entry["minutes"] for entry in days["shortened_days"]} == {60}


def test_the_days_are_those_deadlines_use_and_come_in_order():
    for year in (2024, 2026, 2031):
        days, used = year_days(year), production_year(year)
        assert [e["date"] for e in days["days_off"]] == sorted(d.isoformat() for d in used.days_off)
        assert len(days["shortened_days"]) == len(used.shortened)


def test_names_in_english():
    off = {entry["date"]: entry["name"] for entry in year_days(2026, "en")["days_off"]}
    assert off[date(2026, 6, 12).isoformat()] == "Russia Day"


def test_a_carried_day_off_of_a_year_without_a_decree_is_named_after_its_holiday():
    assert {"date": "2028-11-06", "name": "День народного единства (выходной)"} in year_days(2028)["days_off"]
    assert {"date": "2029-11-05", "name": "Unity Day (observed)"} in year_days(2029, "en")["days_off"]
