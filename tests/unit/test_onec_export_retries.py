"""When a failed export job is tried again, as plain data: no store, no 1C."""
from datetime import datetime, timedelta

from services.billing_sync.export_retries import MAX_ATTEMPTS, after_failure, backoff

NOW = datetime(2026, 12, 7, 12, 0)


def test_the_pause_doubles_and_stops_at_an_hour(monkeypatch):
    monkeypatch.setenv("ONEC_EXPORT_BACKOFF_SECONDS", "30")
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(20) == timedelta(hours=1)


def test_a_failure_before_the_last_attempt_is_tried_again_after_the_pause(monkeypatch):
    monkeypatch.setenv("ONEC_EXPORT_BACKOFF_SECONDS", "10")
    error = {"kind": "unreachable", "detail": "timeout"}
    assert after_failure(1, error, permanent=False, now=NOW) == {
        "attempts": 2, "error": error, "state": "pending",
        "next_attempt_at": NOW + timedelta(seconds=20)}


def test_the_last_attempt_or_a_permanent_failure_makes_the_job_dead():
    error = {"kind": "invalid", "detail": "no counterparty"}
    assert after_failure(MAX_ATTEMPTS - 1, error, permanent=False, now=NOW) == {
        "attempts": MAX_ATTEMPTS, "error": error, "state": "dead"}
    assert after_failure(0, error, permanent=True, now=NOW)["state"] == "dead"
