"""The console's pages against the JSON API for the same data (issue 14, point 10).

Starts its own suite (bench/gateway_load.py's OwnSuite) on a RabbitMQ virtual host of its own, fills the demo account with --tickets
tickets (default 10,000) through POST /api/v1/tickets from --writers parallel clients, gives the
demo admin three saved views (the queue counts them on every load), signs in to the console as
the demo admin, and then, in the same run and in turns, asks for:

  queue page     GET /tickets (50 rows, the first page)  vs  GET /api/v1/tickets?limit=50
  views' counts  GET /tickets/views/counts (what the queue page fetches once it has loaded)
                 vs  GET /api/v1/saved-views/counts
  ticket page    GET /tickets/<id> (random ids)           vs  GET /api/v1/tickets/<id>

--requests times each (after --warmup not counted), one client at a time (a person's page
load, not a load test). Latency is the client's on the same machine: request sent to body read,
which on localhost is the server's time plus a loopback round trip, the same for both sides.

Also printed: the bytes of the queue page's first load (the HTML and every stylesheet and script
it links, as served: no fonts are used), and the RPCs each page makes, read from the gateway's
own counter (gateway_rpc_duration_seconds_count per service and method on /metrics) before and
after the measured requests.

    .venv/bin/python bench/console_pages.py                     # 10,000 tickets, 200 requests
    .venv/bin/python bench/console_pages.py --tickets 1000 --requests 50

Prints Markdown for docs/performance.md with the machine and the date.
"""
import argparse
import contextlib
import os
import random
import re
import sys
import threading
import time
import uuid
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gateway_load  # noqa: E402
from gateway_load import OwnSuite, machine, percentile, progress  # noqa: E402

# A busy machine (tests of other work beside it) starts the suite slower than gateway_load's 90 s.
gateway_load.STARTUP_SECONDS = 300

RATIO_GOAL = 1.5
VIEWS = (("Открытые", {"status": ["opened", "reopened"]}),
         ("Срочные", {"priority": ["high", "critical"], "status": ["opened", "in_progress"]}),
         ("SLA нарушен", {"sla_state": ["breached"]}))
BYTES_GOAL = 250 * 1024
RPC_COUNT = re.compile(
    r'^gateway_rpc_duration_seconds_count\{([^}]*)\} ([0-9.e+]+)$', re.M)


@contextlib.contextmanager
def own_vhost():
    """A throwaway RabbitMQ virtual host for this run's suite: suites sharing one (other work on
    the same machine) would serve each other's RPCs. Made and removed through the management
    API, as the tests do (tests/conftest.py)."""
    base = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
    parts = urlsplit(base)
    api = os.environ.get("RABBIT_API_URI", f"http://{parts.username or 'guest'}:"
                         f"{parts.password or 'guest'}@{parts.hostname}:15672").rstrip("/")
    name = f"servicedesk-bench-{uuid.uuid4().hex[:8]}"
    requests.put(f"{api}/api/vhosts/{name}", timeout=10).raise_for_status()
    requests.put(f"{api}/api/permissions/{name}/{parts.username or 'guest'}",
                 json={"configure": ".*", "write": ".*", "read": ".*"}, timeout=10).raise_for_status()
    os.environ["AMQP_URI"] = urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))
    try:
        yield
    finally:
        os.environ["AMQP_URI"] = base
        requests.delete(f"{api}/api/vhosts/{name}", timeout=30)


