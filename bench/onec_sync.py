"""One 1C sync at scale, per profile: 10,000 counterparties with a contract each and 100,000
payments, read from the 1C double over real HTTP and applied to billing_sync's stores (issue 8,
point 8; issue 21, point 6); then an incremental re-run with nothing changed in 1C, and one after
1% of the counterparties and 1% of the payments were edited there (a new DataVersion each,
payments re-posted with another amount).

The double holds each configuration's own shapes (onec_seed.Seeder): in БП a half-year's bill per
contract and payments clearing it on 62.01 by settlement document, so balances come in a row per
bill; in УТ 11.5 settlements by analytics key and settlement object, contracts named through
`Catalog_ОбъектыРасчетов`; in УТ 11.4 the contract in a composite. Every run uses one 1C session,
balances are read whole, and no query string reaches 2,000 bytes (the double records the longest).

The double runs in a child process (forked), so the peak memory measured here is the sync's own:
the OData client, the parsed records, the matching, the payment-state rule and the store. The
store is the embedded engine in a temporary folder (what `make run` uses); `--mongo-url` points
it at a real MongoDB instead. Our side (the tickets service) is a stand-in answering in-process
with 10,000 clients whose INN and KPP match.

Printed as Markdown for docs/performance.md: the machine, the date, the sizes, the time of the
read and of the apply, requests made to 1C, and the peak RSS of this process above its baseline.

    .venv/bin/python bench/onec_sync.py --profile ut11 [--counterparties 10000] [--payments 100000]
"""
import argparse
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.fernet import Fernet  # noqa: E402

from services.billing_sync.adapters.odata import ODataClient  # noqa: E402
from services.billing_sync.secrets import PasswordBox  # noqa: E402
from services.billing_sync.store import Store  # noqa: E402
from services.billing_sync.sync import apply, read_everything  # noqa: E402
from tests.doubles.onec_odata import OneCOData  # noqa: E402
from tests.doubles.onec_seed import NAMES, Seeder, company_inn  # noqa: E402

TODAY = date(2026, 6, 15)
KPP = "770101001"


def inn_of(number):
    return company_inn(f"77{number:07d}")


