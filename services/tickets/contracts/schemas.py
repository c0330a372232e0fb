"""The contract of service levels, contracts, coverage, the price list and paid works
(re-exported by schemas.py, like every subdomain's schemas)."""
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from services.shared.page_schemas import PageQuerySchema
from services.shared.schema_fields import FreeFormDict, IsoDate, Money, UtcDateTime
from services.tickets.assets.schemas import NAME, REFERENCE, TEXT
from services.tickets.contracts.coverage import ACTIONS, PAYMENT_STATES, VERDICTS
from services.tickets.sla.calendar_schemas import calendar_named, calendar_reference
from services.tickets.tickets.vocabulary import PRIORITIES

MINUTES_A_YEAR = 366 * 24 * 60


# -- service levels and contracts ---------------------------------------------------------------
class TargetSchema(Schema):
    reaction_minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=MINUTES_A_YEAR))
    resolution_minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=MINUTES_A_YEAR))

    @validates_schema
    def resolution_after_reaction(self, data, **kwargs):
        if data["resolution_minutes"] < data["reaction_minutes"]:
            raise ValidationError("Resolution cannot come before reaction.", "resolution_minutes")


class ServiceLevelWriteSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    targets = fields.Dict(keys=fields.String(validate=validate.OneOf(PRIORITIES)),
                          values=fields.Nested(TargetSchema), required=True,
                          metadata={"description": "Business minutes per ticket priority."})
    personal_manager = fields.Boolean(load_default=False)
    options = fields.List(fields.String(validate=validate.Length(min=1, max=200)), load_default=list)
    monthly_price = Money(required=True)
    active = fields.Boolean(load_default=True)
    calendar_id = calendar_reference("the service level")  # a 24/7 tier runs on a 24/7 calendar

    @validates_schema
    def every_priority(self, data, **kwargs):
        missing = [p for p in PRIORITIES if p not in data.get("targets", {})]
        if missing:
            raise ValidationError(f"Targets for every priority: missing {', '.join(missing)}.", "targets")


class ServiceLevelSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()
    targets = fields.Dict(values=fields.Nested(TargetSchema))
    personal_manager = fields.Boolean()
    options = fields.List(fields.String())
    monthly_price = fields.Dict()
    active = fields.Boolean()
    calendar_id = calendar_named("the service level")
    created_at = UtcDateTime()


class ContractCoverageSchema(Schema):
    all = fields.Boolean(load_default=None, allow_none=True, metadata={
        "description": "Everything of the client; by default, unless sites or items are listed."})
    site_ids = fields.List(fields.String(validate=REFERENCE), load_default=list)
    equipment_ids = fields.List(fields.String(validate=REFERENCE), load_default=list)

    @post_load
    def all_unless_listed(self, data, **kwargs):
        listed = bool(data["site_ids"] or data["equipment_ids"])
        if data["all"] and listed:
            raise ValidationError("Either everything of the client, or listed sites and items.", "all")
        return dict(data, all=not listed if data["all"] is None else data["all"])


class PaymentSchema(Schema):
    state = fields.String(load_default="unknown", validate=validate.OneOf(PAYMENT_STATES), metadata={
        "description": "unknown until a payment source (1C, a person) says paid, unpaid or overdue; "
                       "only unpaid and overdue make coverage `unpaid`."})
    balance = Money(load_default=None, allow_none=True)
    last_payment_on = IsoDate(load_default=None, allow_none=True)


