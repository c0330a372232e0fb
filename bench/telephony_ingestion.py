"""Sustained PBX webhook ingestion through the gateway (issue 7, point 8).

The script starts its own suite (bench/gateway_load.py's OwnSuite). For each --senders count it
connects a new generic-dialect PBX to the demo account (rules: unknown callers and missed calls
open no ticket, so what is measured is ingestion, not ticket creation), then that many threads,
each with its own keep-alive connection, post calls in a closed loop for --duration seconds after
--warmup: every call is three events (newCall, answer, hangup) with its own callId. The senders
use http.client rather than requests: the load generator shares the two cores with the suite,
and requests costs about three times the CPU per request, which would be taken from the system
under test. For each count it reports:

- events acknowledged per second (2xx answers; the edge answers only after RabbitMQ confirmed
  the message to the durable queue) and the p50/p95/p99/max acknowledgement latency;
- end-to-end delay: a prober posts a whole call every second during the window and polls until
  the call is stored finished; p50/max of those delays;
- drain: seconds from the last acknowledgement until every acknowledged call is stored;
- lost: acknowledged calls that never appear (must be 0), counted by paging through the calls;
- where the CPU went during the window (% of one core: gateway, telephony, tickets, RabbitMQ,
  the load generator, the rest) and the suite's CPU milliseconds per acknowledged event.

    .venv/bin/python bench/telephony_ingestion.py                       # 4, 8 and 16 senders, 20 s
    .venv/bin/python bench/telephony_ingestion.py --senders 8 --duration 10

Targets printed as PASS/MISS per count: >= 500 events/s acknowledged, p99 < 50 ms, zero lost.
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gateway_load import CpuMeter, OwnSuite, machine, percentile, progress  # noqa: E402

TARGET_EVENTS_PER_SECOND = 500
TARGET_P99_MS = 50
DRAIN_PATIENCE_SECONDS = 600
CPU_GROUPS = ("gateway", "telephony", "tickets")
JSON_HEADERS = {"Content-Type": "application/json"}


def call_events(call_id, caller):
    return [{"event": "newCall", "callId": call_id, "from": caller, "to": "74951234567",
             "direction": "in"},
            {"event": "answer", "callId": call_id, "from": caller, "to": "74951234567",
             "direction": "in", "answeringNumber": "101"},
            {"event": "hangup", "callId": call_id, "from": caller, "to": "74951234567",
             "direction": "in", "cause": "normalClearing", "answeringNumber": "101"}]


class Poster:
    """One keep-alive HTTP/1.1 connection, opened again after a failure."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.connection = None

    def post(self, payload):
        """(ok, error text or None)."""
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
            self.connection.request("POST", self.path, json.dumps(payload), JSON_HEADERS)
            answer = self.connection.getresponse()
            body = answer.read()
        except (OSError, http.client.HTTPException) as failure:
            self.connection.close()
            self.connection = None
            return False, repr(failure)
        if answer.status == 200:
            return True, None
        return False, f"{answer.status} {body[:200]!r}"


class Sender(threading.Thread):
    def __init__(self, url, start_at, stop_at):
        super().__init__(daemon=True)
        self.url, self.start_at, self.stop_at = url, start_at, stop_at
        self.latencies, self.errors, self.first_error, self.acked_calls = [], 0, None, []

    def run(self):
        poster = Poster(self.url)
        while time.monotonic() < self.stop_at:
            call_id = uuid.uuid4().hex
            acked = True
            for event in call_events(call_id, "+7916" + call_id[:7].translate(
                    str.maketrans("abcdef", "123456"))):
                began = time.monotonic()
                ok, error = poster.post(event)
                took = time.monotonic() - began
                acked = acked and ok
                if began >= self.start_at:
                    if ok:
                        self.latencies.append(took)
                    else:
                        self.errors += 1
                        self.first_error = self.first_error or error
            if acked:
                self.acked_calls.append(call_id)


def stored_finished(api, url, integration_id):
    """callIds of every finished call of the integration (paging through the list)."""
    found, cursor = set(), None
    while True:
        params = {"integration_id": integration_id, "limit": 100}
        if cursor:
            params["cursor"] = cursor
        answer = api.get(f"{url}/api/v1/telephony/calls", params=params, timeout=30).json()
        found |= {call["call_key"] for call in answer["items"] if call["state"] == "finished"}
        cursor = answer["next_cursor"]
        if not cursor:
            return found


def probe(api, url, webhook, integration_id, start_at, stop_at, delays):
    """One whole call a second: the delay from its last acknowledgement to it being stored."""
    poster = Poster(webhook)
    while time.monotonic() < stop_at:
        began = time.monotonic()
        call_id = "probe" + uuid.uuid4().hex
        caller = "+7903" + str(int(time.time() * 1000))[-7:]
        for event in call_events(call_id, caller):
            poster.post(event)
        acked = time.monotonic()
        while time.monotonic() - acked < 120:
            items = api.get(f"{url}/api/v1/telephony/calls", params={
                "integration_id": integration_id, "number": caller}, timeout=30).json()["items"]
            if any(item["call_key"] == call_id and item["state"] == "finished" for item in items):
                if began >= start_at:
                    delays.append(time.monotonic() - acked)
                break
            time.sleep(0.05)
        time.sleep(max(0.0, 1 - (time.monotonic() - began)))


