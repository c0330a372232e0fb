"""Turning marshmallow's complaints into the ValidationFailed that crosses the bus."""
from marshmallow import ValidationError

from services.shared.errors import ValidationFailed


def flatten_messages(messages, prefix=""):
    """{'a': {'b': ['x']}} -> {'a.b': ['x']}; list positions become path parts too."""
    flat = {}
    if isinstance(messages, list):
        flat[prefix or "_schema"] = [str(m) for m in messages]
        return flat
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(flatten_messages(value, path))
        else:
            flat[path] = [str(m) for m in (value if isinstance(value, list) else [value])]
    return flat


def children(data, path=""):
    """(key, value, path of the value) of each member of a JSON object or array, else none."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return []
    return [(key, value, f"{path}.{key}" if path else str(key)) for key, value in items]


def unencodable_text(data, path=""):
    """Paths of strings that are not valid Unicode (JSON allows lone surrogates like \\ud800;
    no store can keep them)."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return [path or "_schema"]
        return []
    return [found for _, value, here in children(data, path)
            for found in unencodable_text(value, here)]


def operator_like(key):
    """A key no document may hold anywhere: MongoDB reads a leading `$` as an operator, and a NUL
    ends a key early in BSON."""
    return "\x00" in key or key.startswith("$")


def storable_key(key):
    """A key a free-form dict may have: not operator-like, and no `.` (MongoDB reads it as a path
    into the document, so the value could not be updated or queried by its key)."""
    return not operator_like(key) and "." not in key


def refused_keys(data, path=""):
    """Paths of operator-like object keys anywhere in `data`."""
    found = []
    for key, value, here in children(data, path):
        if isinstance(key, str) and operator_like(key):
            found.append(here)
        else:
            found += refused_keys(value, here)
    return found


REFUSED_KEY = "Keys may not start with $ or contain a dot or a NUL character."


def check_keys(data):
    """Raise ValidationFailed naming every operator-like key (see `refused_keys`); dots are refused
    in free-form dicts only (`schema_fields.FreeFormDict`): vocabularies such as 1C's
    `sale.entity` mapping keys have them."""
    refused = refused_keys(data)
    if refused:
        raise ValidationFailed.from_fields({path: [REFUSED_KEY] for path in refused})


def load(schema, data):
    """Validate `data` with `schema` or raise ValidationFailed naming every bad field."""
    if not isinstance(data, dict):
        raise ValidationFailed.from_fields({"_schema": ["Expected a JSON object."]})
    broken = unencodable_text(data)
    if broken:
        raise ValidationFailed.from_fields({path: ["Not valid Unicode text."] for path in broken})
    check_keys(data)
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ValidationFailed.from_fields(flatten_messages(err.messages)) from None