def serve(profile, counterparties, payments, pipe):
    """The child: a double of `profile` with the bench's data; sends its URL, then on each ask
    its request count (after editing 1% first when asked to), finally its longest query string
    and its sessions."""
    double = OneCOData(profile)
    seeder = Seeder(double)
    seeder.organisation()
    contracts = []
    for number in range(counterparties):
        seeder.counterparty(f"c{number}", f"ООО Клиент {number}", inn_of(number), KPP)
        contracts.append(f"k{number}")
        seeder.contract(f"k{number}", f"c{number}", f"Д-{number}", date(2026, 1, 10))
        # What the client was billed for the half-year: 6 months at 10,000.
        seeder.bill(f"k{number}", date(2026, 1, 1), Decimal(60000))
    for number in range(payments):
        day = date(2026, 1 + number // counterparties % 6, 5 + number % 20)
        seeder.pay(None, contracts[number % counterparties], day, Decimal(6000))
    double.start()
    pipe.send((double.url, double.user, double.password))
    while (ask := pipe.recv()) != "stop":
        if ask == "edit":
            edit_one_percent(double)
        pipe.send(double.request_count)
    pipe.send((double.longest_query, dict(double.sessions)))
    double.stop()


def edit_one_percent(double):
    """Every 100th counterparty renamed, every 100th payment re-posted with another amount."""
    names = NAMES[double.profile]
    for record in double.records["Catalog_Контрагенты"][::100]:
        double.edit("Catalog_Контрагенты", record["Ref_Key"],
                    НаименованиеПолное=record["НаименованиеПолное"] + " (изм.)")
    for record in double.records[names["bank"]][::100]:
        amount = Decimal(5000)
        row = dict(record["РасшифровкаПлатежа"][0], **{names["row_amount"]: amount})
        double.edit(names["bank"], record["Ref_Key"], СуммаДокумента=amount,
                    РасшифровкаПлатежа=[row])


class Clients:
    def __init__(self, count):
        self.list = [{"id": f"client-{n}", "name": f"Клиент {n}", "inn": inn_of(n), "kpp": KPP,
                      "category": None, "onec_ref": None} for n in range(count)]

    def clients(self):
        return self.list

    def set_refs(self, refs):
        for client in self.list:
            if client["id"] in refs:
                client["onec_ref"] = refs[client["id"]]


def open_store(folder, mongo_url):
    if mongo_url:
        import pymongo
        db = pymongo.MongoClient(mongo_url)[f"bench_onec_{os.getpid()}"]
    else:
        from services.shared.embedded import open_embedded_database
        db = open_embedded_database(Path(folder) / "billing_sync.sqlite3", "billing_sync")
    Store.create_indexes(db)
    return Store(db)


def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=("bp30", "ut11", "ut114"), default="bp30")
    parser.add_argument("--counterparties", type=int, default=10_000)
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--mongo-url", default="")
    args = parser.parse_args()

    parent, child = multiprocessing.get_context("fork").Pipe()
    seeding = time.perf_counter()
    server = multiprocessing.get_context("fork").Process(
        target=serve, args=(args.profile, args.counterparties, args.payments, child), daemon=True)
    server.start()
    url, user, password = parent.recv()
    seeded = time.perf_counter() - seeding

    keys = Fernet.generate_key().decode()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(folder, args.mongo_url)
        connection = store.connections.create("bench", dict(
            url=url, user=user, password=password, profile=args.profile, mapping={}),
            box=PasswordBox(keys))
        directory = Clients(args.counterparties)
        baseline = rss_mib()

        def sync(run_id, incremental, ask="count"):
            """(read seconds, apply seconds, outcome, requests to 1C) of one run."""
            parent.send(ask)
            before = parent.recv()
            started = time.perf_counter()
            with ODataClient(url, user, password, page_size=args.page_size,
                             read_timeout=600) as source:
                reading = read_everything(store, source, connection, directory, today=TODAY,
                                          incremental=incremental)
            read = time.perf_counter() - started
            started = time.perf_counter()
            outcome = apply(store, connection, directory, reading, run_id, today=TODAY)
            applied = time.perf_counter() - started
            parent.send("count")
            return read, applied, outcome, parent.recv() - before

        first = sync("bench-run", incremental=False)
        peak = rss_mib()
        lines = store.db.payment_lines.count_documents({"account_id": "bench"})
        quiet = sync("bench-quiet", incremental=True)
        edited = sync("bench-edited", incremental=True, ask="edit")
    parent.send("stop")
    longest, sessions = parent.recv()
    server.join(30)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"### {args.profile}: run, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC\n")
    print(f"- Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
          f"Linux {platform.release()}, Python {platform.python_version()}")
    print(f"- Code: {commit}; store: {'MongoDB' if args.mongo_url else 'embedded engine'}; "
          f"page size {args.page_size}; the double seeded in {seeded:.1f} s (not counted)")
    outcome = first[2]
    print(f"- Data: {args.counterparties} counterparties with a contract each, {args.payments} "
          f"payments; {outcome.counts['matched']} matched, {outcome.counts['contracts']} contract "
          f"states, {lines} payment lines stored\n")
    print("| run | requests to 1C | read (s) | apply (s) | total (s) | changed in 1C | "
          "states changed |\n|---|--:|--:|--:|--:|---|--:|")
    for name, (read, applied, result, requests_made) in (
            ("first, full", first), ("incremental, nothing changed", quiet),
            ("incremental, 1% edited", edited)):
        changed = ", ".join(f"{k} {v}" for k, v in result.counts["changed_in_1c"].items())
        print(f"| {name} | {requests_made} | {read:.1f} | {applied:.1f} | {read + applied:.1f} | "
              f"{changed} | {result.counts['contracts_changed']} |")
    print(f"\n- Peak RSS of the sync process after the first run: {peak:.0f} MiB "
          f"({peak - baseline:.0f} MiB above the {baseline:.0f} MiB before it); "
          f"after the re-runs: {rss_mib():.0f} MiB")
    print(f"- 1C sessions: {sessions['started']} started and {sessions['finished']} ended for "
          f"{sessions['one_off']} requests without one; longest query string {longest} bytes")
    print(f"- Load average while it ran (other work shares the machine): "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
