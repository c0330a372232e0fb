"""Run the five services and the gateway together, in the foreground, until Ctrl-C.

`make run` calls this after the bootstrap. It refuses to start a second copy (a lock in the run
folder names the one that is up), starts every process with its log in run/logs/, waits until the
gateway's /health reports every service, prints the URL, the console's sign-in and the API token, restarts a process
that dies on its own (a few times at most), and on Ctrl-C or SIGTERM stops them all (SIGTERM, then SIGKILL after a grace period). Children are tied to this
process by the kernel (PR_SET_PDEATHSIG), so even `kill -9` of this launcher takes them down.

Environment: GATEWAY_PORT (8080), DATA_DIR (./data), RUN_DIR (./run), AMQP_URI, MONGO_URL,
METRICS_PORT_BASE (9101: tickets 9101 ... partner_bridge 9105; 0 gives each a free port),
SUITE_STARTUP_SECONDS (90: how long it waits for /health; a big embedded data folder loads longer),
SERVICE_DESK_OWNER_TOKEN (default: made once and kept in DATA_DIR/owner-token). On its first start
it creates the account "demo" and keeps its admin's API token in DATA_DIR/dev-api-token.
"""
import ctypes
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

import seed

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("tickets", "knowledge", "telephony", "billing_sync", "partner_bridge")
STARTUP_SECONDS = int(os.environ.get("SUITE_STARTUP_SECONDS", "90"))  # more for big data folders
GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1
MAX_RESTARTS = 5
RESTART_WINDOW = 600


