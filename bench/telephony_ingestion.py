"""Sustained PBX webhook ingestion through the gateway (issue 7, point 8).

The script starts its own suite (bench/gateway_load.py's OwnSuite), connects a generic-dialect
PBX to the demo account (rules: unknown callers and missed calls open no ticket, so what is
measured is ingestion, not ticket creation), then --senders threads, each with a keep-alive
session, post calls in a closed loop for --duration seconds after --warmup: every call is three
events (newCall, answer, hangup) with its own callId. It reports:

- events acknowledged per second (2xx answers; the edge answers only after RabbitMQ confirmed
  the message to the durable queue) and the p50/p95/p99/max acknowledgement latency;
- end-to-end delay: a prober posts a whole call every second during the window and polls until
  the call is stored finished; p50/max of those delays;
- drain: seconds from the last acknowledgement until every acknowledged call is stored;
- lost: acknowledged calls that never appear (must be 0), counted by paging through the calls.

    .venv/bin/python bench/telephony_ingestion.py                       # 16 senders, 20 s
    .venv/bin/python bench/telephony_ingestion.py --senders 8 --duration 10

Targets printed as PASS/MISS: >= 500 events/s acknowledged, p99 < 50 ms, zero lost.
"""
import argparse
import os
import sys
import threading
import time
import uuid

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gateway_load import OwnSuite, machine, percentile, progress  # noqa: E402

TARGET_EVENTS_PER_SECOND = 500
TARGET_P99_MS = 50
DRAIN_PATIENCE_SECONDS = 600


def call_events(call_id, caller):
    return [{"event": "newCall", "callId": call_id, "from": caller, "to": "74951234567",
             "direction": "in"},
            {"event": "answer", "callId": call_id, "from": caller, "to": "74951234567",
             "direction": "in", "answeringNumber": "101"},
            {"event": "hangup", "callId": call_id, "from": caller, "to": "74951234567",
             "direction": "in", "cause": "normalClearing", "answeringNumber": "101"}]


class Sender(threading.Thread):
    def __init__(self, url, start_at, stop_at):
        super().__init__(daemon=True)
        self.url, self.start_at, self.stop_at = url, start_at, stop_at
        self.latencies, self.errors, self.first_error, self.acked_calls = [], 0, None, []

    def run(self):
        session = requests.Session()
        while time.monotonic() < self.stop_at:
            call_id = uuid.uuid4().hex
            acked = True
            for event in call_events(call_id, "+7916" + call_id[:7].translate(
                    str.maketrans("abcdef", "123456"))):
                began = time.monotonic()
                try:
                    answer = session.post(self.url, json=event, timeout=10)
                    ok = answer.status_code == 200
                    error = None if ok else f"{answer.status_code} {answer.text[:200]}"
                except requests.RequestException as failure:
                    ok, error = False, repr(failure)
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
    session = requests.Session()
    while time.monotonic() < stop_at:
        began = time.monotonic()
        call_id = "probe" + uuid.uuid4().hex
        caller = "+7903" + str(int(time.time() * 1000))[-7:]
        for event in call_events(call_id, caller):
            session.post(webhook, json=event, timeout=10)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--duration", type=float, default=20)
    args = parser.parse_args()
    suite = OwnSuite()
    try:
        state = suite.start()
        url = state["url"]
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {state['token']}"
        pbx = api.post(f"{url}/api/v1/telephony/integrations", json={
            "name": "Нагрузка", "dialect": "generic",
            "rules": {"unknown_caller": "ignore", "missed_call": "ignore"}}).json()
        webhook = url + pbx["webhook_path"]
        load_before = os.getloadavg()
        start_at = time.monotonic() + args.warmup
        stop_at = start_at + args.duration
        senders = [Sender(webhook, start_at, stop_at) for _ in range(args.senders)]
        delays = []
        prober = threading.Thread(target=probe, args=(api, url, webhook, pbx["id"], start_at,
                                                      stop_at, delays), daemon=True)
        progress(f"{args.senders} senders for {args.warmup:g} + {args.duration:g} s...")
        for thread in senders + [prober]:
            thread.start()
        for thread in senders:
            thread.join()
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
        drained = time.monotonic() - last_ack
        lost = len(acked - stored)
        latencies = sorted(value for sender in senders for value in sender.latencies)
        errors = sum(sender.errors for sender in senders)
        first_error = next((s.first_error for s in senders if s.first_error), None)
        rate = len(latencies) / args.duration
        ms = {p: round(1000 * percentile(latencies, p), 1) for p in (50, 95, 99)}
        delays.sort()
        info = machine()
        print(f"### Run, {info['date']}\n")
        print(f"- Machine: {info['nproc']} CPUs (nproc), {info['cpu_model']}, "
              f"Linux {info['kernel']}, Python {info['python']}")
        print(f"- Code: {info['code']}")
        print(f"- {args.senders} senders, {args.warmup:g} s warm-up + {args.duration:g} s "
              f"measured; generic dialect, 3 events per call; suite started by the script")
        print("- Load average before / after (1 min): "
              f"{load_before[0]:.1f} / {os.getloadavg()[0]:.1f} on 2 cores\n")
        print("| events acked | errors | events/s | ack p50 ms | p95 ms | p99 ms | max ms | "
              "e2e p50 s | e2e max s | drain s | calls acked | lost |")
        print("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        e2e = (round(percentile(delays, 50), 2), round(delays[-1], 2)) if delays else ("-", "-")
        print(f"| {len(latencies)} | {errors} | {rate:.1f} | {ms[50]} | {ms[95]} | {ms[99]} | "
              f"{round(1000 * latencies[-1], 1)} | {e2e[0]} | {e2e[1]} | {drained:.1f} | "
              f"{len(acked)} | {lost} |\n")
        if first_error:
            print(f"First error: {first_error}\n")
        for verdict, text in (
                (rate >= TARGET_EVENTS_PER_SECOND,
                 f"events/s >= {TARGET_EVENTS_PER_SECOND}: {rate:.1f}"),
                (ms[99] < TARGET_P99_MS, f"ack p99 < {TARGET_P99_MS} ms: {ms[99]} ms"),
                (lost == 0, f"zero lost: {lost}")):
            print(f"- **{'PASS' if verdict else 'MISS'}** {text}")
    finally:
        suite.stop()


if __name__ == "__main__":
    main()
