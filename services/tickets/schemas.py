"""The tickets service's public contract: RPC inputs, RPC outputs and event payloads.

Tickets are defined here; accounts, people, clients, credentials and the audit log in
directory/schemas.py, sites and equipment in assets/schemas.py, service levels, contracts,
coverage and prices in contracts/schemas.py, imports in imports/schemas.py, calls in
tickets/phone_schemas.py, business calendars and the SLA in
sla/calendar_schemas.py and sla/sla_schemas.py, whose names this module re-exports so that the
gateway imports one module.

The gateway validates HTTP input with these same schemas (and builds the OpenAPI document from
them); the service validates again, because it trusts no caller.
"""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.shared.identifier_fields import Phone
from services.shared.schema_fields import UtcDateTime
from services.tickets.assets.schemas import (  # noqa: F401  (re-exported contract)
    EquipmentKindSchema, EquipmentKindWriteSchema, EquipmentQuerySchema, EquipmentSchema,
    EquipmentWriteSchema, SiteSchema, SiteWriteSchema)
from services.tickets.contracts.coverage import VERDICTS
from services.tickets.contracts.schemas import (  # noqa: F401  (re-exported contract)
    ContractQuerySchema, ContractSchema, ContractWriteSchema, CoverageCheckSchema, CoveragePolicySchema, CoverageSchema,
    PaymentSchema, PriceItemSchema, PriceItemWriteSchema, ServiceLevelSchema,
    ServiceLevelWriteSchema, WorkCreateSchema, WorkLineSchema)
from services.tickets.directory.schemas import (  # noqa: F401  (re-exported contract)
    MAX_PAGE, page_of, AccountCreateSchema, AccountCreatedSchema, AccountSchema, AccountUpdateSchema, ActorReferenceSchema,
    AuditEntrySchema, AuditPageSchema, AuditQuerySchema, ClientPageSchema, ClientSchema,
    ClientWriteSchema, ContactPageSchema, ContactSchema, ContactWriteSchema, CredentialSchema,
    EmployeeCreateSchema, EmployeePageSchema, EmployeeSchema, EmployeeUpdateSchema,
    FirstAdminSchema, GroupSchema, GroupWriteSchema, IssuedCredentialSchema, LoginSchema,
    PageQuerySchema, PasswordChangeSchema, PasswordResetSchema, SessionSchema, TokenCreateSchema)
from services.tickets.imports.schemas import (  # noqa: F401  (re-exported contract)
    IMPORT_KINDS, MAX_FILE_BYTES, ImportQuerySchema, ImportReportSchema, ImportRequestSchema)
from services.tickets.sla.calendar_schemas import (  # noqa: F401  (re-exported contract)
    CalendarSchema, CalendarWriteSchema)
from services.tickets.sla.clock import STATES as SLA_STATES, TARGETS as SLA_TARGETS
from services.tickets.sla.sla_schemas import (  # noqa: F401  (re-exported contract)
    EscalationRulesSchema, SlaEventSchema, SlaNotificationPageSchema, SlaNotificationQuerySchema,
    SlaNotificationSchema, SlaReportQuerySchema, SlaReportSchema, SlaViewSchema)
from services.tickets.tickets.phone_schemas import (  # noqa: F401  (re-exported contract)
    CallerCardSchema, CallerQuerySchema, CallLinkSchema, CallTicketSchema, RecordingLinkSchema,
    TicketCallSchema, TicketOfCallSchema, TicketRecordingSchema)
from services.tickets.tickets.vocabulary import CHANNELS, PRIORITIES, SORTABLE, TYPES
from services.tickets.tickets.workflow import OPEN_STATUSES, STATUSES  # noqa: F401  (OPEN_STATUSES: re-exported contract)

TITLE = validate.Length(min=1, max=200)
TEXT = validate.Length(max=20000)
REFERENCE = validate.Length(min=1, max=64)
SORT_KEYS = tuple(f"{sign}{key}" for key in SORTABLE for sign in ("", "-"))


def not_blank(value):
    if not value.strip():
        raise ValidationError("Must not be blank.")


class TicketCreateSchema(Schema):
    title = fields.String(required=True, validate=[TITLE, not_blank])
    description = fields.String(load_default="", validate=TEXT)
    priority = fields.String(load_default="normal", validate=validate.OneOf(PRIORITIES))
    channel = fields.String(load_default="api", validate=validate.OneOf(CHANNELS))
    type = fields.String(load_default="incident", validate=validate.OneOf(TYPES))
    # Checked within the account by the service: a contact brings its client along.
    client_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    contact_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    assignee_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    assignee_group_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    site_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    equipment_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE,
                                 metadata={"description": "Brings its site and client along."})
    suggestion_id = fields.String(
        validate=REFERENCE,
        metadata={"description": "The knowledge-base suggestion shown while the ticket was "
                                 "written (POST /kb/suggestions): its outcome becomes 'ticket "
                                 "created' with this ticket."})


