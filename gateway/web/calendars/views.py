"""Business calendars (settings): /settings/calendars (list, new, edit: working hours per
weekday, time zone, production calendar, the account's days off, working days and shortened
days), through the RPCs behind /api/v1/calendars; and the Russian production calendar's days of a
year (/settings/calendars/production, GET /api/v1/production-calendar)."""
from datetime import date, datetime

from babel.dates import format_date
from flask import Blueprint, render_template, request

from gateway.calls import call, first_page
from gateway.i18n import current_locale
from gateway.web.calendars import typed_days
from gateway.web.formatting import time_zone
from gateway.web.settings_forms.form_input import attempt, checked, is_htmx, lines, typed
from gateway.web.settings_forms.record_pages import RecordPages

blp = Blueprint("calendars", __name__, template_folder="templates")
SETTINGS = [("web.calendars.calendars", "Business calendars",
             "Working hours, time zone and days off the SLA clock counts by; the production calendar.",
             ("admin",))]
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_FIELDS = tuple(f"week.{day}" for day in WEEKDAYS)
OVERRIDES = ("days_off", "working_days", "shortened_days")
# "week" holds the reasons about the week as a whole ("name some working time").
CALENDAR_FIELDS = ("name", "time_zone", "production_calendar", "week", "week.always",
                   *DAY_FIELDS, *OVERRIDES)
TYPED = ("name", "time_zone", "production_calendar", *DAY_FIELDS, *OVERRIDES)
CHECKS = ("week.always", "shorten_pre_holiday")
NEW_CALENDAR = {"time_zone": "Europe/Moscow", "production_calendar": "RU", "shorten_pre_holiday": True,
                **{f"week.{day}": "09:00-18:00" for day in WEEKDAYS[:5]}}


@blp.get("/settings/calendars")
def calendars():
    return render_template("calendars/calendars.html", calendars=first_page("tickets", "list_calendars"),
                           hours=typed_days.intervals_text)


def calendar_form(calendar):
    week = calendar["week"]
    form = {f"week.{day}": typed_days.intervals_text(week.get(day)) for day in WEEKDAYS}
    form.update({"name": calendar["name"], "time_zone": calendar["time_zone"],
                 "production_calendar": calendar.get("production_calendar") or "",
                 "shorten_pre_holiday": calendar.get("shorten_pre_holiday"),
                 "week.always": week.get("always"),
                 "days_off": "\n".join(calendar.get("days_off", [])),
                 "working_days": "\n".join(map(typed_days.working_day_text, calendar.get("working_days", []))),
                 "shortened_days": "\n".join(map(typed_days.shortened_day_text, calendar.get("shortened_days", [])))})
    return form


def posted_calendar():
    form = typed(TYPED)
    form.update({name: checked(name) for name in CHECKS})
    week = {"always": form["week.always"]}
    week.update({day: typed_days.intervals(form[f"week.{day}"]) for day in WEEKDAYS
                 if form[f"week.{day}"].strip()})
    data = {"name": form["name"], "time_zone": form["time_zone"].strip(), "week": week,
            "production_calendar": form["production_calendar"] or None,
            "shorten_pre_holiday": form["shorten_pre_holiday"],
            "days_off": lines(form["days_off"]),
            "working_days": [typed_days.working_day(line) for line in lines(form["working_days"])],
            "shortened_days": [typed_days.shortened_day(line) for line in lines(form["shortened_days"])]}
    return form, data


CALENDARS = RecordPages("calendars/calendar.html", "calendars/calendar_form.html", CALENDAR_FIELDS,
                        posted_calendar, "web.calendars.calendars")


@blp.route("/settings/calendars/new", methods=("GET", "POST"))
def new_calendar():
    return CALENDARS.new("create_calendar", NEW_CALENDAR)


@blp.route("/settings/calendars/<string:calendar_id>", methods=("GET", "POST"))
def edit_calendar(calendar_id):
    calendar = call("tickets", "get_calendar", calendar_id)
    return CALENDARS.edit("replace_calendar", calendar_id, lambda: calendar_form(calendar),
                          calendar=calendar)


@blp.app_template_filter("calendar_day")
def calendar_day(iso_date, form="d MMMM, EEEE"):
    """A date of the API ("2026-01-07") as "7 января, среда"."""
    return format_date(date.fromisoformat(iso_date), form, locale=current_locale())


@blp.get("/settings/calendars/production")
def production():
    """The production calendar's days of a year; the account's own overrides are on each calendar."""
    year = request.args.get("year") or str(datetime.now(time_zone()).year)
    days, errors = attempt(lambda: call("tickets", "get_production_calendar",
                                        {"year": year, "language": current_locale()}), ("year",))
    template = "calendars/production_days.html" if is_htmx() else "calendars/production.html"
    return render_template(template, year=year, days=days, errors=errors), 422 if errors else 200
