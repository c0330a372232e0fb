"""What another installation posts to /api/v1/federation is validated before anything is kept."""
import pytest


@pytest.mark.parametrize("endpoint", ["not a url", "javascript:alert(1)", "https://u:p@desk.example",
                                      "http://desk.example"])
def test_an_acceptance_with_a_bogus_partner_endpoint_is_422(anonymous, endpoint):
    answer = anonymous.post("/api/v1/federation/invitations/accept", json={
        "code": "whatever", "partner": {"account_id": "a", "account_name": "A", "endpoint": endpoint}})
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["partner.endpoint"]
