"""Range lookups of the embedded store (equality on an index's leading fields, a range of dates on
its last, as the SLA watcher asks for due tickets) give exactly what a full scan gives: plain
mongomock is the oracle, on random data, random writes, and after reopening."""
import copy
import random
from datetime import datetime, timedelta, timezone

import mongomock
import pytest

pytestmark = pytest.mark.engine

T0 = datetime(2026, 1, 1)
ACCOUNTS = ["a", "b", None]


def due_value(rng):
    roll = rng.random()
    if roll < 0.6:
        return T0 + timedelta(minutes=rng.randrange(0, 600, 30))  # ties on purpose
    return rng.choice([None, 5, "2026-01-01", [T0, T0 + timedelta(hours=2)],
                       (T0 + timedelta(hours=1)).replace(tzinfo=timezone.utc)])


def body(rng):
    doc = {"account": rng.choice(ACCOUNTS)}
    if rng.random() < 0.9:
        doc["due"] = due_value(rng)
    return doc


def write(rng, collection_pair, next_id):
    some_id = rng.randrange(next_id)
    choices = [
        ("insert_one", ({"_id": next_id, **body(rng)},)),
        ("update_one", ({"_id": some_id}, {"$set": {"due": due_value(rng)}})),
        ("update_one", ({"_id": some_id}, {"$unset": {"due": ""}})),
        ("update_one", ({"_id": some_id}, {"$set": {"account": rng.choice(ACCOUNTS)}})),
        ("update_many", ({"account": rng.choice(ACCOUNTS)}, {"$set": {"due": due_value(rng)}})),
        ("delete_one", ({"_id": some_id},)),
    ]
    name, args = rng.choice(choices)
    for collection in collection_pair:
        getattr(collection, name)(*copy.deepcopy(args))


def filters():
    found = []
    for account in ACCOUNTS:
        for minutes in (-30, 0, 90, 240, 600, 900):
            bound = T0 + timedelta(minutes=minutes)
            for operator in ("$lt", "$lte", "$gt", "$gte"):
                found.append({"account": account, "due": {operator: bound}})
            found.append({"account": account, "due": {"$gte": bound, "$lt": bound + timedelta(hours=2)}})
        found.append({"account": {"$in": ["a", "b"]}, "due": {"$lte": T0 + timedelta(hours=3)}})
    return found


def assert_same(embedded, oracle):
    for spec in filters():
        got = sorted(d["_id"] for d in embedded.find(spec))
        want = sorted(d["_id"] for d in oracle.find(spec))
        assert got == want, f"filter {spec!r}"


@pytest.mark.parametrize("seed", [3, 11, 2026])
def test_range_lookups_equal_a_full_scan(files, seed):
    rng = random.Random(seed)
    db = files.open(strict=False)  # plain mongomock is the oracle
    embedded, oracle = db.items, mongomock.MongoClient().unit.items
    for collection in (embedded, oracle):
        collection.create_index([("account", 1), ("due", 1)])
    initial = [{"_id": i, **body(rng)} for i in range(200)]
    embedded.insert_many(copy.deepcopy(initial))
    oracle.insert_many(copy.deepcopy(initial))
    next_id = len(initial)
    for _ in range(300):
        write(rng, (embedded, oracle), next_id)
        next_id += 1
    assert_same(embedded, oracle)
    # Read back from disk, every datetime is naive: the sorted lists are rebuilt from the file.
    assert_same(files.reopen(db).items, oracle)


def test_a_range_lookup_reads_only_the_documents_in_range(db):
    db.items.create_index([("account", 1), ("due", 1)])
    db.items.insert_many([{"_id": i, "account": "a", "due": T0 + timedelta(minutes=i)}
                          for i in range(1000)])
    spec = {"account": "a", "due": {"$lte": T0 + timedelta(minutes=9)}}
    assert sorted(d["_id"] for d in db.items._store.candidates(spec)) == list(range(10))
