"""The telephony service's public contract: PBX integrations and calls.

The gateway validates HTTP input with these schemas (and builds the OpenAPI document from them);
the service validates again, because it trusts no caller. Secrets go in, never out: an
integration shows which secrets are set, not their values.
"""
import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.shared.identifier_fields import Phone, TimeZone
from services.shared.page_schemas import page_of
from services.shared.schema_fields import UtcDateTime
from services.telephony.adapters import DIALECTS
from services.telephony.call_events import DIRECTIONS, DISPOSITIONS
from services.telephony.calls import STATES

DIALECT_SECRETS = {name: dialect.secrets for name, dialect in DIALECTS.items()}
GENERATED_SECRETS = ("token",)  # a URL token we make ourselves when none is given
NAME = validate.Length(min=1, max=200)
REFERENCE = validate.Length(min=1, max=64)
SECRET = validate.Length(min=8, max=200)
MAX_PAGE = 100
KNOWN_CALLER_RULES = ("attach_to_open_ticket", "open_new_ticket")
UNKNOWN_CALLER_RULES = ("open_ticket", "ignore")
MISSED_CALL_RULES = ("callback_ticket", "ignore")
EXTENSION = re.compile(r"^[A-Za-z0-9_.@+\-]{1,64}$")


class LineSchema(Schema):
    number = Phone(required=True)
    name = fields.String(required=True, validate=NAME)


class ExtensionSchema(Schema):
    extension = fields.String(required=True, validate=validate.Regexp(
        EXTENSION, error="An extension number or login: letters, digits, _ . @ + -"))
    employee_id = fields.String(required=True, validate=REFERENCE)


class RulesSchema(Schema):
    known_caller = fields.String(load_default="attach_to_open_ticket",
                                 validate=validate.OneOf(KNOWN_CALLER_RULES))
    unknown_caller = fields.String(load_default="open_ticket",
                                   validate=validate.OneOf(UNKNOWN_CALLER_RULES))
    missed_call = fields.String(load_default="callback_ticket",
                                validate=validate.OneOf(MISSED_CALL_RULES))
    callback_window_minutes = fields.Integer(load_default=60,
                                             validate=validate.Range(min=1, max=7 * 24 * 60))


class IntegrationWriteSchema(Schema):
    """A whole integration. `secrets` may be left out on replace to keep the stored ones."""
    name = fields.String(required=True, validate=NAME)
    dialect = fields.String(required=True, validate=validate.OneOf(DIALECT_SECRETS))
    secrets = fields.Dict(keys=fields.String(), values=fields.String(validate=SECRET),
                          load_default=None, metadata={"description": (
                              "generic/asterisk: token (made for you when left out); "
                              "mango: api_key, api_salt; zadarma: secret.")})
    lines = fields.List(fields.Nested(LineSchema), load_default=list,
                        validate=validate.Length(max=200))
    extensions = fields.List(fields.Nested(ExtensionSchema), load_default=list,
                             validate=validate.Length(max=5000))
    rules = fields.Nested(RulesSchema, load_default=lambda: RulesSchema().load({}))
    region = fields.String(load_default="RU", validate=validate.Regexp(
        r"^[A-Z]{2}$", error="A two-letter country code such as RU."))
    area_code = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\d{3,5}$", error="3 to 5 digits, for PBXs that send local numbers."))
    time_zone = TimeZone(load_default="Europe/Moscow")
    enabled = fields.Boolean(load_default=True)

    @validates_schema
    def _consistent(self, data, **kwargs):
        secrets = data.get("secrets")
        if secrets is not None and data.get("dialect") in DIALECT_SECRETS:
            wanted = set(DIALECT_SECRETS[data["dialect"]])
            if set(secrets) - wanted:
                raise ValidationError(f"Only {', '.join(sorted(wanted))}.", "secrets")
        extensions = [entry["extension"] for entry in data.get("extensions") or []]
        if len(extensions) != len(set(extensions)):
            raise ValidationError("Each extension may appear once.", "extensions")
        numbers = [line["number"] for line in data.get("lines") or []]
        if len(numbers) != len(set(numbers)):
            raise ValidationError("Each line number may appear once.", "lines")


class IntegrationSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    dialect = fields.String()
    secrets_set = fields.Function(lambda integration: sorted(integration["secrets"]))
    webhook_path = fields.String(metadata={"description": (
        "Where the PBX posts, under the gateway's address. For token dialects it ends with the "
        "token: show it to administrators only.")})
    lines = fields.List(fields.Nested(LineSchema))
    extensions = fields.List(fields.Nested(ExtensionSchema))
    rules = fields.Nested(RulesSchema)
    region = fields.String()
    area_code = fields.String(allow_none=True)
    time_zone = fields.String()
    enabled = fields.Boolean()
    version = fields.Integer()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class IntegrationQuerySchema(Schema):
    enabled = fields.Boolean()
    limit = fields.Integer(load_default=MAX_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


class RecordingSchema(Schema):
    reference = fields.String()
    ready = fields.Boolean()


class CallSchema(Schema):
    id = fields.String(attribute="_id")
    integration_id = fields.String()
    vendor = fields.String()
    call_key = fields.String()
    state = fields.String(metadata={"enum": list(STATES)})
    direction = fields.String(allow_none=True, metadata={"enum": list(DIRECTIONS)})
    caller = fields.String(allow_none=True, metadata={
        "description": "E.164 for a phone number, bare digits for an extension."})
    callee = fields.String(allow_none=True)
    line = fields.String(allow_none=True)
    extension = fields.String(allow_none=True)
    employee_id = fields.String(allow_none=True)
    started_at = UtcDateTime(allow_none=True)
    answered_at = UtcDateTime(allow_none=True)
    ended_at = UtcDateTime(allow_none=True)
    duration = fields.Integer(allow_none=True, metadata={"description": "Seconds of conversation."})
    disposition = fields.String(allow_none=True, metadata={"enum": list(DISPOSITIONS)})
    settled = fields.Boolean(metadata={
        "description": "The call's final record is in: its disposition will not change."})
    ticket_reference = fields.String(allow_none=True, metadata={
        "description": "Our ticket the PBX said an outgoing call was dialled from."})
    recordings = fields.List(fields.Nested(RecordingSchema))
    ticket_ids = fields.List(fields.String(), metadata={
        "description": "Tickets the call was filed on or linked to."})
    version = fields.Integer()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class CallEventSchema(Schema):
    key = fields.String()
    name = fields.String()
    kind = fields.String()
    leg_key = fields.String(allow_none=True)
    sequence = fields.Integer(allow_none=True)
    occurred_at = UtcDateTime()
    raw = fields.String(metadata={"description": "The vendor's payload, as JSON text."})


class CallDetailSchema(CallSchema):
    events = fields.List(fields.Nested(CallEventSchema))


class CallQuerySchema(Schema):
    integration_id = fields.String(validate=REFERENCE)
    state = fields.String(validate=validate.OneOf(STATES))
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    disposition = fields.String(validate=validate.OneOf(DISPOSITIONS))
    number = Phone(metadata={"description": "Calls where this number called or was called."})
    limit = fields.Integer(load_default=MAX_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


CallPageSchema = page_of(CallSchema)
IntegrationPageSchema = page_of(IntegrationSchema)


class TicketLinkSchema(Schema):
    ticket_id = fields.String(required=True, validate=REFERENCE)


class WebhookSecretsSchema(Schema):
    """What the gateway's webhook edge keeps in its cache: never shown to anybody."""
    account_id = fields.String()
    integration_id = fields.String()
    dialect = fields.String()
    secrets = fields.Dict(keys=fields.String(), values=fields.String())
