"""The contract of saved views: a name and the filters of a ticket list query."""
from marshmallow import Schema, fields, validate

from services.shared.schema_fields import UtcDateTime
from services.tickets.schemas import TicketListQuerySchema


class SavedViewFiltersSchema(TicketListQuerySchema):
    """What GET /api/v1/tickets filters and sorts by; the page (cursor, limit) is not saved."""

    class Meta:
        exclude = ("cursor", "limit")


class SavedViewWriteSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    filters = fields.Nested(SavedViewFiltersSchema, load_default=dict)


class SavedViewSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    filters = fields.Dict(metadata={"description": "The query of GET /api/v1/tickets it lists."})
    created_at = UtcDateTime()


class SavedViewCountSchema(SavedViewSchema):
    """A view with its count: what the queue's menu shows, in one call."""
    count = fields.Integer(metadata={"description": "Tickets the view lists now."})


class SavedViewCountsSchema(Schema):
    items = fields.List(fields.Nested(SavedViewCountSchema))