class TicketUpdateSchema(Schema):
    title = fields.String(validate=[TITLE, not_blank])
    description = fields.String(validate=TEXT)
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    type = fields.String(validate=validate.OneOf(TYPES))
    client_id = fields.String(allow_none=True, validate=REFERENCE)
    contact_id = fields.String(allow_none=True, validate=REFERENCE)
    assignee_id = fields.String(allow_none=True, validate=REFERENCE)
    assignee_group_id = fields.String(allow_none=True, validate=REFERENCE)

    @validates_schema
    def not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("Name at least one field to change.")


class StatusChangeSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    comment = fields.String(load_default=None, allow_none=True, validate=TEXT)


class CommentCreateSchema(Schema):
    body = fields.String(required=True, validate=[validate.Length(min=1, max=20000), not_blank])
    visibility = fields.String(load_default="public", validate=validate.OneOf(("public", "internal")))


class TicketListQuerySchema(Schema):
    status = fields.List(fields.String(validate=validate.OneOf(STATUSES)))
    priority = fields.List(fields.String(validate=validate.OneOf(PRIORITIES)))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    assignee_id = fields.String(validate=REFERENCE)
    assignee_group_id = fields.String(validate=REFERENCE)
    client_id = fields.String(validate=REFERENCE)
    contact_id = fields.String(validate=REFERENCE)
    site_id = fields.String(validate=REFERENCE)
    equipment_id = fields.String(validate=REFERENCE)
    verdict = fields.String(validate=validate.OneOf(VERDICTS), metadata={"description": "Coverage verdict."})
    created_from = UtcDateTime()
    created_to = UtcDateTime()
    q = fields.String(validate=validate.Length(min=1, max=200), metadata={"description": (
        "Search: a ticket number (42, #42); words of the title or description in any form "
        "(турникеты finds турникет); a client's name; a contact's phone in any format; the start "
        "of an equipment serial or inventory number. Any of these matches.")})
    sla_state = fields.List(fields.String(validate=validate.OneOf(SLA_STATES)), metadata={
        "description": "Tickets with a target (any, or sla_target) in one of these SLA states now."})
    sla_target = fields.String(validate=validate.OneOf(SLA_TARGETS))
    sort = fields.String(load_default="-created_at", validate=validate.OneOf(SORT_KEYS), metadata={
        "description": "sla_deadline: the earliest deadline of an unmet target; tickets without "
                       "one come after all others."})
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


class CommentOriginSchema(Schema):
    link_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    event_id = fields.String(required=True, validate=validate.Length(min=1, max=600))


class CommentSchema(Schema):
    id = fields.String()
    body = fields.String()
    visibility = fields.String()
    author = fields.Nested(ActorReferenceSchema)
    author_name = fields.String(attribute="author.name", allow_none=True, metadata={
        "description": "Set when the author is a partner's person (author.kind partner_link)."})
    origin = fields.Nested(CommentOriginSchema, allow_none=True, metadata={
        "description": "The partner link and change a comment came in through."})
    created_at = UtcDateTime()


class HistoryEntrySchema(Schema):
    at = UtcDateTime()
    actor = fields.Nested(ActorReferenceSchema)
    field = fields.String()
    old = fields.Raw(allow_none=True)
    new = fields.Raw(allow_none=True)


class TicketSchema(Schema):
    id = fields.String(attribute="_id")
    number = fields.Integer()
    title = fields.String()
    description = fields.String()
    priority = fields.String()
    channel = fields.String()
    type = fields.String()
    status = fields.String()
    allowed_transitions = fields.List(fields.String())
    client_id = fields.String(allow_none=True)
    contact_id = fields.String(allow_none=True)
    assignee_id = fields.String(allow_none=True)
    assignee_group_id = fields.String(allow_none=True)
    site_id = fields.String(allow_none=True)
    equipment_id = fields.String(allow_none=True)
    coverage = fields.Nested(CoverageSchema, allow_none=True)
    suggestion_id = fields.String(allow_none=True)
    billing = fields.String(allow_none=True, metadata={"description": "paid_one_off when nobody's contract pays."})
    reporter = fields.Dict(allow_none=True, metadata={"description": "Who reported it through a QR label without signing in."})
    works = fields.List(fields.Nested(WorkLineSchema))
    works_total = fields.Dict(allow_none=True, metadata={"description": "Paid one-off works, summed."})
    sla = fields.Nested(SlaViewSchema, attribute="sla_view", allow_none=True, metadata={
        "description": "Reaction and resolution targets now; null without a service level."})
    created_by = fields.Nested(ActorReferenceSchema)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    onec_sale = fields.Dict(allow_none=True, metadata={
        "description": "The 1C sale document of the paid works: {ref, number}."})
    rating = fields.Dict(allow_none=True, metadata={
        "description": "The client's rating of the work: score 1-5, comment, rated_by, rated_at."})
    comments = fields.List(fields.Nested(CommentSchema))
    history = fields.List(fields.Nested(HistoryEntrySchema))
    calls = fields.List(fields.Nested(TicketCallSchema), metadata={
        "description": "Phone calls the ticket came from or was linked to (employees only)."})
    recordings = fields.List(fields.Nested(TicketRecordingSchema), metadata={
        "description": "Call recordings on the ticket (employees only)."})


