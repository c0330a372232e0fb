"""The contract of sites and equipment (re-exported by schemas.py, like directory/schemas.py)."""
from marshmallow import Schema, fields, validate

from services.shared.identifier_fields import TimeZone
from services.shared.schema_fields import FreeFormDict, IsoDate, UtcDateTime
from services.tickets.assets.equipment import STATUSES as EQUIPMENT_STATUSES
from services.tickets.sla.calendar_schemas import calendar_named, calendar_reference

NAME = validate.Length(min=1, max=200)
REFERENCE = validate.Length(min=1, max=64)
TEXT = validate.Length(max=5000)
MAX_PAGE = 100


class CoordinatesSchema(Schema):
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))


# -- sites ----------------------------------------------------------------------------------------

class SiteWriteSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    address = fields.String(load_default="", validate=validate.Length(max=500))
    city = fields.String(load_default="", validate=validate.Length(max=100), metadata={
        "description": "The one part of where a site is that a partner link may share."})
    coordinates = fields.Nested(CoordinatesSchema, load_default=None, allow_none=True)
    time_zone = TimeZone(load_default=None, allow_none=True,
                         metadata={"description": "Empty: the account's time zone."})
    access_notes = fields.String(load_default="", validate=TEXT)
    contact_ids = fields.List(fields.String(validate=REFERENCE), load_default=list,
                              validate=validate.Length(max=50))
    calendar_id = calendar_reference("the site")


class SiteSchema(Schema):
    id = fields.String(attribute="_id")
    client_id = fields.String()
    name = fields.String()
    address = fields.String()
    city = fields.String(dump_default="")
    coordinates = fields.Nested(CoordinatesSchema, allow_none=True)
    time_zone = fields.String(allow_none=True)
    access_notes = fields.String()
    contact_ids = fields.List(fields.String())
    calendar_id = calendar_named("the site")
    created_at = UtcDateTime()


# -- equipment ------------------------------------------------------------------------------------

class EquipmentKindWriteSchema(Schema):
    name = fields.String(required=True, validate=NAME)


class EquipmentKindSchema(Schema):
    id = fields.String(attribute="_id")
    name = fields.String()


class EquipmentWriteSchema(Schema):
    site_id = fields.String(required=True, validate=REFERENCE)
    kind_id = fields.String(load_default=None, allow_none=True, validate=REFERENCE)
    manufacturer = fields.String(required=True, validate=validate.Length(min=1, max=100))
    model = fields.String(required=True, validate=validate.Length(min=1, max=100))
    serial_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100))
    inventory_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    installed_on = IsoDate(load_default=None, allow_none=True)
    warranty_until = IsoDate(load_default=None, allow_none=True)
    parameters = FreeFormDict(keys=fields.String(validate=validate.Length(min=1, max=100)),
                              values=fields.String(validate=validate.Length(max=2000)),
                              load_default=dict, metadata={"description": "Firmware, settings..."})
    status = fields.String(load_default="in_service", validate=validate.OneOf(EQUIPMENT_STATUSES))


class EquipmentSchema(Schema):
    id = fields.String(attribute="_id")
    client_id = fields.String()
    site_id = fields.String()
    kind_id = fields.String(allow_none=True)
    manufacturer = fields.String()
    model = fields.String()
    serial_number = fields.String(allow_none=True)
    inventory_number = fields.String(allow_none=True)
    installed_on = IsoDate(allow_none=True)
    warranty_until = IsoDate(allow_none=True)
    parameters = fields.Dict()
    status = fields.String()
    public_code = fields.String(metadata={"description": "What the item's QR label carries."})
    created_at = UtcDateTime()


class EquipmentQuerySchema(Schema):
    q = fields.String(validate=validate.Length(min=1, max=200))
    client_id = fields.String(validate=REFERENCE)
    site_id = fields.String(validate=REFERENCE)
    kind_id = fields.String(validate=REFERENCE)
    status = fields.String(validate=validate.OneOf(EQUIPMENT_STATUSES))
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE))
    cursor = fields.String(validate=validate.Length(max=500))
