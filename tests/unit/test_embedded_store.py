"""The embedded store (services/shared/embedded.py): pymongo API, indexes, durability, ownership.

A file is reopened in two ways: in this process (`files.reopen`, which closes the journal first)
and in child processes started with the same interpreter, which is what a restart really is.
"""
import json
import random
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import mongomock
import pymongo
import pytest
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.shared.embedded import DataFolderBusy, open_embedded_database

pytestmark = pytest.mark.engine

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MSK = timezone(timedelta(hours=3))


# -- factories -------------------------------------------------------------------------------------

def person(n, **overrides):
    doc = {"_id": f"p{n:03d}", "name": f"Person {n}", "age": 20 + n % 7,
           "city": ("Москва", "Казань", "Омск")[n % 3], "tags": ["a", "b"] if n % 2 else ["c"],
           "address": {"city": ("Москва", "Казань", "Омск")[n % 3], "zip": f"{100000 + n}"}}
    doc.update(overrides)
    return doc


def people(count, **overrides):
    return [person(n, **overrides) for n in range(count)]


def ids(docs):
    return sorted(str(d["_id"]) for d in docs)


def run_child(code, *args, timeout=60):
    """Run `code` in a fresh interpreter of the project's venv; returns the CompletedProcess."""
    result = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result


CHILD_PRELUDE = """
import json, os, pathlib, sys
from datetime import datetime, timedelta, timezone
from pymongo import ReturnDocument
from services.shared.embedded import open_embedded_database
db = open_embedded_database(pathlib.Path(sys.argv[1]), "unit")
"""

# Dumps every collection as JSON; datetimes as their repr, which shows whether they carry a zone.
DUMP_ALL = CHILD_PRELUDE + """
out = {name: sorted(db[name].find(), key=lambda d: str(d["_id"]))
       for name in db.list_collection_names()}
print(json.dumps(out, default=repr, sort_keys=True))
"""


# -- CRUD through the pymongo API ------------------------------------------------------------------

def test_insert_find_update_replace_delete(db):
    result = db.people.insert_many(people(5))
    assert result.inserted_ids == ["p000", "p001", "p002", "p003", "p004"]
    assert db.people.insert_one(person(5)).inserted_id == "p005"
    assert db.people.count_documents({}) == 6

    assert db.people.find_one({"_id": "p002"})["name"] == "Person 2"
    assert db.people.find_one({"_id": "missing"}) is None

    res = db.people.update_one({"_id": "p002"}, {"$set": {"name": "Renamed"}, "$inc": {"age": 1}})
    assert (res.matched_count, res.modified_count) == (1, 1)
    assert db.people.find_one({"_id": "p002"})["name"] == "Renamed"
    assert db.people.find_one({"_id": "p002"})["age"] == person(2)["age"] + 1

    res = db.people.update_many({"city": "Москва"}, {"$set": {"flag": True}})
    assert res.matched_count == len([p for p in people(6) if p["city"] == "Москва"])
    assert ids(db.people.find({"flag": True})) == ids(p for p in people(6) if p["city"] == "Москва")

    db.people.replace_one({"_id": "p003"}, {"name": "Only name"})
    assert db.people.find_one({"_id": "p003"}) == {"_id": "p003", "name": "Only name"}

    assert db.people.delete_one({"_id": "p004"}).deleted_count == 1
    assert db.people.find_one({"_id": "p004"}) is None
    assert db.people.count_documents({}) == 5


def test_insert_of_existing_id_raises_duplicate_key(db):
    db.people.insert_one(person(1))
    with pytest.raises(DuplicateKeyError):
        db.people.insert_one(person(1, name="Other"))
    assert db.people.find_one({"_id": "p001"})["name"] == "Person 1"


def test_find_one_and_update_inc_with_upsert_returns_the_new_value(db):
    values = [db.counters.find_one_and_update({"_id": "seq"}, {"$inc": {"value": 1}}, upsert=True,
                                              return_document=ReturnDocument.AFTER)["value"]
              for _ in range(3)]
    assert values == [1, 2, 3]
    before = db.counters.find_one_and_update({"_id": "seq"}, {"$inc": {"value": 1}},
                                             return_document=ReturnDocument.BEFORE)
    assert before["value"] == 3
    assert db.counters.find_one({"_id": "seq"})["value"] == 4


