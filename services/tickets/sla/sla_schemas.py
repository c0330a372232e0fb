"""The contract of a ticket's SLA as shown, escalation rules, the SLA report and the SLA events
(re-exported by services/tickets/schemas.py, like calendar_schemas.py)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.shared.errors import ValidationFailed
from services.shared.schema_fields import DayOrMoment, UtcDateTime
from services.tickets.directory.schemas import MAX_PAGE, page_of
from services.tickets.sla.clock import STATES, TARGETS
from services.tickets.sla.escalation import ACTIONS, MILESTONES
from services.tickets.sla.tracking import KINDS

REFERENCE = validate.Length(min=1, max=64)
MAX_RULES = 50
MAX_REPORT_DAYS = 366


class TargetViewSchema(Schema):
    state = fields.String(metadata={"description": ", ".join(STATES)})
    minutes = fields.Integer(metadata={"description": "The target in business minutes."})
    deadline = UtcDateTime(allow_none=True, metadata={
        "description": "Unknown (null) while paused before it was reached."})
    warning_at = UtcDateTime(allow_none=True)
    remaining_minutes = fields.Integer(metadata={"description": "Business minutes left, rounded up."})
    met_at = UtcDateTime(allow_none=True)
    met_in_time = fields.Boolean(allow_none=True)


class SlaTargetsViewSchema(Schema):
    reaction = fields.Nested(TargetViewSchema)
    resolution = fields.Nested(TargetViewSchema)


class SlaViewSchema(Schema):
    service_level_id = fields.String(allow_none=True)
    calendar_id = fields.String(allow_none=True, metadata={
        "description": "Null: the account's built-in calendar (Monday-Friday 09:00-18:00, RU)."})
    paused = fields.Boolean()
    targets = fields.Nested(SlaTargetsViewSchema)


class EscalationRuleSchema(Schema):
    target = fields.String(required=True, validate=validate.OneOf(TARGETS))
    milestone = fields.String(required=True, validate=validate.OneOf(MILESTONES))
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    working_hours_only = fields.Boolean(load_default=False)
    group_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE,
                             metadata={"description": "reassign: the group that takes the ticket."})
    recipients = fields.List(fields.String(validate=REFERENCE), load_default=list,
                             validate=validate.Length(max=20),
                             metadata={"description": "notify: employees; empty: the assignee."})

    @validates_schema
    def reassign_names_a_group(self, data, **kwargs):
        if data["action"] == "reassign" and not data.get("group_id"):
            raise ValidationError("A reassignment names the group.", "group_id")


class EscalationRulesSchema(Schema):
    rules = fields.List(fields.Nested(EscalationRuleSchema), required=True,
                        validate=validate.Length(max=MAX_RULES))


REPORT_BOUND = ("A date (YYYY-MM-DD, midnight in the account's time zone) or a date and time "
                "with an offset.")


class SlaReportQuerySchema(Schema):
    created_from = DayOrMoment(required=True, metadata={"description": REPORT_BOUND})
    created_to = DayOrMoment(required=True, metadata={"description": REPORT_BOUND + " Exclusive."})


def check_period(created_from, created_to):
    """The report's period once its dates are moments: it ends after it starts, within a year."""
    span = created_to - created_from
    if span.total_seconds() <= 0:
        raise ValidationFailed.from_fields({"created_to": ["The period ends after it starts."]})
    if span.days > MAX_REPORT_DAYS:
        raise ValidationFailed.from_fields({"created_to": [f"At most {MAX_REPORT_DAYS} days."]})


class ComplianceSchema(Schema):
    met = fields.Integer(metadata={"description": "Met within the target."})
    breached = fields.Integer(metadata={"description": "Met late, or past the deadline unmet."})
    pending = fields.Integer(metadata={"description": "Not met and not yet due (or paused)."})
    compliance = fields.Float(allow_none=True, metadata={
        "description": "met / (met + breached); null when nothing is decided yet."})


class ReportRowSchema(Schema):
    key = fields.String(allow_none=True, metadata={"description": "The id; null: none set."})
    tickets = fields.Integer()
    reaction = fields.Nested(ComplianceSchema)
    resolution = fields.Nested(ComplianceSchema)


class DistributionSchema(Schema):
    count = fields.Integer()
    p50 = fields.Integer(allow_none=True)
    p90 = fields.Integer(allow_none=True)
    p95 = fields.Integer(allow_none=True)
    max = fields.Integer(allow_none=True)


class DistributionsSchema(Schema):
    reaction = fields.Nested(DistributionSchema)
    resolution = fields.Nested(DistributionSchema)


class SlaReportSchema(Schema):
    created_from = UtcDateTime()
    created_to = UtcDateTime()
    generated_at = UtcDateTime()
    total = fields.Nested(ReportRowSchema)
    by_client = fields.List(fields.Nested(ReportRowSchema))
    by_service_level = fields.List(fields.Nested(ReportRowSchema))
    by_assignee = fields.List(fields.Nested(ReportRowSchema))
    by_group = fields.List(fields.Nested(ReportRowSchema))
    business_minutes = fields.Nested(DistributionsSchema, metadata={
        "description": "Business minutes to reaction and to resolution of the targets met."})


class SlaEventSchema(Schema):
    """`sla_warning` and `sla_breached`: once per ticket, target and milestone."""
    event_id = fields.String()
    occurred_at = UtcDateTime()
    account_id = fields.String()
    ticket_id = fields.String()
    number = fields.Integer()
    target = fields.String(metadata={"description": "reaction or resolution"})
    due_at = UtcDateTime(metadata={"description": "The instant of the warning or the breach."})
    deadline = UtcDateTime(allow_none=True)
    priority = fields.String()
    client_id = fields.String(allow_none=True)
    assignee_id = fields.String(allow_none=True)
    assignee_group_id = fields.String(allow_none=True)


class SlaNotificationQuerySchema(Schema):
    ticket_id = fields.String(validate=REFERENCE)
    target = fields.String(validate=validate.OneOf(TARGETS))
    kind = fields.String(validate=validate.OneOf(sorted(KINDS.values())))
    created_from = UtcDateTime()
    created_to = UtcDateTime()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))

    @validates_schema
    def a_period(self, data, **kwargs):
        start, end = data.get("created_from"), data.get("created_to")
        if start is not None and end is not None and end <= start:
            raise ValidationError("The period ends after it starts.", "created_to")


class SlaNotificationSchema(Schema):
    """What the `notify` escalation records: codes, not texts (whoever shows it translates)."""
    id = fields.String(attribute="_id")
    ticket_id = fields.String()
    number = fields.Integer(metadata={"description": "The ticket's number."})
    kind = fields.String(metadata={"description": "sla_warning or sla_breached"})
    target = fields.String(metadata={"description": "reaction or resolution"})
    recipients = fields.List(fields.String(), metadata={
        "description": "Employees to tell: the rule's, else the assignee; empty: the group."})
    group_id = fields.String(allow_none=True, metadata={
        "description": "The ticket's group, when there is no one person to tell."})
    due_at = UtcDateTime(metadata={"description": "The instant of the warning or the breach."})
    created_at = UtcDateTime()
    read = fields.Boolean()


SlaNotificationPageSchema = page_of(SlaNotificationSchema)
