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
from urllib.parse import quote

IDENTIFIER = re.compile(r"^[^\W\d]\w*$")
OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le")
EMPTY_REF = "00000000-0000-0000-0000-000000000000"
QUERY_SAFE = "'(),:$"
# IIS, the usual publication server, refuses query strings over 2,048 bytes (404.15) by default;
# a margin keeps what a proxy may add inside it.
MAX_QUERY_BYTES = 2000


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


def query_string(query):
    """The query string of `query` ({"$filter": ..., ...}) as sent: UTF-8, percent-encoded, %20
    for a space (1C does not read '+' as one). A Cyrillic letter takes 6 bytes here."""
    return "&".join(f"{quote(key, safe='$')}={quote(str(value), safe=QUERY_SAFE)}"
                    for key, value in query.items())


def batches(values, fits):
    """Consecutive slices of `values`, each as long as `fits(slice)` allows: by the length of
    the query they make, not by a count, since a GUID costs 42 bytes and a Cyrillic name 6 a
    letter. A single value that does not fit is a bug in the caller's query, not data."""
    values, found, start = list(values), [], 0
    while start < len(values):
        end = start + 1
        if not fits(values[start:end]):
            raise ValueError("One value alone makes the query too long.")
        while end < len(values) and fits(values[start:end + 1]):
            end += 1
        found.append(values[start:end])
        start = end
    return found


def virtual_table(entity, function, **parameters):
    """`Register/Function(Name=literal,...)`: 1C takes a virtual table's period and condition as
    path parameters, not as $filter."""
    rendered = ",".join(f"{name(key)}={literal(value)}" for key, value in parameters.items())
    return f"{name(entity)}/{name(function)}({rendered})"
