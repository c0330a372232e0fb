"""Lookups on an index's leading fields and sorted pages read in an index's order give exactly
what a scan gives (plain mongomock is the oracle, order included), and a page reads no further
than it needs."""
import copy
import random
from datetime import datetime, timedelta, timezone

import mongomock
from pymongo.errors import OperationFailure
import pytest

from services.shared.paging import fetch_page, page_query

pytestmark = pytest.mark.engine

T0 = datetime(2026, 1, 1)
ACCOUNTS = ["a", "b", "c"]
STATUSES = ["opened", "waiting", "closed", 1, True, None]
INDEXES = [[("account", 1), ("created", -1)], [("account", 1), ("status", 1), ("created", -1)],
           [("account", 1), ("n", 1)], [("status", 1)]]


def created(rng, odd):
    roll = rng.random()
    if roll < 0.85 or not odd:
        return T0 + timedelta(minutes=rng.randrange(0, 300, 5))  # ties on purpose
    return rng.choice([None, "2026-01-01", 5, [T0], (T0 + timedelta(hours=1)).replace(tzinfo=timezone.utc)])


def body(rng, odd):
    doc = {"account": rng.choice(ACCOUNTS), "status": rng.choice(STATUSES), "n": rng.randrange(40),
           "created": created(rng, odd)}
    if rng.random() < 0.05:
        del doc[rng.choice(["status", "n", "created"])]
    return doc


def base_filter(rng):
    statuses = {"$in": rng.sample(STATUSES, rng.randint(1, 3))}
    return rng.choice([
        {"account": rng.choice(ACCOUNTS)},
        {"$and": [{"account": rng.choice(ACCOUNTS)}, {"status": statuses}]},
        {"account": {"$in": rng.sample(ACCOUNTS, 2)}, "status": statuses},
        {"account": rng.choice(ACCOUNTS), "n": {"$gte": rng.randrange(40)}},
        {"$and": [{"account": rng.choice(ACCOUNTS)}, {"status": rng.choice(STATUSES)},
                  {"created": {"$lt": T0 + timedelta(minutes=rng.randrange(300))}}]},
        {"status": statuses},
    ])


def pair(tmp_path_files, rng, odd, count=300):
    db = tmp_path_files.open(strict=False)  # plain mongomock is the oracle: its equality
    ours, oracle = db.items, mongomock.MongoClient().unit.items
    for collection in (ours, oracle):
        for keys in INDEXES:
            collection.create_index(keys)
    docs = [{"_id": f"t{i:04d}", **body(rng, odd)} for i in range(count)]
    ours.insert_many(copy.deepcopy(docs))
    oracle.insert_many(copy.deepcopy(docs))
    for _ in range(60):  # later changes move keys: the index must follow
        some = {"_id": rng.choice(docs)["_id"]}
        change = {"$set": {"status": rng.choice(STATUSES), "created": created(rng, odd)}}
        ours.update_one(some, copy.deepcopy(change))
        oracle.update_one(some, copy.deepcopy(change))
    return db, ours, oracle


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("odd", [False, True], ids=["plain", "odd_values"])
def test_sorted_pages_and_prefix_lookups_equal_a_scan(files, seed, odd):
    rng = random.Random(seed)
    db, ours, oracle = pair(files, rng, odd)
    for _ in range(120):
        spec = base_filter(rng)
        assert sorted(d["_id"] for d in ours.find(spec)) == \
            sorted(d["_id"] for d in oracle.find(spec)), spec
        direction = rng.choice([1, -1])
        sort = [(rng.choice(["created", "n"]), direction), ("_id", direction)]
        skip, limit = rng.randrange(3), rng.randint(1, 25)
        got = list(ours.find(spec).sort(sort).skip(skip).limit(limit))
        want = list(oracle.find(spec).sort(sort).skip(skip).limit(limit))
        assert got == want, (spec, sort, skip, limit)


@pytest.mark.parametrize("seed", range(3))
def test_cursor_pages_equal_a_scan(files, seed):
    """Page after page by cursor (a range on the sort key and the _id tiebreak), as the lists do."""
    rng = random.Random(seed)
    db, ours, oracle = pair(files, rng, odd=False)
    for _ in range(15):
        spec = base_filter(rng)
        field, descending = rng.choice(["created", "n"]), rng.random() < 0.5
        limit = rng.randint(1, 30)
        cursors = [None, None]
        while True:
            (got, cursors[0]), (want, cursors[1]) = (
                fetch_page(c, spec, field, descending, cursor, limit)
                for c, cursor in ((ours, cursors[0]), (oracle, cursors[1])))
            assert got == want and cursors[0] == cursors[1], (spec, field, descending)
            if cursors[0] is None:
                break