def test_update_one_upsert_with_set_on_insert(db):
    first = db.marks.update_one({"_id": "k"}, {"$setOnInsert": {"created": "first"},
                                               "$set": {"seen": 1}}, upsert=True)
    assert first.upserted_id == "k"
    second = db.marks.update_one({"_id": "k"}, {"$setOnInsert": {"created": "second"},
                                                "$set": {"seen": 2}}, upsert=True)
    assert second.upserted_id is None and second.matched_count == 1
    assert db.marks.find_one({"_id": "k"}) == {"_id": "k", "created": "first", "seen": 2}


# -- unique indexes --------------------------------------------------------------------------------

@pytest.fixture
def numbered(db):
    db.tickets.create_index([("account_id", 1), ("number", 1)], unique=True)
    db.tickets.insert_many([{"_id": "t1", "account_id": "a", "number": 1},
                            {"_id": "t2", "account_id": "a", "number": 2},
                            {"_id": "t3", "account_id": "b", "number": 1}])
    return db


def test_compound_unique_index_refuses_a_duplicate_insert(numbered):
    with pytest.raises(DuplicateKeyError):
        numbered.tickets.insert_one({"_id": "t4", "account_id": "a", "number": 1})
    # Same number in another account, or another number in the same account, is fine.
    numbered.tickets.insert_one({"_id": "t5", "account_id": "c", "number": 1})
    numbered.tickets.insert_one({"_id": "t6", "account_id": "a", "number": 3})
    assert ids(numbered.tickets.find({"account_id": "a"})) == ["t1", "t2", "t6"]
    assert numbered.tickets.find_one({"_id": "t4"}) is None


UPDATES_TO_A_DUPLICATE = {
    "update_one": lambda c: c.update_one({"_id": "t2"}, {"$set": {"number": 1, "note": "x"}}),
    "find_one_and_update": lambda c: c.find_one_and_update(
        {"_id": "t2"}, {"$set": {"number": 1, "note": "x"}}),
    "replace_one": lambda c: c.replace_one({"_id": "t2"},
                                           {"account_id": "a", "number": 1, "note": "x"}),
}


@pytest.mark.parametrize("operation", sorted(UPDATES_TO_A_DUPLICATE))
def test_update_that_would_duplicate_a_unique_key_raises_and_changes_nothing(files, numbered,
                                                                             operation):
    with pytest.raises(DuplicateKeyError):
        UPDATES_TO_A_DUPLICATE[operation](numbered.tickets)
    expected = {"_id": "t2", "account_id": "a", "number": 2}
    assert numbered.tickets.find_one({"_id": "t2"}) == expected
    assert ids(numbered.tickets.find({"account_id": "a", "number": 1})) == ["t1"]

    reopened = files.reopen(numbered)
    assert reopened.tickets.find_one({"_id": "t2"}) == expected
    assert ids(reopened.tickets.find({"account_id": "a", "number": 1})) == ["t1"]


@pytest.mark.parametrize("update", [
    {"$set": {"name": "changed"}, "$inc": {"label": 1}},
    {"$set": {"name": "changed"}, "$push": {"label": 1}},
], ids=["inc-on-text", "push-on-text"])
def test_an_update_that_fails_changes_nothing(files, db, update):
    """MongoDB applies an update to a document wholly or not at all; so must the embedded store,
    which promises that a write is either wholly on disk or not at all."""
    original = {"_id": "d1", "name": "original", "label": "text"}
    db.docs.insert_one(dict(original))
    with pytest.raises(Exception):
        db.docs.update_one({"_id": "d1"}, update)
    assert db.docs.find_one({"_id": "d1"}) == original
    assert files.reopen(db).docs.find_one({"_id": "d1"}) == original


def test_indexes_survive_reopening(files, numbered):
    numbered.tickets.create_index([("status", 1)])
    before = numbered.tickets.index_information()
    reopened = files.reopen(numbered)
    assert reopened.tickets.index_information() == before
    # What every service does at start-up: declaring the same indexes again is harmless.
    reopened.tickets.create_index([("account_id", 1), ("number", 1)], unique=True)
    reopened.tickets.create_index([("status", 1)])
    assert reopened.tickets.index_information() == before
    with pytest.raises(DuplicateKeyError):
        reopened.tickets.insert_one({"_id": "t9", "account_id": "a", "number": 2})
    reopened.tickets.insert_one({"_id": "t9", "account_id": "a", "number": 9})
    assert reopened.tickets.find_one({"account_id": "a", "number": 9})["_id"] == "t9"


