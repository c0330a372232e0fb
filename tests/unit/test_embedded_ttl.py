"""TTL indexes in the embedded store: what MongoDB's TTL monitor deletes, the engine deletes when a
database is opened and, at most once a minute, before a write."""
from datetime import datetime, timedelta

import pytest

from services.shared import embedded
from services.shared.clock import utcnow

pytestmark = pytest.mark.engine


def counters(db):
    db.counters.create_index("expires_at", expireAfterSeconds=0)
    db.counters.create_index("kind")
    now = utcnow()
    db.counters.insert_many([
        {"_id": "over", "kind": "a", "expires_at": now - timedelta(seconds=1)},
        {"_id": "running", "kind": "a", "expires_at": now + timedelta(hours=1)},
        {"_id": "no-date", "kind": "a"}])
    return db.counters


def ids(collection):
    return sorted(doc["_id"] for doc in collection.find())


def stored(db, collection):
    return db.journal._sql.execute("SELECT count(*) FROM documents WHERE collection = ?",
                                   (collection,)).fetchone()[0]


def test_expired_documents_are_not_loaded_again_at_start(files):
    db = files.open()
    counters(db)
    db = files.reopen(db)
    assert ids(db.counters) == ["no-date", "running"]
    assert stored(db, "counters") == 2  # deleted from the file too, not only from memory


def test_expired_documents_go_before_a_write_once_the_minute_is_over(files, monkeypatch):
    db = files.open()
    collection = counters(db)
    collection.insert_one({"_id": "next", "expires_at": utcnow() + timedelta(hours=1)})
    assert "over" in ids(collection)  # purged at open only: the minute is not over yet
    monkeypatch.setattr(db, "purged_at", db.purged_at - embedded.TTL_PURGE_SECONDS)
    collection.update_one({"_id": "running"}, {"$set": {"kind": "b"}})
    assert ids(collection) == ["next", "no-date", "running"]
    assert stored(db, "counters") == 3


def test_the_delay_of_the_index_counts(files):
    db = files.open()
    db.kept.create_index("at", expireAfterSeconds=3600)
    db.kept.insert_many([{"_id": "old", "at": utcnow() - timedelta(hours=2)},
                         {"_id": "recent", "at": utcnow() - timedelta(minutes=30)},
                         {"_id": "far", "at": datetime(1990, 1, 1)}])
    assert ids(files.reopen(db).kept) == ["recent"]
