"""Load the HTTP gateway with N concurrent clients and report throughput, latency and memory.

What it measures, one scenario after the other with the same --clients (default 16) threads, each
with its own keep-alive requests.Session, in a closed loop (a client sends its next request as soon
as the previous one is answered):

  1. echo          POST /api/v1/diagnostics/echo: a bare RPC round trip, the latency floor;
  2. create        POST /api/v1/tickets;
  3. get by id     GET /api/v1/tickets/{id}, ids picked at random among those created in (2);
  4. get by number GET /api/v1/tickets/by-number/{number}, likewise.

Each scenario runs --warmup seconds (not counted) then --duration seconds. A request counts when it
starts inside the measured window. An error is a non-2xx answer or an exception (timeout,
connection refused...); the first error's text is shown once. Latency percentiles (nearest rank,
over the successful requests) include the client's own time; throughput is successful requests per
second of measured window. The load generator shares the machine with the suite, so a second table
shows where the CPU went during each measured window (from /proc, in % of one core): the gateway,
the tickets service, the other services, RabbitMQ, the load generator, and the rest of the machine;
when unrelated programs took more than a quarter of a core, a warning says so.

After the last scenario it prints the resident memory (VmRSS, and PSS where readable) of every
process of the suite, gunicorn's workers included, then checks the targets: at 16 clients,
creation >= 250 req/s, creation p99 < 100 ms, creation p50 and p99 within 2.5x of the echo floor's.

By default it starts its own suite (scripts/suite.py with a fresh temporary DATA_DIR and RUN_DIR,
a free GATEWAY_PORT, METRICS_PORT_BASE=0, AMQP_URI from the environment) and stops it at the end.
With --url and --token it loads a gateway that is already running instead.

Run (RabbitMQ must be up; `make bench BENCH_ARGS="..."` does the same after the bootstrap):

    .venv/bin/python bench/gateway_load.py                          # defaults: 16 clients, 20 s
    .venv/bin/python bench/gateway_load.py --duration 5 --warmup 1  # a quick check
    .venv/bin/python bench/gateway_load.py --url http://127.0.0.1:8080 --token "$TOKEN"
    .venv/bin/python bench/gateway_load.py --json results.json

Progress goes to stderr; stdout is Markdown that can be pasted into docs/performance.md as is.
"""
import argparse
import datetime
import glob
import json
import math
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SUITE_SCRIPT = ROOT / "scripts" / "suite.py"
STARTUP_SECONDS = 90
STOP_SECONDS = 30
ERROR_TEXT_CHARS = 300

TARGET_CLIENTS = 16
TARGET_CREATE_RPS = 250
TARGET_CREATE_P99_MS = 100
TARGET_FLOOR_RATIO = 2.5

PRIORITIES = ("low", "normal", "high", "critical")
CHANNELS = ("phone", "email", "portal", "api", "qr", "partner")

ABORT = threading.Event()  # set on Ctrl-C or SIGTERM: the clients stop at their next request


def progress(message):
    print(message, file=sys.stderr, flush=True)


# -- scenarios: each builds one request; "create" also remembers the tickets it made -------------

def echo_request(rng, tickets):
    return "POST", "/api/v1/diagnostics/echo", {"payload": {"ping": rng.randrange(10**6)}}


def create_request(rng, tickets):
    body = {"title": f"Bench ticket {rng.randrange(10**6)}",
            "description": "Created by bench/gateway_load.py to measure the gateway.",
            "priority": rng.choice(PRIORITIES), "channel": rng.choice(CHANNELS)}
    return "POST", "/api/v1/tickets", body


def get_by_id_request(rng, tickets):
    return "GET", f"/api/v1/tickets/{rng.choice(tickets)['id']}", None


def get_by_number_request(rng, tickets):
    return "GET", f"/api/v1/tickets/by-number/{rng.choice(tickets)['number']}", None


def remember_ticket(response):
    ticket = response.json()
    return {"id": ticket["id"], "number": ticket["number"]}


