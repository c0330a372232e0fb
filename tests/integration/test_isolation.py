"""No account reads or changes another's tickets, however it guesses ids or numbers."""
import pytest

from tests.integration.dead_letters import dead_letter, queue_webhook


@pytest.fixture(scope="module")
def acme_ticket(acme):
    ticket = acme.create_ticket(title="Секретная заявка ACME")
    acme.post(f"/api/v1/tickets/{ticket['id']}/comments", json={"body": "внутреннее", "visibility": "internal"})
    return ticket


def test_other_account_cannot_read_by_id_or_number(globex, acme_ticket):
    assert globex.get(f"/api/v1/tickets/{acme_ticket['id']}").status_code == 404
    globex_numbers = globex.get("/api/v1/tickets", params={"limit": 100}).json()["items"]
    if not any(t["number"] == acme_ticket["number"] for t in globex_numbers):
        assert globex.get(f"/api/v1/tickets/by-number/{acme_ticket['number']}").status_code == 404
    else:
        other = globex.get(f"/api/v1/tickets/by-number/{acme_ticket['number']}").json()
        assert other["id"] != acme_ticket["id"]


def test_other_account_cannot_change(globex, acme, acme_ticket):
    path = f"/api/v1/tickets/{acme_ticket['id']}"
    assert globex.patch(path, json={"title": "взлом"}).status_code == 404
    assert globex.post(f"{path}/status", json={"status": "closed"}).status_code == 404
    assert globex.post(f"{path}/comments", json={"body": "взлом"}).status_code == 404
    unchanged = acme.get(path).json()
    assert unchanged["title"] == "Секретная заявка ACME" and unchanged["status"] == "opened"
    assert [c["body"] for c in unchanged["comments"]] == ["внутреннее"]


def test_other_account_lists_and_searches_nothing_of_it(globex, acme_ticket):
    found = globex.get("/api/v1/tickets", params={"q": "Секретная заявка ACME", "limit": 100}).json()
    assert found["items"] == []


def test_other_account_cannot_see_replay_or_discard_a_dead_letter(suite, acme, globex):
    account_id = acme.get("/api/v1/account").json()["id"]
    letter_id = dead_letter(acme, queue_webhook(suite, "0" * 32, account_id))["id"]
    for method, action in (("GET", ""), ("POST", "/replay"), ("POST", "/discard")):
        answer = globex.request(method, f"/api/v1/dead-letters/telephony/{letter_id}{action}")
        assert answer.status_code == 404, answer.text
    listed = globex.get("/api/v1/dead-letters/telephony", params={"limit": 100}).json()
    assert letter_id not in [item["id"] for item in listed["items"]]
    assert acme.get(f"/api/v1/dead-letters/telephony/{letter_id}").json()["state"] == "dead"
