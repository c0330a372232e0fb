"""Calls on tickets and the caller card: the tickets side of telephony (issue 7).

The telephony service asks for these as the system actor of the call's account; the gateway's
caller card asks as the employee on the phone. Re-exported by schemas.py.
"""
from marshmallow import Schema, fields, validate

from services.shared.identifier_fields import Phone
from services.shared.schema_fields import UtcDateTime
from services.tickets.contracts.schemas import PaymentSchema
from services.tickets.directory.schemas import ClientSchema, ContactSchema

REFERENCE = validate.Length(min=1, max=64)
RECORDING = validate.Length(min=1, max=2000)


class CallerQuerySchema(Schema):
    number = Phone(required=True, metadata={"description": "The caller's number, any format."})


class CallReferenceSchema(Schema):
    """A call as a ticket keeps it: enough to show it and to find the ticket again by it."""
    call_id = fields.String(required=True, validate=REFERENCE)
    number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    direction = fields.String(load_default=None, allow_none=True,
                              validate=validate.OneOf(("in", "out", "internal")))
    at = UtcDateTime(load_default=None, allow_none=True)


class CallTicketSchema(Schema):
    """What a call asks of the tickets side: attach to an open ticket or open one.

    rule: attach_to_open_ticket | open_new_ticket (known caller), open_ticket | ignore
    (unknown caller), callback (a missed call: a high-priority callback ticket)."""
    call = fields.Nested(CallReferenceSchema, required=True)
    rule = fields.String(required=True, validate=validate.OneOf((
        "attach_to_open_ticket", "open_new_ticket", "open_ticket", "ignore", "callback")))
    unknown_rule = fields.String(load_default="open_ticket",
                                 validate=validate.OneOf(("open_ticket", "ignore")))


class CallLinkSchema(Schema):
    call = fields.Nested(CallReferenceSchema, required=True)
    recordings = fields.List(fields.String(validate=RECORDING), load_default=list,
                             validate=validate.Length(max=20))


class RecordingLinkSchema(Schema):
    call_id = fields.String(required=True, validate=REFERENCE)
    number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    reference = fields.String(required=True, validate=RECORDING)


class TicketCallSchema(Schema):
    """A call on a ticket, as the ticket shows it (employees only)."""
    call_id = fields.String()
    number = fields.String(allow_none=True)
    direction = fields.String(allow_none=True)
    at = UtcDateTime(allow_none=True, metadata={"description": "When the call started."})
    linked_at = UtcDateTime(allow_none=True)


class TicketRecordingSchema(Schema):
    """A call recording on a ticket and the internal comment that announced it."""
    call_id = fields.String()
    reference = fields.String()
    comment_id = fields.String(allow_none=True)
    added_at = UtcDateTime(allow_none=True)


class TicketOfCallSchema(Schema):
    """The ticket a call went to (null: the rules said to open none)."""
    ticket_id = fields.String(allow_none=True)
    number = fields.Integer(allow_none=True)
    created = fields.Boolean()


class CardTicketSchema(Schema):
    id = fields.String(attribute="_id")
    number = fields.Integer()
    title = fields.String()
    status = fields.String()
    priority = fields.String()
    created_at = UtcDateTime()


class CardContractSchema(Schema):
    id = fields.String(attribute="_id")
    number = fields.String()
    valid_from = fields.String(allow_none=True)
    valid_until = fields.String(allow_none=True)
    valid_today = fields.Boolean(metadata={"description": "In force today in the account's zone."})
    service_level = fields.Dict(allow_none=True, metadata={
        "description": "id, name, personal_manager of the contract's service level."})
    payment = fields.Nested(PaymentSchema, allow_none=True)


class CallerCardSchema(Schema):
    number = fields.String()
    known = fields.Boolean(metadata={"description": "Some contact of the account has the number."})
    contact = fields.Nested(ContactSchema, allow_none=True)
    other_contacts = fields.List(fields.Nested(ContactSchema), metadata={
        "description": "Other contacts with the same number (a shared office line)."})
    client = fields.Nested(ClientSchema, allow_none=True)
    open_tickets = fields.List(fields.Nested(CardTicketSchema))
    contracts = fields.List(fields.Nested(CardContractSchema))
