"""The portal's RPC contract (re-exported by services/tickets/schemas.py for the gateway)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.shared.schema_fields import IsoDate, UtcDateTime
from services.tickets.schemas import (ActorReferenceSchema, CoverageSchema, TicketCreateSchema,
                                      TicketSchema)

SCORES = validate.Range(min=1, max=5)
REMARK = validate.Length(max=2000)


class PortalBrandSchema(Schema):
    account_id = fields.String(metadata={"description": "For the gateway's calls of a visitor."})
    slug = fields.String()
    name = fields.String()
    logo_url = fields.String(allow_none=True)


class PortalProfileSchema(Schema):
    """Who the signed-in contact is, and the portal they belong to."""
    id = fields.String()
    name = fields.String()
    client_id = fields.String()
    client_name = fields.String()
    portal_access = fields.String(metadata={"description": "own or company"})
    account = fields.Nested(PortalBrandSchema)
    time_zone = fields.String()
    locale = fields.String()


class RatingWriteSchema(Schema):
    score = fields.Integer(required=True, strict=True, validate=SCORES)
    comment = fields.String(load_default="", validate=REMARK)


class RatingSchema(Schema):
    score = fields.Integer()
    comment = fields.String()
    rated_by = fields.Nested(ActorReferenceSchema)
    rated_at = UtcDateTime()


class FeedbackWriteSchema(Schema):
    """Confirming or reopening: an optional word for the service desk."""
    comment = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(min=1, max=5000))


class FeedbackStateSchema(Schema):
    confirm = fields.Boolean()
    reopen = fields.Boolean()
    rate = fields.Boolean()
    until = UtcDateTime(allow_none=True, metadata={"description": "The end of the window."})
    rating = fields.Nested(RatingSchema, allow_none=True)


class PortalRequestSchema(Schema):
    """A request registered by a contact on the portal: what the ticket takes from them."""
    title = TicketCreateSchema._declared_fields["title"]
    description = TicketCreateSchema._declared_fields["description"]
    site_id = TicketCreateSchema._declared_fields["site_id"]
    equipment_id = TicketCreateSchema._declared_fields["equipment_id"]
    suggestion_id = TicketCreateSchema._declared_fields["suggestion_id"]
    paid_accepted = fields.Boolean(load_default=False, metadata={
        "description": "The client accepts the paid visit the coverage verdict announced."})


class PortalPlaceSchema(Schema):
    site_id = fields.String(validate=validate.Length(min=1, max=64))
    equipment_id = fields.String(validate=validate.Length(min=1, max=64))


class PortalVerdictSchema(Schema):
    """The coverage verdict as the client is told it (no contract or service level ids)."""
    verdict = CoverageSchema._declared_fields["verdict"]
    action = CoverageSchema._declared_fields["action"]
    message = CoverageSchema._declared_fields["message"]
    price = CoverageSchema._declared_fields["price"]


class PortalTicketSchema(Schema):
    ticket = fields.Nested(TicketSchema)
    names = fields.Dict(metadata={"description": "sites, equipment, people: id -> name"})
    feedback = fields.Nested(FeedbackStateSchema)


class PortalSiteSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    address = fields.String()
    city = fields.String(dump_default="")


class PortalEquipmentSchema(Schema):
    """An item as its client sees it: what it is and where, not the desk's registry fields."""
    id = fields.String(attribute="_id")
    site_id = fields.String()
    manufacturer = fields.String()
    model = fields.String()
    serial_number = fields.String(allow_none=True)
    inventory_number = fields.String(allow_none=True)
    warranty_until = IsoDate(allow_none=True)
    status = fields.String()


class SatisfactionQuerySchema(Schema):
    from_ = IsoDate(data_key="from", metadata={"description": "First day (UTC) rated, included."})
    to = IsoDate(metadata={"description": "Last day (UTC) rated, included."})

    @validates_schema
    def _period(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["to"] < data["from_"]:
            raise ValidationError("Must not be before `from`.", "to")


class SatisfactionClientSchema(Schema):
    client_id = fields.String(allow_none=True)
    rated = fields.Integer()
    average = fields.Float(allow_none=True)


class SatisfactionReportSchema(Schema):
    rated = fields.Integer(metadata={"description": "Tickets rated in the period."})
    average = fields.Float(allow_none=True, metadata={"description": "Mean score, 1-5."})
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "How many ratings gave each score, '1'..'5'."})
    clients = fields.List(fields.Nested(SatisfactionClientSchema))
