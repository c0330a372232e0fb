"""One year of the Russian production calendar as people read it: the days off (holidays, their
weekend carry-overs and the days moved by decree) with their names, the weekend days worked
instead (and the day whose hours they work), and the shortened pre-holiday days. The days are
production_calendar.py's, the ones every deadline is computed with; the names are the `holidays`
package's, in Russian or English."""
import holidays

from services.tickets.sla.production_calendar import SHORTENED_BY_MINUTES, production_year

CODE = "RU"
NAME_LANGUAGES = {"ru": "ru", "en": "en_US"}


def year_days(year, language="ru"):
    days = production_year(year)
    names = holidays.country_holidays(CODE, years=year, language=NAME_LANGUAGES[language])
    return {
        "code": CODE,
        "year": year,
        "days_off": [{"date": day.isoformat(), "name": _name(names, day, days.carried)}
                     for day in sorted(days.days_off)],
        "moved_working_days": [{"date": day.isoformat(), "works_as": instead.isoformat()}
                               for day, instead in sorted(days.moved_working_days.items())],
        "shortened_days": [{"date": day.isoformat(), "minutes": SHORTENED_BY_MINUTES}
                           for day in sorted(days.shortened)],
    }


def _name(names, day, carried):
    """A carried day off (art. 112 in a year with no decree yet) is named after its holiday, the way
    the package names the carried days of the years it has decrees for."""
    if day in carried:
        return names.tr(names.observed_label) % names.get(carried[day])
    return names.get(day)
