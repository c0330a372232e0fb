"""Keyset pagination (services/shared/paging.py): opaque cursors and walking a sorted collection."""
import base64
import json
import random
from datetime import datetime, timedelta

import pytest

from services.shared.errors import ValidationFailed
from services.shared.paging import decode_cursor, encode_cursor, fetch_page, page_query

START = datetime(2024, 1, 1, 9, 0, 0)


def raw_cursor(obj):
    """A cursor built by hand the way the module builds them, to feed it odd contents."""
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def record(n, rng):
    """A document whose sort fields repeat a lot, so that ties must be broken by _id."""
    return {"_id": f"r{rng.randrange(10 ** 6):06d}-{n}", "group": rng.randrange(4),
            "label": rng.choice(["alpha", "beta", "gamma"]),
            "at": START + timedelta(minutes=rng.randrange(3)), "kept": n % 5 != 0}


def records(count, seed=3):
    rng = random.Random(seed)
    return [record(n, rng) for n in range(count)]


# -- cursors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, doc_id", [
    ("Заявка №7", "a1"),
    ("", "a2"),
    (0, "a3"),
    (-42, 17),
    (2 ** 53, "a4"),
    (datetime(2024, 2, 29, 23, 59, 59, 999000), "a5"),
    (datetime(2024, 2, 29), "a6"),
    (None, "a7"),
], ids=["str", "empty-str", "zero", "negative-int-id", "big-int", "datetime-ms", "midnight",
        "none"])
def test_cursor_round_trip(value, doc_id):
    cursor = encode_cursor(value, doc_id)
    assert isinstance(cursor, str) and "=" not in cursor
    decoded_value, decoded_id = decode_cursor(cursor)
    assert (decoded_value, decoded_id) == (value, doc_id)
    assert type(decoded_value) is type(value)


@pytest.mark.parametrize("cursor", [
    "!!!not base64!!!",
    "курсор",
    "abc",
    raw_cursor([1]),
    raw_cursor([1, 2, 3]),
    raw_cursor("just a string"),
    raw_cursor(7),
    raw_cursor(None),
    raw_cursor([{"no-dt": 1}, "x"]),
    raw_cursor([{"$dt": "yesterday"}, "x"]),
    raw_cursor([{"$dt": 5}, "x"]),
    base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
])
def test_garbage_cursor_is_a_validation_error_on_the_cursor_field(cursor):
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(cursor)
    assert list(caught.value.fields) == ["cursor"]
    assert caught.value.fields["cursor"]


def test_garbage_cursor_is_refused_by_page_query_too():
    with pytest.raises(ValidationFailed) as caught:
        page_query({"account_id": "a"}, "number", False, "garbage")
    assert "cursor" in caught.value.fields


def test_first_page_query_is_the_base_filter():
    query, sort = page_query({"account_id": "a"}, "number", True, None)
    assert query == {"account_id": "a"}
    assert sort == [("number", -1), ("_id", -1)]


# -- walking a collection --------------------------------------------------------------------------

def walk(collection, base_filter, field, descending, limit):
    seen, cursor, pages = [], None, 0
    while True:
        docs, cursor = fetch_page(collection, base_filter, field, descending, cursor, limit)
        pages += 1
        assert len(docs) <= limit
        seen += [d["_id"] for d in docs]
        if cursor is None:
            return seen, pages
        assert docs, "a next_cursor after an empty page"
        assert pages < 1000


@pytest.mark.parametrize("field", ["group", "label", "at", "_id"])
@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("limit", [1, 4, 7, 100])
def test_fetch_page_walks_every_document_once_in_order(db, field, descending, limit):
    docs = records(37)
    db.records.insert_many([dict(d) for d in docs])
    seen, pages = walk(db.records, {}, field, descending, limit)
    expected = [d["_id"] for d in sorted(docs, key=lambda d: (d[field], d["_id"]),
                                          reverse=descending)]
    assert seen == expected
    assert pages == max(1, -(-len(docs) // limit))


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_fetch_page_respects_the_base_filter(db, descending):
    docs = records(30)
    db.records.insert_many([dict(d) for d in docs])
    seen, _ = walk(db.records, {"kept": True}, "group", descending, 4)
    expected = [d["_id"] for d in sorted((d for d in docs if d["kept"]),
                                         key=lambda d: (d["group"], d["_id"]), reverse=descending)]
    assert seen == expected


def test_exactly_full_last_page_has_no_next_cursor(db):
    db.records.insert_many([dict(d) for d in records(8)])
    first, cursor = fetch_page(db.records, {}, "group", False, None, 4)
    second, last_cursor = fetch_page(db.records, {}, "group", False, cursor, 4)
    assert len(first) == len(second) == 4
    assert last_cursor is None
    assert fetch_page(db.records, {}, "group", False, None, 8)[1] is None


def test_projection_is_applied(db):
    db.records.insert_many([dict(d) for d in records(3)])
    docs, _ = fetch_page(db.records, {}, "group", False, None, 10, projection={"label": 0})
    assert docs and all("label" not in d and "group" in d for d in docs)
