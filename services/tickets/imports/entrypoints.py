"""Imports of clients, contacts, sites and equipment from CSV and XLSX files."""
import base64
import binascii

import eventlet
from nameko.rpc import rpc

from services.shared.errors import EXPECTED, ValidationFailed
from services.shared.validation import load
from services.tickets.guard import Guard
from services.tickets.imports import importing
from services.tickets.imports.files import read_table
from services.tickets.imports.schemas import MAX_FILE_BYTES, ImportReportSchema, ImportRequestSchema

REQUEST, REPORT = ImportRequestSchema(), ImportReportSchema()


def decoded(content_base64):
    # base64 grows by a third: anything longer cannot decode to an acceptable file.
    if not isinstance(content_base64, str) or len(content_base64) > (MAX_FILE_BYTES // 3 + 1) * 4:
        raise ValidationFailed.from_fields({"file": [f"A file of at most {MAX_FILE_BYTES // 1024} KiB."]})
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed.from_fields({"file": ["Not base64."]}) from None


class ImportEntrypoints(Guard):
    @rpc(expected_exceptions=EXPECTED)
    def import_rows(self, actor, kind, filename, content_base64, dry_run, partial):
        """Check a spreadsheet of `kind` row by row and, unless a dry run, write it: all of it,
        or with `partial` its valid rows, keyed by external ids."""
        actor = self.authorized(actor, "clients.manage")
        options = load(REQUEST, {"kind": kind, "filename": filename or "", "dry_run": dry_run,
                                 "partial": partial})
        table = read_table(options["filename"], decoded(content_base64))
        found = importing.run(self.store, actor.account_id, options["kind"], table,
                              dry_run=options["dry_run"], partial=options["partial"],
                              pause=eventlet.sleep)
        if found["written"]:
            self.store.audit.record(
                actor, "import.applied", "import", None, kind=found["kind"],
                filename=options["filename"], rows=found["rows"], created=found["created"],
                updated=found["updated"], unchanged=found["unchanged"],
                failed_rows=found["rows"] - found["valid"],
                new_equipment_kinds=found["new_equipment_kinds"])
        return REPORT.dump(found)