# (key, label, request builder, collector of successful answers, needs created tickets)
SCENARIOS = (
    ("echo", "echo (floor)", echo_request, None, False),
    ("create", "create ticket", create_request, remember_ticket, False),
    ("get_by_id", "get by id", get_by_id_request, None, True),
    ("get_by_number", "get by number", get_by_number_request, None, True),
)


# -- the load ----------------------------------------------------------------------------------

class Rejected(Exception):
    """The gateway answered, but not with a 2xx."""


class Client(threading.Thread):
    """One simulated client: a session, a closed loop, and its own tallies (no locks needed)."""

    def __init__(self, seed, url, token, timeout, build, collect, tickets, start_gate, window):
        super().__init__(daemon=True)
        self.rng = random.Random(seed)
        self.url, self.timeout = url, timeout
        self.build, self.collect, self.tickets = build, collect, tickets
        self.start_gate, self.window = start_gate, window
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.latencies, self.collected = [], []
        self.requests = self.errors = self.warmup_errors = 0
        self.first_error = None  # (monotonic time, text)

    def run(self):
        self.start_gate.wait()
        measure_from, stop_at = self.window
        try:
            while not ABORT.is_set():
                started = time.monotonic()
                if started >= stop_at:
                    break
                self.one_request(started >= measure_from)
        finally:
            self.session.close()

    def one_request(self, counted):
        method, path, body = self.build(self.rng, self.tickets)
        begin = time.perf_counter()
        try:
            response = self.session.request(method, self.url + path, json=body,
                                            timeout=self.timeout)
            elapsed = time.perf_counter() - begin
            if not 200 <= response.status_code < 300:
                raise Rejected(f"HTTP {response.status_code}: "
                               f"{response.text[:ERROR_TEXT_CHARS]}")
            if self.collect:
                self.collected.append(self.collect(response))
        except (Rejected, requests.RequestException, ValueError, KeyError) as exc:
            text = str(exc) if isinstance(exc, Rejected) else f"{type(exc).__name__}: {exc}"
            self.tally(counted, " ".join(f"{method} {path}: {text}".split()), None)
        else:
            self.tally(counted, None, elapsed)

    def tally(self, counted, error, elapsed):
        if error is not None and self.first_error is None:
            self.first_error = (time.monotonic(), error)
        if not counted:
            self.warmup_errors += error is not None
            return
        self.requests += 1
        if error is None:
            self.latencies.append(elapsed)
        else:
            self.errors += 1


def run_scenario(target, args, build, collect, tickets, meter):
    """Run one scenario with args.clients clients; return its merged tallies."""
    gate = threading.Barrier(args.clients + 1)
    start = time.monotonic()
    window = (start + args.warmup, start + args.warmup + args.duration)
    clients = [Client(index, target["url"], target["token"], args.timeout, build, collect,
                      tickets, gate, window) for index in range(args.clients)]
    for client in clients:
        client.start()
    gate.wait()
    sleep_until(window[0])
    cpu_before = meter.sample()
    sleep_until(window[1])
    cpu = meter.shares(cpu_before, meter.sample())
    for client in clients:
        client.join()
    return merge(clients, window, time.monotonic(), cpu)


def sleep_until(moment):
    while not ABORT.is_set() and time.monotonic() < moment:
        time.sleep(max(0.0, min(0.2, moment - time.monotonic())))


def merge(clients, window, ended, cpu):
    measure_from, stop_at = window
    elapsed = max(stop_at, ended) - measure_from  # the last answers may arrive after stop_at
    errors = [c.first_error for c in clients if c.first_error]
    return {
        "latencies": sorted(lat for c in clients for lat in c.latencies),
        "requests": sum(c.requests for c in clients),
        "errors": sum(c.errors for c in clients),
        "warmup_errors": sum(c.warmup_errors for c in clients),
        "first_error": min(errors)[1] if errors else None,
        "collected": [item for c in clients for item in c.collected],
        "elapsed_s": elapsed,
        "cpu": cpu,
    }


# -- where the CPU went ------------------------------------------------------------------------

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
OWN_CPU_GROUPS = ("gateway", "tickets")  # the suite's busy processes; the others are summed
FOREIGN_CPU_WARNING = 25  # % of one core used by unrelated processes that spoils a measurement


