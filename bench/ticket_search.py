"""Ticket search (`q` of the ticket list) in-process on the embedded store: what each kind of query
costs against the plain first page, with --tickets tickets in the measured account and as many in
another account of the same database.

It creates clients (with contacts and equipment) and tickets through the stores, as the service
does (titles and descriptions from a small vocabulary of real requests, so words repeat as they do),
then times `TicketStore.list` of the first page (limit 25, newest first) after
`tickets/search.py`'s `searched`, --samples times per query kind, and prints Markdown for
docs/performance.md.

    .venv/bin/python bench/ticket_search.py --tickets 5000     # about a minute
"""
import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gateway_load import machine, percentile  # noqa: E402
from services.shared.actor import Actor  # noqa: E402
from services.shared.embedded import open_embedded_database  # noqa: E402
from services.shared.paging import fetch_page  # noqa: E402
from services.shared.validation import load  # noqa: E402
from services.tickets.schemas import TicketCreateSchema, TicketListQuerySchema  # noqa: E402
from services.tickets.store import Store  # noqa: E402
from services.tickets.store.tickets import LIST_PROJECTION  # noqa: E402
from services.tickets.tickets.search import searched  # noqa: E402

THINGS = ["турникет", "шлагбаум", "камера", "домофон", "касса", "лифт", "сигнализация", "замок",
          "считыватель", "принтер", "датчик дыма", "видеорегистратор"]
TROUBLES = ["не работает", "не открывается", "пищит", "не видит карту", "завис", "не печатает",
            "сработал ложно", "нет изображения", "не включается", "ошибка связи"]
PLACES = ["на проходной", "у склада", "на третьем этаже", "в серверной", "на парковке", "в офисе"]
CREATE, LIST = TicketCreateSchema(), TicketListQuerySchema()


def fill(store, account_id, count, rng):
    actor = Actor(account_id=account_id, kind="employee", id="bench", roles=("admin",))
    clients = []
    for index in range(max(1, count // 50)):
        client = store.clients.create(account_id, {"name": f"ТЦ Клиент {index}"})
        contact = store.contacts.create(account_id, client["_id"], {
            "name": f"Контакт {index}", "phones": [f"+7916{index:07d}"], "emails": []})
        site = store.sites.create(account_id, client["_id"], {"name": "Корпус"})
        item = store.equipment.create(account_id, site, {
            "manufacturer": "PERCo", "model": "TTR", "serial_number": f"SN-{account_id}-{index:06d}"})
        clients.append((client, contact, item))
    for _ in range(count):
        client, contact, item = rng.choice(clients)
        thing = rng.choice(THINGS)
        store.tickets.create(actor, load(CREATE, {
            "title": f"{thing.capitalize()} {rng.choice(TROUBLES)}",
            "description": f"{thing.capitalize()} {rng.choice(PLACES)} {rng.choice(TROUBLES)}",
            "client_id": client["_id"], "contact_id": contact["_id"], "equipment_id": item["_id"]}))
    return actor


def timed(store, actor, q, samples, before=False):
    """p50, p95 (ms) and the page's size of `q`; `before`: as the search was before issue 23 (the
    typed text in the title or description), for comparison."""
    query = {"limit": 25} if q is None else {"limit": 25, "q": q}
    times, found = [], 0
    for _ in range(samples):
        start = time.perf_counter()
        if before:
            pattern = {"$regex": re.escape(q), "$options": "i"}
            docs, _ = fetch_page(store.tickets.tickets, {"$and": [
                {"account_id": actor.account_id},
                {"$or": [{"title": pattern}, {"description": pattern}]}]},
                "created_at", True, None, 25, projection=LIST_PROJECTION)
        else:
            docs, _ = store.tickets.list(actor, searched(store, actor.account_id, load(LIST, query)))
        times.append((time.perf_counter() - start) * 1000)
        found = len(docs)
    times.sort()
    return percentile(times, 50), percentile(times, 95), found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        db = open_embedded_database(Path(folder) / "tickets.sqlite3", "bench")
        Store.create_indexes(db)
        store = Store(db)
        for account in ("bench", "other"):
            db.accounts.insert_one({"_id": account, "slug": account, "time_zone": "Europe/Moscow",
                                    "settings": {}, "active": True})
        started = time.perf_counter()
        actor = fill(store, "bench", args.tickets, rng)
        fill(store, "other", args.tickets, rng)
        filled = time.perf_counter() - started
        number = store.tickets.list(actor, load(LIST, {"limit": 1}))[0][0]["number"] // 2
        kinds = [("no q (first page)", None), ("words: турникеты", "турникеты"),
                 ("two words: камеры проходная", "камеры проходная"),
                 ("number: #N", f"#{number}"), ("client name: клиент 7", "ТЦ Клиент 7"),
                 ("phone: 8 (916) 000-00-07", "8 (916) 000-00-07"),
                 ("serial: SN-bench-000007", "SN-bench-000007"),
                 ("nothing: шкаф", "шкаф")]
        about = machine()
        print(f"{about['date']}, {about['nproc']} cores ({about['cpu_model']}), Python "
              f"{about['python']}, code {about['code']}; {args.tickets:,} tickets in the account and as many in another, "
              f"made in {filled:.0f} s; {args.samples} samples each\n")
        print("| q | found (page of 25) | p50 | p95 |\n|---|---|---|---|")
        for label, q in kinds:
            p50, p95, found = timed(store, actor, q, args.samples)
            print(f"| {label} | {found} | {p50:.1f} ms | {p95:.1f} ms |")
        for label, q in (("before: турникеты (text as typed only)", "турникеты"),
                         ("before: шкаф (text as typed only)", "шкаф")):
            p50, p95, found = timed(store, actor, q, args.samples, before=True)
            print(f"| {label} | {found} | {p50:.1f} ms | {p95:.1f} ms |")


if __name__ == "__main__":
    main()
