"""Strict mode of the embedded store: refuse what MongoDB refuses where mongomock would not.

mongomock matches with Python's equality, so `{x: 1}` finds `true` and `{x: false}` finds 0;
MongoDB never does. It also applies an update whose operators touch one path twice (`$set a.b`
with `$unset a`) where MongoDB refuses the whole update. Code that relies on either works on the
embedded store and breaks on MongoDB, so tests (and by default `./servicedesk run`) run strict.
"""
from pymongo.errors import WriteError

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # MongoDB's limit of one document


class Exact:
    """A query value that equals only values of its own kind: booleans only booleans, numbers only
    numbers."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        if isinstance(other, Exact):
            other = other.value
        return (type(other) is bool) == (type(self.value) is bool) and other == self.value

    def __hash__(self):
        return hash(self.value)

    def __repr__(self):
        return repr(self.value)


def _value(value):
    kind = type(value)
    if kind is bool or (kind in (int, float) and value in (0, 1)):
        return Exact(value)
    if kind is list:
        return [_value(item) for item in value]
    if kind is dict:
        return {key: _value(item) for key, item in value.items()}
    return value


def _condition(condition):
    if not (isinstance(condition, dict) and condition and all(k.startswith("$") for k in condition)):
        return _value(condition)
    exact = {}
    for operator, argument in condition.items():
        if operator in ("$eq", "$ne") or (operator in ("$in", "$nin", "$all")
                                          and isinstance(argument, list)):
            exact[operator] = _value(argument)
        elif operator in ("$not", "$elemMatch") and isinstance(argument, dict):
            exact[operator] = exact_filter(argument) if operator == "$elemMatch" else \
                _condition(argument)
        else:
            exact[operator] = argument
    return exact


def exact_filter(spec):
    """`spec` with the values it compares by equality made `Exact` (0 and 1, true and false: the
    only values Python's equality mixes up across types)."""
    if not isinstance(spec, dict):
        return spec
    exact = {}
    for key, condition in spec.items():
        if key in ("$and", "$or", "$nor") and isinstance(condition, list):
            exact[key] = [exact_filter(clause) for clause in condition]
        elif key.startswith("$"):
            exact[key] = _condition(condition) if key != "$expr" else condition
        else:
            exact[key] = _condition(condition)
    return exact


def check_update_paths(update):
    """WriteError as MongoDB's (code 40) when an update names one path twice, or a path and a
    field inside it, across its operators ($rename's targets included)."""
    seen = []
    for operator, fields in update.items():
        if not operator.startswith("$") or not isinstance(fields, dict):
            continue
        paths = list(fields)
        if operator == "$rename":
            paths += [target for target in fields.values() if isinstance(target, str)]
        for path in paths:
            for other, other_operator in seen:
                shorter = _conflict(path, other)
                if shorter is not None:
                    longer = path if shorter == other else other
                    raise WriteError(
                        f"Updating the path '{longer}' would create a conflict at '{shorter}' "
                        f"({other_operator} {other}, {operator} {path}).", code=40)
            seen.append((path, operator))


def _conflict(a, b):
    if a == b or b.startswith(a + "."):
        return a
    if a.startswith(b + "."):
        return b
    return None
