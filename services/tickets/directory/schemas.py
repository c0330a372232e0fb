"""The contract of accounts, people, client companies, credentials and the audit log.

Input schemas carry passwords as plain (not load_only) fields because the gateway re-dumps what
it validated to pass it on; output schemas have no password field at all.

Part of the tickets service's public contract, like schemas.py (which re-exports these names):
the gateway validates HTTP input with them and the service validates again.
"""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.shared.identifier_fields import Email, Inn, Kpp, Phone, TimeZone
from services.shared.page_schemas import MAX_PAGE, page_of
from services.shared.page_schemas import PageQuerySchema as CursorPageQuerySchema
from services.shared.schema_fields import Settings, UtcDateTime
from services.tickets.contracts.schemas import TargetSchema
from services.tickets.permissions import ROLES
from services.tickets.sla.calendar_schemas import calendar_named, calendar_reference
from services.tickets.portal.settings import settings_errors as portal_settings_errors
from services.tickets.sla.policy import settings_errors
from services.tickets.tickets.vocabulary import PRIORITIES

NAME = validate.Length(min=1, max=200)
REFERENCE = validate.Length(min=1, max=64)
PASSWORD = validate.Length(min=10, max=128)
SLUG = validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$",
                       error="3-40 lowercase letters, digits and dashes, not at either end.")
LOCALES = ("ru", "en")
PORTAL_ACCESS = ("none", "own", "company")


def _at_least_one(data):
    if not data:
        raise ValidationError("Name at least one field to change.")


class PageQuerySchema(CursorPageQuerySchema):
    q = fields.String(validate=validate.Length(min=1, max=200))
    active = fields.Boolean()


# -- accounts -----------------------------------------------------------------------------------

class FirstAdminSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    email = Email(required=True)
    password = fields.String(validate=PASSWORD)


def _sla_settings(data):
    settings = data.get("settings") or {}
    errors = {**settings_errors(settings), **portal_settings_errors(settings)}
    if errors:
        raise ValidationError(errors, "settings")


class AccountCreateSchema(Schema):
    slug = fields.String(required=True, validate=SLUG)
    name = fields.String(required=True, validate=NAME)
    time_zone = TimeZone(load_default="Europe/Moscow")
    locale = fields.String(load_default="ru", validate=validate.OneOf(LOCALES))
    settings = Settings(load_default=dict)
    admin = fields.Nested(FirstAdminSchema, required=True)

    @validates_schema
    def sla_settings(self, data, **kwargs):
        _sla_settings(data)


class AccountUpdateSchema(Schema):
    name = fields.String(validate=NAME)
    time_zone = TimeZone()
    locale = fields.String(validate=validate.OneOf(LOCALES))
    settings = Settings(metadata={"description": "Replaces all settings. SLA keys: "
                                  "sla_calendar_id, sla_pausing_statuses, sla_warning_share."})

    @validates_schema
    def not_empty(self, data, **kwargs):
        _at_least_one(data)

    @validates_schema
    def sla_settings(self, data, **kwargs):
        _sla_settings(data)


class AccountSchema(Schema):
    id = fields.String(attribute="_id")
    slug = fields.String()
    name = fields.String()
    time_zone = fields.String()
    locale = fields.String()
    settings = fields.Dict()
    active = fields.Boolean()
    created_at = UtcDateTime()


# -- employees and groups ---------------------------------------------------------------------

class EmployeeCreateSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    email = Email(required=True)
    phone = Phone(allow_none=True, load_default=None)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True,
                        validate=validate.Length(min=1))
    password = fields.String(validate=PASSWORD)


class EmployeeUpdateSchema(Schema):
    name = fields.String(validate=NAME)
    email = Email()
    phone = Phone(allow_none=True)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), validate=validate.Length(min=1))
    active = fields.Boolean()

    @validates_schema
    def not_empty(self, data, **kwargs):
        _at_least_one(data)


class EmployeeSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    group_ids = fields.List(fields.String())
    active = fields.Boolean()
    created_at = UtcDateTime()


class GroupWriteSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    member_ids = fields.List(fields.String(validate=REFERENCE), load_default=list)


class GroupSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    member_ids = fields.List(fields.String())
    created_at = UtcDateTime()


# -- client companies and contacts ------------------------------------------------------------

class ClientWriteSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    legal_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    inn = Inn(load_default=None, allow_none=True)
    kpp = Kpp(load_default=None, allow_none=True)
    category = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    manager_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    notes = fields.String(load_default="", validate=validate.Length(max=5000))
    sla_targets = fields.Dict(
        keys=fields.String(validate=validate.OneOf(PRIORITIES)), values=fields.Nested(TargetSchema),
        load_default=dict, metadata={"description": "The client's own reaction and resolution "
                                     "minutes for some priorities: they win over the service "
                                     "level's for this client's tickets."})
    calendar_id = calendar_reference("the client")

    @validates_schema
    def kpp_needs_an_organisation(self, data, **kwargs):
        if data.get("kpp") and len(data.get("inn") or "") != 10:
            raise ValidationError("A KPP belongs to an organisation: give its 10-digit INN.", "kpp")


class ClientSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    legal_name = fields.String(allow_none=True)
    inn = fields.String(allow_none=True)
    kpp = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    manager_id = fields.String(allow_none=True)
    notes = fields.String()
    sla_targets = fields.Dict(values=fields.Nested(TargetSchema))
    calendar_id = calendar_named("the client")
    active = fields.Boolean()
    onec_ref = fields.String(allow_none=True, metadata={
        "description": "The 1C counterparty's Ref_Key, set by the 1C sync."})
    created_at = UtcDateTime()


class ContactWriteSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    position = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    phones = fields.List(Phone(), load_default=list, validate=validate.Length(max=10))
    emails = fields.List(Email(), load_default=list, validate=validate.Length(max=10))
    portal_access = fields.String(load_default="none", validate=validate.OneOf(PORTAL_ACCESS))
    active = fields.Boolean(load_default=True)
    password = fields.String(validate=PASSWORD)

    @validates_schema
    def portal_needs_a_login(self, data, **kwargs):
        if data.get("portal_access", "none") != "none" and not data.get("emails"):
            raise ValidationError("Portal access needs an e-mail to log in with.", "emails")


class ContactSchema(Schema):
    id = fields.String(attribute="_id")
    client_id = fields.String()
    name = fields.String()
    position = fields.String(allow_none=True)
    phones = fields.List(fields.String())
    emails = fields.List(fields.String())
    portal_access = fields.String()
    active = fields.Boolean()
    created_at = UtcDateTime()


# -- credentials --------------------------------------------------------------------------------

class LoginSchema(Schema):
    account = fields.String(required=True, validate=SLUG)
    login = Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=128))
    new_password = fields.String(required=True, validate=PASSWORD)


class PasswordResetSchema(Schema):
    account = fields.String(required=True, validate=SLUG)
    token = fields.String(required=True, validate=validate.Length(min=20, max=100))
    new_password = fields.String(required=True, validate=PASSWORD)


class TokenCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    expires_in_days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=366))
    employee_id = fields.String(validate=REFERENCE, metadata={
        "description": "Issue the token for another employee (admins only)."})


class ActorReferenceSchema(Schema):
    kind = fields.String()
    id = fields.String()


class CredentialSchema(Schema):
    id = fields.String(attribute="_id")
    kind = fields.String()
    name = fields.String(allow_none=True)
    actor = fields.Nested(ActorReferenceSchema)
    created_at = UtcDateTime()
    expires_at = UtcDateTime()
    revoked_at = UtcDateTime(allow_none=True)


class IssuedCredentialSchema(CredentialSchema):
    token = fields.String(metadata={"description": "Shown this once; only a hash is stored."})


class SignedInActorSchema(Schema):
    """Who a session acts as: what the services check every call against."""
    account_id = fields.String(allow_none=True)
    kind = fields.String()
    id = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    client_id = fields.String(allow_none=True)
    client_scope = fields.String(allow_none=True)
    client_category = fields.String(allow_none=True)
    credential_id = fields.String(allow_none=True)
    service_levels = fields.List(fields.String())


class SessionSchema(IssuedCredentialSchema):
    actor = fields.Nested(SignedInActorSchema)


class AccountCreatedSchema(Schema):
    account = fields.Nested(AccountSchema, required=True)
    admin = fields.Nested(EmployeeSchema, required=True)
    admin_token = fields.String(required=True, metadata={
        "description": "The first admin's API token; shown this once, only a hash is stored."})
    admin_token_id = fields.String(required=True)


# -- audit --------------------------------------------------------------------------------------

class AuditQuerySchema(Schema):
    action = fields.String(validate=validate.Length(min=1, max=64))
    actor_id = fields.String(validate=REFERENCE)
    target_type = fields.String(validate=validate.Length(min=1, max=64))
    target_id = fields.String(validate=REFERENCE)
    created_from = UtcDateTime()
    created_to = UtcDateTime()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


class AuditEntrySchema(Schema):
    id = fields.String(attribute="_id")
    at = UtcDateTime()
    actor = fields.Nested(ActorReferenceSchema)
    credential_id = fields.String(allow_none=True)
    action = fields.String()
    target_type = fields.String(allow_none=True)
    target_id = fields.String(allow_none=True)
    details = fields.Dict()


# -- pages ----------------------------------------------------------------------------------------

EmployeePageSchema = page_of(EmployeeSchema)
ClientPageSchema = page_of(ClientSchema)
ContactPageSchema = page_of(ContactSchema)
AuditPageSchema = page_of(AuditEntrySchema)
