"""The contract of imports: the request's options and the report (the gateway imports these)."""
from marshmallow import Schema, fields, validate

IMPORT_KINDS = ("clients", "contacts", "sites", "equipment")
MAX_FILE_BYTES = 1024 * 1024   # the gateway's cap on a request body, too
MAX_ROWS = 5000


class ImportQuerySchema(Schema):
    dry_run = fields.Boolean(load_default=True, metadata={
        "description": "Only check and report; write nothing (the default)."})
    partial = fields.Boolean(load_default=False, metadata={
        "description": "Write the valid rows even when others fail (else nothing is written)."})


class ImportRequestSchema(ImportQuerySchema):
    """What the service checks again: the kind, the file's name and the options."""
    kind = fields.String(required=True, validate=validate.OneOf(IMPORT_KINDS))
    filename = fields.String(load_default="", validate=validate.Length(max=255))


class ImportErrorSchema(Schema):
    row = fields.Integer(metadata={"description": "Row number in the file; the header is row 1."})
    column = fields.String(allow_none=True)
    reason = fields.String()


class ImportReportSchema(Schema):
    kind = fields.String(metadata={"description": ", ".join(IMPORT_KINDS)})
    rows = fields.Integer(metadata={"description": "Data rows in the file (blank rows skipped)."})
    valid = fields.Integer()
    errors = fields.List(fields.Nested(ImportErrorSchema))
    errors_left_off = fields.Integer(metadata={"description": "Errors beyond the first 1000."})
    created = fields.Integer(metadata={
        "description": "Records created; when nothing was written, records that would be."})
    updated = fields.Integer()
    unchanged = fields.Integer()
    new_equipment_kinds = fields.List(fields.String(), metadata={
        "description": "Kinds named by the rows and missing from the catalog: created with them."})
    dry_run = fields.Boolean()
    partial = fields.Boolean()
    written = fields.Boolean(metadata={"description": "Whether anything was written."})
