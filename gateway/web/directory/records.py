"""The directory's forms as the write RPCs take them, and the records back as the forms show them.

A record carries every field of its write schema (ClientWriteSchema in
services/tickets/directory/schemas.py, SiteWriteSchema and EquipmentWriteSchema in
services/tickets/assets/schemas.py), so that a replace is always the whole record: a blank field
is null, or the empty text where the schema takes no null, never left out. The services validate
the values; what is here only turns form strings into the API's shapes."""

from services.tickets.tickets.vocabulary import PRIORITIES

CLIENT_NULLABLE = ("name", "legal_name", "inn", "kpp", "category", "manager_id")
MINUTES = ("reaction_minutes", "resolution_minutes")
SITE_TEXTS = ("address", "city", "access_notes")
EQUIPMENT_NULLABLE = ("site_id", "kind_id", "manufacturer", "model", "serial_number",
                      "inventory_number", "installed_on", "warranty_until", "status")
# A parameter's further lines start with this, so that a value may hold line breaks.
FOLD = "  "


class BadParameters(ValueError):
    """A line of the parameters' text that is no `name: value`."""


def text(form, name):
    return form.get(name, "").strip()


def nullable(form, *names):
    return {name: text(form, name) or None for name in names}


def client_record(form):
    """The client from its form, with its SLA overrides' table: inputs named
    `sla_targets.<priority>.<reaction_minutes|resolution_minutes>`; a priority with both blank
    has no override, one of the two blank is a null for the service to name."""
    targets = {}
    for priority in PRIORITIES:
        minutes = {name: text(form, f"sla_targets.{priority}.{name}") or None for name in MINUTES}
        if any(minutes.values()):
            targets[priority] = minutes
    return {**nullable(form, *CLIENT_NULLABLE, "calendar_id"), "notes": text(form, "notes"),
            "sla_targets": targets}


def client_values(client):
    """What the client's form shows of the record: the overrides as the table's inputs."""
    return dict(client, **{f"sla_targets.{priority}.{name}": minutes
                           for priority, target in (client.get("sla_targets") or {}).items()
                           for name, minutes in target.items()})


def client_errors(errors):
    """The reasons of the overrides' table belong to its inputs (marshmallow names a dict's value
    `sla_targets.<priority>.value.<minutes>`)."""
    return {path.replace(".value.", ".", 1) if path.startswith("sla_targets.") else path: reasons
            for path, reasons in errors.items()}


def site_record(form):
    """The site from its form: the coordinates are two fields, both blank for none (one of the
    two blank is a missing `coordinates.lat` or `.lon` for the service to name); a decimal comma
    is read as the point."""
    lat, lon = (text(form, name).replace(",", ".") or None for name in ("lat", "lon"))
    return {"name": text(form, "name") or None, **{name: text(form, name) for name in SITE_TEXTS},
            "coordinates": {"lat": lat, "lon": lon} if lat or lon else None,
            "time_zone": text(form, "time_zone") or None,
            "calendar_id": text(form, "calendar_id") or None,
            "contact_ids": form.getlist("contact_ids")}


def site_values(site):
    """What the site's form shows of the record."""
    coordinates = site.get("coordinates") or {}
    return dict(site, lat=coordinates.get("lat"), lon=coordinates.get("lon"))


def equipment_record(form):
    """The item from its form; raises BadParameters for a parameters' line that is no
    `name: value`."""
    return {**nullable(form, *EQUIPMENT_NULLABLE),
            "parameters": parameters_of(form.get("parameters", ""))}


def equipment_values(item):
    """What the item's form shows of the record: the parameters as their text."""
    return dict(item, parameters=parameters_text(item.get("parameters") or {}))


def parameters_text(parameters):
    """One `name: value` a line; a value's further lines are indented by FOLD."""
    return "\n".join(f"{name}: {value}".replace("\n", "\n" + FOLD) for name, value in parameters.items())


def parameters_of(written):
    parameters, name = {}, None
    for line in written.replace("\r\n", "\n").split("\n"):
        if line.startswith(FOLD) and name is not None:
            parameters[name] += "\n" + line[len(FOLD):]
        elif line.strip():
            name, colon, value = line.partition(":")
            name = name.strip()
            if not colon or not name:
                raise BadParameters(line.strip())
            parameters[name] = value.strip()
    return parameters


def errors_by_field(errors, renames=None):
    """The service's reasons keyed by the form's fields: a nested path is its first part's
    (`parameters.firmware.value` -> `parameters`, `contact_ids.0` -> `contact_ids`) unless
    `renames` names the part's own field (`coordinates` -> ...)."""
    renames, fields = renames or {}, {}
    for path, reasons in errors.items():
        first = path.partition(".")[0]
        name = renames.get(path) or renames.get(first) or first
        fields.setdefault(name, []).extend(reasons)
    return fields