def machine_busy_ticks():
    """CPU time the whole machine spent busy: user..steal of /proc/stat, less idle and iowait."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4]


def process_ticks(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of stat)
    except (OSError, ValueError, IndexError):
        return 0


def pids_named(command):
    found = []
    for comm in glob.glob("/proc/[0-9]*/comm"):
        try:
            if Path(comm).read_text().strip() == command:
                found.append(int(comm.split("/")[2]))
        except OSError:
            continue
    return found


class CpuMeter:
    """Splits the machine's CPU time: the suite, RabbitMQ, this client, everything else."""

    def __init__(self, suite_pids, own_groups=OWN_CPU_GROUPS):
        self.groups = {group: [] for group in own_groups if group in (suite_pids or {})}
        for name, pid in (suite_pids or {}).items():
            group = name if name in own_groups else "other services"
            self.groups.setdefault(group, []).extend([pid] + descendants(pid))
        self.groups["RabbitMQ"] = pids_named("beam.smp")
        self.groups["load generator"] = [os.getpid()]
        self.suite_known = bool(suite_pids)

    def sample(self):
        return (time.monotonic(), machine_busy_ticks(),
                {group: sum(map(process_ticks, pids)) for group, pids in self.groups.items()})

    def shares(self, before, after):
        """% of one core per group between two samples, and for the rest of the machine."""
        seconds = max(after[0] - before[0], 1e-9) * TICKS_PER_SECOND
        shares = {group: round(100 * (after[2][group] - before[2][group]) / seconds)
                  for group in self.groups}
        rest = 100 * (after[1] - before[1]) / seconds - sum(shares.values())
        shares["rest of the machine"] = max(0, round(rest)) if self.suite_known else None
        return shares


# -- statistics ----------------------------------------------------------------------------------

