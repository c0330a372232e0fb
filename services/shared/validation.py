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


def unencodable_text(data, path=""):
    """Paths of strings that are not valid Unicode (JSON allows lone surrogates like \\ud800;
    no store can keep them)."""
    if isinstance(data, str):
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            return [path or "_schema"]
        return []
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return []
    found = []
    for key, value in items:
        found += unencodable_text(value, f"{path}.{key}" if path else str(key))
    return found


def load(schema, data):
    """Validate `data` with `schema` or raise ValidationFailed naming every bad field."""
    if not isinstance(data, dict):
        raise ValidationFailed.from_fields({"_schema": ["Expected a JSON object."]})
    broken = unencodable_text(data)
    if broken:
        raise ValidationFailed.from_fields({path: ["Not valid Unicode text."] for path in broken})
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ValidationFailed.from_fields(flatten_messages(err.messages)) from None
