"""The open-ticket list over HTTP on a big installation of the embedded store: does its cost follow
the account (and the page), not the installation?

What it does:

  1. starts the suite (scripts/suite.py, through gateway_load's OwnSuite) on a fresh data folder and
     creates one ticket through the API in the demo account: the template of every other ticket,
     stored exactly as the tickets service stores it;
  2. stops the suite and fills the tickets database through the embedded engine (insert_many of
     5,000 at a time): --tickets tickets over --accounts accounts, the demo account holding its
     share (1,000,000 over 10: 100,000). Each is the template with its own id, number, title,
     priority and status, and every date moved to its creation time (spread over two years, the
     newest most often open: about 12% open in all); the outbox is empty, as after the relay;
  3. starts the suite again on that data (start-up time: launch to a healthy /health) and measures,
     one request at a time, --samples times each: the first page of open tickets
     (status in opened, in_progress, waiting, reopened; newest first; limit=50), the fifth page by
     cursor, and get-by-id of random tickets of the account, in the same run; then the resident
     memory (VmRSS) of the tickets process;
  4. stops it, moves all but --small (10,000) of the demo account's tickets to another account
     (the installation keeps its size), and measures the same again.

Goal (issue 24): list p95 within 2x of get-by-id's p95.

    .venv/bin/python bench/ticket_list.py --tickets 100000 --accounts 10   # about 4 minutes
    .venv/bin/python bench/ticket_list.py                                 # 1,000,000 over 10

Progress goes to stderr; stdout is Markdown for docs/performance.md.
"""
import argparse
import multiprocessing
import os
import random
import shutil
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gateway_load  # noqa: E402  (the suite runner, percentiles, memory and machine report)
from gateway_load import (OwnSuite, machine, percentile, process_memory, process_ticks,  # noqa: E402
                          progress)
from services.shared.embedded import open_embedded_database  # noqa: E402
from services.tickets.sla.tracking import FAR_FUTURE  # noqa: E402
from services.tickets.vocabulary import PRIORITIES, PRIORITY_RANK  # noqa: E402

OPEN = ["opened", "in_progress", "waiting", "reopened"]
CLOSED = ["closed"] * 17 + ["resolved"] * 3
BATCH = 5000
SPAN = timedelta(days=730)
MOVED_ACCOUNT = "bench-moved"
DEMO_ACCOUNT_FILE = "demo-account"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000, help="in the installation")
    parser.add_argument("--accounts", type=int, default=10, help="the demo account holds 1/N")
    parser.add_argument("--small", type=int, default=10_000,
                        help="tickets left in the demo account for the second measurement")
    parser.add_argument("--samples", type=int, default=200, help="requests per measurement")
    parser.add_argument("--startup-seconds", type=int, default=1800)
    parser.add_argument("--folder", type=Path, help="work (and stay) in this folder; when it holds "
                        "a filled data folder from an earlier run with the same sizes, reuse it")
    return parser.parse_args()


# -- the data ------------------------------------------------------------------------------------

def shifted(value, delta):
    """`value` with every datetime in it moved by `delta`."""
    if isinstance(value, datetime):
        return value + delta
    if isinstance(value, dict):
        return {k: shifted(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, delta) for v in value]
    return value


def ticket(template, rng, account_id, number, count, now):
    """One ticket of an account of `count`, number `number` (oldest first)."""
    age = 1 - number / count
    created = now - SPAN * age - timedelta(seconds=rng.randrange(60))
    doc = shifted(template, created - template["created_at"])
    if template["sla_sort_at"] == FAR_FUTURE:  # no SLA clock: "never" stays where it is
        doc["sla_sort_at"] = FAR_FUTURE
    newest = age < 0.1
    status = rng.choice(OPEN) if rng.random() < (0.6 if newest else 0.07) else rng.choice(CLOSED)
    priority = rng.choice(PRIORITIES)
    doc.update(_id=uuid.UUID(int=rng.getrandbits(128)).hex, account_id=account_id, number=number,
               title=f"{template['title']} {number}", status=status, priority=priority,
               priority_rank=PRIORITY_RANK[priority], outbox=[], outbox_pending=False,
               updated_at=created + timedelta(hours=rng.randrange(1, 48)) if status in CLOSED
               else created)
    return doc


