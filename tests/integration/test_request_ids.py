"""The request id the gateway answers in X-Request-Id reaches the log lines of the services the
request called (nameko context data), so one request can be followed through every process."""
import json
import time
import uuid


def lines_with(path, text, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [json.loads(line) for line in path.read_text(errors="replace").splitlines()
                 if text in line and line.startswith("{")]
        if found:
            return found
        time.sleep(0.2)
    return []


def test_a_request_id_reaches_the_services_log_lines(suite, acme):
    request_id = f"req-{uuid.uuid4().hex}"
    answer = acme.get(f"/api/v1/tickets/{uuid.uuid4().hex}", headers={"X-Request-Id": request_id})
    assert answer.status_code == 404 and answer.headers["X-Request-Id"] == request_id
    # The tickets service logs the expected NotFound of that call, in JSON, with the id.
    logged = lines_with(suite.run_dir / "logs" / "tickets.log", request_id)
    assert logged and all(line["request_id"] == request_id for line in logged)
    assert all(line["call_id"].startswith("tickets.") for line in logged)


def test_a_request_without_an_id_gets_one_and_it_is_logged_too(suite, acme):
    answer = acme.get(f"/api/v1/tickets/{uuid.uuid4().hex}")
    request_id = answer.headers["X-Request-Id"]
    assert len(request_id) == 32
    assert lines_with(suite.run_dir / "logs" / "tickets.log", request_id)
