"""Importing clients, contacts, sites and equipment from a spreadsheet: plan every row, then write.

Planning reads every row, finds the record its external id already names (per account and kind),
resolves what it refers to (a client, a site, an equipment kind by name), validates the record the
row would leave behind with the same write schema the API uses, and checks the account-wide rules
(portal logins, serial numbers), all without writing. Each problem becomes a row error naming the
row (the header is row 1) and the column. Then, unless it is a dry run, the plan is applied: all of
it when every row is valid, only the valid rows when the caller asked for a partial import, nothing
otherwise. A row whose record would not change is not written, so importing a file twice creates
and changes nothing the second time.
"""
from collections import Counter
from dataclasses import dataclass, field

from services.shared.errors import Conflict, NotFound, ValidationFailed
from services.shared.validation import load
from services.tickets.imports.columns import column_name
from services.tickets.imports.kinds import IMPORTS, EquipmentImport

MAX_EXTERNAL_ID = 100
MAX_LISTED_ERRORS = 1000
PAUSE_EVERY = 50  # rows between two pauses, so a long import lets other requests through
ERROR_COLUMNS = {"email": "emails"}  # a store's Conflict field -> the column it comes from


@dataclass
class Row:
    number: int
    cells: dict                     # column -> text or None
    external_id: str = None
    existing: dict = None           # the stored record the external id names
    parent: dict = None             # its client (contacts, sites) or site (equipment)
    refs: dict = field(default_factory=dict)   # schema fields found by resolving (site_id, kind_id)
    new_kind: str = None            # an equipment kind to create for it
    data: dict = None               # the validated record
    action: str = None              # create, update or unchanged, once valid
    unbound: bool = False           # its record exists but an interrupted import left it unbound
    errors: list = field(default_factory=list)

    def fail(self, column, reason):
        self.errors.append({"row": self.number, "column": column, "reason": reason})

    def stored(self):
        return dict(self.data, external_id=self.external_id)


@dataclass
class Plan:
    kind: object
    total: int
    rows: list = field(default_factory=list)
    header_errors: list = field(default_factory=list)

    @property
    def failed(self):
        return bool(self.header_errors) or any(row.errors for row in self.rows)


def run(store, account_id, kind_name, table, *, dry_run, partial, pause=None):
    """Plan the import of `table` and apply it unless told not to; returns the report."""
    planned = plan(store, account_id, kind_name, table, pause=pause)
    applies = not dry_run and not planned.header_errors and (partial or not planned.failed)
    written = apply(store, account_id, planned, pause=pause) if applies else False
    return report(planned, dry_run=dry_run, partial=partial, written=written)


def plan(store, account_id, kind_name, table, pause=None):
    kind = IMPORTS[kind_name]
    planned = Plan(kind=kind, total=len(table.rows))
    header_errors = kind.columns.header_errors(table.header)
    if header_errors:
        planned.header_errors = [{"row": 1, "column": c, "reason": r} for c, r in header_errors]
        return planned
    planned.rows = _rows(kind, table)
    _find_existing(store, account_id, kind, planned.rows, pause)
    kind.resolve(store, account_id, planned.rows)
    names = {column_name(c) for c in table.header if c is not None}
    file_fields = kind.columns.file_fields(table.header)
    for row in planned.rows:
        _validate(kind, row, file_fields, names)
    kind.check(store, account_id, [row for row in planned.rows if not row.errors])
    for row in planned.rows:
        if row.errors:
            continue
        if row.existing is None:
            row.action = "create"
        else:
            row.action = "unchanged" if kind.same(row) and not row.unbound else "update"
    return planned


def _rows(kind, table):
    rows, seen = [], {}
    for number, values in table.rows:
        cells, stray = kind.columns.cells(table.header, values)
        row = Row(number=number, cells=cells)
        for column, reason in stray:
            row.fail(column, reason)
        external_id = cells.get("external_id")
        if external_id is None:
            row.fail("external_id", "Give the record's external id: re-imports find it by this key.")
        elif len(external_id) > MAX_EXTERNAL_ID:
            row.fail("external_id", f"At most {MAX_EXTERNAL_ID} characters.")
        elif external_id in seen:
            row.fail("external_id", f"Row {seen[external_id]} has the same external id.")
        else:
            seen[external_id] = number
            row.external_id = external_id
        rows.append(row)
    return rows