def measure(api, url, meter, senders_count, args):
    """One closed-loop run with `senders_count` senders on a PBX of its own: a result row."""
    pbx = api.post(f"{url}/api/v1/telephony/integrations", json={
        "name": f"Нагрузка {senders_count}", "dialect": "generic",
        "rules": {"unknown_caller": "ignore", "missed_call": "ignore"}}).json()
    webhook = url + pbx["webhook_path"]
    start_at = time.monotonic() + args.warmup
    stop_at = start_at + args.duration
    senders = [Sender(webhook, start_at, stop_at) for _ in range(senders_count)]
    delays = []
    prober = threading.Thread(target=probe, args=(api, url, webhook, pbx["id"], start_at,
                                                  stop_at, delays), daemon=True)
    progress(f"{senders_count} senders for {args.warmup:g} + {args.duration:g} s...")
    for thread in senders + [prober]:
        thread.start()
    time.sleep(max(0.0, start_at - time.monotonic()))
    cpu_before = meter.sample()
    for thread in senders:
        thread.join()
    cpu = meter.shares(cpu_before, meter.sample())
    last_ack = time.monotonic()
    prober.join()
    acked = {call_id for sender in senders for call_id in sender.acked_calls}
    progress(f"waiting until the {len(acked)} acknowledged calls are stored...")
    stored = set()
    while time.monotonic() - last_ack < DRAIN_PATIENCE_SECONDS:
        stored = stored_finished(api, url, pbx["id"])
        if acked <= stored:
            break
        time.sleep(1)
    latencies = sorted(value for sender in senders for value in sender.latencies)
    rate = len(latencies) / args.duration
    suite_share = sum(share for group, share in cpu.items()
                      if group not in ("load generator", "rest of the machine"))
    delays.sort()
    return {"senders": senders_count, "acked": len(latencies), "rate": rate,
            "errors": sum(sender.errors for sender in senders),
            "first_error": next((s.first_error for s in senders if s.first_error), None),
            "ms": {p: round(1000 * percentile(latencies, p), 1) for p in (50, 95, 99)},
            "max_ms": round(1000 * latencies[-1], 1) if latencies else None,
            "e2e": (round(percentile(delays, 50), 2), round(delays[-1], 2)) if delays
            else ("-", "-"),
            "drain": time.monotonic() - last_ack, "calls": len(acked),
            "lost": len(acked - stored), "cpu": cpu,
            # % of a core is 10 ms of CPU per second: per event, (share * 10) / rate ms.
            "cpu_ms_per_event": round(suite_share * 10 / rate, 2) if rate else None}


def report(rows, args, load_before):
    info = machine()
    print(f"### Run, {info['date']}\n")
    print(f"- Machine: {info['nproc']} CPUs (nproc), {info['cpu_model']}, "
          f"Linux {info['kernel']}, Python {info['python']}")
    print(f"- Code: {info['code']}")
    print(f"- {args.warmup:g} s warm-up + {args.duration:g} s measured per row; generic "
          f"dialect, 3 events per call; suite started by the script")
    print("- Load average before / after (1 min): "
          f"{load_before[0]:.1f} / {os.getloadavg()[0]:.1f} on 2 cores\n")
    print("| senders | events acked | errors | events/s | ack p50 ms | p95 ms | p99 ms | max ms | "
          "e2e p50 s | e2e max s | drain s | calls acked | lost | suite CPU ms/event |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for row in rows:
        print(f"| {row['senders']} | {row['acked']} | {row['errors']} | {row['rate']:.1f} | "
              f"{row['ms'][50]} | {row['ms'][95]} | {row['ms'][99]} | {row['max_ms']} | "
              f"{row['e2e'][0]} | {row['e2e'][1]} | {row['drain']:.1f} | {row['calls']} | "
              f"{row['lost']} | {row['cpu_ms_per_event']} |")
    groups = list(rows[0]["cpu"])
    print("\nCPU during the measured window, % of one core:\n")
    print("| senders | " + " | ".join(groups) + " |")
    print("|--:|" + "--:|" * len(groups))
    for row in rows:
        print(f"| {row['senders']} | " + " | ".join(str(row["cpu"][g]) for g in groups) + " |")
    print()
    for row in rows:
        if row["first_error"]:
            print(f"First error with {row['senders']} senders: {row['first_error']}\n")
        for verdict, text in (
                (row["rate"] >= TARGET_EVENTS_PER_SECOND,
                 f"events/s >= {TARGET_EVENTS_PER_SECOND}: {row['rate']:.1f}"),
                (row["ms"][99] < TARGET_P99_MS, f"ack p99 < {TARGET_P99_MS} ms: {row['ms'][99]} ms"),
                (row["lost"] == 0, f"zero lost: {row['lost']}")):
            print(f"- {row['senders']} senders: **{'PASS' if verdict else 'MISS'}** {text}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, nargs="+", default=[4, 8, 16])
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--duration", type=float, default=20)
    args = parser.parse_args()
    suite = OwnSuite()
    try:
        state = suite.start()
        url = state["url"]
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {state['token']}"
        meter = CpuMeter(state.get("pids"), own_groups=CPU_GROUPS)
        load_before = os.getloadavg()
        rows = [measure(api, url, meter, count, args) for count in args.senders]
        report(rows, args, load_before)
    finally:
        suite.stop()


if __name__ == "__main__":
    main()
