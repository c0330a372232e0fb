"""Keyset pagination: an opaque cursor that carries the last item's sort value and id.

The cursor is JSON inside base64, so ids must be strings (as the services' ids are) and sort
values strings, numbers or datetimes.
"""
import base64
import json
from datetime import datetime

import pymongo

from services.shared.errors import ValidationFailed


def encode_cursor(value, doc_id, order=""):
    """`order` names the sort the cursor belongs to: a cursor is refused under another sort."""
    if isinstance(value, datetime):
        value = {"$dt": value.isoformat()}
    raw = json.dumps([value, doc_id, order], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, order=""):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, doc_id, cursor_order = json.loads(raw)
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["$dt"])
    except (ValueError, TypeError, KeyError):
        raise ValidationFailed.from_fields({"cursor": ["Not a cursor this API returned."]}) from None
    if cursor_order != order:
        raise ValidationFailed.from_fields({"cursor": ["This cursor belongs to another sort order."]})
    if not isinstance(doc_id, (str, int)) or not (_storable(doc_id) and _storable(value)):
        raise ValidationFailed.from_fields({"cursor": ["Not a cursor this API returned."]})
    return value, doc_id


def _storable(value):
    """Only what a page's sort values can be; a forged 10**30 would make the driver fail."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, datetime, float)):
        return True
    return isinstance(value, int) and -2 ** 63 <= value < 2 ** 63


def _order(field, descending):
    return f"-{field}" if descending else field


def page_query(base_filter, field, descending, cursor):
    """The filter and sort for one page sorted by `field`, ties broken by `_id`."""
    sort = [(field, pymongo.DESCENDING if descending else pymongo.ASCENDING),
            ("_id", pymongo.DESCENDING if descending else pymongo.ASCENDING)]
    if not cursor:
        return base_filter, sort
    value, doc_id = decode_cursor(cursor, _order(field, descending))
    op = "$lt" if descending else "$gt"
    after = {"$or": [{field: {op: value}}, {field: value, "_id": {op: doc_id}}]}
    return {"$and": [base_filter, after]}, sort


def period(field, query):
    """The condition on `field` for a query's `created_from` (inclusive) and `created_to`
    (exclusive), as a list of none or one condition to add to a conjunction."""
    bounds = {}
    if "created_from" in query:
        bounds["$gte"] = query["created_from"]
    if "created_to" in query:
        bounds["$lt"] = query["created_to"]
    return [{field: bounds}] if bounds else []


def fetch_page(collection, base_filter, field, descending, cursor, limit, projection=None):
    """Up to `limit` documents and the cursor of the next page (None on the last one)."""
    query, sort = page_query(base_filter, field, descending, cursor)
    docs = list(collection.find(query, projection).sort(sort).limit(limit + 1))
    next_cursor = None
    if len(docs) > limit:
        docs = docs[:limit]
        next_cursor = encode_cursor(docs[-1].get(field), docs[-1]["_id"], _order(field, descending))
    return docs, next_cursor
