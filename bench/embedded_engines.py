"""Compare embedded engines that offer the pymongo API, on the operations this project uses.

Run: .venv/bin/python bench/embedded_engines.py [--docs 5000]

For each candidate it checks the features the services rely on (find_one_and_update with $inc and
upsert, update_one upsert, compound unique index, aggregation with $match/$group/$sort, sort+skip+
limit, regex), durability (a child process writes, prints each acknowledged id, and is killed with
SIGKILL; the parent reopens the store and counts what survived), and speed (inserts per second and
indexed lookups per second at --docs documents). The results are recorded in docs/storage.md.
"""
import argparse
import importlib
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CANDIDATES = ("servicedesk-embedded", "tinymongo-sqlite", "montydb-sqlite", "mongomock")


def open_db(engine, folder):
    if engine == "servicedesk-embedded":
        from pathlib import Path
        from services.shared.embedded import open_embedded_database
        return open_embedded_database(Path(folder) / "bench.sqlite3", "bench")
    if engine == "tinymongo-sqlite":
        tinymongo = importlib.import_module("tinymongo")
        return tinymongo.MongoClient(tinymongo_folder=folder, backend="sqlite")["bench"]
    if engine == "montydb-sqlite":
        montydb = importlib.import_module("montydb")
        return montydb.MontyClient(folder, storage="sqlite")["bench"]
    if engine == "mongomock":
        mongomock = importlib.import_module("mongomock")
        return mongomock.MongoClient()["bench"]
    raise ValueError(engine)


def check(name, fn):
    try:
        fn()
        return name, "ok"
    except Exception as exc:  # the point is to report every failure, whatever its type
        return name, f"FAIL {type(exc).__name__}: {str(exc)[:80]}"


def feature_checks(db):
    from pymongo import ReturnDocument

    def counter():
        c = db.counters
        first = c.find_one_and_update({"_id": "a"}, {"$inc": {"seq": 1}}, upsert=True,
                                      return_document=ReturnDocument.AFTER)
        second = c.find_one_and_update({"_id": "a"}, {"$inc": {"seq": 1}}, upsert=True,
                                       return_document=ReturnDocument.AFTER)
        assert (first["seq"], second["seq"]) == (1, 2), (first, second)

    def upsert():
        c = db.up
        c.update_one({"k": 1}, {"$set": {"v": 1}, "$setOnInsert": {"c": 0}}, upsert=True)
        c.update_one({"k": 1}, {"$set": {"v": 2}, "$setOnInsert": {"c": 9}}, upsert=True)
        doc = c.find_one({"k": 1})
        assert doc["v"] == 2 and doc["c"] == 0, doc

    def unique():
        from pymongo.errors import DuplicateKeyError
        c = db.uniq
        c.create_index([("account_id", 1), ("number", 1)], unique=True)
        c.insert_one({"account_id": "a", "number": 1})
        c.insert_one({"account_id": "b", "number": 1})
        try:
            c.insert_one({"account_id": "a", "number": 1})
        except DuplicateKeyError:
            return
        raise AssertionError("duplicate accepted")

    def aggregate():
        c = db.agg
        c.insert_many([{"a": "x", "n": 1}, {"a": "x", "n": 2}, {"a": "y", "n": 5}])
        rows = list(c.aggregate([{"$match": {"n": {"$gte": 1}}},
                                 {"$group": {"_id": "$a", "total": {"$sum": "$n"}}},
                                 {"$sort": {"_id": 1}}]))
        assert rows == [{"_id": "x", "total": 3}, {"_id": "y", "total": 5}], rows

    def page():
        c = db.page
        c.insert_many([{"i": i} for i in range(20)])
        rows = [d["i"] for d in c.find({"i": {"$lt": 15}}).sort([("i", -1)]).skip(2).limit(3)]
        assert rows == [12, 11, 10], rows

    def regex():
        c = db.rx
        c.insert_one({"t": "Не работает турникет"})
        assert c.count_documents({"t": {"$regex": "турникет", "$options": "i"}}) == 1

    return [check(n, f) for n, f in (("find_one_and_update $inc upsert", counter),
                                      ("update_one upsert $setOnInsert", upsert),
                                      ("compound unique index", unique),
                                      ("aggregate $match/$group/$sort", aggregate),
                                      ("sort/skip/limit", page), ("regex", regex))]


def child_writer(engine, folder):
    db = open_db(engine, folder)
    for i in range(100000):
        db.kill.insert_one({"_id": i, "payload": "x" * 200})
        print(i, flush=True)


def durability(engine):
    if engine == "mongomock":
        return "n/a (memory only)"
    folder = tempfile.mkdtemp()
    proc = subprocess.Popen([sys.executable, __file__, "--child", engine, folder],
                            stdout=subprocess.PIPE, text=True)
    acked = -1
    started = time.monotonic()
    for line in proc.stdout:
        acked = int(line)
        if time.monotonic() - started > 2:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    db = open_db(engine, folder)
    kept = {d["_id"] for d in db.kill.find({})}
    lost = [i for i in range(acked + 1) if i not in kept]
    return f"{acked + 1} acknowledged, {len(lost)} lost after SIGKILL"


def speed(engine, docs):
    db = open_db(engine, tempfile.mkdtemp())
    c = db.tickets
    c.create_index([("account_id", 1), ("number", 1)], unique=True)
    started = time.perf_counter()
    for i in range(docs):
        c.insert_one({"account_id": "acc", "number": i, "title": f"ticket {i}", "status": "opened"})
    insert_rate = docs / (time.perf_counter() - started)
    started = time.perf_counter()
    lookups = 200
    for i in range(lookups):
        assert c.find_one({"account_id": "acc", "number": (i * 7919) % docs})
    lookup_rate = lookups / (time.perf_counter() - started)
    return f"{insert_rate:.0f} inserts/s, {lookup_rate:.0f} indexed lookups/s at {docs} docs"


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_writer(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000)
    args = parser.parse_args()
    for engine in CANDIDATES:
        print(f"== {engine}")
        try:
            db = open_db(engine, tempfile.mkdtemp())
        except ImportError as exc:
            print(f"  not installed: {exc}")
            continue
        for name, verdict in feature_checks(db):
            print(f"  {name}: {verdict}")
        print(f"  durability: {durability(engine)}")
        print(f"  speed: {speed(engine, args.docs)}")


if __name__ == "__main__":
    main()
