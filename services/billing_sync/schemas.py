"""billing_sync's public contract: RPC input and output, and the payloads of its events.
The gateway imports this module and nothing else of the service."""
import re

from marshmallow import Schema, ValidationError, fields, validate, validates

from services.billing_sync.vat import KINDS, RATES
from services.shared.page_schemas import page_of
from services.shared.schema_fields import FreeFormDict, UtcDateTime

MAX_PAGE = 100
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
REFERENCE = validate.Length(min=1, max=64)
PROFILES = ("bp30", "ut11", "ut114")
ACCOUNT_CODE = validate.Regexp(r"^\d{2}(\.\d{1,2}){0,2}$", error="An account code such as 62.01.")


class Guid(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not GUID.match(value):
            raise ValidationError("A 1C Ref_Key: a GUID such as 9d1c…-…-….")
        return value.lower()


class PriceTypeChoiceSchema(Schema):
    default = Guid(required=True, metadata={"description": "Ref_Key of the default price type."})
    categories = FreeFormDict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                              values=Guid(), load_default=dict,
                             metadata={"description": "Client category -> price type Ref_Key."})


class SaleAccountsSchema(Schema):
    receivable = fields.String(validate=ACCOUNT_CODE, metadata={"description": "62.01 by default"})
    advances = fields.String(validate=ACCOUNT_CODE, metadata={"description": "62.02 by default"})
    income = fields.String(validate=ACCOUNT_CODE, metadata={"description": "90.01.1 by default"})
    expenses = fields.String(validate=ACCOUNT_CODE, metadata={"description": "90.02.1 by default"})
    vat = fields.String(validate=ACCOUNT_CODE, metadata={"description": "90.03 by default"})


class SaleSettingsSchema(Schema):
    organisation_ref = Guid(load_default=None, allow_none=True, metadata={
        "description": "Ref_Key of the selling organisation (Catalog_Организации)."})
    currency_ref = Guid(load_default=None, allow_none=True, metadata={
        "description": "Ref_Key of the sale's currency (Catalog_Валюты), the ruble as a rule."})
    nomenclature_group_ref = Guid(load_default=None, allow_none=True, metadata={
        "description": "БП: Ref_Key of the nomenclature group (Catalog_НоменклатурныеГруппы) the "
                       "income is booked to."})
    accounts = fields.Nested(SaleAccountsSchema, load_default=dict, metadata={
        "description": "БП: the sale's accounts by code."})
    vat_rate = fields.String(load_default="БезНДС", validate=validate.OneOf((*RATES, *KINDS)),
                             metadata={"description": "VAT for services without their own in 1C: "
                                                      "a rate (НДС22, НДС10, ...) or a kind "
                                                      "(Общая, ...); the rate in force on the "
                                                      "sale's date is written."})
    taxation = fields.String(load_default=None, allow_none=True,
                             validate=validate.Regexp(r"^[^\W\d]\w{0,79}$"), metadata={
                                 "description": "УТ: НалогообложениеНДС of the sale "
                                                "(ПродажаОблагаетсяНДС by default)."})
    fields_ = fields.Dict(data_key="fields", attribute="fields",
                          keys=fields.String(validate=validate.Regexp(r"^[^\W\d]\w{0,79}$")),
                          values=fields.Raw(), load_default=dict, metadata={
                              "description": "Header fields 1C needs and does not fill over OData, "
                                             "such as accounting accounts: name -> value."})


class ConnectionWriteSchema(Schema):
    url = fields.String(required=True, validate=validate.Length(min=8, max=500), metadata={
        "description": "http(s)://host/<publication>/odata/standard.odata/"})
    user = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = fields.String(load_default=None, allow_none=True, load_only=True,
                             validate=validate.Length(min=1, max=200), metadata={
                                 "description": "Required when creating; omitted keeps the stored one. "
                                                "Never returned."})
    profile = fields.String(required=True, validate=validate.OneOf(PROFILES))
    mapping = fields.Dict(keys=fields.String(validate=validate.Length(max=64)),
                          values=fields.String(validate=validate.Length(max=200)),
                          load_default=dict, metadata={"description": "Overrides of 1C names."})
    price_types = fields.Nested(PriceTypeChoiceSchema, load_default=None, allow_none=True)
    schedule_minutes = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=5, max=1440),
        metadata={"description": "Incremental runs this often; none: on demand only."})
    grace_days = fields.Integer(load_default=30, validate=validate.Range(min=0, max=365))
    sale = fields.Nested(SaleSettingsSchema, load_default=None, allow_none=True)

    @validates("url")
    def http_url(self, value, **kwargs):
        if not re.match(r"^https?://[^/@\s]+/\S*$", value):
            raise ValidationError("http(s)://host/<publication>/odata/standard.odata/ without "
                                  "a user or password in it.")