class TicketSummarySchema(TicketSchema):
    class Meta:
        exclude = ("description", "comments", "history", "works", "calls", "recordings",
                   "onec_sale")


TicketPageSchema = page_of(TicketSummarySchema)


class EquipmentHistorySchema(TicketPageSchema):
    """A page of an item's tickets, and its planned works (whole, on every page)."""
    planned_works = fields.List(fields.Dict(), metadata={
        "description": "Maintenance planned on the item, by due date."})


# -- event payloads (stable: consumers rely on every field named here) -----------------------------

class TicketCreatedEventSchema(Schema):
    event_id = fields.String()
    occurred_at = UtcDateTime()
    account_id = fields.String()
    ticket = fields.Nested(TicketSummarySchema)
    revision = fields.Integer()


class TicketChangeEventSchema(Schema):
    """What every event about a change of one ticket carries (conventions.md: `revision`)."""
    event_id = fields.String()
    occurred_at = UtcDateTime()
    account_id = fields.String()
    ticket_id = fields.String()
    revision = fields.Integer()


class TicketStatusChangedEventSchema(TicketChangeEventSchema):
    number = fields.Integer()
    old_status = fields.String()
    new_status = fields.String()
    changed_by = fields.Nested(ActorReferenceSchema)
    comment = fields.String(allow_none=True)


class TicketUpdatedEventSchema(TicketChangeEventSchema):
    number = fields.Integer()
    changes = fields.Dict(keys=fields.String(), metadata={
        "description": "Each edited field (title, description, priority, type, client_id, "
                       "contact_id, assignee_id, assignee_group_id) with its new value."})
    changed_by = fields.Nested(ActorReferenceSchema)


class PartnerTicketSchema(Schema):
    """partner_bridge opening a ticket a partner shared: once per key (link and partner's id)."""
    idempotency_key = fields.String(required=True, validate=validate.Length(min=1, max=300))
    ticket = fields.Dict(required=True, metadata={"description": "TicketCreateSchema's fields."})


class PartnerCommentSchema(Schema):
    body = fields.String(required=True, validate=[validate.Length(min=1, max=20000), not_blank])
    author_name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    origin = fields.Nested(CommentOriginSchema, required=True)


class CommentedEventCommentSchema(Schema):
    """A new comment as announced: who and what kind, not its text (read the ticket for that)."""
    id = fields.String()
    visibility = fields.String()
    author = fields.Nested(ActorReferenceSchema)
    origin = fields.Nested(CommentOriginSchema, allow_none=True)
    created_at = UtcDateTime()


class TicketCommentedEventSchema(TicketChangeEventSchema):
    comment = fields.Nested(CommentedEventCommentSchema)


class IntakeTicketSchema(Schema):
    """A report through an equipment item's QR label."""
    title = fields.String(required=True, validate=[TITLE, not_blank])
    description = fields.String(load_default="", validate=TEXT)
    reporter_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200))
    reporter_phone = Phone(load_default=None, allow_none=True)


class IntakeInfoSchema(Schema):
    account = fields.Dict()
    equipment = fields.Dict()
    site = fields.Dict()
    anonymous_allowed = fields.Boolean()


class IntakeReceiptSchema(Schema):
    number = fields.Integer()
    status = fields.String()
    message = fields.String(allow_none=True, metadata={"description": "What the coverage policy says."})


# Saved views are list queries kept by name: their schemas build on TicketListQuerySchema above.
from services.tickets.tickets.saved_view_schemas import (  # noqa: E402,F401  (re-exported contract)
    SavedViewCountsSchema, SavedViewSchema, SavedViewWriteSchema)

# The client portal's calls build on the ticket schemas above.
from services.tickets.portal.schemas import (  # noqa: E402,F401  (re-exported contract)
    FeedbackStateSchema, FeedbackWriteSchema, PortalBrandSchema, PortalEquipmentSchema,
    PortalPlaceSchema, PortalProfileSchema, PortalRequestSchema, PortalSiteSchema,
    PortalTicketSchema, PortalVerdictSchema, RatingSchema, RatingWriteSchema,
    SatisfactionQuerySchema, SatisfactionReportSchema)
