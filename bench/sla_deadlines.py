"""SLA deadlines for many tickets, and the breach scan over many open tickets (issue 5, point 7).

`--tickets` tickets (default 100,000) are opened at random instants of 2025-2026 on two calendars
(a Moscow office 09:00-13:00/14:00-18:00 Monday-Friday and a Vladivostok branch 08:00-20:00
Monday-Saturday, both with the Russian production calendar) and two service levels; for each the
reaction and resolution deadlines are computed, then, for every tenth ticket, a pause of random
length is added and its full status taken (spent, remaining, deadline, warning instant, state) as a
recomputation would. Calendars are shared, as in the service, so per-date intervals are computed
once per date. That part is the domain only, no RabbitMQ and no database.

Then the breach scan: `--open` open tickets (default 100,000) with their SLA fields as the tickets
service writes them are loaded into a fresh embedded store (a temporary folder), `--due` of them
(default 1,000) with a milestone already passed, and the watcher's scan runs once: it finds the
due tickets through the (account_id, sla_next_deadline) index query and announces each (outbox
entries, one conditional update per ticket, all in one bulk write, journal on disk); then the
outboxes are published and cleared in bulk, as the service's timer does: to a dispatcher that
only counts, or with `--amqp URI` through nameko's confirmed event dispatcher to a real RabbitMQ
(into an exchange of its own, deleted afterwards; nothing is bound to it, so the messages go
nowhere, but each publish waits for the broker's confirm as the service's does). A second scan
right after finds nothing to do: the cost of a scan when nothing is due. Prints Markdown for
docs/performance.md, with the load average the run met (other work on the machine slows it).

    .venv/bin/python bench/sla_deadlines.py [--tickets 100000] [--open 100000] [--due 1000] [--seed 1]
        [--amqp amqp://guest:guest@127.0.0.1:5672/]
"""
import argparse
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import bson  # noqa: E402
from kombu import Connection, Exchange  # noqa: E402
from nameko.standalone.events import event_dispatcher  # noqa: E402

from services.shared.embedded import open_embedded_database  # noqa: E402
from services.tickets.sla import clock as sla_clock  # noqa: E402
from services.tickets.sla import tracking  # noqa: E402
from services.tickets.sla.calendar import BusinessCalendar  # noqa: E402
from services.tickets.store.sla_sources import builtin_calendar  # noqa: E402
from services.tickets.store.sla_watcher import SlaWatcher  # noqa: E402
from services.tickets.store.tickets import TicketStore  # noqa: E402

LEVELS = ((240, 960), (60, 480))
START = datetime(2025, 1, 1, tzinfo=timezone.utc)
SPAN_MINUTES = 2 * 365 * 24 * 60


def calendars():
    office = BusinessCalendar(time_zone="Europe/Moscow", production_calendar="RU",
                              week=[[(540, 780), (840, 1080)]] * 5 + [[], []])
    branch = BusinessCalendar(time_zone="Asia/Vladivostok", production_calendar="RU",
                              week=[[(480, 1200)]] * 6 + [[]])
    return office, branch


SCAN_NOW = datetime(2026, 3, 2, 9, 0)  # Monday 12:00 in Moscow
ACCOUNT = "bench"


def open_ticket(number, opened_at, calendar):
    """An open ticket as the tickets service stores it, on the account's built-in calendar."""
    sla = tracking.start(opened_at, (240, 960), service_level_id="gold", contract_id="c-1",
                         calendar_id=None, warning_share=0.8)
    doc = {"_id": f"t{number:07d}", "account_id": ACCOUNT, "number": number, "title": "Bench",
           "priority": "normal", "priority_rank": 1, "status": "opened", "client_id": None,
           "assignee_id": None, "assignee_group_id": None, "created_at": opened_at,
           "updated_at": opened_at, "comments": [], "history": [], "outbox": []}
    doc.update(tracking.derived(sla, calendar), sla_rev=1)
    return doc


def load_open_tickets(path, args, rng):
    """The open tickets, written straight into a fresh journal file in one transaction and then
    opened as a restarted service would: inserting 100,000 documents one durable write at a time
    would measure the disk, not the scan."""
    calendar = builtin_calendar("Europe/Moscow")
    db = open_embedded_database(path, "bench")
    TicketStore.create_indexes(db)
    SlaWatcher.create_indexes(db)
    db.accounts.insert_one({"_id": ACCOUNT, "time_zone": "Europe/Moscow", "settings": {},
                            "active": True})
    db.journal.close()
    rows = []
    for number in range(1, args.open + 1):
        if number <= args.due:  # opened the previous week: the reaction warning has passed
            opened_at = SCAN_NOW - timedelta(days=7, minutes=rng.randrange(60 * 24))
        else:  # opened now or within the month: nothing due yet
            opened_at = SCAN_NOW + timedelta(minutes=rng.randrange(60 * 24 * 30))
        doc = open_ticket(number, opened_at, calendar)
        rows.append(("tickets", bson.encode({"k": doc["_id"]}), bson.encode(doc)))
    with sqlite3.connect(path) as sql:
        sql.executemany("INSERT INTO documents VALUES (?, ?, ?)", rows)
    return open_embedded_database(path, "bench")