class ConnectionSchema(Schema):
    id = fields.String(attribute="_id")
    url = fields.String()
    user = fields.String()
    password_set = fields.Boolean()
    profile = fields.String()
    mapping = fields.Dict()
    price_types = fields.Dict(allow_none=True)
    schedule_minutes = fields.Integer(allow_none=True)
    grace_days = fields.Integer()
    sale = fields.Dict(allow_none=True)
    next_run_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


ConnectionPageSchema = page_of(ConnectionSchema)


class ConnectionCheckSchema(Schema):
    ok = fields.Boolean()
    profile = fields.String()
    error = fields.Dict(allow_none=True)
    entities = fields.List(fields.Dict())
    sale_settings = fields.Dict(allow_none=True, metadata={
        "description": "What the sale settings name that 1C lacks: {field: [why]}."})


class RunRequestSchema(Schema):
    mode = fields.String(load_default="full", validate=validate.OneOf(("full", "incremental")),
                         metadata={"description": "incremental fetches only what 1C "
                                                  "added or changed since the last run (by "
                                                  "DataVersion); full reads everything."})


class RunSchema(Schema):
    id = fields.String(attribute="_id")
    connection_id = fields.String()
    trigger = fields.String()
    mode = fields.String()
    state = fields.String(metadata={"description": "queued, running, succeeded or failed"})
    queued_at = UtcDateTime()
    started_at = UtcDateTime(allow_none=True)
    finished_at = UtcDateTime(allow_none=True)
    duration_seconds = fields.Float(allow_none=True)
    counts = fields.Dict()
    error = fields.Dict(allow_none=True)


class RunQuerySchema(Schema):
    state = fields.String(validate=validate.OneOf(("queued", "running", "succeeded", "failed")))
    limit = fields.Integer(load_default=MAX_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


RunPageSchema = page_of(RunSchema)


class UnmatchedSchema(Schema):
    run_id = fields.String(allow_none=True)
    at = UtcDateTime(allow_none=True)
    matched = fields.Integer()
    unmatched_clients = fields.List(fields.Dict())
    unmatched_counterparties = fields.List(fields.Dict())


class MappingWriteSchema(Schema):
    ref = Guid(required=True, allow_none=True, metadata={
        "description": "The counterparty's Ref_Key; null returns the client to automatic matching."})


class MappingSchema(Schema):
    client_id = fields.String()
    manual_ref = fields.String(allow_none=True)
    ref = fields.String(allow_none=True)


class ContractPaymentSchema(Schema):
    state = fields.String()
    balance = fields.Dict()
    advance = fields.Dict()
    overdue_amount = fields.Dict()
    last_payment_on = fields.String(allow_none=True)


class ContractStateSchema(Schema):
    onec_ref = fields.Method("ref")
    client_id = fields.String()
    number = fields.String()
    payment = fields.Nested(ContractPaymentSchema)
    updated_at = UtcDateTime()

    def ref(self, doc):
        return doc["_id"].split(":", 1)[1]


class StatusSchema(Schema):
    connection_id = fields.String()
    last_run = fields.Nested(RunSchema, allow_none=True)
    last_success = fields.Nested(RunSchema, allow_none=True)
    next_run_at = UtcDateTime(allow_none=True)
    contracts = fields.List(fields.Nested(ContractStateSchema))


class ClientPaymentsSchema(Schema):
    client_id = fields.String()
    periods = fields.List(fields.Dict(), metadata={"description": "{period: YYYY-MM, amount}"})


class ExportJobSchema(Schema):
    id = fields.String(attribute="_id")
    kind = fields.String()
    ticket_id = fields.String()
    ticket_number = fields.Integer()
    state = fields.String(metadata={"description": "pending, sending, done or dead"})
    attempts = fields.Integer()
    next_attempt_at = UtcDateTime(allow_none=True)
    idempotency_key = fields.String()
    onec_ref = fields.String(allow_none=True)
    onec_number = fields.String(allow_none=True)
    error = fields.Dict(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class ExportQuerySchema(Schema):
    state = fields.String(validate=validate.OneOf(("pending", "sending", "done", "dead")))
    limit = fields.Integer(load_default=MAX_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))


ExportPageSchema = page_of(ExportJobSchema)


# -- events ------------------------------------------------------------------------------------

class ContractPaymentUpdatedSchema(Schema):
    """`contract_payment_updated`: 1C says a contract's payment state changed."""
    event_id = fields.String()
    occurred_at = fields.String()
    account_id = fields.String()
    client_id = fields.String()
    contract = fields.Dict(metadata={"description": "{onec_ref, number}"})
    payment = fields.Nested(ContractPaymentSchema)


class PriceListUpdatedSchema(Schema):
    """`price_list_updated`: the account's services and prices as 1C holds them now."""
    event_id = fields.String()
    occurred_at = fields.String()
    account_id = fields.String()
    items = fields.List(fields.Dict(), metadata={
        "description": "code, name, unit, price, category_prices, active, onec_ref"})
    without_price = fields.List(fields.Dict())
