"""The ticket page against the JSON API for the same ticket (issue 14, points 4 and 10).

Starts its own suite (bench/gateway_load.py's OwnSuite), fills the demo account with --tickets
tickets (default 10,000, created by 8 concurrent clients), then gives one ticket a full
timeline (--comments comments, a third of them internal, 5 works from the price list, history of
edits) and, one request at a time, reads it --requests times as GET /api/v1/tickets/{id} (bearer
token) and as the page /tickets/{id} (the console's session cookie), alternating. Latency is the
client's: request sent to body read. Also: the bytes of the page's first load (the HTML and every
script and style sheet it links, as served, uncompressed) and the RPCs the gateway made per page
(its gateway_rpc_duration_seconds counts on /metrics before and after, per method).

    .venv/bin/python bench/ticket_page.py                    # 10,000 tickets, 200 reads each
    .venv/bin/python bench/ticket_page.py --tickets 1000 --requests 50

Prints Markdown for docs/performance.md: machine, date, p50/p95 of both and their ratio
(goal: the page within 1.5x of the API), first-load bytes (goal: under 250 KB), RPCs per page.
"""
import argparse
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "scripts"))

from gateway_load import OwnSuite, machine, percentile, progress  # noqa: E402
from seed import DEMO_ADMIN  # noqa: E402

GOAL_RATIO, GOAL_BYTES = 1.5, 250 * 1024
RPC_COUNT = re.compile(r'^gateway_rpc_duration_seconds_count\{([^}]*)\} ([0-9.e+]+)$', re.M)
LINKED = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def api_session(url, token):
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    api.base = url
    return api


def post(api, path, body, status=201):
    answer = api.post(api.base + path, json=body, timeout=30)
    assert answer.status_code == status, (path, answer.status_code, answer.text[:300])
    return answer.json()


def seed(api, tickets, comments):
    """The account's tickets, and one with a long timeline (its id)."""
    progress(f"creating {tickets} tickets...")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: post(api, "/api/v1/tickets", {"title": f"Заявка {n}"}),
                      range(tickets)))
    client = post(api, "/api/v1/clients", {"name": "ТЦ Радуга"})
    code = post(api, "/api/v1/price-items", {
        "code": f"C{time.time_ns() % 10 ** 9}", "name": "Выезд инженера", "unit": "выезд",
        "price": {"amount": "2500"}})["code"]
    ticket = post(api, "/api/v1/tickets", {"title": "Длинная история", "client_id": client["id"]})
    path = f"/api/v1/tickets/{ticket['id']}"
    for n in range(comments):
        post(api, f"{path}/comments", {"body": f"Комментарий {n} " * 8,
                                       "visibility": "internal" if n % 3 == 0 else "public"})
    for _ in range(5):
        post(api, f"{path}/works", {"code": code, "quantity": "1"})
    for priority in ("high", "normal", "critical"):
        answer = api.patch(api.base + path, json={"priority": priority}, timeout=30)
        assert answer.status_code == 200, answer.text
    post(api, f"{path}/status", {"status": "in_progress"}, 200)
    return ticket["id"]


def console_session(url, password):
    web = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get(f"{url}/login").text)[1]
    answer = web.post(f"{url}/login", allow_redirects=False, timeout=30, data={
        "csrf_token": token, "account": "demo", "login": DEMO_ADMIN, "password": password})
    assert answer.status_code == 302, answer.text[:300]
    return web


def rpc_counts(url):
    counts = {}
    for labels, value in RPC_COUNT.findall(requests.get(f"{url}/metrics", timeout=30).text):
        method = re.search(r'method="([^"]+)"', labels)[1]
        counts[method] = counts.get(method, 0) + float(value)
    return counts


def timed(session, url):
    started = time.perf_counter()
    answer = session.get(url, timeout=30)
    assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
    return (time.perf_counter() - started) * 1000, answer


def first_load_bytes(web, url, html):
    assets = sorted(set(LINKED.findall(html)))
    return len(html.encode()) + sum(len(web.get(url + a, timeout=30).content) for a in assets), assets


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=10000)
    parser.add_argument("--comments", type=int, default=30)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    suite = OwnSuite()
    try:
        state = suite.start()
        url = state["url"]
        api = api_session(url, state["token"])
        ticket_id = seed(api, args.tickets, args.comments)
        password = (suite.folder / "data" / "demo-admin-password").read_text().strip()
        web = console_session(url, password)
        page_url, api_url = f"{url}/tickets/{ticket_id}", f"{url}/api/v1/tickets/{ticket_id}"
        for _ in range(10):  # warm-up: connections, templates, caches
            timed(api, api_url), timed(web, page_url)
        before = rpc_counts(url)
        api_ms, page_ms, html = [], [], ""
        progress(f"reading the ticket {args.requests} times each way...")
        for _ in range(args.requests):
            api_ms.append(timed(api, api_url)[0])
            elapsed, answer = timed(web, page_url)
            page_ms.append(elapsed)
            html = answer.text
        after = rpc_counts(url)
        per_page = {m: (after.get(m, 0) - before.get(m, 0) - (args.requests if m == "get_ticket" else 0))
                    / args.requests for m in after}
        per_page = {m: round(n, 2) for m, n in per_page.items() if n > 0.01}
        size, assets = first_load_bytes(web, url, html)
    finally:
        suite.stop()
    api_ms.sort(), page_ms.sort()
    info = machine()
    p50, p95 = percentile(page_ms, 50), percentile(page_ms, 95)
    a50, a95 = percentile(api_ms, 50), percentile(api_ms, 95)
    print(f"\n### Ticket page vs JSON API ({info['date']})\n")
    print(f"Machine: {info['nproc']} CPU, {info['cpu_model']}, kernel {info['kernel']}, "
          f"Python {info['python']}, code {info['code']}. {args.tickets} tickets in the account; "
          f"the ticket read has {args.comments} comments, 5 works, history of edits; "
          f"{args.requests} reads each, one at a time.\n")
    print("| what | p50 ms | p95 ms |\n|---|---|---|")
    print(f"| GET /api/v1/tickets/{{id}} | {a50:.1f} | {a95:.1f} |")
    print(f"| GET /tickets/{{id}} (page) | {p50:.1f} | {p95:.1f} |")
    ratio50, ratio95 = p50 / a50, p95 / a95
    verdict = "PASS" if ratio95 <= GOAL_RATIO else "MISS"
    print(f"\nPage/API: p50 {ratio50:.2f}x, p95 {ratio95:.2f}x (goal <= {GOAL_RATIO}x: {verdict}).")
    print(f"First load: {size / 1024:.1f} KB uncompressed, HTML and {len(assets)} linked files "
          f"(goal < {GOAL_BYTES // 1024} KB: {'PASS' if size < GOAL_BYTES else 'MISS'}).")
    print(f"RPCs per page: {sum(per_page.values()):.1f} "
          f"({', '.join(f'{m} {n:g}' for m, n in sorted(per_page.items()))}).")


if __name__ == "__main__":
    main()
