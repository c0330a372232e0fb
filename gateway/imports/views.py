"""/api/v1/imports/{kind}: clients, contacts, sites and equipment from a CSV or XLSX file."""
import base64

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema
from werkzeug.exceptions import RequestEntityTooLarge

from gateway.calls import call, respond
from services.shared.errors import ValidationFailed
from services.tickets.schemas import (IMPORT_KINDS, MAX_FILE_BYTES, ImportQuerySchema,
                                             ImportReportSchema)

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports",
                description="Import of clients, contacts, sites and equipment from CSV and XLSX, "
                            "keyed by external ids; a dry run by default.")


class ImportFileSchema(Schema):
    file = Upload(required=True, metadata={
        "description": "CSV (UTF-8 or Windows-1251; `,` `;` or tab) or XLSX (first sheet); "
                       "the first row names the columns. At most 1 MiB and 5,000 rows."})


@blp.route("/<string:kind>", parameters=[{
    "in": "path", "name": "kind", "required": True, "description": "What the file holds.",
    "schema": {"type": "string", "enum": list(IMPORT_KINDS)}}])
class Import(MethodView):
    @blp.arguments(ImportQuerySchema, location="query")
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(200, ImportReportSchema)
    def post(self, query, files, kind):
        """Check a file row by row and, with `dry_run=false`, write it (admins, dispatchers).

        `kind` is one of clients, contacts, sites, equipment. Nothing is written when a row fails
        unless `partial=true`; the report names each failing row and column."""
        if kind not in IMPORT_KINDS:
            raise ValidationFailed.from_fields({"kind": [f"One of {', '.join(IMPORT_KINDS)}."]})
        upload = files["file"]
        content = upload.read(MAX_FILE_BYTES + 1)
        if len(content) > MAX_FILE_BYTES:
            raise RequestEntityTooLarge(f"A file of at most {MAX_FILE_BYTES // 1024} KiB.")
        return respond(call("tickets", "import_rows", kind, upload.filename or "",
                            base64.b64encode(content).decode("ascii"), query["dry_run"],
                            query["partial"]))
