"""The suite's own life: kill -9 everything and start again with the data intact; one copy at a time."""
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from tests.integration.suite_process import ROOT, Api, SuiteProcess, wait_gone


@pytest.fixture
def own_suite(new_amqp_uri, tmp_path):
    process = SuiteProcess(new_amqp_uri(), tmp_path / "data", tmp_path / "run")
    yield process
    process.stop()


def test_data_survives_kill_9_of_every_process(own_suite):
    api = own_suite.start().admin("acme")
    created = [api.create_ticket(title=f"До сбоя {i}") for i in range(5)]
    api.post(f"/api/v1/tickets/{created[0]['id']}/status", json={"status": "in_progress"})
    api.post(f"/api/v1/tickets/{created[0]['id']}/comments", json={"body": "последний комментарий"})

    own_suite.kill_all()
    own_suite.start()

    again = own_suite.admin("acme")  # the same token: credentials survive too
    first = again.get(f"/api/v1/tickets/{created[0]['id']}").json()
    assert first["status"] == "in_progress"
    assert first["comments"][-1]["body"] == "последний комментарий"
    for ticket in created[1:]:
        assert again.get(f"/api/v1/tickets/by-number/{ticket['number']}").json()["id"] == ticket["id"]
    assert again.create_ticket(title="После сбоя")["number"] == created[-1]["number"] + 1


def test_second_launcher_says_one_is_running(own_suite):
    own_suite.start()
    second = subprocess.run([sys.executable, "scripts/suite.py"], cwd=ROOT, env=own_suite.env(),
                            capture_output=True, text=True, timeout=30)
    assert second.returncode != 0
    assert f"already running at {own_suite.url}" in second.stderr
    assert requests.get(f"{own_suite.url}/health", timeout=10).status_code == 200


def test_a_crashed_service_is_reported_then_restarted(own_suite):
    own_suite.start()
    knowledge = own_suite.pids()["knowledge"]
    os.kill(knowledge, signal.SIGKILL)
    wait_gone(knowledge)
    report = requests.get(f"{own_suite.url}/health", timeout=10)
    if report.status_code == 503:  # the launcher may already have restarted it
        assert report.json()["services"]["knowledge"]["status"] == "unavailable"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if requests.get(f"{own_suite.url}/health", timeout=10).status_code == 200:
            break
        time.sleep(0.5)
    assert own_suite.pids()["knowledge"] != knowledge
    assert requests.get(f"{own_suite.url}/health", timeout=10).status_code == 200


def test_ctrl_c_stops_every_process(own_suite):
    own_suite.start()
    pids = list(own_suite.pids().values())
    own_suite.stop()  # SIGINT, as Ctrl-C sends
    assert own_suite.launcher.returncode == 0
    assert "Stopped." in own_suite.launcher.stdout.read()
    for pid in pids:
        wait_gone(pid)
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z"
    assert not (own_suite.run_dir / "suite.json").exists()
