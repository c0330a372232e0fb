"""Strict mode of the embedded store refuses what MongoDB refuses, and every write error names
the operation and, for an update, the operator that failed."""
import random

import pytest
from pymongo import UpdateOne
from pymongo.errors import BulkWriteError, WriteError

pytestmark = pytest.mark.engine

VALUES = [0, 1, 2, 0.0, 1.0, True, False, None, "1", [1], [True, 0]]


@pytest.mark.parametrize("query, expected", [
    ({"x": 1}, ["int", "float", "list_int"]),
    ({"x": True}, ["bool", "list_bool"]),
    ({"x": {"$in": [0, True]}}, ["bool", "zero", "list_bool"]),
    ({"x": {"$ne": 1}}, ["bool", "zero", "list_bool", "missing"]),
    ({"x": {"$nin": [False]}}, ["int", "float", "bool", "zero", "list_int", "list_bool", "missing"]),
    ({"x": {"$eq": False}}, []),
    ({"x": {"$all": [True]}}, ["bool", "list_bool"]),
    ({"$or": [{"x": 0}, {"x": 1.0}]}, ["int", "float", "zero", "list_int"]),
])
def test_booleans_and_numbers_never_match_each_other(db, query, expected):
    db.items.insert_many([{"_id": "int", "x": 1}, {"_id": "float", "x": 1.0},
                          {"_id": "bool", "x": True}, {"_id": "zero", "x": 0},
                          {"_id": "list_int", "x": [1, 2]}, {"_id": "list_bool", "x": [True]},
                          {"_id": "missing"}])
    db.items.create_index([("x", 1)])
    assert sorted(d["_id"] for d in db.items.find(query)) == sorted(expected)


def test_strict_index_lookups_equal_a_strict_scan(files):
    """The same random queries on an indexed and an unindexed collection of one strict store."""
    rng = random.Random(5)
    db = files.open()
    indexed, scanned = db.indexed, db.scanned
    indexed.create_index([("a", 1), ("b", 1)])
    indexed.create_index([("b", 1)])
    for i in range(300):
        doc = {"_id": i, "a": rng.choice(VALUES), "b": rng.choice(VALUES)}
        indexed.insert_one(dict(doc))
        scanned.insert_one(dict(doc))
    for _ in range(300):
        value, other = rng.choice(VALUES[:8]), rng.choice(VALUES[:8])
        spec = rng.choice([{"a": value}, {"a": value, "b": other}, {"b": {"$in": [value, other]}},
                           {"a": {"$in": [value, other]}, "b": {"$ne": value}}])
        sort = [("b", 1), ("_id", 1)]
        assert list(indexed.find(spec).sort(sort).limit(7)) == \
            list(scanned.find(spec).sort(sort).limit(7)), spec
        assert sorted(d["_id"] for d in indexed.find(spec)) == \
            sorted(d["_id"] for d in scanned.find(spec)), spec


@pytest.mark.parametrize("update, longer, shorter", [
    ({"$set": {"a.b": 1}, "$unset": {"a": ""}}, "a.b", "a"),
    ({"$set": {"a": 1}, "$inc": {"a": 1}}, "a", "a"),
    ({"$set": {"a": {"b": 1}, "a.c": 2}}, "a.c", "a"),
    ({"$push": {"log": 1}, "$rename": {"old": "log"}}, "log", "log"),
])
def test_conflicting_update_paths_are_refused_and_change_nothing(db, update, longer, shorter):
    db.items.insert_one({"_id": 1, "a": {"b": 0}, "log": [], "old": 5})
    with pytest.raises(WriteError) as failure:
        db.items.update_one({"_id": 1}, update)
    assert failure.value.code == 40
    message = str(failure.value)
    assert f"Updating the path '{longer}' would create a conflict at '{shorter}'" in message
    assert all(operator in message for operator in update)
    assert db.items.find_one({"_id": 1}) == {"_id": 1, "a": {"b": 0}, "log": [], "old": 5}


def test_paths_side_by_side_are_no_conflict(db):
    db.items.insert_one({"_id": 1})
    db.items.update_one({"_id": 1}, {"$set": {"a.b": 1, "a.bc": 2}, "$inc": {"ab": 1}})
    assert db.items.find_one({"_id": 1}) == {"_id": 1, "a": {"b": 1, "bc": 2}, "ab": 1}


def test_a_document_over_16_mib_is_refused_and_not_kept(files, db):
    with pytest.raises(WriteError) as failure:
        db.items.insert_one({"_id": 1, "blob": "x" * (16 * 1024 * 1024)})
    assert failure.value.code == 10334 and "insert_one" in str(failure.value)
    db.items.insert_one({"_id": 2, "blob": ""})
    with pytest.raises(WriteError):
        db.items.update_one({"_id": 2}, {"$set": {"blob": "x" * (16 * 1024 * 1024)}})
    assert list(db.items.find()) == [{"_id": 2, "blob": ""}]
    assert list(files.reopen(db).items.find()) == [{"_id": 2, "blob": ""}]


def test_without_strict_mode_the_store_answers_as_mongomock(files):
    db = files.open(strict=False)
    db.items.insert_many([{"_id": 1, "x": True}, {"_id": 2, "x": 1}])
    assert sorted(d["_id"] for d in db.items.find({"x": 1})) == [1, 2]
    db.items.update_one({"_id": 1}, {"$set": {"a.b": 1}, "$unset": {"a": ""}})


def test_a_failed_update_names_its_operator_not_the_value(db):
    db.items.insert_one({"_id": 1, "secret": "s3cr3t", "n": 1})
    with pytest.raises(WriteError) as failure:
        db.items.update_one({"_id": 1}, {"$set": {"n": 2}, "$inc": {"secret": 1}})
    message = str(failure.value)
    assert "update_one" in message and "$inc" in message and "s3cr3t" not in message
    assert db.items.find_one({"_id": 1}) == {"_id": 1, "secret": "s3cr3t", "n": 1}
    with pytest.raises(BulkWriteError) as failure:
        db.items.bulk_write([UpdateOne({"_id": 1}, {"$inc": {"secret": 1}})])
    assert "$inc" in failure.value.details["writeErrors"][0]["errmsg"]