def fill(data_dir, demo_account, args):
    """The installation's tickets, written through the embedded engine; the template's id back."""
    path = data_dir / "servicedesk_tickets.sqlite3"
    db = open_embedded_database(path, "servicedesk_tickets")
    try:
        template = db.tickets.find_one({"account_id": demo_account})
        db.tickets.delete_one({"_id": template["_id"]})
        rng, now = random.Random(24), datetime.utcnow()
        per_account = args.tickets // args.accounts
        accounts = [demo_account] + [f"bench-account-{k}" for k in range(1, args.accounts)]
        started, written = time.monotonic(), 0
        for account_id in accounts:
            for first in range(1, per_account + 1, BATCH):
                db.tickets.insert_many([
                    ticket(template, rng, account_id, number, per_account, now)
                    for number in range(first, min(first + BATCH, per_account + 1))])
                written += min(BATCH, per_account + 1 - first)
                if written % 100_000 < BATCH:
                    progress(f"  {written:,} tickets written ({time.monotonic() - started:.0f} s)")
            db.counters.update_one({"_id": f"ticket_number:{account_id}"},
                                   {"$set": {"value": per_account}}, upsert=True)
        return time.monotonic() - started
    finally:
        db.journal.close()


def shrink(data_dir, demo_account, keep):
    """Move all but the newest `keep` tickets of the demo account to another account."""
    path = data_dir / "servicedesk_tickets.sqlite3"
    db = open_embedded_database(path, "servicedesk_tickets")
    try:
        count = db.tickets.count_documents({"account_id": demo_account})
        db.tickets.update_many({"account_id": demo_account, "number": {"$lte": count - keep}},
                               {"$set": {"account_id": MOVED_ACCOUNT}})
        return db.tickets.count_documents({"account_id": demo_account})
    finally:
        db.journal.close()


# -- the broker -----------------------------------------------------------------------------------

