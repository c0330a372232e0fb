"""Index lookups on array fields, $in and top-level $and give exactly what a scan gives."""
import random

import mongomock
import pytest

from services.shared.embedded import open_embedded_database

pytestmark = pytest.mark.engine

WORDS = ["турникет", "камера", "касса", "принтер", "домофон", "лифт", None]


def make_doc(rng, i):
    doc = {"_id": f"d{i}", "account_id": rng.choice(["a", "b"]),
           "terms": rng.sample(WORDS[:-1], rng.randint(0, 3)), "kind": rng.choice(WORDS)}
    if rng.random() < 0.1:
        doc["terms"] = [{"nested": 1}]          # not hashable: always a candidate
    if rng.random() < 0.1:
        del doc["kind"]
    return doc


def random_filter(rng):
    clause = rng.choice([
        lambda: {"account_id": rng.choice("ab"), "terms": rng.choice(WORDS)},
        lambda: {"account_id": rng.choice("ab"), "terms": {"$in": rng.sample(WORDS, 2)}},
        lambda: {"_id": {"$in": [f"d{rng.randint(0, 80)}" for _ in range(3)]}},
        lambda: {"$and": [{"account_id": "a", "kind": rng.choice(WORDS)}, {"terms": {"$ne": "лифт"}}]},
        lambda: {"account_id": rng.choice("ab"), "kind": {"$in": [None, rng.choice(WORDS)]}},
    ])
    return clause()


@pytest.mark.parametrize("seed", range(5))
def test_lookups_equal_a_scan(tmp_path, seed):
    rng = random.Random(seed)
    ours = open_embedded_database(tmp_path / f"m{seed}.sqlite3", "m", strict=False)
    oracle = mongomock.MongoClient()["m"]
    for db in (ours, oracle):
        db.docs.create_index([("account_id", 1), ("terms", 1)])
        db.docs.create_index([("account_id", 1), ("kind", 1)])
    for i in range(80):
        doc = make_doc(rng, i)
        ours.docs.insert_one(dict(doc))
        oracle.docs.insert_one(dict(doc))
    for i in range(0, 80, 7):   # changes after indexing must move the keys too
        change = {"$set": {"terms": rng.sample(WORDS[:-1], 2)}}
        ours.docs.update_one({"_id": f"d{i}"}, change)
        oracle.docs.update_one({"_id": f"d{i}"}, change)
    for _ in range(200):
        spec = random_filter(rng)
        assert sorted(d["_id"] for d in ours.docs.find(spec)) == \
            sorted(d["_id"] for d in oracle.docs.find(spec)), spec
