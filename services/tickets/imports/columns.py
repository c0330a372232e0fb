"""The columns of each kind of import and how a row's cells become a write schema's input.

A column the file has replaces the stored value (an empty cell clears it back to its default);
a field the file has no column for keeps its stored value. Errors found on a schema field are
reported on the column it came from.
"""
import re
from dataclasses import dataclass, field

PARAMETER_PREFIX = "parameters."
SEPARATORS = re.compile(r"[,;\n]+")
YES_NO = {"да": "true", "нет": "false"}


def column_name(text):
    """A header cell as a column name: 'External ID' -> 'external_id'; parameters.X keep X."""
    text = text.strip().lstrip("\ufeff")
    if text.lower().startswith(PARAMETER_PREFIX):
        return PARAMETER_PREFIX + text[len(PARAMETER_PREFIX):].strip()
    return re.sub(r"[\s-]+", "_", text.lower())


@dataclass(frozen=True)
class Columns:
    kind: str
    fields: dict                # column -> schema field, one to one
    required: tuple             # columns the header must have
    parents: tuple = ()         # columns naming the parent record: (by external id, by id)
    lists: tuple = ()           # columns whose cell holds several values
    booleans: tuple = ()
    coordinates: bool = False   # latitude and longitude -> coordinates
    parameters: bool = False    # parameters.<name> -> parameters[name]
    references: dict = field(default_factory=dict)  # field set by resolving -> its columns

    @property
    def known(self):
        names = {"external_id", *self.fields, *self.parents}
        names.update(c for columns in self.references.values() for c in columns)
        names.update(("latitude", "longitude") if self.coordinates else ())
        names.update((PARAMETER_PREFIX + "<name>",) if self.parameters else ())
        return names

    def header_errors(self, header):
        """[(column, reason)] of a header that cannot be imported."""
        errors, seen = [], set()
        for cell in header:
            if cell is None:
                continue
            name = column_name(cell)
            if name in seen:
                errors.append((cell, "This column appears twice."))
            elif not (name in self.known or (self.parameters and name.startswith(PARAMETER_PREFIX)
                                             and len(name) > len(PARAMETER_PREFIX))):
                errors.append((cell, f"Unknown column for {self.kind}; expected some of: "
                                     f"{', '.join(sorted(self.known))}."))
            seen.add(name)
        for name in self.required:
            if name not in seen:
                errors.append((name, "The file needs this column."))
        if self.parents and not seen & set(self.parents):
            errors.append((self.parents[0], f"The file needs this column (or {self.parents[1]})."))
        if self.coordinates and len(seen & {"latitude", "longitude"}) == 1:
            errors.append(("latitude" if "latitude" not in seen else "longitude",
                           "Latitude and longitude come together."))
        return errors

    def file_fields(self, header):
        """The schema fields the file's columns set (the rest keep their stored values)."""
        names = {column_name(c) for c in header if c is not None}
        found = {self.fields[n] for n in names if n in self.fields}
        if self.coordinates and "latitude" in names:
            found.add("coordinates")
        if self.parameters and any(n.startswith(PARAMETER_PREFIX) for n in names):
            found.add("parameters")
        found.update(name for name, columns in self.references.items() if names & set(columns))
        return found

    def cells(self, header, values):
        """{column: text or None} of one row, and [(column, reason)] for values under no name."""
        row, errors = {}, []
        for position, value in enumerate(values):
            cell = header[position] if position < len(header) else None
            if cell is None:
                if value is not None:
                    errors.append((f"#{position + 1}", "A value in a column without a name."))
                continue
            row[column_name(cell)] = value
        return row, errors

    def schema_input(self, row, existing):
        """The write schema's input for the fields the file sets (empty cells left out)."""
        data = {}
        for column, name in self.fields.items():
            value = row.get(column)
            if value is None:
                continue
            if column in self.lists:
                value = [part.strip() for part in SEPARATORS.split(value) if part.strip()]
            elif column in self.booleans:
                value = YES_NO.get(value.lower(), value)
            data[name] = value
        if self.coordinates and (row.get("latitude") or row.get("longitude")):
            data["coordinates"] = {"lat": _number(row.get("latitude")),
                                   "lon": _number(row.get("longitude"))}
        if self.parameters:
            given = {c[len(PARAMETER_PREFIX):]: v for c, v in row.items()
                     if c.startswith(PARAMETER_PREFIX)}
            if given:
                kept = dict((existing or {}).get("parameters") or {})
                kept.update({k: v for k, v in given.items() if v is not None})
                data["parameters"] = {k: v for k, v in kept.items() if given.get(k, v) is not None}
        return data

    def column_of(self, path, header_names):
        """The column to blame for an error on schema path `path` ('phones.1', 'coordinates.lat')."""
        name, _, rest = path.partition(".")
        if name in self.references:
            columns = self.references[name]
            return next((c for c in columns if c in header_names), columns[0])
        if name == "coordinates":
            return "longitude" if rest.startswith("lon") else "latitude"
        if name == "parameters" and rest:
            return PARAMETER_PREFIX + rest.partition(".")[0]
        for column, field_name in self.fields.items():
            if field_name == name:
                return column
        return None if name == "_schema" else name


def _number(text):
    """Latitude and longitude as typed in Russian spreadsheets: a decimal comma is a point."""
    return None if text is None else text.replace(",", ".")


CLIENTS = Columns(
    kind="clients",
    fields={"name": "name", "legal_name": "legal_name", "inn": "inn", "kpp": "kpp",
            "category": "category", "notes": "notes"},
    required=("external_id", "name"))

CONTACTS = Columns(
    kind="contacts",
    fields={"name": "name", "position": "position", "phones": "phones", "emails": "emails",
            "portal_access": "portal_access", "active": "active"},
    required=("external_id", "name"), parents=("client_external_id", "client_id"),
    lists=("phones", "emails"), booleans=("active",))

SITES = Columns(
    kind="sites",
    fields={"name": "name", "address": "address", "city": "city", "time_zone": "time_zone",
            "access_notes": "access_notes"},
    required=("external_id", "name"), parents=("client_external_id", "client_id"),
    coordinates=True)

EQUIPMENT = Columns(
    kind="equipment",
    fields={"manufacturer": "manufacturer", "model": "model", "serial_number": "serial_number",
            "inventory_number": "inventory_number", "installed_on": "installed_on",
            "warranty_until": "warranty_until", "status": "status"},
    required=("external_id", "manufacturer", "model"), parents=("site_external_id", "site_id"),
    parameters=True, references={"site_id": ("site_external_id", "site_id"), "kind_id": ("kind",)})

COLUMNS = {c.kind: c for c in (CLIENTS, CONTACTS, SITES, EQUIPMENT)}