def _find_existing(store, account_id, kind, rows, pause):
    records = kind.records(store)
    for position, row in enumerate(rows):
        if pause and position % PAUSE_EVERY == 0:
            pause()
        if row.external_id is None:
            continue
        entry = store.external_ids.find(account_id, kind.registry_kind, row.external_id)
        if entry is None:
            continue
        if entry["record_id"]:
            row.existing = records.find(account_id, entry["record_id"])
            if row.existing is None:
                row.fail("external_id", "This external id names a record that no longer exists.")
        else:
            # Claimed by an import still running, or by one interrupted after creating the record.
            row.existing = records.find_by_external_id(account_id, row.external_id)
            row.unbound = row.existing is not None


def _validate(kind, row, file_fields, names):
    """The record the row would leave behind, through the kind's write schema: the file's columns
    over the stored values of the fields it has no column for."""
    data = {}
    if row.existing:
        data = {name: row.existing[name] for name in kind.schema.fields
                if name in row.existing and name not in file_fields}
    data.update(kind.columns.schema_input(row.cells, row.existing))
    data.update(row.refs)
    try:
        loaded = load(kind.schema, data)
    except ValidationFailed as failed:
        blamed = {error["column"] for error in row.errors}  # a missing site need not be told twice
        for path, messages in failed.fields.items():
            column = kind.columns.column_of(path, names)
            if column not in blamed:
                for message in messages:
                    row.fail(column, message)
        return
    if not row.errors:
        row.data = loaded


def apply(store, account_id, planned, pause=None):
    """Write the valid rows that change something; True when anything was written."""
    kind, written, made_kinds = planned.kind, False, {}
    for position, row in enumerate(planned.rows):
        if pause and position % PAUSE_EVERY == 0:
            pause()
        if row.errors or row.action == "unchanged":
            continue
        try:
            if row.new_kind:
                if row.new_kind not in made_kinds:
                    made_kinds[row.new_kind] = EquipmentImport.ensure_kind(store, account_id,
                                                                           row.new_kind)
                    written = True
                row.data["kind_id"] = made_kinds[row.new_kind]
            if row.action == "create":
                _create(store, account_id, kind, row)
            else:
                kind.replace(store, account_id, row)
                if row.unbound:
                    store.external_ids.bind(account_id, kind.registry_kind, row.external_id,
                                            row.existing["_id"])
            written = True
        except (Conflict, ValidationFailed, NotFound) as error:
            # Someone changed the account between the plan and this row (a rival import, an edit).
            _fail_with(row, kind, error)
    return written


def _create(store, account_id, kind, row):
    registry = store.external_ids
    registry.claim(account_id, kind.registry_kind, row.external_id)
    try:
        record_id = kind.create(store, account_id, row)
    except BaseException:
        registry.release(account_id, kind.registry_kind, row.external_id)
        raise
    registry.bind(account_id, kind.registry_kind, row.external_id, record_id)


def _fail_with(row, kind, error):
    row.action = None
    if isinstance(error, ValidationFailed):
        for path, messages in error.fields.items():
            for message in messages:
                row.fail(kind.columns.column_of(path, set(row.cells)), message)
        return
    column = error.extra.get("field") if isinstance(error, Conflict) else None
    row.fail(ERROR_COLUMNS.get(column, column or "external_id"), error.detail)


def report(planned, *, dry_run, partial, written):
    """What the caller gets back. The counts say what was done, or, when nothing was written,
    what would be done with the valid rows."""
    errors = planned.header_errors + [error for row in planned.rows for error in row.errors]
    valid = [row for row in planned.rows if not row.errors]
    actions = Counter(row.action for row in valid)
    return {
        "kind": planned.kind.name, "rows": planned.total, "valid": len(valid),
        "errors": errors[:MAX_LISTED_ERRORS],
        "errors_left_off": max(0, len(errors) - MAX_LISTED_ERRORS),
        "created": actions["create"], "updated": actions["update"],
        "unchanged": actions["unchanged"],
        "new_equipment_kinds": sorted({row.new_kind for row in valid if row.new_kind}),
        "dry_run": dry_run, "partial": partial, "written": written,
    }