@contextmanager
def dispatcher(amqp_uri, published):
    """What the scan publishes with: a counter, or nameko's confirmed dispatcher."""
    if not amqp_uri:
        yield lambda kind, payload: published.append(kind)
        return
    exchange = Exchange("sla_bench.events", type="topic", durable=False)
    with Connection(amqp_uri) as connection:
        exchange(connection.default_channel).declare()
        try:
            send = event_dispatcher({"AMQP_URI": amqp_uri})

            def dispatch(kind, payload):
                send("sla_bench", kind, payload)
                published.append(kind)
            yield dispatch
        finally:
            exchange(connection.default_channel).delete()


def breach_scan(args, rng):
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        db = load_open_tickets(Path(folder) / "bench.sqlite3", args, rng)
        load_seconds = time.perf_counter() - began
        watcher = SlaWatcher(db)
        began = time.perf_counter()
        found = db.tickets.count_documents({"account_id": ACCOUNT, "sla_next_deadline": {"$lte": SCAN_NOW}})
        find_seconds = time.perf_counter() - began
        began = time.perf_counter()
        written = watcher.scan(SCAN_NOW, batch=args.due)
        scan_seconds = time.perf_counter() - began
        published = []
        with dispatcher(args.amqp, published) as dispatch:
            began = time.perf_counter()
            TicketStore(db).publish_all_pending(dispatch, written, "bench")
            publish_seconds = time.perf_counter() - began
        pending = db.tickets.count_documents({"outbox_pending": True})
        began = time.perf_counter()
        again = watcher.scan(SCAN_NOW)
        idle_seconds = time.perf_counter() - began
        db.journal.close()
    return {"load": load_seconds, "found": found, "find": find_seconds, "written": len(written),
            "scan": scan_seconds, "published": len(published), "publish": publish_seconds,
            "pending": pending, "again": len(again), "idle": idle_seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--amqp", help="publish through RabbitMQ at this URI (default: count only)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    office, branch = calendars()
    tickets = [(START + timedelta(minutes=rng.randrange(SPAN_MINUTES)), rng.choice((office, branch)),
                rng.choice(LEVELS)) for _ in range(args.tickets)]

    began = time.perf_counter()
    clocks = []
    for opened_at, calendar, (reaction, resolution) in tickets:
        clock = sla_clock.start(opened_at, reaction, resolution)
        sla_clock.instant_of(clock, calendar, clock.targets["reaction"].duration)
        sla_clock.instant_of(clock, calendar, clock.targets["resolution"].duration)
        clocks.append(clock)
    deadlines_seconds = time.perf_counter() - began

    began = time.perf_counter()
    recomputed = 0
    for clock, (opened_at, calendar, _) in zip(clocks[::10], tickets[::10]):
        paused_at = opened_at + timedelta(minutes=rng.randrange(1, 3000))
        clock = sla_clock.pause(clock, paused_at, "waiting")
        clock = sla_clock.resume(clock, paused_at + timedelta(minutes=rng.randrange(0, 5000)))
        sla_clock.status(clock, calendar, "resolution", paused_at + timedelta(days=3), 0.8)
        recomputed += 1
    status_seconds = time.perf_counter() - began

    print(f"### Run, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    print(f"- Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}; load average at the start "
          f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} (1 / 5 / 15 min)")
    print(f"- {args.tickets} tickets over 2025-2026, two calendars, two service levels, seed {args.seed}\n")
    print("| work | count | total s | per item µs |")
    print("|---|--:|--:|--:|")
    print(f"| reaction + resolution deadlines at creation | {args.tickets} | {deadlines_seconds:.2f} "
          f"| {deadlines_seconds / args.tickets * 1e6:.1f} |")
    print(f"| pause, resume, full status of resolution | {recomputed} | {status_seconds:.2f} "
          f"| {status_seconds / max(recomputed, 1) * 1e6:.1f} |")

    scan = breach_scan(args, rng)
    print(f"\nBreach scan, embedded store: {args.open} open tickets (loaded in {scan['load']:.1f} s), "
          f"{args.due} of them due\n")
    print("| work | tickets | s | tickets/s |")
    print("|---|--:|--:|--:|")
    print(f"| query the due tickets (index on account_id, sla_next_deadline) | {scan['found']} "
          f"| {scan['find']:.3f} | {scan['found'] / scan['find']:,.0f} |")
    print(f"| scan: announce each (outbox entries, conditional updates in one bulk write) "
          f"| {scan['written']} | {scan['scan']:.3f} | {scan['written'] / scan['scan']:,.0f} |")
    where = "to RabbitMQ, confirmed," if args.amqp else "(counted, no broker)"
    print(f"| publish {scan['published']} events {where} and clear the outboxes in bulk "
          f"({scan['pending']} left pending) | {scan['written']} | {scan['publish']:.3f} "
          f"| {scan['written'] / scan['publish']:,.0f} |")
    total = scan["scan"] + scan["publish"]
    print(f"| **scan and announce, in all** | {scan['written']} | **{total:.3f}** "
          f"| {scan['written'] / total:,.0f} |")
    print(f"| scan again: nothing due | {scan['again']} | {scan['idle']:.4f} | n/a |")
    print(f"| open tickets covered by one scan | {args.open} | {scan['scan']:.3f} "
          f"| {args.open / scan['scan']:,.0f} |")


if __name__ == "__main__":
    main()
