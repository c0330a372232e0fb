"""Bulk writes on the embedded store: the pymongo requests, MongoDB's results and errors, each
request atomic on its own, and the whole batch on disk in one SQLite transaction."""
import pytest
from pymongo import DeleteMany, DeleteOne, InsertOne, ReplaceOne, UpdateMany, UpdateOne
from pymongo.errors import BulkWriteError

pytestmark = pytest.mark.engine


@pytest.fixture
def counted(files):
    """A database whose journal counts the SQLite transactions it commits."""
    db = files.open()
    db.docs.insert_many([{"_id": f"d{n}", "n": n, "label": "text"} for n in range(5)])
    sql, commits = db.journal._sql, []

    class Counting:
        def __getattr__(self, name):
            return getattr(sql, name)

        def execute(self, statement, *args):
            if statement == "COMMIT":
                commits.append(statement)
            return sql.execute(statement, *args)

    db.journal._sql = Counting()
    yield db, commits
    db.journal._sql = sql


def test_a_bulk_write_applies_every_request_in_one_transaction(files, counted):
    db, commits = counted
    result = db.docs.bulk_write([
        UpdateOne({"_id": "d0", "n": 0}, {"$set": {"seen": True}}),
        UpdateOne({"_id": "d1", "n": 99}, {"$set": {"seen": True}}),  # condition not met
        UpdateMany({"n": {"$gte": 3}}, {"$inc": {"n": 10}}),
        UpdateOne({"_id": "new"}, {"$setOnInsert": {"n": 7}}, upsert=True),
        InsertOne({"_id": "d9", "n": 9}),
        ReplaceOne({"_id": "d2"}, {"n": 2, "replaced": True}),
        DeleteOne({"_id": "d9"}),
        DeleteMany({"n": {"$gte": 13}}),
    ], ordered=False)
    assert (result.matched_count, result.modified_count, result.upserted_ids,
            result.inserted_count, result.deleted_count) == (4, 4, {3: "new"}, 1, 3)
    assert len(commits) == 1
    expected = [{"_id": "d0", "n": 0, "label": "text", "seen": True},
                {"_id": "d1", "n": 1, "label": "text"}, {"_id": "d2", "n": 2, "replaced": True},
                {"_id": "new", "n": 7}]
    assert list(db.docs.find().sort("_id")) == expected
    assert list(files.reopen(db).docs.find().sort("_id")) == expected


@pytest.mark.parametrize("ordered", [True, False], ids=["ordered", "unordered"])
def test_a_failing_request_changes_nothing_of_its_own(files, counted, ordered):
    """MongoDB applies each request of a batch wholly or not at all: the one that fails leaves its
    document as the requests before it made it; an ordered batch stops there."""
    db, commits = counted
    with pytest.raises(BulkWriteError) as failure:
        db.docs.bulk_write([
            UpdateOne({"_id": "d0"}, {"$set": {"step": 1}}),
            UpdateOne({"_id": "d0"}, {"$set": {"step": 2}, "$inc": {"label": 1}}),  # $inc on text
            UpdateOne({"_id": "d1"}, {"$set": {"step": 3}}),
        ], ordered=ordered)
    details = failure.value.details
    assert [e["index"] for e in details["writeErrors"]] == [1]
    assert details["nModified"] == (1 if ordered else 2)
    expected = [{"_id": "d0", "n": 0, "label": "text", "step": 1},
                {"_id": "d1", "n": 1, "label": "text"} | ({} if ordered else {"step": 3})]
    assert list(db.docs.find({"_id": {"$in": ["d0", "d1"]}}).sort("_id")) == expected
    assert len(commits) == 1
    assert list(files.reopen(db).docs.find({"_id": {"$in": ["d0", "d1"]}}).sort("_id")) == expected


def test_a_bulk_write_keeps_the_indexes_right(db):
    db.docs.create_index([("group", 1), ("due", 1)])
    db.docs.insert_many([{"_id": n, "group": "a", "due": n} for n in range(4)])
    db.docs.bulk_write([UpdateOne({"_id": n}, {"$set": {"group": "b"}}) for n in (1, 2)] +
                       [InsertOne({"_id": 9, "group": "b", "due": 9})])
    assert sorted(d["_id"] for d in db.docs.find({"group": "b"})) == [1, 2, 9]
    assert sorted(d["_id"] for d in db.docs.find({"group": "a"})) == [0, 3]