def test_drop_index_persists(files, numbered):
    numbered.tickets.drop_index("account_id_1_number_1")
    reopened = files.reopen(numbered)
    assert "account_id_1_number_1" not in reopened.tickets.index_information()
    reopened.tickets.insert_one({"_id": "t9", "account_id": "a", "number": 1})
    assert ids(reopened.tickets.find({"account_id": "a", "number": 1})) == ["t1", "t9"]


# -- queries ---------------------------------------------------------------------------------------

def test_aggregation_match_group_sort(db):
    db.people.insert_many(people(12))
    result = list(db.people.aggregate([
        {"$match": {"age": {"$gte": 21}}},
        {"$group": {"_id": "$city", "count": {"$sum": 1}, "oldest": {"$max": "$age"}}},
        {"$sort": {"count": -1, "_id": 1}},
    ]))
    expected = {}
    for p in people(12):
        if p["age"] >= 21:
            count, oldest = expected.get(p["city"], (0, 0))
            expected[p["city"]] = (count + 1, max(oldest, p["age"]))
    ordered = sorted(expected.items(), key=lambda kv: (-kv[1][0], kv[0]))
    assert result == [{"_id": city, "count": c, "oldest": o} for city, (c, o) in ordered]


def test_sort_skip_limit(db):
    db.people.insert_many(people(10))
    page = list(db.people.find({}, {"_id": 1, "age": 1})
                .sort([("age", pymongo.DESCENDING), ("_id", pymongo.ASCENDING)]).skip(2).limit(3))
    expected = sorted(people(10), key=lambda p: (-p["age"], p["_id"]))[2:5]
    assert page == [{"_id": p["_id"], "age": p["age"]} for p in expected]


def test_regex_queries(db):
    db.people.insert_many([person(1, name="Иван Петров"), person(2, name="иванов"),
                           person(3, name="Пётр"), person(4, name="a.b"), person(5, name="axb")])
    assert ids(db.people.find({"name": {"$regex": "^иван", "$options": "i"}})) == ["p001", "p002"]
    assert ids(db.people.find({"name": {"$regex": "^иван"}})) == ["p002"]
    assert ids(db.people.find({"name": re.compile("петров$", re.IGNORECASE)})) == ["p001"]
    assert ids(db.people.find({"name": {"$regex": re.escape("a.b")}})) == ["p004"]


def test_in_or_dotted_and_array_fields(db):
    db.people.insert_many(people(9))
    all_people = people(9)
    assert ids(db.people.find({"age": {"$in": [20, 22]}})) == ids(
        p for p in all_people if p["age"] in (20, 22))
    assert ids(db.people.find({"$or": [{"_id": "p001"}, {"city": "Омск"}]})) == ids(
        p for p in all_people if p["_id"] == "p001" or p["city"] == "Омск")
    assert ids(db.people.find({"address.city": "Казань"})) == ids(
        p for p in all_people if p["address"]["city"] == "Казань")
    assert ids(db.people.find({"tags": "a"})) == ids(p for p in all_people if "a" in p["tags"])
    assert ids(db.people.find({"tags": {"$all": ["a", "b"]}})) == ids(
        p for p in all_people if "a" in p["tags"])
    assert ids(db.people.find({"tags": ["c"]})) == ids(p for p in all_people if p["tags"] == ["c"])


@pytest.mark.parametrize("indexed", [False, True], ids=["scan", "indexed"])
def test_equality_on_a_field_holding_an_array_matches_elements(db, indexed):
    if indexed:
        db.things.create_index([("tags", 1)])
        db.things.create_index([("account_id", 1), ("tags", 1)])
    db.things.insert_many([
        {"_id": 1, "account_id": "a", "tags": ["red", "blue"]},
        {"_id": 2, "account_id": "a", "tags": "red"},
        {"_id": 3, "account_id": "a", "tags": ["green"]},
        {"_id": 4, "account_id": "b", "tags": ["red"]},
    ])
    assert ids(db.things.find({"tags": "red"})) == ["1", "2", "4"]
    assert ids(db.things.find({"account_id": "a", "tags": "red"})) == ["1", "2"]
    assert ids(db.things.find({"account_id": "a", "tags": "green"})) == ["3"]