def counted_page(collection, spec, sort, count):
    """The page the store reads for a query, and how many documents it checked to find it."""
    calls, matches = [], collection._matcher(spec)

    def counting(doc):
        calls.append(doc["_id"])
        return matches(doc)

    return collection._store.ordered(spec, sort, count, counting), len(calls)


def test_a_sorted_page_reads_no_further_than_it_needs(db):
    """The open-ticket list: equality on the account, $in on the status, newest first, and the
    fifth page by cursor, in an account of 5,000 among 15,000."""
    db.items.create_index([("account", 1), ("status", 1), ("created", -1)])
    db.items.insert_many([{"_id": f"t{i:05d}", "account": ACCOUNTS[i % 3],
                           "status": ["opened", "waiting", "closed", "closed"][i % 4],
                           "created": T0 + timedelta(minutes=i)} for i in range(15000)])
    spec = {"$and": [{"account": "a"}, {"status": {"$in": ["opened", "waiting"]}}]}
    page, checked = counted_page(db.items, spec, [("created", -1), ("_id", -1)], 51)
    assert len(page) == 51 and checked == 51
    cursor = None
    for _ in range(4):
        docs, cursor = fetch_page(db.items, spec, "created", True, cursor, 50)
    query, sort = page_query(spec, "created", True, cursor)
    page, checked = counted_page(db.items, query, sort, 51)
    assert [d["_id"] for d in page[:50]] == \
        [d["_id"] for d in fetch_page(db.items, spec, "created", True, cursor, 50)[0]]
    assert checked <= 52  # the page, and the cursor's own document (equal sort value)


def test_a_lookup_on_the_leading_field_reads_that_account_only(db):
    db.items.create_index([("account", 1), ("number", 1)], unique=True)
    db.items.insert_many([{"_id": i, "account": ACCOUNTS[i % 3], "number": i} for i in range(3000)])
    found = db.items._store.candidates({"account": "b"})
    assert len(found) == 1000 and {d["account"] for d in found} == {"b"}


def test_insert_many_and_update_many_do_not_grow_with_the_batch(db, monkeypatch):
    """Each document's unique check reads its own key, not every document the batch wrote."""
    db.items.create_index([("account", 1), ("number", 1)], unique=True)
    store = db.items._store
    sizes, candidates = [], store.candidates

    def recorded(spec):
        found = candidates(spec)
        sizes.append(len(found) if found is not None else None)
        return found

    monkeypatch.setattr(store, "candidates", recorded)
    db.items.insert_many([{"_id": i, "account": "a", "number": i} for i in range(500)])
    assert max(sizes) == 1
    sizes.clear()
    db.items.update_many({"account": "a"}, {"$inc": {"number": 1000}})
    assert sizes[0] == 500 and max(sizes[1:]) <= 2


def test_an_index_declared_again_is_kept_as_it_is(files, db):
    """Every start declares its indexes again: that must not rebuild them (a million keys)."""
    db.items.create_index([("account", 1), ("number", 1)], unique=True)
    db.items.insert_many([{"_id": i, "account": "a", "number": i} for i in range(10)])
    built = db.items._store._indexes["account_1_number_1"]
    assert db.items.create_index([("account", 1), ("number", 1)], unique=True) == "account_1_number_1"
    assert db.items._store._indexes["account_1_number_1"] is built
    with pytest.raises(OperationFailure):
        db.items.create_index([("account", 1), ("number", 1)])  # same name, other options
    reopened = files.reopen(db)
    reopened.items.create_index([("account", 1), ("number", 1)], unique=True)
    assert [d["_id"] for d in reopened.items.find({"account": "a", "number": 3})] == [3]


@pytest.mark.parametrize("projection", [None, {"history": 0, "comments": 0},
                                        {"_id": 0, "meta": 0}, {"status": 1}, {"meta.kind": 0}])
def test_results_are_copies_as_mongomock_makes_them(files, projection):
    """A result is a copy (changing it changes nothing stored), shaped as mongomock shapes it."""
    db = files.open(strict=False)
    doc = {"_id": "t1", "status": "opened", "meta": {"kind": "a", "tags": [1, {"x": T0}]},
           "history": [{"at": T0, "field": "status"}], "comments": [], "created": T0}
    db.items.insert_one(copy.deepcopy(doc))
    oracle = mongomock.MongoClient().unit.items
    oracle.insert_one(copy.deepcopy(doc))
    got = db.items.find_one({}, copy.deepcopy(projection))
    assert got == oracle.find_one({}, copy.deepcopy(projection))
    assert list(got) == list(oracle.find_one({}, copy.deepcopy(projection)))  # field order too
    for value in got.values():
        if isinstance(value, (dict, list)):
            value.clear()
    assert db.items.find_one({"_id": "t1"}) == doc