@contextmanager
def own_vhost():
    """A RabbitMQ virtual host of our own, removed at the end: on a shared vhost another suite's
    services would answer our RPC calls (and ours theirs)."""
    parts = urlsplit(os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"))
    user = parts.username or "guest"
    api = os.environ.get("RABBIT_API_URI", f"http://{user}:{parts.password or 'guest'}"
                                           f"@{parts.hostname}:15672").rstrip("/")
    name = f"bench-ticket-list-{uuid.uuid4().hex[:8]}"
    requests.put(f"{api}/api/vhosts/{name}", timeout=10).raise_for_status()
    try:
        requests.put(f"{api}/api/permissions/{name}/{user}", timeout=10,
                     json={"configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()
        os.environ["AMQP_URI"] = urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))
        yield
    finally:
        requests.delete(f"{api}/api/vhosts/{name}", timeout=30)


# -- the measurements ------------------------------------------------------------------------------

class Api:
    def __init__(self, state):
        self.url = state["url"]
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {state['token']}"

    def get(self, path, **params):
        started = time.perf_counter()
        answer = self.session.get(f"{self.url}{path}", params=params, timeout=60)
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            sys.exit(f"GET {path}: {answer.status_code} {answer.text[:300]}")
        return answer.json(), elapsed


def timed(samples, call):
    latencies = sorted(call()[1] for _ in range(samples))
    return {"p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 95) * 1000, 1)}


def measure(state, args):
    api = Api(state)
    query = {"status": OPEN, "limit": 50}
    first, _ = api.get("/api/v1/tickets", **query)
    cursor, page = first["next_cursor"], first
    for _ in range(3):
        page, _ = api.get("/api/v1/tickets", cursor=page["next_cursor"], **query)
    cursor = page["next_cursor"]
    ids = [t["id"] for t in first["items"]]
    for _ in range(4):  # older tickets too: get-by-id must not favour the newest
        listing, _ = api.get("/api/v1/tickets", limit=100, sort="number")
        ids += [t["id"] for t in listing["items"]]
    rng = random.Random(7)
    for _ in range(5):  # warm-up
        api.get("/api/v1/tickets", **query)
    return {
        "list_first": timed(args.samples, lambda: api.get("/api/v1/tickets", **query)),
        "list_fifth": timed(args.samples, lambda: api.get("/api/v1/tickets", cursor=cursor,
                                                          **query)),
        "get_by_id": timed(args.samples, lambda: api.get(f"/api/v1/tickets/{rng.choice(ids)}")),
        "tickets_rss_mib": process_memory("tickets", state["pids"]["tickets"])["rss_mib"],
    }


def started_suite(folder):
    """A suite on the data folder of an earlier one; (its state, seconds to a healthy /health)."""
    suite = OwnSuite()
    shutil.rmtree(suite.folder)
    suite.folder, suite.run_dir = folder, folder / "run"
    shutil.rmtree(suite.run_dir, ignore_errors=True)
    started = time.monotonic()
    state = suite.start()
    return suite, state, time.monotonic() - started


def filled_folder(args):
    """A suite's folder with the template ticket, then --tickets tickets; (folder, seconds)."""
    progress("starting a fresh suite for the template ticket...")
    suite = OwnSuite()
    state = suite.start()
    answer = requests.post(f"{state['url']}/api/v1/tickets", timeout=30,
                           headers={"Authorization": f"Bearer {state['token']}"},
                           json={"title": "Не работает турникет на главном входе",
                                 "description": "Карта сотрудника не считывается, "
                                                "проход только через охрану.",
                                 "priority": "high", "channel": "phone"})
    if answer.status_code != 201:
        sys.exit(f"creating the template: {answer.status_code} {answer.text[:300]}")
    suite.keep = True
    suite.stop()
    folder = suite.folder
    if args.folder:
        shutil.move(folder, args.folder)
        folder = args.folder
    demo_account = apart(template_account, folder / "data")
    (folder / DEMO_ACCOUNT_FILE).write_text(demo_account)
    progress(f"writing {args.tickets:,} tickets over {args.accounts} accounts...")
    return folder, apart(fill, folder / "data", demo_account, args)


def run(args):
    gateway_load.STARTUP_SECONDS = args.startup_seconds
    os.environ["SUITE_STARTUP_SECONDS"] = str(args.startup_seconds)
    if args.folder and (args.folder / DEMO_ACCOUNT_FILE).exists():
        folder, fill_seconds = args.folder, None
        progress(f"reusing the tickets in {folder}")
    else:
        folder, fill_seconds = filled_folder(args)
    demo_account = (folder / DEMO_ACCOUNT_FILE).read_text()
    try:
        rows = []
        for label in ("big", "small"):
            if label == "small":
                progress(f"moving all but {args.small:,} tickets out of the demo account...")
                in_account = apart(shrink, folder / "data", demo_account, args.small)
            else:
                in_account = args.tickets // args.accounts
            progress(f"starting the suite on {args.tickets:,} tickets ({in_account:,} in the "
                     f"account)...")
            suite, state, startup = started_suite(folder)
            try:
                cpu = process_ticks(state["pids"]["tickets"]) / os.sysconf("SC_CLK_TCK")
                progress("measuring...")
                rows.append(dict(measure(state, args), in_account=in_account,
                                 startup_s=round(startup), startup_cpu_s=round(cpu)))
            finally:
                suite.keep = True
                suite.stop()
        return {"fill_s": None if fill_seconds is None else round(fill_seconds), "rows": rows}
    finally:
        if not args.folder:
            shutil.rmtree(folder, ignore_errors=True)


def apart(function, *args):
    """`function(*args)` in a process of its own: the memory of a million documents goes back to
    the machine before the suite loads them."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def template_account(data_dir):
    db = open_embedded_database(data_dir / "servicedesk_tickets.sqlite3", "servicedesk_tickets")
    try:
        return db.tickets.find_one({})["account_id"]
    finally:
        db.journal.close()


def report(info, args, result):
    filled = "" if result["fill_s"] is None else f" in {result['fill_s']} s"
    print(f"### Open-ticket list, {args.tickets:,} tickets in {args.accounts} accounts "
          f"({info['date']})\n")
    print(f"{info['nproc']} cores ({info['cpu_model']}), Linux {info['kernel']}, Python "
          f"{info['python']}, code {info['code']}; embedded store, one client, {args.samples} "
          f"requests per figure; tickets written through the engine{filled}.\n")
    print("| tickets in the account | first page p50 / p95 | fifth page p50 / p95 | "
          "get by id p50 / p95 | list p95 / get p95 | tickets RSS | start-up (CPU) |")
    print("|---|---|---|---|---|---|---|")
    for row in result["rows"]:
        worst = max(row["list_first"]["p95_ms"], row["list_fifth"]["p95_ms"])
        print(f"| {row['in_account']:,} | {row['list_first']['p50_ms']} / "
              f"{row['list_first']['p95_ms']} ms | {row['list_fifth']['p50_ms']} / "
              f"{row['list_fifth']['p95_ms']} ms | {row['get_by_id']['p50_ms']} / "
              f"{row['get_by_id']['p95_ms']} ms | {worst / row['get_by_id']['p95_ms']:.2f}x | "
              f"{row['tickets_rss_mib']:,} MiB | {row['startup_s']} s ({row['startup_cpu_s']} s) |")


def main():
    args = parse_args()
    info = machine()
    with own_vhost():
        result = run(args)
    report(info, args, result)


if __name__ == "__main__":
    main()