@pytest.mark.parametrize("indexed", [False, True], ids=["scan", "indexed"])
def test_equality_on_a_dotted_path_through_an_array_matches_elements(db, indexed):
    """MongoDB (multikey): {"lines.sku": "X"} matches a document whose `lines` is a list of
    sub-documents, one of which has sku X. An index on "lines.sku" must not hide it."""
    if indexed:
        db.orders.create_index([("lines.sku", 1)])
    db.orders.insert_many([
        {"_id": 1, "lines": [{"sku": "X"}, {"sku": "Y"}]},
        {"_id": 2, "lines": {"sku": "X"}},
        {"_id": 3, "lines": [{"sku": "Z"}]},
    ])
    assert ids(db.orders.find({"lines.sku": "X"})) == ["1", "2"]
    assert ids(db.orders.find({"lines.sku": "Z"})) == ["3"]


def test_index_lookup_follows_an_updated_document(db):
    db.tickets.create_index([("account_id", 1), ("status", 1)])
    db.tickets.insert_one({"_id": "t1", "account_id": "a", "status": "opened"})
    db.tickets.update_one({"_id": "t1"}, {"$set": {"status": "closed"}})
    assert ids(db.tickets.find({"account_id": "a", "status": "closed"})) == ["t1"]
    assert ids(db.tickets.find({"account_id": "a", "status": "opened"})) == []


# -- index lookups equal a scan (mongomock's plain client is the oracle) ---------------------------

VALUES = [0, 1, 2, 1.0, True, False, None, "a", "b", "B", ""]
TAG_VALUES = ["x", "y", "z", 1]


def random_body(rng):
    doc = {}
    for field in ("a", "b", "c"):
        if rng.random() < 0.85:
            doc[field] = rng.choice(VALUES)
    roll = rng.random()
    if roll < 0.45:
        doc["tags"] = rng.sample(TAG_VALUES, rng.randint(0, 3))
    elif roll < 0.7:
        doc["tags"] = rng.choice(TAG_VALUES)
    if rng.random() < 0.7:
        doc["meta"] = {"kind": rng.choice(VALUES)}
    return doc


def random_operation(rng, next_id, known_ids):
    """One write as (method name, args); single-document writes select by _id so that both
    engines pick the same document."""
    some_id = rng.choice(known_ids)
    value, other = rng.choice(VALUES), rng.choice(VALUES)
    choices = [
        ("insert_one", ({"_id": next_id, **random_body(rng)},)),
        ("update_one", ({"_id": some_id}, {"$set": {"a": value}})),
        ("update_one", ({"_id": some_id, "b": value}, {"$set": {"b": other, "c": value}})),
        ("update_one", ({"_id": some_id}, {"$unset": {"a": ""}})),
        ("update_one", ({"_id": some_id}, {"$set": {"tags": rng.sample(TAG_VALUES, 2)}})),
        ("update_one", ({"_id": some_id}, {"$set": {"tags": rng.choice(TAG_VALUES)}})),
        ("update_one", ({"_id": next_id}, {"$set": {"a": value}}), {"upsert": True}),
        ("update_many", ({"b": value}, {"$set": {"a": other}})),
        ("update_many", ({"a": value}, {"$set": {"meta.kind": other}})),
        ("replace_one", ({"_id": some_id}, random_body(rng))),
        ("find_one_and_update", ({"_id": some_id}, {"$set": {"meta": {"kind": value}}})),
        ("delete_one", ({"_id": some_id},)),
        ("delete_many", ({"a": value, "b": other},)),
        ("delete_many", ({"tags": rng.choice(TAG_VALUES), "c": value},)),
    ]
    name, args, *kwargs = rng.choice(choices)
    return name, args, (kwargs[0] if kwargs else {})


def equality_filters(known_ids):
    filters = [{}]
    for value in VALUES + TAG_VALUES:
        filters += [{"a": value}, {"b": value}, {"c": value}, {"tags": value},
                    {"meta.kind": value}, {"a": value, "c": 0}]
        filters += [{"a": value, "b": other} for other in VALUES]
    filters += [{"_id": i} for i in known_ids[::7]]
    filters += [{"_id": i, "a": 1} for i in known_ids[::11]]
    return filters


def assert_same_answers(embedded, oracle, filters):
    for spec in filters:
        got = sorted(d["_id"] for d in embedded.find(spec))
        want = sorted(d["_id"] for d in oracle.find(spec))
        assert got == want, f"filter {spec!r}"
    assert sorted(embedded.find(), key=lambda d: d["_id"]) == sorted(
        oracle.find(), key=lambda d: d["_id"])


