"""Run the five services and the gateway together, in the foreground, until Ctrl-C.

`make run` calls this after the bootstrap. It refuses to start a second copy (a lock in the run
folder names the one that is up), starts every process with its log in run/logs/, waits until the
gateway's /health reports every service, prints the URL and the API token, restarts a process
that dies on its own (a few times at most), and on Ctrl-C or SIGTERM stops them all (SIGTERM, then SIGKILL after a grace period). Children are tied to this
process by the kernel (PR_SET_PDEATHSIG), so even `kill -9` of this launcher takes them down.

Environment: GATEWAY_PORT (8080), DATA_DIR (./data), RUN_DIR (./run), AMQP_URI, MONGO_URL,
METRICS_PORT_BASE (9101: tickets 9101 ... partner_bridge 9105; 0 gives each a free port),
SERVICE_DESK_API_TOKENS (default: one token for the account "demo", kept in DATA_DIR).
"""
import ctypes
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("tickets", "knowledge", "telephony", "billing_sync", "partner_bridge")
STARTUP_SECONDS = 90
GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1
MAX_RESTARTS = 5


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
        self.restarts = 0
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
    def api_tokens(self):
        configured = os.environ.get("SERVICE_DESK_API_TOKENS")
        if configured:
            return configured, None
        token_file = self.data_dir / "dev-api-token"
        if not token_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            token_file.write_text(secrets.token_urlsafe(32))
            token_file.chmod(0o600)
        token = token_file.read_text().strip()
        return f"{token}:demo:demo-admin:admin", token

    def child_env(self, tokens):
        env = dict(os.environ, DATA_DIR=str(self.data_dir), GATEWAY_PORT=str(self.port),
                   SERVICE_DESK_API_TOKENS=tokens, PYTHONUNBUFFERED="1")
        env["PROMETHEUS_MULTIPROC_DIR"] = str(self.run_dir / "gateway-metrics")
        return env

    def commands(self):
        bin_dir = Path(sys.executable).parent
        for offset, name in enumerate(SERVICES):
            port = 0 if self.metrics_base == 0 else self.metrics_base + offset
            yield name, [str(bin_dir / "nameko"), "run", "--config", "services/config.yaml",
                         f"services.{name}.service"], {"METRICS_PORT": str(port)}
        yield "gateway", [str(bin_dir / "gunicorn"), "--config", "gateway/gunicorn_conf.py",
                          "gateway.wsgi:app"], {}

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self):
        tokens, self.shown_token = self.api_tokens()
        self.env = self.child_env(tokens)
        (self.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        self.specs = {name: (command, extra) for name, command, extra in self.commands()}
        for name in self.specs:
            self.launch(name)
        self.write_state()
        return self.shown_token

    def launch(self, name):
        command, extra = self.specs[name]
        with open(self.run_dir / "logs" / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=dict(self.env, **extra), stdout=log,
                stderr=subprocess.STDOUT, preexec_fn=die_with_parent, start_new_session=True)

    def write_state(self):
        (self.run_dir / "suite.json").write_text(json.dumps({
            "url": self.url, "pid": os.getpid(), "token": self.shown_token,
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
        """Restart a process that died on its own; give up after MAX_RESTARTS of them."""
        for name, process in list(self.processes.items()):
            code = process.poll()
            if code is None or self.stopping:
                continue
            self.restarts += 1
            log_path = self.run_dir / "logs" / f"{name}.log"
            if self.restarts > MAX_RESTARTS:
                self.stop()
                tail = log_path.read_text(errors="replace")[-2000:]
                sys.exit(f"{name} exited with code {code}, and processes died {MAX_RESTARTS} "
                         f"times already: stopping. The end of its log:\n{tail}")
            print(f"{name} exited with code {code}; restarting it (log: {log_path})", flush=True)
            self.launch(name)
            self.write_state()

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
    token = suite.start()
    try:
        suite.wait_ready()
        print(f"\nService desk is up: {suite.url}  (API docs: {suite.url}/docs)", flush=True)
        if token:
            print(f"API token for the demo account: {token}", flush=True)
            print(f"  export TOKEN={token}", flush=True)
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
