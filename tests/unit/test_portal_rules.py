"""The portal's plain rules: the confirm/reopen window after resolution, rating once, and the
account's portal settings (logo address, window length)."""
from datetime import datetime, timedelta

import pytest

from services.shared.errors import Conflict
from services.tickets.portal import feedback, satisfaction, settings

RESOLVED_AT = datetime(2026, 12, 1, 10, 0)


def ticket(status, history=(), rating=None):
    return {"status": status, "rating": rating, "history": list(history)}


def moved(to, at):
    return {"field": "status", "old": "in_progress", "new": to, "at": at}


def test_the_window_runs_from_the_last_resolution():
    done = ticket("resolved", [moved("resolved", RESOLVED_AT - timedelta(days=20)),
                               moved("reopened", RESOLVED_AT - timedelta(days=10)),
                               moved("resolved", RESOLVED_AT)])
    assert feedback.window_end(done, 7) == RESOLVED_AT + timedelta(days=7)
    inside = feedback.state(done, RESOLVED_AT + timedelta(days=6), 7)
    assert inside["confirm"] and inside["reopen"] and inside["rate"]
    after = feedback.state(done, RESOLVED_AT + timedelta(days=7, seconds=1), 7)
    assert not after["confirm"] and not after["reopen"] and after["rate"]


def test_a_closed_ticket_may_be_reopened_but_not_confirmed_within_the_window():
    closed = ticket("closed", [moved("closed", RESOLVED_AT)])
    state = feedback.state(closed, RESOLVED_AT + timedelta(days=1), 7)
    assert state == {"confirm": False, "reopen": True, "rate": True,
                     "until": RESOLVED_AT + timedelta(days=7), "rating": None}


@pytest.mark.parametrize("status", ["opened", "in_progress", "waiting", "reopened"])
def test_work_in_progress_allows_nothing(status):
    state = feedback.state(ticket(status, [moved("resolved", RESOLVED_AT)]), RESOLVED_AT, 7)
    assert not (state["confirm"] or state["reopen"] or state["rate"]) and state["until"] is None


def test_a_rated_ticket_is_not_rated_again_and_refusals_say_why():
    rated = ticket("closed", [moved("closed", RESOLVED_AT)], rating={"score": 5})
    with pytest.raises(Conflict) as refused:
        feedback.check("rate", rated, RESOLVED_AT, 7)
    assert refused.value.extra == {"current_status": "closed", "action": "rate"}
    with pytest.raises(Conflict) as late:
        feedback.check("reopen", rated, RESOLVED_AT + timedelta(days=8), 7)
    assert "7 days" in late.value.detail


@pytest.mark.parametrize("given, errors", [
    ({}, set()),
    ({"portal_logo_url": "https://cdn.example/logo.svg", "portal_reopen_days": 14}, set()),
    ({"portal_logo_url": ""}, set()),
    ({"portal_logo_url": "http://cdn.example/logo.png"}, {"portal_logo_url"}),
    ({"portal_logo_url": "javascript:alert(1)"}, {"portal_logo_url"}),
    ({"portal_reopen_days": 0}, {"portal_reopen_days"}),
    ({"portal_reopen_days": 91}, {"portal_reopen_days"}),
    ({"portal_reopen_days": True}, {"portal_reopen_days"}),
    ({"portal_reopen_days": "7"}, {"portal_reopen_days"}),
])
def test_portal_settings_are_checked(given, errors):
    assert set(settings.settings_errors(given)) == errors


def test_settings_defaults():
    assert settings.reopen_days({}) == 7 and settings.reopen_days({"portal_reopen_days": 3}) == 3
    assert settings.logo_url({"portal_logo_url": ""}) is None


def test_the_satisfaction_report_sums_scores_overall_and_per_client():
    ratings = [{"score": 5, "client_id": "a"}, {"score": 4, "client_id": "a"},
               {"score": 2, "client_id": "b"}]
    assert satisfaction.report(ratings) == {
        "rated": 3, "average": 3.67, "scores": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1},
        "clients": [{"client_id": "a", "rated": 2, "average": 4.5},
                    {"client_id": "b", "rated": 1, "average": 2.0}]}
    assert satisfaction.report([])["average"] is None