class ContractWriteSchema(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    client_id = fields.String(required=True, validate=REFERENCE)
    service_level_id = fields.String(required=True, validate=REFERENCE)
    valid_from = IsoDate(required=True)
    valid_until = IsoDate(load_default=None, allow_none=True)
    subscription_from = IsoDate(load_default=None, allow_none=True)
    subscription_until = IsoDate(load_default=None, allow_none=True)
    coverage = fields.Nested(ContractCoverageSchema, load_default=lambda: {
        "all": True, "site_ids": [], "equipment_ids": []})
    manager_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    payment = fields.Nested(PaymentSchema, load_default=lambda: {
        "state": "unknown", "balance": None, "last_payment_on": None})
    notes = fields.String(load_default="", validate=TEXT)

    @validates_schema
    def periods_in_order(self, data, **kwargs):
        for start, end in (("valid_from", "valid_until"), ("subscription_from", "subscription_until")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                raise ValidationError("Ends before it starts.", end)


class ContractQuerySchema(PageQuerySchema):
    client_id = fields.String(validate=REFERENCE)


class ContractSchema(Schema):
    id = fields.String(attribute="_id")
    number = fields.String()
    client_id = fields.String()
    service_level_id = fields.String()
    valid_from = IsoDate()
    valid_until = IsoDate(allow_none=True)
    subscription_from = IsoDate(allow_none=True)
    subscription_until = IsoDate(allow_none=True)
    coverage = fields.Nested(ContractCoverageSchema)
    manager_id = fields.String(allow_none=True)
    payment = fields.Nested(PaymentSchema)
    notes = fields.String()
    created_at = UtcDateTime()


# -- coverage -------------------------------------------------------------------------------------

class CoveragePolicySchema(Schema):
    actions = fields.Dict(keys=fields.String(validate=validate.OneOf(VERDICTS)),
                          values=fields.String(validate=validate.OneOf(ACTIONS)), load_default=dict)
    messages = fields.Dict(keys=fields.String(validate=validate.OneOf(VERDICTS)),
                           values=fields.String(validate=validate.Length(max=1000)), load_default=dict)
    sales_group_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE,
                                   metadata={"description": "Where 'sales' hands tickets to."})
    paid_work_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=32),
                                   metadata={"description": "The price item quoted with 'paid_work' (a call-out, say)."})


class CoverageCheckSchema(Schema):
    client_id = fields.String(validate=REFERENCE)
    site_id = fields.String(validate=REFERENCE)
    equipment_id = fields.String(validate=REFERENCE)

    @validates_schema
    def names_something(self, data, **kwargs):
        if not data:
            raise ValidationError("Name a client, a site or an equipment item.")


class CoverageSchema(Schema):
    verdict = fields.String(metadata={"description": ", ".join(VERDICTS)})
    action = fields.String(metadata={"description": ", ".join(ACTIONS)})
    message = fields.String(allow_none=True)
    contract_id = fields.String(allow_none=True)
    service_level_id = fields.String(allow_none=True)
    payment_state = fields.String(allow_none=True, metadata={
        "enum": list(PAYMENT_STATES), "description": (
            "The chosen contract's payment state: `covered` with `unknown` means no payment "
            "source has spoken yet. Null without a contract.")})
    price = fields.Dict(allow_none=True, metadata={"description": "Quoted with paid_work."})
    checked_on = IsoDate()


# -- price list and paid works ----------------------------------------------------------------------

class PriceItemWriteSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))
    name = fields.String(required=True, validate=NAME)
    unit = fields.String(required=True, validate=validate.Length(min=1, max=20),
                         metadata={"description": "шт, час, выезд..."})
    price = Money(required=True, metadata={"description": "The default price."})
    category_prices = FreeFormDict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                                   values=Money(), load_default=dict,
                                   metadata={"description": "Prices per client category."})
    active = fields.Boolean(load_default=True)


class PriceItemSchema(Schema):
    id = fields.String(attribute="_id")
    code = fields.String()
    name = fields.String()
    unit = fields.String()
    price = fields.Dict()
    category_prices = fields.Dict()
    active = fields.Boolean()


class WorkCreateSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32),
                         metadata={"description": "The price item's code."})
    # apispec writes a Decimal's bounds as strings; the document states them as numbers.
    quantity = fields.Decimal(required=True, as_string=True, places=3,
                              validate=validate.Range(min=0.001, max=100000),
                              metadata={"minimum": 0.001, "maximum": 100000})
    performed_by = fields.String(load_default=None, allow_none=True, validate=REFERENCE,
                                 metadata={"description": "An employee; the caller when empty."})
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class WorkLineSchema(Schema):
    id = fields.String()
    price_item_id = fields.String()
    code = fields.String()
    name = fields.String()
    unit = fields.String()
    quantity = fields.String()
    unit_price = fields.Dict()
    amount = fields.Dict()
    performed_by = fields.String()
    at = UtcDateTime()
    note = fields.String()
