"""partner_bridge's public contract: RPC inputs and outputs, and the sharing rules.

The gateway validates HTTP input with these schemas (and builds the OpenAPI document from them);
the service validates again, because it trusts no caller.
"""
from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validate

from services.partner_bridge.invitations import LINK_STATES, MAX_CODE_LENGTH, endpoint_problem
from services.partner_bridge.outbox import DELIVERED, ERROR, READY
from services.partner_bridge.rotation import MAX_OVERLAP, MIN_OVERLAP
from services.partner_bridge.sharing import (  # noqa: F401  (re-exported contract)
    IncomingRuleSchema, OutgoingRuleSchema, SharingRulesSchema)
from services.partner_bridge.signing import (  # noqa: F401  (the delivery headers, re-exported)
    LINK_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER)
from services.shared.page_schemas import PageQuerySchema, page_of
from services.shared.schema_fields import UtcDateTime

REFERENCE = validate.Length(min=1, max=64)
MAX_PAGE = 100


class InvitationCreateSchema(Schema):
    validity_days = fields.Integer(load_default=7, validate=validate.Range(min=1, max=30))


class AcceptSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=MAX_CODE_LENGTH),
                         metadata={"description": "The invitation code, or the URL that carries it."})


def valid_endpoint(value):
    problem = endpoint_problem(value)
    if problem:
        raise ValidationError(problem)


class PartnerIdentitySchema(Schema):
    account_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    account_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    endpoint = fields.String(required=True, validate=[validate.Length(min=1, max=500),
                                                      valid_endpoint])


class InvitationAcceptanceSchema(Schema):
    """What an accepting installation presents to the inviter's (machine to machine)."""
    code = fields.String(required=True, validate=validate.Length(min=1, max=MAX_CODE_LENGTH))
    partner = fields.Nested(PartnerIdentitySchema, required=True)


class AcceptanceAnswerSchema(Schema):
    link_id = fields.String()
    secret = fields.String()
    account_id = fields.String()
    account_name = fields.String()


class RulesUpdateSchema(Schema):
    """Either direction or both; a direction left out keeps its current rule."""
    outgoing = fields.Nested(OutgoingRuleSchema)
    incoming = fields.Nested(IncomingRuleSchema)


class LinkStateSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf(("active", "paused", "revoked")),
                          metadata={"description": "active resumes a paused link."})


class LinkQuerySchema(PageQuerySchema):
    state = fields.String(validate=validate.OneOf(LINK_STATES))


class BacklogSchema(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    blocked = fields.Boolean()


class LinkSchema(Schema):
    id = fields.String(attribute="link_id")
    state = fields.String()
    role = fields.String(metadata={"description": "inviter or invitee"})
    partner = fields.Nested(PartnerIdentitySchema, allow_none=True)
    rules = fields.Dict()
    allowed_transitions = fields.List(fields.String())
    invitation_expires_at = UtcDateTime(allow_none=True)
    secret_rotated_at = UtcDateTime(allow_none=True)
    previous_secret_accepted_until = UtcDateTime(
        attribute="secrets_until", allow_none=True,
        metadata={"description": "During a rotation's overlap: until when the other secret is "
                                 "still accepted."})
    outbox = fields.Nested(BacklogSchema, allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class SecretRotationSchema(Schema):
    overlap_minutes = fields.Integer(load_default=60, validate=validate.Range(
        min=MIN_OVERLAP // timedelta(minutes=1), max=MAX_OVERLAP // timedelta(minutes=1)),
                                     metadata={"description": "How long the old secret is still "
                                                              "accepted, on both sides."})


class SecretRotationReceiptSchema(Schema):
    link_id = fields.String()
    previous_accepted_until = UtcDateTime(allow_none=True)


LinkPageSchema = page_of(LinkSchema)


class InvitationSchema(Schema):
    link = fields.Nested(LinkSchema)
    code = fields.String()
    url = fields.String()


class ShareSchema(Schema):
    ticket_id = fields.String(required=True, validate=REFERENCE)


class CorrelationQuerySchema(Schema):
    link_id = fields.String(validate=REFERENCE)
    ticket_id = fields.String(validate=REFERENCE)
    side = fields.String(validate=validate.OneOf(("origin", "replica")),
                         metadata={"description": "origin: shared from here; replica: shared with us."})
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


class ConflictRecordSchema(Schema):
    at = UtcDateTime()
    rule = fields.String()
    winner = fields.String()
    event_id = fields.String()
    local = fields.Dict()
    remote = fields.Dict()


class CorrelationSchema(Schema):
    id = fields.String(attribute="_id")
    link_id = fields.String()
    local_ticket_id = fields.String()
    remote_ticket_id = fields.String(allow_none=True)
    remote_number = fields.String(allow_none=True, metadata={"description": "The partner's ticket number."})
    side = fields.String()
    state = fields.String()
    conflicts = fields.List(fields.Nested(ConflictRecordSchema))
    first_reply_at = UtcDateTime(allow_none=True)
    remote_resolved_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()


CorrelationPageSchema = page_of(CorrelationSchema)


class OutboxQuerySchema(PageQuerySchema):
    state = fields.String(load_default=ERROR, validate=validate.OneOf((READY, ERROR, DELIVERED)))
    link_id = fields.String(validate=REFERENCE)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE))


class OutboxItemSchema(Schema):
    id = fields.String(attribute="_id")
    link_id = fields.String()
    sequence = fields.Integer()
    event_type = fields.String()
    state = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    created_at = UtcDateTime()
    next_attempt_at = UtcDateTime()
    delivered_at = UtcDateTime(allow_none=True)


OutboxPageSchema = page_of(OutboxItemSchema)


class DeliveryReceiptSchema(Schema):
    event_id = fields.String()
    sequence = fields.Integer()


class ReportQuerySchema(Schema):
    since = UtcDateTime(metadata={"description": "Only tickets shared from this moment on."})
    top = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class DurationsSchema(Schema):
    count = fields.Integer()
    median_minutes = fields.Float(allow_none=True)
    average_minutes = fields.Float(allow_none=True)


class PartnerPerformanceSchema(Schema):
    link_id = fields.String()
    partner_name = fields.String(allow_none=True)
    shared_with = fields.Integer(metadata={"description": "Tickets this account shared with them."})
    shared_from = fields.Integer(metadata={"description": "Tickets they shared with this account."})
    reaction = fields.Nested(DurationsSchema)
    resolution = fields.Nested(DurationsSchema)


class ManufacturerReportSchema(Schema):
    partners = fields.List(fields.Nested(PartnerPerformanceSchema))
    equipment_models = fields.List(fields.Dict())
    problems = fields.List(fields.Dict())


class PartnerRequestSchema(Schema):
    ticket_id = fields.String()
    link_id = fields.String()
    partner_name = fields.String(allow_none=True)
    remote_number = fields.String(allow_none=True)
    state = fields.String()
    title = fields.String(allow_none=True)
    shared_at = UtcDateTime()
    first_reply_at = UtcDateTime(allow_none=True)
    resolved_at = UtcDateTime(allow_none=True)
    reaction_minutes = fields.Float(allow_none=True)
    resolution_minutes = fields.Float(allow_none=True)


class PartnerRequestPageSchema(Schema):
    items = fields.List(fields.Nested(PartnerRequestSchema))
