"""The contract of GET /api/v1/production-calendar: one year of the Russian production calendar
(sla/production_days.py)."""
from marshmallow import Schema, fields, validate

from services.tickets.sla.production_days import NAME_LANGUAGES

# The `holidays` package knows Russia's holidays from 1991; a decree for the year after next is
# not out yet, so further years would only show the derived rule.
FIRST_YEAR, LAST_YEAR = 1991, 2100


class ProductionYearQuerySchema(Schema):
    year = fields.Integer(required=True, validate=validate.Range(min=FIRST_YEAR, max=LAST_YEAR))
    language = fields.String(load_default="ru", validate=validate.OneOf(sorted(NAME_LANGUAGES)),
                             metadata={"description": "Of the holidays' names."})


class ProductionDayOffSchema(Schema):
    date = fields.String()
    name = fields.String(allow_none=True)


class MovedWorkingDaySchema(Schema):
    date = fields.String(metadata={"description": "A weekend day worked by decree."})
    works_as = fields.String(metadata={"description": "The day whose day off it received: its hours apply."})


class ProductionShortenedDaySchema(Schema):
    date = fields.String()
    minutes = fields.Integer(metadata={"description": "How much shorter the working day is."})


class ProductionYearSchema(Schema):
    code = fields.String()
    year = fields.Integer()
    days_off = fields.List(fields.Nested(ProductionDayOffSchema))
    moved_working_days = fields.List(fields.Nested(MovedWorkingDaySchema))
    shortened_days = fields.List(fields.Nested(ProductionShortenedDaySchema))