def percentile(sorted_values, percent):
    """Nearest rank: the smallest value of the ascending list with percent% at or below it."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(percent * len(sorted_values) / 100))  # multiply first: exact
    return sorted_values[rank - 1]


def summarize(key, label, tallies):
    latencies = tallies["latencies"]
    ms = {name: (None if value is None else round(value * 1000, 1)) for name, value in (
        ("p50_ms", percentile(latencies, 50)), ("p95_ms", percentile(latencies, 95)),
        ("p99_ms", percentile(latencies, 99)), ("max_ms", latencies[-1] if latencies else None))}
    return dict(key=key, label=label, requests=tallies["requests"], errors=tallies["errors"],
                warmup_errors=tallies["warmup_errors"], first_error=tallies["first_error"],
                throughput_rps=round(len(latencies) / tallies["elapsed_s"], 1),
                cpu_percent_of_a_core=tallies["cpu"], **ms)


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)


def floor_ratios(results):
    echo, create = results.get("echo"), results.get("create")
    if not echo or not create:
        return None
    return {"p50": ratio(create["p50_ms"], echo["p50_ms"]),
            "p99": ratio(create["p99_ms"], echo["p99_ms"])}


def check_targets(results, ratios):
    create = results.get("create") or {}
    checks = (
        (f"creation throughput >= {TARGET_CREATE_RPS} req/s", create.get("throughput_rps"),
         "req/s", lambda v: v >= TARGET_CREATE_RPS),
        (f"creation p99 < {TARGET_CREATE_P99_MS} ms", create.get("p99_ms"), "ms",
         lambda v: v < TARGET_CREATE_P99_MS),
        (f"creation p50 within {TARGET_FLOOR_RATIO}x of the echo p50", (ratios or {}).get("p50"),
         "x", lambda v: v <= TARGET_FLOOR_RATIO),
        (f"creation p99 within {TARGET_FLOOR_RATIO}x of the echo p99", (ratios or {}).get("p99"),
         "x", lambda v: v <= TARGET_FLOOR_RATIO),
    )
    return [{"target": name, "value": value, "unit": unit,
             "verdict": "MISS" if value is None or not ok(value) else "PASS"}
            for name, value, unit, ok in checks]


# -- memory ------------------------------------------------------------------------------------

def proc_kib(path, field):
    """A 'Field:   123 kB' line of a /proc file, in KiB; None when the process or field is gone."""
    try:
        with open(path) as lines:
            for line in lines:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def children(pid):
    found = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            found += [int(child) for child in Path(path).read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(pid):
    found, pending = [], children(pid)
    while pending:
        child = pending.pop()
        found.append(child)
        pending += children(child)
    return found


def process_memory(name, pid):
    """RSS and PSS of a process and all its descendants (gunicorn: the master and its workers)."""
    pids = [pid] + descendants(pid)
    rss = [proc_kib(f"/proc/{p}/status", "VmRSS") for p in pids]
    pss = [proc_kib(f"/proc/{p}/smaps_rollup", "Pss") for p in pids]
    return {"name": name, "pid": pid, "children": len(pids) - 1,
            "rss_mib": None if None in rss else round(sum(rss) / 1024, 1),
            "pss_mib": None if None in pss else round(sum(pss) / 1024, 1)}


def suite_memory(pids):
    rows = [process_memory(name, pid) for name, pid in pids.items()]
    known = [row for row in rows if row["rss_mib"] is not None]
    total = {"name": "total", "pid": None, "children": sum(r["children"] for r in known),
             "rss_mib": round(sum(r["rss_mib"] for r in known), 1),
             "pss_mib": (round(sum(r["pss_mib"] for r in known), 1)
                         if all(r["pss_mib"] is not None for r in known) else None)}
    return rows + [total]


# -- the suite under test ------------------------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tie_to_parent():
    """In the child: get SIGTERM if the benchmark dies, so the suite never outlives it."""
    import ctypes
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class OwnSuite:
    """scripts/suite.py in a temporary DATA_DIR and RUN_DIR, on a free port, stopped at the end."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="gateway-load-"))
        self.run_dir = self.folder / "run"
        self.process = None
        self.keep = False

    def start(self):
        if not (Path(sys.executable).parent / "gunicorn").exists():
            sys.exit(f"{sys.executable} has no gunicorn next to it: run this with the project's "
                     f".venv/bin/python (or `make bench`).")
        env = dict(os.environ, DATA_DIR=str(self.folder / "data"), RUN_DIR=str(self.run_dir),
                   GATEWAY_PORT=str(free_port()), METRICS_PORT_BASE="0")
        env.pop("SERVICE_DESK_OWNER_TOKEN", None)  # the suite makes its own, and a demo account
        self.run_dir.mkdir(parents=True)
        with open(self.folder / "launcher.log", "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(SUITE_SCRIPT)], cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=tie_to_parent)
        return self.wait_ready()

    def wait_ready(self):
        """suite.json appears as soon as the processes are started and names the demo account's
        token once the launcher has created it; /health says when they serve."""
        deadline, last = time.monotonic() + STARTUP_SECONDS, "suite.json not written yet"
        while time.monotonic() < deadline and not ABORT.is_set():
            if self.process.poll() is not None:
                self.fail(f"the launcher exited with code {self.process.returncode}")
            state = self.read_state()
            if state and state.get("token"):
                try:
                    answer = requests.get(state["url"] + "/health", timeout=3)
                    if answer.status_code == 200:
                        return state
                    last = f"/health answered {answer.status_code}: {answer.text[:200]}"
                except requests.RequestException as exc:
                    last = f"/health: {exc}"
            time.sleep(0.5)
        self.fail(f"not healthy after {STARTUP_SECONDS} s ({last})")

    def read_state(self):
        try:
            return json.loads((self.run_dir / "suite.json").read_text())
        except (OSError, ValueError):
            return None

    def fail(self, reason):
        self.keep = True
        log = (self.folder / "launcher.log").read_text(errors="replace")[-2000:]
        sys.exit(f"The suite did not start: {reason}.\nLauncher output:\n{log}\n"
                 f"Logs kept in {self.run_dir / 'logs'}")

    def stop(self):
        if self.process and self.process.poll() is None:
            progress("stopping the suite...")
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                progress("the launcher did not stop in time: SIGKILL (its children follow it)")
                self.process.kill()
                self.process.wait()
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def running_suite_pids(url, suite_json):
    """The pids of an already running suite, when its suite.json is at hand and names this url."""
    try:
        state = json.loads(Path(suite_json).read_text())
    except (OSError, ValueError):
        return None
    return state.get("pids") if state.get("url", "").rstrip("/") == url.rstrip("/") else None


# -- the report --------------------------------------------------------------------------------

def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_revision():
    def git(*command):
        return subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    try:
        revision = git("rev-parse", "--short", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{revision}{' (+ uncommitted changes)' if dirty else ''}" if revision else "unknown"


def machine():
    return {"date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "nproc": len(os.sched_getaffinity(0)), "cpu_model": cpu_model(),
            "kernel": platform.release(), "python": platform.python_version(),
            "code": git_revision()}


def fmt(value, suffix=""):
    return "n/a" if value is None else f"{value}{suffix}"


def print_header(info, args, own):
    gateway = (f"suite started by the benchmark (gunicorn {os.environ.get('GATEWAY_WORKERS', '2')} "
               f"workers x {os.environ.get('GATEWAY_THREADS', '8')} threads)"
               if own else f"running gateway at {args.url}")
    print(f"### Gateway load, {info['date']}\n")
    print(f"- Machine: {info['nproc']} CPUs (nproc), {info['cpu_model']}, "
          f"Linux {info['kernel']}, Python {info['python']}")
    print(f"- Code: {info['code']}")
    print(f"- Load: {args.clients} clients, {args.warmup:g} s warm-up + {args.duration:g} s "
          f"per scenario, request timeout {args.timeout:g} s; {gateway}")
    print()


def print_scenarios(rows):
    print("| scenario | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        errors = str(r["errors"])
        if r["warmup_errors"]:
            errors += f" (+{r['warmup_errors']} in warm-up)"
        latencies = " | ".join(fmt(r[name]) for name in ("p50_ms", "p95_ms", "p99_ms", "max_ms"))
        print(f"| {r['label']} | {r['requests']} | {errors} | {r['throughput_rps']} | "
              f"{latencies} |")
    print()
    for r in rows:
        if r["first_error"]:
            print(f"- First error in *{r['label']}*: `{r['first_error']}`")
        if r.get("skipped"):
            print(f"- *{r['label']}* skipped: {r['skipped']}")


def print_cpu(rows):
    measured = [r for r in rows if r["cpu_percent_of_a_core"]]
    if not measured:
        return
    groups = list(measured[0]["cpu_percent_of_a_core"])
    print("CPU during the measured window, in % of one core (the machine has "
          f"{len(os.sched_getaffinity(0))} cores):\n")
    print("| scenario | " + " | ".join(groups) + " |")
    print("|---|" + "--:|" * len(groups))
    for r in measured:
        print(f"| {r['label']} | " + " | ".join(
            fmt(r["cpu_percent_of_a_core"][g]) for g in groups) + " |")
    for r in measured:
        foreign = r["cpu_percent_of_a_core"].get("rest of the machine")
        if foreign is not None and foreign > FOREIGN_CPU_WARNING:
            print(f"\n**Warning**: other programs used {foreign}% of a core during "
                  f"*{r['label']}*; its numbers measure them too.")
    print()


def print_verdicts(ratios, verdicts, clients):
    if ratios:
        print(f"- Creation against the echo floor: p50 x{fmt(ratios['p50'])}, "
              f"p99 x{fmt(ratios['p99'])}")
    print()
    note = "" if clients == TARGET_CLIENTS else (
        f" (the targets are set for {TARGET_CLIENTS} clients; this run used {clients})")
    print(f"Targets{note}:\n")
    for v in verdicts:
        print(f"- **{v['verdict']}** {v['target']}: {fmt(v['value'], ' ' + v['unit'])}")
    print()


def print_memory(rows, created):
    if not rows:
        print("Memory: not measured (no suite.json for this gateway: pass --suite-json).")
        return
    print(f"Memory after the run, with the {created} tickets it created (warm-ups included) in the "
          "store. RSS = VmRSS from /proc/<pid>/status, summed over a process and its children, so "
          "pages they share count once per process; PSS shares them out:\n")
    print("| process | pid | children | RSS MiB | PSS MiB |")
    print("|---|--:|--:|--:|--:|")
    for r in rows:
        print(f"| {r['name']} | {fmt(r['pid'])} | {r['children']} | {fmt(r['rss_mib'])} | "
              f"{fmt(r['pss_mib'])} |")


# -- main --------------------------------------------------------------------------------------

def positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be > 0, not {text}")
        return value
    return parse


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=positive(int), default=16,
                        help="concurrent clients, one thread and keep-alive session each (16)")
    parser.add_argument("--duration", type=positive(float), default=20.0,
                        help="measured seconds per scenario (20)")
    parser.add_argument("--warmup", type=float, default=3.0,
                        help="seconds per scenario before measuring, not counted (3)")
    parser.add_argument("--timeout", type=positive(float), default=10.0,
                        help="per-request timeout in seconds (10)")
    parser.add_argument("--url", help="load this running gateway instead of starting a suite")
    parser.add_argument("--token", help="its API token (required with --url)")
    parser.add_argument("--suite-json", default=str(ROOT / "run" / "suite.json"),
                        help="with --url: the running suite's suite.json, for the memory report "
                             "(default: run/suite.json)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON here")
    args = parser.parse_args()
    if bool(args.url) != bool(args.token):
        parser.error("--url and --token go together")
    if args.warmup < 0:
        parser.error("--warmup must be >= 0")
    return args


NO_TALLIES = dict(latencies=[], requests=0, errors=0, warmup_errors=0, first_error=None,
                  collected=[], elapsed_s=1.0, cpu={})


def run_all(target, args, pids):
    """The scenarios in order; returns their results and how many tickets they created."""
    results, tickets, meter = {}, [], CpuMeter(pids)
    for key, label, build, collect, needs_tickets in SCENARIOS:
        if ABORT.is_set():
            break
        if needs_tickets and not tickets:
            results[key] = dict(summarize(key, label, NO_TALLIES),
                                skipped="no tickets were created")
            continue
        progress(f"{label}: {args.clients} clients, {args.warmup:g} s warm-up + "
                 f"{args.duration:g} s...")
        tallies = run_scenario(target, args, build, collect, tickets, meter)
        tickets += tallies["collected"]
        results[key] = summarize(key, label, tallies)
    return results, len(tickets)


def measure(args):
    """Start the suite (unless --url), run the scenarios, read the memory, stop the suite."""
    suite = None if args.url else OwnSuite()
    try:
        if suite:
            progress("starting the suite (scripts/suite.py)...")
            state = suite.start()
            target, pids = {"url": state["url"], "token": state["token"]}, state["pids"]
        else:
            target = {"url": args.url.rstrip("/"), "token": args.token}
            pids = running_suite_pids(args.url, args.suite_json)
        results, created = run_all(target, args, pids)
        memory = suite_memory(pids) if pids else None
    except KeyboardInterrupt:
        sys.exit("Interrupted.")
    finally:
        ABORT.set()
        if suite:
            suite.stop()
    return {"url": target["url"], "own_suite": suite is not None, "results": results,
            "tickets_created": created, "memory": memory}


def report(info, args, run):
    rows = list(run["results"].values())
    ratios = floor_ratios(run["results"])
    verdicts = check_targets(run["results"], ratios)
    print_header(info, args, run["own_suite"])
    print_scenarios(rows)
    print_cpu(rows)
    print_verdicts(ratios, verdicts, args.clients)
    print_memory(run["memory"], run["tickets_created"])
    settings = {k: getattr(args, k) for k in ("clients", "duration", "warmup", "timeout")}
    return {"machine": info, "settings": dict(settings, url=run["url"], own_suite=run["own_suite"]),
            "scenarios": rows, "creation_vs_floor": ratios, "targets": verdicts,
            "memory": run["memory"], "tickets_created": run["tickets_created"]}


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally: stop the suite
    info = machine()
    results = report(info, args, measure(args))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
        progress(f"results written to {args.json}")


if __name__ == "__main__":
    main()
