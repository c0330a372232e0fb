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
from services.partner_bridge.wire_schemas import EXTENSION_SCHEMAS  # noqa: F401  (served)
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
    """The inviter's answer: the link's secret, and who the inviter is (its account, its name,
    its endpoint), all of the inviting side."""
    link_id = fields.String()
    secret = fields.String()
    account_id = fields.String()
    account_name = fields.String()
    endpoint = fields.String()


class InviterSchema(Schema):
    account_name = fields.String()
    endpoint = fields.String()


class InvitationDescriptionSchema(Schema):
    """What an invitation URL opens: who invites, until when, and how to accept."""
    inviter = fields.Nested(InviterSchema)
    link_id = fields.String()
    expires_at = UtcDateTime()
    state = fields.String(metadata={"description": "pending until accepted; then active, "
                                                   "paused or revoked."})
    accept_path = fields.String()
    instructions = fields.String(metadata={"description": "What to do with the code, in the "
                                                          "reader's language."})


class InvitationCodeQuerySchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=MAX_CODE_LENGTH))


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


class ParkedChangeSchema(Schema):
    sequence = fields.Integer()
    error = fields.String()
    at = UtcDateTime()


class ReceivedQueueSchema(Schema):
    parked = fields.List(fields.Nested(ParkedChangeSchema), metadata={
        "description": "Changes from the partner that could not be applied, with the error; "
                       "the link's later changes wait behind them. POST .../received/retry "
                       "sets them going again."})


class AnnouncementSchema(Schema):
    state = fields.String(metadata={"description": "The state the partner is being told."})
    at = UtcDateTime()
    attempts = fields.Integer()
    outcome = fields.String(allow_none=True, metadata={
        "description": "delivered, retry (being tried again) or refused (the partner said no)."})
    last_error = fields.String(allow_none=True)
    delivered_at = UtcDateTime(allow_none=True)
    next_attempt_at = UtcDateTime(allow_none=True)


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
    received = fields.Nested(ReceivedQueueSchema, allow_none=True)
    announcement = fields.Nested(AnnouncementSchema, allow_none=True, metadata={
        "description": "The last pause, resume or revoke told to the partner, and how that "
                       "went."})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class SecretRotationSchema(Schema):
    overlap_minutes = fields.Integer(load_default=60, validate=validate.Range(
        min=MIN_OVERLAP // timedelta(minutes=1), max=MAX_OVERLAP // timedelta(minutes=1)),
                                     metadata={"description": "How long the old secret is still "
                                                              "accepted, on both sides."})


class LinkStateReceiptSchema(Schema):
    link_id = fields.String()
    state = fields.String()


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


class PartnerTextSchema(Schema):
    title = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    updated_at = UtcDateTime(allow_none=True)


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
    partner_text = fields.Nested(PartnerTextSchema, allow_none=True, metadata={
        "description": "The partner's latest title and description. They replace this "
                       "ticket's only while its text is still what the partner sent; text "
                       "written here is never overwritten (docs/partner-bridge.md, edits)."})
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
    attempts = fields.Integer(metadata={"description": "Every try, delivered or not."})
    last_error = fields.String(allow_none=True, metadata={
        "description": "The error of the last try; null once delivered."})
    created_at = UtcDateTime()
    next_attempt_at = UtcDateTime()
    last_attempt_at = UtcDateTime(allow_none=True)
    delivered_at = UtcDateTime(allow_none=True, metadata={
        "description": "When the partner accepted this item."})


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
