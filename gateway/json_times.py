"""The gateway's JSON: times as ISO 8601 with an offset, wherever they appear.

Services answer schema-dumped JSON, whose times are already ISO strings; but the bus (kombu's
JSON) carries a `datetime` inside a free-form dict (a `fields.Dict` or `fields.Raw`) as a
`datetime`, and Flask's own provider would write that, and a `date`, as an HTTP date ("Mon, 07
Dec 2026 19:18:31 GMT"). Stored times are naive UTC (docs/storage.md), so a naive one is UTC
here too; a date is a calendar date (YYYY-MM-DD), as the schemas' `IsoDate` writes it.
"""
from datetime import date, datetime, timezone

from flask.json.provider import DefaultJSONProvider


def iso_time(value):
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return DefaultJSONProvider.default(value)


class IsoTimesJSONProvider(DefaultJSONProvider):
    default = staticmethod(iso_time)