def die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Suite:
    def __init__(self):
        self.port = int(os.environ.get("GATEWAY_PORT", "8080"))
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(os.environ.get("DATA_DIR", ROOT / "data")).resolve()
        self.run_dir = Path(os.environ.get("RUN_DIR", ROOT / "run")).resolve()
        self.metrics_base = int(os.environ.get("METRICS_PORT_BASE", "9101"))
        self.processes = {}
        self.demo_token = None
        self.crashes = {}  # process name -> monotonic times of its recent crashes
        self.stopping = False

    # -- one copy at a time --------------------------------------------------------------------
    def lock(self):
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.run_dir / "suite.lock", "a+")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            info = self.read_state()
            where = f" at {info['url']} (launcher pid {info['pid']})" if info else ""
            sys.exit(f"The service desk is already running{where}. Stop it with Ctrl-C in its "
                     f"terminal, or `kill {info['pid'] if info else '<pid>'}`.")

    def read_state(self):
        try:
            return json.loads((self.run_dir / "suite.json").read_text())
        except (OSError, ValueError):
            return None

    def port_free(self, patience=10):
        """Whether the gateway's port can be bound; waits a little for the workers of a suite
        that was just killed, which notice their master is gone within a second or two."""
        deadline = time.monotonic() + patience
        while True:
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    probe.bind(("0.0.0.0", self.port))
                    return True
                except OSError:
                    if time.monotonic() > deadline:
                        return False
            time.sleep(0.5)

    # -- environment ---------------------------------------------------------------------------
    def child_env(self):
        env = dict(os.environ, DATA_DIR=str(self.data_dir), GATEWAY_PORT=str(self.port),
                   PYTHONUNBUFFERED="1")
        env.pop("SERVICE_DESK_OWNER_TOKEN", None)  # the gateway's alone (see commands())
        return env

    def commands(self):
        bin_dir = Path(sys.executable).parent
        for offset, name in enumerate(SERVICES):
            port = 0 if self.metrics_base == 0 else self.metrics_base + offset
            extra = {"METRICS_PORT": str(port)}
            if name == "billing_sync":  # the only process that opens 1C passwords
                extra["ONEC_SECRET_KEYS"] = self.onec_keys
            yield name, [str(bin_dir / "nameko"), "run", "--config", "services/config.yaml",
                         f"services.{name}.service"], extra
        yield "gateway", [str(bin_dir / "gunicorn"), "--config", "gateway/gunicorn_conf.py",
                          "gateway.wsgi:app"], {
            "SERVICE_DESK_OWNER_TOKEN": self.owner_token,
            "GATEWAY_SECRET_KEY": seed.gateway_secret_key(self.data_dir),
            "PROMETHEUS_MULTIPROC_DIR": str(self.run_dir / "gateway-metrics")}

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self):
        self.owner_token = seed.owner_token(self.data_dir)
        self.onec_keys = seed.onec_secret_keys(self.data_dir)
        self.env = self.child_env()
        (self.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        self.specs = {name: (command, extra) for name, command, extra in self.commands()}
        for name in self.specs:
            self.launch(name)
        self.write_state()

    def launch(self, name):
        command, extra = self.specs[name]
        with open(self.run_dir / "logs" / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=dict(self.env, **extra), stdout=log,
                stderr=subprocess.STDOUT, preexec_fn=die_with_parent, start_new_session=True)

    def write_state(self):
        # It names the demo token: for this user's eyes only, from the first byte on.
        seed.write_secret(self.run_dir / "suite.json", json.dumps({
            "url": self.url, "pid": os.getpid(), "token": self.demo_token,
            "pids": {name: p.pid for name, p in self.processes.items()}}))

    def wait_ready(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        last = "no answer"
        while time.monotonic() < deadline:
            self.check_children()
            try:
                answer = requests.get(f"{self.url}/health", timeout=3)
                if answer.status_code == 200:
                    return
                last = answer.text
            except requests.RequestException as error:
                last = str(error)
            time.sleep(0.5)
        self.stop()
        sys.exit(f"The suite did not become healthy in {STARTUP_SECONDS} s: {last}\n"
                 f"Logs: {self.run_dir / 'logs'}")

    def check_children(self):
        """Restart a process that died on its own, after a pause that grows with each crash;
        give up when one process crashed MAX_RESTARTS times within RESTART_WINDOW seconds."""
        now = time.monotonic()
        for name, process in list(self.processes.items()):
            code = process.poll()
            if code is None or self.stopping:
                continue
            crashes = [t for t in self.crashes.get(name, []) if now - t < RESTART_WINDOW] + [now]
            self.crashes[name] = crashes
            log_path = self.run_dir / "logs" / f"{name}.log"
            if len(crashes) > MAX_RESTARTS:
                self.stop()
                tail = log_path.read_text(errors="replace")[-2000:]
                sys.exit(f"{name} exited with code {code}, {len(crashes)} times in "
                         f"{RESTART_WINDOW // 60} minutes: stopping. The end of its log:\n{tail}")
            pause = min(2 ** (len(crashes) - 1), 30)
            print(f"{name} exited with code {code}; restarting it in {pause} s (log: {log_path})",
                  flush=True)
            time.sleep(pause)
            self.launch(name)
            self.write_state()

    def print_sign_in(self):
        print(f"Agent console: {self.url}/login", flush=True)
        password_file = self.data_dir / "demo-admin-password"
        if password_file.exists():
            print(f"  account: demo   login: {seed.DEMO_ADMIN}   password: "
                  f"{password_file.read_text().strip()}", flush=True)
        else:
            print("  The demo account was made before it had a password: remove data/ to start "
                  "afresh, or sign in with an account from `make seed`.", flush=True)

    def stop(self, *_):
        if self.stopping:
            return
        self.stopping = True
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + GRACE_SECONDS
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        (self.run_dir / "suite.json").unlink(missing_ok=True)


def main():
    suite = Suite()
    suite.lock()
    if not suite.port_free():
        sys.exit(f"Port {suite.port} is taken by another program: free it or set GATEWAY_PORT.")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # A launcher started in the background inherits an ignored SIGINT; Ctrl-C must always stop it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    suite.start()
    try:
        suite.wait_ready()
        suite.demo_token = seed.ensure_demo_account(suite.url, suite.owner_token, suite.data_dir)
        suite.write_state()
        print(f"\nService desk is up: {suite.url}  (API docs: {suite.url}/docs)", flush=True)
        suite.print_sign_in()
        if suite.demo_token:
            print(f"API token of the demo account's admin: {suite.demo_token}", flush=True)
            print(f"  export TOKEN={suite.demo_token}", flush=True)
        print(f"Installation owner token (manages accounts): {suite.data_dir / 'owner-token'}",
              flush=True)
        print(f"Data: {suite.data_dir}   Logs: {suite.run_dir / 'logs'}   Ctrl-C stops everything.",
              flush=True)
        while True:
            suite.check_children()
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
    finally:
        suite.stop()
    print("Stopped.", flush=True)


if __name__ == "__main__":
    main()