@pytest.mark.parametrize("seed", [7, 2024])
def test_index_assisted_finds_equal_a_full_scan(files, seed):
    rng = random.Random(seed)
    db = files.open(strict=False)  # plain mongomock is the oracle: its equality, 1 == True
    embedded = db.items
    oracle = mongomock.MongoClient().unit.items
    for collection in (embedded, oracle):
        collection.create_index([("a", 1)])
        collection.create_index([("a", 1), ("b", 1)])
        collection.create_index([("tags", 1)])
        collection.create_index([("meta.kind", 1)])

    initial = [{"_id": i, **random_body(rng)} for i in range(250)]
    embedded.insert_many(json.loads(json.dumps(initial)))
    oracle.insert_many(json.loads(json.dumps(initial)))
    next_id = len(initial)
    for _ in range(300):
        known_ids = list(range(next_id + 1))
        name, args, kwargs = random_operation(rng, next_id, known_ids)
        next_id += 1
        for collection in (embedded, oracle):
            getattr(collection, name)(*json_copy(args), **kwargs)

    filters = equality_filters(list(range(next_id)))
    assert_same_answers(embedded, oracle, filters)
    reopened = files.reopen(db)
    assert_same_answers(reopened.items, oracle, filters)


def json_copy(args):
    """Each engine gets its own copy: mongomock may keep what it is handed."""
    return tuple(json.loads(json.dumps(a)) if isinstance(a, dict) else a for a in args)


# -- durability ------------------------------------------------------------------------------------

def test_acknowledged_writes_are_on_disk_for_the_next_process(tmp_path):
    path = tmp_path / "store.sqlite3"
    run_child(CHILD_PRELUDE + """
db.people.create_index([("city", 1)])
db.people.insert_many([{"_id": f"p{i}", "city": "Омск", "n": i} for i in range(5)])
db.people.insert_one({"_id": "aware", "at": datetime(2024, 5, 1, 15, 0, 0, 123456,
                                                     tzinfo=timezone(timedelta(hours=3)))})
db.people.delete_one({"_id": "p4"})
os._exit(0)  # no close, no atexit, no finalizers
""", path)
    dump = json.loads(run_child(DUMP_ALL, path).stdout)
    assert [d["_id"] for d in dump["people"]] == ["aware", "p0", "p1", "p2", "p3"]
    assert dump["people"][1] == {"_id": "p0", "city": "Омск", "n": 0}
    # Stored as UTC at millisecond precision, read back naive.
    assert dump["people"][0]["at"] == repr(datetime(2024, 5, 1, 12, 0, 0, 123000))


def test_acknowledged_updates_are_on_disk_for_the_next_process(tmp_path):
    path = tmp_path / "store.sqlite3"
    out = run_child(CHILD_PRELUDE + """
for _ in range(3):
    value = db.counters.find_one_and_update({"_id": "seq"}, {"$inc": {"value": 1}}, upsert=True,
                                            return_document=ReturnDocument.AFTER)["value"]
db.people.insert_many([{"_id": "p1", "name": "a"}, {"_id": "p2", "name": "b"},
                       {"_id": "p3", "name": "c"}])
db.people.update_one({"_id": "p1"}, {"$set": {"name": "A"}, "$push": {"log": 1}})
db.people.update_many({"_id": {"$in": ["p2", "p3"]}}, {"$set": {"seen": True}})
db.people.replace_one({"_id": "p3"}, {"name": "C"})
db.marks.update_one({"_id": "k"}, {"$setOnInsert": {"first": 1}, "$set": {"last": 1}}, upsert=True)
db.marks.update_one({"_id": "k"}, {"$setOnInsert": {"first": 2}, "$set": {"last": 2}}, upsert=True)
print(value)
sys.stdout.flush()
os._exit(0)
""", path)
    assert out.stdout.strip() == "3"
    dump = json.loads(run_child(DUMP_ALL, path).stdout)
    assert dump["counters"] == [{"_id": "seq", "value": 3}]
    assert dump["people"] == [{"_id": "p1", "name": "A", "log": [1]},
                              {"_id": "p2", "name": "b", "seen": True},
                              {"_id": "p3", "name": "C"}]
    assert dump["marks"] == [{"_id": "k", "first": 1, "last": 2}]


KILL_WRITER = CHILD_PRELUDE + """
db.items.create_index([("batch", 1)])
batch = 0
while True:
    docs = [{"_id": f"{batch}.{k}", "batch": batch, "body": "x" * 200} for k in range(3)]
    db.items.insert_many(docs)
    sys.stdout.write("".join(d["_id"] + "\\n" for d in docs))
    sys.stdout.flush()
    batch += 1
"""


