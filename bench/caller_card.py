"""The caller card through the gateway: what an agent's screen pops up when the phone rings.

GET /api/v1/telephony/caller-card?number=... answers contact, client, open tickets, contracts with
service level and payment state in one RPC to the tickets service (issue 7, point 6: p95 under
50 ms through the gateway). The script starts its own suite (bench/gateway_load.py's OwnSuite),
seeds the demo account with --clients-in-directory client companies (each a contact with a phone,
a contract at a service level, three open tickets), then asks for cards with --callers
concurrent callers in a closed loop (default 1 and 4: one screen pop per ringing phone, a small
call centre's peak), 90% known numbers and 10% unknown, --warmup seconds not counted and
--duration seconds measured, after the same load on the diagnostics echo (one authenticated
RPC round trip: the floor on this machine at this moment). Latency is the client's: request
sent to body read.

    .venv/bin/python bench/caller_card.py                       # 1 and 4 callers, 20 s each
    .venv/bin/python bench/caller_card.py --callers 1 4 16 --duration 10

Prints Markdown for docs/performance.md: machine, date, one line per concurrency with
requests, errors, req/s and p50/p95/p99/max, and PASS/MISS for p95 < 50 ms.
"""
import argparse
import os
import random
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gateway_load import OwnSuite, machine, percentile, progress  # noqa: E402

TARGET_P95_MS = 50
TARGETS = {p: {"reaction_minutes": 60, "resolution_minutes": 480}
           for p in ("low", "normal", "high", "critical")}


def seed(url, token, companies):
    """Known numbers of the seeded contacts."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    level = api.post(f"{url}/api/v1/service-levels", json={
        "name": f"Стандарт {time.time_ns()}", "targets": TARGETS,
        "monthly_price": {"amount": "10000"}}).json()
    numbers = []
    for index in range(companies):
        client = api.post(f"{url}/api/v1/clients", json={"name": f"Клиент {index}"}).json()
        number = f"+7916{5000000 + index:07d}"
        contact = api.post(f"{url}/api/v1/clients/{client['id']}/contacts", json={
            "name": f"Контакт {index}", "phones": [number]}).json()
        api.post(f"{url}/api/v1/contracts", json={
            "number": f"Б-{time.time_ns()}-{index}", "client_id": client["id"],
            "service_level_id": level["id"], "valid_from": "2025-01-01",
            "payment": {"state": random.choice(["paid", "unpaid", "overdue"])}})
        for ticket in range(3):
            api.post(f"{url}/api/v1/tickets", json={
                "title": f"Заявка {ticket}", "client_id": client["id"],
                "contact_id": contact["id"]})
        numbers.append(number)
    return numbers


def card_request(session, url, rng, numbers):
    number = rng.choice(numbers) if rng.random() < 0.9 else f"+7499{rng.randrange(10**7):07d}"
    return session.get(f"{url}/api/v1/telephony/caller-card", params={"number": number},
                       timeout=10)


def echo_request(session, url, rng, numbers):
    return session.post(f"{url}/api/v1/diagnostics/echo", json={"payload": "ping"}, timeout=10)


def ask(url, token, numbers, warmup, duration, callers, send=card_request):
    """(latencies of the measured window in seconds, errors, first error)."""
    start = time.monotonic() + warmup
    stop = start + duration
    latencies, errors, first = [], [0], []
    lock = threading.Lock()

    def caller(rng):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        while time.monotonic() < stop:
            began = time.monotonic()
            try:
                answer = send(session, url, rng, numbers)
                ok = answer.status_code == 200
                text = answer.text[:200]
            except requests.RequestException as error:
                ok, text = False, repr(error)
            took = time.monotonic() - began
            if began >= start:
                with lock:
                    if ok:
                        latencies.append(took)
                    else:
                        errors[0] += 1
                        first[:] = first or [text]

    threads = [threading.Thread(target=caller, args=(random.Random(i),)) for i in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), errors[0], (first or [""])[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--callers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--clients-in-directory", type=int, default=200)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--duration", type=float, default=20)
    args = parser.parse_args()
    suite = OwnSuite()
    try:
        state = suite.start()
        url, token = state["url"], state["token"]
        progress(f"seeding {args.clients_in_directory} client companies...")
        numbers = seed(url, token, args.clients_in_directory)
        info = machine()
        print(f"### Run, {info['date']}\n")
        print(f"- Machine: {info['nproc']} CPUs (nproc), {info['cpu_model']}, "
              f"Linux {info['kernel']}, Python {info['python']}")
        print(f"- Code: {info['code']}")
        print(f"- Directory: {args.clients_in_directory} client companies, each a contact, a "
              f"contract and 3 open tickets; 90% known numbers, 10% unknown")
        print(f"- {args.warmup:g} s warm-up + {args.duration:g} s per line; suite started by "
              f"the script (gunicorn 2 workers x 8 threads)")
        print("- Load average before (1/5/15 min): "
              + " / ".join(f"{value:.1f}" for value in os.getloadavg())
              + ": anything above ~1 is other programs sharing the 2 cores\n")
        print("| request | callers | requests | errors | req/s | p50 ms | p95 ms | p99 ms "
              "| max ms |")
        print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
        verdicts = []
        for callers in args.callers:
            # The echo is one authenticated RPC round trip: the floor the card stands on, on
            # this machine at this moment.
            for label, send in (("echo (floor)", echo_request), ("caller card", card_request)):
                progress(f"{label}, {callers} caller(s)...")
                latencies, errors, first = ask(url, token, numbers, args.warmup,
                                               args.duration, callers, send)
                ms = [round(1000 * percentile(latencies, p), 1) for p in (50, 95, 99)]
                print(f"| {label} | {callers} | {len(latencies)} | {errors} | "
                      f"{len(latencies) / args.duration:.1f} | {ms[0]} | {ms[1]} | {ms[2]} | "
                      f"{round(1000 * latencies[-1], 1)} |")
                if first:
                    print(f"\nFirst error ({label}, {callers} callers): {first}\n")
            verdicts.append((callers, ms[1]))
        print("\n- Load average after (1/5/15 min): "
              + " / ".join(f"{value:.1f}" for value in os.getloadavg()) + "\n")
        for callers, p95 in verdicts:
            verdict = "PASS" if p95 < TARGET_P95_MS else "MISS"
            print(f"- **{verdict}** p95 < {TARGET_P95_MS} ms at {callers} caller(s): {p95} ms")
    finally:
        suite.stop()


if __name__ == "__main__":
    main()
