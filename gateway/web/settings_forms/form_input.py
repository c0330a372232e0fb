"""What the settings forms post, turned into what the RPCs take, and the RPCs' 422 reasons put
back beside the fields that were typed.

Form fields are named by the RPC's own dotted paths ("targets.high.reaction_minutes"), so a
reason the service gives for that path lands on that field; a reason for something deeper than
a field (the second interval typed in "week.monday", say: "week.monday.1.end") lands on the
field that holds it, and one for no field at all on the whole form.
"""
import re

from flask import redirect, render_template, request

from gateway.i18n import gettext, translate_reason
from services.shared.errors import Conflict, ValidationFailed

DEFAULT_CURRENCY = "RUB"
TAKEN = "Already taken: choose another."
SPACES = re.compile(r"[\s\u00a0\u202f]")
# marshmallow puts a dict's key or value in the path: "targets.critical.value.reaction_minutes"
DICT_PARTS = re.compile(r"\.(key|value)(?=\.|$)")


def nested(flat):
    """{"a.b": 1, "c": 2} -> {"a": {"b": 1}, "c": 2}."""
    data = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        place = data
        for part in parents:
            place = place.setdefault(part, {})
        place[leaf] = value
    return data


def typed(names):
    """The posted values of the named fields, as typed (what a refused form shows again)."""
    return {name: request.form.get(name, "") for name in names}


def checked(name):
    return name in request.form


def lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def money(text, currency=DEFAULT_CURRENCY):
    """An amount as people type it ("2 500,00", "2500.5") as the API's money object; the service
    says what is wrong with anything else."""
    return {"amount": SPACES.sub("", text).replace(",", "."), "currency": currency}


def owner_field(path, names):
    """The form field that holds `path`: itself, or the longest field name it starts with."""
    path = DICT_PARTS.sub("", path)
    holders = [name for name in names if path == name or path.startswith(name + ".")]
    return max(holders, key=len) if holders else ""


def reasons_by_field(error, names, prefix=""):
    """A ValidationFailed's reasons (translated) keyed by the form's field names; "" holds the
    ones that belong to no field. With `prefix` ("rules.2."), the form is that part of the data:
    paths under it lose the prefix, the others belong to no field."""
    grouped = {}
    for path, reasons in error.fields.items():
        if prefix:
            path = path[len(prefix):] if path.startswith(prefix) else ""
        grouped.setdefault(owner_field(path, names), []).extend(map(translate_reason, reasons))
    return grouped


def attempt(send, names, prefix=""):
    """(what `send()` answered, {}), or (None, the reasons it was refused for by field): a 422,
    or a Conflict naming its field (a code or a name already used)."""
    try:
        return send(), {}
    except ValidationFailed as error:
        return None, reasons_by_field(error, names, prefix)
    except Conflict as error:
        if "field" not in error.extra:
            raise
        return None, {owner_field(error.extra["field"], names): [gettext(TAKEN)]}


def is_htmx():
    return bool(request.headers.get("HX-Request"))


def form_page(page, fragment, status=200, **context):
    """The whole page, or for htmx only the form (`fragment`, which the page includes)."""
    return render_template(fragment if is_htmx() else page, **context), status


def saved(target):
    """After a change: to `target` (a plain POST gets a redirect; htmx is told where to go)."""
    if is_htmx():
        return "", 204, {"HX-Redirect": target}
    return redirect(target)
