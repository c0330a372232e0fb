"""Building OData v3 query text the way 1C parses it.

1C wants v3 literals (`guid'...'`, `datetime'...'`, `'text'` with quotes doubled); v4 forms such as
a bare GUID or an ISO timestamp with an offset are errors there. Every name is checked against the
1C identifier rules and every value goes through `literal`, so nothing a client typed (a company
name with an apostrophe, say) can change the meaning of a filter.
"""
import re
import uuid
from datetime import date, datetime
from decimal import Decimal

IDENTIFIER = re.compile(r"^[^\W\d]\w*$")
OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le")
EMPTY_REF = "00000000-0000-0000-0000-000000000000"


class Guid(str):
    """A 1C reference (Ref_Key): rendered as guid'...' in filters, plain in JSON."""

    def __new__(cls, value):
        return super().__new__(cls, str(uuid.UUID(str(value))))


def name(field):
    if not isinstance(field, str) or not IDENTIFIER.match(field):
        raise ValueError(f"Not a 1C field name: {field!r}.")
    return field


def literal(value):
    # Order matters: Guid is a str, bool is an int, datetime is a date.
    if isinstance(value, Guid):
        return f"guid'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError("1C datetimes carry no offset: pass the infobase's local time.")
        return f"datetime'{value.replace(microsecond=0).isoformat()}'"
    if isinstance(value, date):
        return f"datetime'{value.isoformat()}T00:00:00'"
    if isinstance(value, (int, Decimal)):
        return str(value)
    raise ValueError(f"No OData literal for {type(value).__name__}.")


def compare(field, operator, value):
    if operator not in OPERATORS:
        raise ValueError(f"Unknown operator {operator!r}.")
    return f"{name(field)} {operator} {literal(value)}"


def eq(field, value):
    return compare(field, "eq", value)


def all_of(*conditions):
    return " and ".join(f"({c})" for c in conditions if c)


def any_of(*conditions):
    return " or ".join(f"({c})" for c in conditions if c)


def one_of(field, values):
    """`field` equal to any of `values`; keep `values` short (see `batches`): URLs have limits."""
    return any_of(*(eq(field, value) for value in values))


def batches(values, size=30):
    """Slices of `values` small enough for an OR filter in one URL (1C's limit bites near 40)."""
    values = list(values)
    return [values[i:i + size] for i in range(0, len(values), size)]


def virtual_table(entity, function, **parameters):
    """`Register/Function(Name=literal,...)`: 1C takes a virtual table's period and condition as
    path parameters, not as $filter."""
    rendered = ",".join(f"{name(key)}={literal(value)}" for key, value in parameters.items())
    return f"{name(entity)}/{name(function)}({rendered})"