def test_acknowledged_writes_survive_kill_9(files):
    child = subprocess.Popen([sys.executable, "-c", KILL_WRITER, str(files.path)],
                             cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    watchdog = threading.Timer(30, child.kill)  # never hang on a child that does not start
    watchdog.start()
    try:
        first = child.stdout.readline()  # the child is up and has acknowledged a write
        assert first, child.stderr.read()
        time.sleep(1.0)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        watchdog.cancel()
    printed = (first + child.stdout.read()).split("\n")
    child.stdout.close()
    child.stderr.close()
    acknowledged = printed[:-1]  # the last piece is an unfinished line or empty
    assert len(acknowledged) >= 9  # at least three whole batches

    db = files.open()
    stored = {d["_id"] for d in db.items.find()}
    assert set(acknowledged) <= stored
    # Each insert_many is wholly on disk or not at all, and nothing beyond the batch in flight.
    batches = {}
    for doc_id in stored:
        batch, _ = doc_id.split(".")
        batches.setdefault(int(batch), set()).add(doc_id)
    assert all(len(members) == 3 for members in batches.values())
    assert sorted(batches) == list(range(len(batches)))
    assert len(batches) - 1 <= int(acknowledged[-1].split(".")[0]) + 1
    # The reloaded index answers like a scan.
    assert len(list(db.items.find({"batch": 0}))) == 3


def test_delete_many_and_drop_persist(files, db):
    db.people.insert_many(people(6))
    db.people.delete_many({"city": "Москва"})
    db.gone.insert_many(people(2))
    db.gone.create_index([("city", 1)])
    db.gone.drop()
    reopened = files.reopen(db)
    assert ids(reopened.people.find()) == ids(p for p in people(6) if p["city"] != "Москва")
    assert "gone" not in reopened.list_collection_names()
    assert list(reopened.gone.find()) == []
    assert "city_1" not in reopened.gone.index_information()


def test_drop_collection_through_the_database_persists(files, db):
    db.gone.insert_many(people(2))
    db.drop_collection("gone")
    assert list(db.gone.find()) == []
    reopened = files.reopen(db)
    assert list(reopened.gone.find()) == []
    assert "gone" not in reopened.list_collection_names()


def test_datetimes_come_back_naive_utc(files, db):
    aware = datetime(2024, 3, 10, 23, 30, 15, 987654, tzinfo=MSK)
    naive_utc = datetime(2024, 3, 10, 20, 30, 15, 987000)
    db.events.insert_one({"_id": 1, "at": aware, "nested": {"list": [aware]}})
    for database in (db, files.reopen(db)):
        doc = database.events.find_one({"_id": 1})
        assert doc["at"] == naive_utc and doc["at"].tzinfo is None
        assert doc["nested"]["list"] == [naive_utc]
        assert database.events.find_one({"at": naive_utc})["_id"] == 1


def test_a_sub_document_id_survives_reopening(files, db):
    db.links.insert_one({"_id": {"account": "a", "call": "c1"}, "ticket": 5})
    reopened = files.reopen(db)
    assert reopened.links.find_one({"_id": {"account": "a", "call": "c1"}})["ticket"] == 5


# -- one process owns a file -----------------------------------------------------------------------

def test_a_second_process_gets_data_folder_busy(files, db):
    db.people.insert_one(person(1))
    result = run_child("""
import pathlib, sys
from services.shared.embedded import DataFolderBusy, open_embedded_database
try:
    open_embedded_database(pathlib.Path(sys.argv[1]), "unit")
except DataFolderBusy as exc:
    print("busy:", exc)
else:
    print("opened")
""", files.path)
    assert result.stdout.startswith("busy:")
    assert "MONGO_URL" in result.stdout
    assert str(files.path) in result.stdout
    # The owner is unaffected.
    assert db.people.find_one({"_id": "p001"})["name"] == "Person 1"


def test_a_second_open_in_the_same_process_is_busy_too(files, db):
    # flock belongs to the open file description, so a second open() of the lock file conflicts.
    with pytest.raises(DataFolderBusy, match="MONGO_URL"):
        open_embedded_database(files.path, "unit")
    db.people.insert_one(person(1))
    assert db.people.count_documents({}) == 1


def test_the_file_is_free_again_once_closed(files, db):
    db.people.insert_one(person(1))
    files.close(db)
    again = files.open()
    assert again.people.find_one({"_id": "p001"})["name"] == "Person 1"


def test_a_missing_folder_is_created(tmp_path, files):
    path = tmp_path / "deep" / "er" / "store.sqlite3"
    db = files.open(path)
    db.people.insert_one(person(1))
    assert path.exists()
