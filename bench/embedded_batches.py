"""Batches and memory of the embedded store, as issue 24 measured them.

  1. insert_many of 1,000 to 8,000 documents, and update_many over them, with a unique compound
     index (the batch must cost its size, not its square), against bulk_write of the same inserts;
  2. memory: a fresh process opens a database of 50,000 one-kilobyte documents with two compound
     indexes; its resident memory (VmRSS) before and after, and the time the open took.

    .venv/bin/python bench/embedded_batches.py

stdout is Markdown for docs/performance.md.
"""
import random
import string
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from pymongo import InsertOne

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.shared.embedded import open_embedded_database  # noqa: E402

T0 = datetime(2026, 1, 1)
MEMORY_DOCUMENTS = 50_000


def document(rng, number, body=900):
    return {"_id": f"{number:032x}", "account_id": f"account-{number % 10}", "number": number,
            "status": rng.choice(["opened", "closed"]), "created_at": T0 + timedelta(seconds=number),
            "body": "".join(rng.choices(string.ascii_letters, k=body))}


def indexed(db):
    db.docs.create_index([("account_id", 1), ("number", 1)], unique=True)
    db.docs.create_index([("account_id", 1), ("created_at", -1)])
    return db.docs


def batches(folder):
    rng, rows = random.Random(1), []
    for size in (1000, 2000, 4000, 8000):
        db = open_embedded_database(folder / f"batch{size}.sqlite3", "bench")
        docs = indexed(db)
        batch = [document(rng, n, body=100) for n in range(size)]
        started = time.perf_counter()
        docs.insert_many(batch)
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        docs.update_many({}, {"$inc": {"number": size}})
        updated = time.perf_counter() - started
        db.journal.close()
        db = open_embedded_database(folder / f"bulk{size}.sqlite3", "bench")
        docs = indexed(db)
        started = time.perf_counter()
        docs.bulk_write([InsertOne(document(rng, n, body=100)) for n in range(size)])
        bulk = time.perf_counter() - started
        db.journal.close()
        rows.append((size, inserted, updated, bulk))
    return rows


def memory(folder):
    path = folder / "memory.sqlite3"
    db = open_embedded_database(path, "bench")
    docs, rng = indexed(db), random.Random(2)
    for first in range(0, MEMORY_DOCUMENTS, 5000):
        docs.insert_many([document(rng, n) for n in range(first, first + 5000)])
    db.journal.close()
    child = subprocess.run([sys.executable, __file__, "--open", str(path)], capture_output=True,
                           text=True, check=True)
    return child.stdout.split()


def rss_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def open_and_report(path):
    before, started = rss_mib(), time.perf_counter()
    db = open_embedded_database(Path(path), "bench")
    print(f"{before:.0f} {rss_mib():.0f} {time.perf_counter() - started:.1f} "
          f"{db.docs.count_documents({})}")


def main():
    if sys.argv[1:2] == ["--open"]:
        open_and_report(sys.argv[2])
        return
    with tempfile.TemporaryDirectory() as folder:
        rows = batches(Path(folder))
        before, after, seconds, count = memory(Path(folder))
    print("| documents | insert_many | update_many ($inc of the unique key) | bulk_write inserts |")
    print("|---|---|---|---|")
    for size, inserted, updated, bulk in rows:
        print(f"| {size:,} | {inserted:.2f} s | {updated:.2f} s | {bulk:.2f} s |")
    print(f"\n{int(count):,} one-kilobyte documents, two compound indexes: a fresh process opens "
          f"them in {seconds} s, VmRSS {before} -> {after} MiB "
          f"(+{int(after) - int(before)} MiB).")


if __name__ == "__main__":
    main()
