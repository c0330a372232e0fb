"""The contract of business calendars: what a client of the API writes and reads (re-exported by
services/tickets/schemas.py, like every subdomain's schemas).

Times of day are "HH:MM" wall-clock strings ("24:00" ends a day); dates are YYYY-MM-DD in the
calendar's own time zone. A week is either `"always": true` (24x7) or intervals per weekday.
"""
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from services.shared.identifier_fields import TimeZone
from services.shared.schema_fields import IsoDate, UtcDateTime
from services.tickets.sla.calendar import MINUTES_A_DAY, WEEKDAYS
from services.tickets.sla.production_calendar import PRODUCTION_CALENDARS

NAME = validate.Length(min=1, max=200)


def calendar_reference(whose):
    """The `calendar_id` a service level, a client or a site may name (docs/sla.md, "Which
    calendar"). Null names none; left out, it stays as it is (none on create), so a form or a
    client that does not know the field never clears it."""
    return fields.String(allow_none=True, validate=validate.Length(min=1, max=64),
                         metadata={"description": (
                             f"The business calendar of {whose}'s tickets; null for none, left "
                             "out: unchanged. A site's wins over its client's, a client's over "
                             "its service level's, and that over the account's.")})


def calendar_named(whose):
    return fields.String(allow_none=True, dump_default=None, metadata={
        "description": f"The business calendar of {whose}'s tickets, if it has one."})
MAX_INTERVALS_A_DAY = 12
MAX_OVERRIDES = 1000
CLOCK_TIME = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$",
                             error="Expected HH:MM, 00:00 to 24:00.")


def minute_of_day(text):
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def clock_time(minute):
    return f"{minute // 60:02d}:{minute % 60:02d}"


class IntervalSchema(Schema):
    start = fields.String(required=True, validate=CLOCK_TIME)
    end = fields.String(required=True, validate=CLOCK_TIME)

    @validates_schema
    def end_after_start(self, data, **kwargs):
        if minute_of_day(data["end"]) <= minute_of_day(data["start"]):
            raise ValidationError("A working interval ends after it starts (split one that crosses "
                                  "midnight into two days).", "end")


def check_day(intervals):
    """Intervals of one day must not overlap (touching is fine: 09:00-13:00 and 13:00-18:00)."""
    ordered = sorted((minute_of_day(i["start"]), minute_of_day(i["end"])) for i in intervals)
    for (_, end), (start, _) in zip(ordered, ordered[1:]):
        if start < end:
            raise ValidationError("Working intervals of a day overlap.")


def day_intervals():
    return fields.List(fields.Nested(IntervalSchema),
                       validate=[validate.Length(max=MAX_INTERVALS_A_DAY), check_day])


class WeekSchema(Schema):
    always = fields.Boolean(load_default=False, metadata={"description": "24x7: every minute works."})
    monday = day_intervals()
    tuesday = day_intervals()
    wednesday = day_intervals()
    thursday = day_intervals()
    friday = day_intervals()
    saturday = day_intervals()
    sunday = day_intervals()

    @validates_schema
    def some_working_time(self, data, **kwargs):
        named = [day for day in WEEKDAYS if data.get(day)]
        if data.get("always") and named:
            raise ValidationError("A 24x7 week names no intervals.", "always")
        if not data.get("always") and not named:
            raise ValidationError("Name working intervals for some weekday, or set always.", "_schema")


class WorkingDaySchema(Schema):
    date = IsoDate(required=True)
    intervals = fields.List(fields.Nested(IntervalSchema), load_default=None, allow_none=True,
                            validate=[validate.Length(min=1, max=MAX_INTERVALS_A_DAY), check_day],
                            metadata={"description": "Empty: the calendar's standard working day."})


class ShortenedDaySchema(Schema):
    date = IsoDate(required=True)
    minutes = fields.Integer(load_default=60, validate=validate.Range(min=1, max=MINUTES_A_DAY))


class CalendarWriteSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    time_zone = TimeZone(required=True)
    week = fields.Nested(WeekSchema, required=True)
    production_calendar = fields.String(
        load_default="RU", allow_none=True, validate=validate.OneOf(sorted(PRODUCTION_CALENDARS)),
        metadata={"description": "Country whose days off, moved working days and shortened "
                                 "pre-holiday days apply; empty for none. Defaults to RU, and to "
                                 "none for a 24x7 week (a duty desk works on holidays)."})
    shorten_pre_holiday = fields.Boolean(load_default=True)
    days_off = fields.List(IsoDate(), load_default=list, validate=validate.Length(max=MAX_OVERRIDES))
    working_days = fields.List(fields.Nested(WorkingDaySchema), load_default=list,
                               validate=validate.Length(max=MAX_OVERRIDES))
    shortened_days = fields.List(fields.Nested(ShortenedDaySchema), load_default=list,
                                 validate=validate.Length(max=MAX_OVERRIDES))

    @pre_load
    def round_the_clock_works_holidays(self, data, **kwargs):
        # Who buys 24x7 expects holidays to be worked too, unless they name a production calendar.
        week = data.get("week") if isinstance(data, dict) else None
        if isinstance(week, dict) and week.get("always") is True and "production_calendar" not in data:
            data = dict(data, production_calendar=None)
        return data

    @validates_schema
    def one_rule_per_date(self, data, **kwargs):
        off = set(data.get("days_off", []))
        for name in ("working_days", "shortened_days"):
            clash = sorted(off & {entry["date"] for entry in data.get(name, [])})
            if clash:
                raise ValidationError(f"{', '.join(clash)} also listed as days off.", name)
        for name in ("working_days", "shortened_days"):
            dates = [entry["date"] for entry in data.get(name, [])]
            if len(dates) != len(set(dates)):
                raise ValidationError("A date is listed twice.", name)


class CalendarSchema(CalendarWriteSchema):
    id = fields.String(attribute="_id")
    revision = fields.Integer(metadata={"description": "Grows with every change."})
    effective_from = UtcDateTime(metadata={"description": "When this revision took effect."})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
