"""Start and stop the real suite (scripts/suite.py) for the integration tests."""
import base64
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pymongo
import requests

from services.shared.embedded import open_embedded_database
from tests.integration.documented import check

ROOT = Path(__file__).resolve().parents[2]
OWNER_TOKEN = "test-owner-token-" + uuid.uuid4().hex
ADMIN_PASSWORD = "Admin-password-2026"
ONEC_SECRET_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()


def free_port_block(size):
    """A base port with `size` free consecutive ports after it, below the range the kernel hands
    out for outgoing connections (32768 and up on Linux): a port picked there could be taken by
    some client's connection before the service binds it."""
    for _ in range(200):
        base = random.randrange(20000, 32000 - size)
        try:
            sockets = []
            for port in range(base, base + size):
                s = socket.socket()
                sockets.append(s)
                s.bind(("0.0.0.0", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free port block")


class SuiteProcess:
    def __init__(self, amqp_uri, data_dir, run_dir):
        self.amqp_uri, self.data_dir, self.run_dir = amqp_uri, Path(data_dir), Path(run_dir)
        self.port = free_port_block(1)
        self.metrics_base = free_port_block(5)
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_prefix = f"test_{uuid.uuid4().hex[:10]}_"
        self.launcher = None
        self.admin_tokens = {}

    def env(self):
        return dict(os.environ, AMQP_URI=self.amqp_uri, DATA_DIR=str(self.data_dir),
                    RUN_DIR=str(self.run_dir), GATEWAY_PORT=str(self.port),
                    METRICS_PORT_BASE=str(self.metrics_base), SERVICE_DESK_OWNER_TOKEN=OWNER_TOKEN,
                    GATEWAY_WORKERS="2", RPC_TIMEOUT="5",
                    # billing_sync seals 1C passwords under it; a fresh key per suite.
                    ONEC_SECRET_KEYS=ONEC_SECRET_KEY, ONEC_EXPORT_BACKOFF_SECONDS="0.2",
                    # 1C requests retried after 0, 0.1, 0.2 ... 1.6 s: a short restart passes.
                    ONEC_RETRY_BACKOFF_SECONDS="0.05",
                    # Separate databases per suite when MONGO_URL points at a real MongoDB.
                    MONGO_DB_PREFIX=self.db_prefix)

    def start(self, timeout=90):
        # Started as a shell starts a background job, with SIGINT ignored: Ctrl-C (stop()) must
        # still stop it.
        self.launcher = subprocess.Popen([sys.executable, "scripts/suite.py"], cwd=ROOT,
                                         env=self.env(), stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True,
                                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.launcher.poll() is not None:
                raise RuntimeError(f"suite exited: {self.launcher.stdout.read()}")
            try:
                # Healthy, and the launcher has finished its start-up (the demo account).
                if (requests.get(f"{self.url}/health", timeout=2).status_code == 200
                        and self.state().get("token")):
                    return self
            except (requests.RequestException, OSError, ValueError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("suite did not become healthy")

    def owner(self):
        return Api(self.url, OWNER_TOKEN)

    def admin(self, slug):
        """An Api acting as the first admin of account `slug`, created on first use."""
        if slug not in self.admin_tokens:
            answer = self.owner().post("/api/v1/accounts", json={
                "slug": slug, "name": f"Сервисная компания {slug}",
                "admin": {"name": "Администратор", "email": f"admin@{slug}.example",
                          "password": ADMIN_PASSWORD}})
            assert answer.status_code == 201, answer.text
            self.admin_tokens[slug] = answer.json()["admin_token"]
        return Api(self.url, self.admin_tokens[slug])

    @contextlib.contextmanager
    def database(self, service):
        """A service's database, for a test to plant what the API cannot make (a corrupt item):
        only while the suite is stopped, since the embedded store is one process's file."""
        name = f"{self.db_prefix}{service}"
        if os.environ.get("MONGO_URL"):
            client = pymongo.MongoClient(os.environ["MONGO_URL"])
            try:
                yield client[name]
            finally:
                client.close()
            return
        db = open_embedded_database(self.data_dir / f"{name}.sqlite3", name)
        try:
            yield db
        finally:
            db.journal.close()

    def state(self):
        return json.loads((self.run_dir / "suite.json").read_text())

    def pids(self):
        return self.state()["pids"]

    def kill_all(self):
        """kill -9 the launcher and every process it started (gunicorn's workers too), as a crash would."""
        pids = list(self.pids().values())
        os.kill(self.launcher.pid, signal.SIGKILL)
        for pid in pids:
            try:
                os.killpg(pid, signal.SIGKILL)  # each child leads its own process group
            except ProcessLookupError:
                pass
        self.launcher.wait()
        for pid in pids:
            wait_gone(pid)

    def stop(self):
        if self.launcher and self.launcher.poll() is None:
            self.launcher.send_signal(signal.SIGINT)
            try:
                self.launcher.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.launcher.kill()
                self.launcher.wait()


def wait_gone(pid, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().split()[2] == "Z":
                    return
        except (ProcessLookupError, FileNotFoundError):
            return
        time.sleep(0.05)


class Api:
    """A client of the gateway acting with one account's token."""

    def __init__(self, url, token=None, language=None):
        self.url = url
        self.token = token
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        if language:
            self.session.headers["Accept-Language"] = language

    def request(self, method, path, *, documented=True, **kwargs):
        """`documented=False` for the rare test of an answer the document cannot describe."""
        kwargs.setdefault("timeout", 15)
        response = self.session.request(method, f"{self.url}{path}", **kwargs)
        if documented:
            check(self.url, response)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def create_ticket(self, **fields):
        body = {"title": "Не работает турникет на проходной", **fields}
        answer = self.post("/api/v1/tickets", json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def create_employee(self, role="agent", **fields):
        body = {"name": "Инженер Петров", "email": f"{uuid.uuid4().hex[:10]}@staff.example",
                "roles": [role], **fields}
        answer = self.post("/api/v1/employees", json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()