def populate(url, token, count, writers):
    """`count` tickets through the API from `writers` threads; their ids."""
    made, lock, errors = [], threading.Lock(), []
    priorities = ("low", "normal", "high", "critical")

    def write(share):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        for index in share:
            answer = session.post(f"{url}/api/v1/tickets", json={
                "title": f"Не работает оборудование {index}", "priority": priorities[index % 4],
                "description": "Заявка для замера страниц консоли."}, timeout=30)
            if answer.status_code != 201:
                errors.append(answer.text[:200])
                continue
            with lock:
                made.append(answer.json()["id"])
                if len(made) % 1000 == 0:
                    progress(f"  {len(made)} tickets")

    threads = [threading.Thread(target=write, args=(range(n, count, writers),))
               for n in range(writers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        progress(f"  {len(errors)} refused, first: {errors[0]}")
    return made, time.monotonic() - started


def console_session(url, login, password):
    """A browser's session: the sign-in form with its CSRF token, posted."""
    session = requests.Session()
    form = session.get(f"{url}/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = session.post(f"{url}/login", data={"csrf_token": token, "account": "demo",
                                                "login": login, "password": password},
                          allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:300]
    return session


def timed(session, url, paths, count, warmup):
    latencies = []
    for index in range(warmup + count):
        path = paths[index % len(paths)]
        started = time.perf_counter()
        answer = session.get(url + path, timeout=30)
        answer.content
        elapsed = time.perf_counter() - started
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
        if index >= warmup:
            latencies.append(elapsed)
    return sorted(latencies)


def rpc_counts(url):
    text = requests.get(f"{url}/metrics", timeout=10).text
    counts = {}
    for labels, value in RPC_COUNT.findall(text):
        found = dict(re.findall(r'(\w+)="([^"]*)"', labels))
        key = f"{found['service']}.{found['method']}"
        counts[key] = counts.get(key, 0) + float(value)
    return counts


def rpcs_per_request(url, session, path, times=10):
    before = rpc_counts(url)
    for _ in range(times):
        assert session.get(url + path, timeout=30).status_code == 200
    after = rpc_counts(url)
    return {method: (after[method] - before.get(method, 0)) / times for method in after
            if after[method] - before.get(method, 0) > 0}


def first_load_bytes(session, url):
    page = session.get(f"{url}/tickets", timeout=30)
    assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="([^"]+\.(?:css|js))"', page.text)
    sizes = {"HTML": len(page.content)}
    for asset in dict.fromkeys(assets):
        sizes[asset] = len(session.get(urljoin(url + "/", asset), timeout=30).content)
    return sizes


def ms(value):
    return f"{value * 1000:.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()

    with own_vhost():
        measured = measure(args)
    report(args, *measured)


def measure(args):
    suite = OwnSuite()
    state = suite.start()
    try:
        url, token = state["url"], state["token"]
        password = (suite.folder / "data" / "demo-admin-password").read_text().strip()
        progress(f"populating {args.tickets} tickets with {args.writers} writers")
        ids, seconds = populate(url, token, args.tickets, args.writers)
        progress(f"  {len(ids)} in {seconds:.0f} s ({len(ids) / seconds:.0f}/s)")
        page = console_session(url, "admin@demo.example", password)
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {token}"
        for name, filters in VIEWS:  # the queue counts each of the person's views
            assert api.post(f"{url}/api/v1/saved-views", json={
                "name": name, "filters": filters}, timeout=30).status_code == 201
        sample = random.Random(14).sample(ids, min(len(ids), 100))
        rows = []
        for name, page_paths, api_paths in (
                ("queue, 50 rows", ["/tickets"], ["/api/v1/tickets?limit=50"]),
                ("the views' counts (after the queue page)", ["/tickets/views/counts"],
                 ["/api/v1/saved-views/counts"]),
                ("ticket", [f"/tickets/{i}" for i in sample],
                 [f"/api/v1/tickets/{i}" for i in sample])):
            progress(f"timing {name}: the page and its API")
            html = timed(page, url, page_paths, args.requests, args.warmup)
            json_ = timed(api, url, api_paths, args.requests, args.warmup)
            rpcs = rpcs_per_request(url, page, page_paths[0])
            rows.append((name, html, json_, rpcs))
        sizes = first_load_bytes(page, url)
    finally:
        suite.stop()
    return ids, seconds, rows, sizes


def report(args, ids, seconds, rows, sizes):
    about = machine()
    print(f"### Console pages ({about['date']})\n")
    print(f"Machine: {about['nproc']} cores, {about['cpu_model']}, kernel {about['kernel']}, "
          f"Python {about['python']}, code {about['code']}; embedded engine; {len(ids)} tickets "
          f"in the account (populated through the API with {args.writers} writers in "
          f"{seconds:.0f} s); {args.requests} requests per row, one at a time, after "
          f"{args.warmup} not counted.\n")
    print("| page | page p50 ms | page p95 ms | API p50 ms | API p95 ms | p50 ratio | "
          "goal <= 1.5x | RPCs per page |")
    print("|---|---|---|---|---|---|---|---|")
    for name, html, json_, rpcs in rows:
        ratio = percentile(html, 50) / percentile(json_, 50)
        calls = ", ".join(f"{method} {count:g}" for method, count in sorted(rpcs.items()))
        print(f"| {name} | {ms(percentile(html, 50))} | {ms(percentile(html, 95))} | "
              f"{ms(percentile(json_, 50))} | {ms(percentile(json_, 95))} | {ratio:.2f}x | "
              f"{'PASS' if ratio <= RATIO_GOAL else 'MISS'} | {sum(rpcs.values()):g}: {calls} |")
    total = sum(sizes.values())
    print(f"\nFirst load of the queue page: {total / 1024:.1f} KB "
          f"({'PASS' if total < BYTES_GOAL else 'MISS'}, goal < 250 KB, no fonts): "
          + ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in sizes.items()) + ".")


if __name__ == "__main__":
    main()
