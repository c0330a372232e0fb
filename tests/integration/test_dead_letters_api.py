"""Dead letters over HTTP: a webhook message the telephony service refused (its integration was
disabled) is listed with its secrets hidden, replayed once the integration is enabled again (the
call is stored, once), and a second replay is a 409; letters of no account are the owner's."""
import pytest

from tests.integration.dead_letters import dead_letter, queue_webhook
from tests.integration.telephony_pbx import calls_of, eventually
from tests.integration.world import PASSWORD, login

SERVICES = ("tickets", "knowledge", "telephony", "billing_sync", "partner_bridge")


@pytest.fixture(scope="module")
def admin(suite):
    return suite.admin("dead-letters")


@pytest.fixture(scope="module")
def account_id(admin):
    return admin.get("/api/v1/account").json()["id"]


@pytest.fixture
def disabled_pbx(admin):
    created = admin.post("/api/v1/telephony/integrations",
                         json={"name": "АТС", "dialect": "generic"})
    assert created.status_code == 201, created.text
    pbx = created.json()
    changed = admin.patch(f"/api/v1/telephony/integrations/{pbx['id']}",
                        json={"name": "АТС", "dialect": "generic", "enabled": False})
    assert changed.status_code == 200, changed.text
    return pbx


def test_a_letter_replayed_after_the_fix_stores_the_call_once(suite, admin, account_id,
                                                              disabled_pbx):
    token = disabled_pbx["webhook_path"].rsplit("/", 1)[1]
    letter_id = queue_webhook(suite, disabled_pbx["id"], account_id, token=token)
    letter = dead_letter(admin, letter_id)
    assert (letter["state"], letter["error"]) == ("dead", "The integration is disabled.")
    assert (letter["source"], letter["event_type"]) == ("gateway", "telephony_webhook")
    assert letter["payload"]["request"]["url_token"] == "[hidden]"
    assert letter["payload"]["request"]["body"] == "[hidden]"
    listed = admin.get("/api/v1/dead-letters/telephony",
                       params={"state": "dead", "event_type": "telephony_webhook"}).json()
    assert letter_id in [item["id"] for item in listed["items"]]
    assert calls_of(admin, disabled_pbx) == []

    enabled = admin.patch(f"/api/v1/telephony/integrations/{disabled_pbx['id']}",
                        json={"name": "АТС", "dialect": "generic", "enabled": True})
    assert enabled.status_code == 200, enabled.text
    replayed = admin.post(f"/api/v1/dead-letters/telephony/{letter_id}/replay")
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["state"] == "replayed"
    assert [r["outcome"] for r in replayed.json()["replays"]] == ["handled"]
    assert len(eventually(lambda: calls_of(admin, disabled_pbx), "the replayed call")) == 1

    again = admin.post(f"/api/v1/dead-letters/telephony/{letter_id}/replay")
    assert again.status_code == 409 and again.headers["Content-Type"] == "application/problem+json"
    assert again.json()["state"] == "replayed"
    assert admin.post(f"/api/v1/dead-letters/telephony/{letter_id}/discard").status_code == 409
    assert len(calls_of(admin, disabled_pbx)) == 1


def test_a_replay_that_fails_again_keeps_the_letter_dead_until_discarded(suite, admin,
                                                                          account_id,
                                                                          disabled_pbx):
    letter_id = queue_webhook(suite, disabled_pbx["id"], account_id)
    dead_letter(admin, letter_id)
    replayed = admin.post(f"/api/v1/dead-letters/telephony/{letter_id}/replay").json()
    assert replayed["state"] == "dead" and replayed["replays"][0]["outcome"] == "failed"
    discarded = admin.post(f"/api/v1/dead-letters/telephony/{letter_id}/discard")
    assert discarded.status_code == 200 and discarded.json()["state"] == "discarded"
    assert admin.get(f"/api/v1/dead-letters/telephony/{letter_id}").json()["state"] == "discarded"


def test_letters_of_no_account_are_the_owners_alone(suite, admin, globex):
    letter_id = queue_webhook(suite, "0" * 32)
    owner = suite.owner()
    letter = dead_letter(owner, letter_id)
    assert letter["account_id"] is None
    for api in (admin, globex):
        assert api.get(f"/api/v1/dead-letters/telephony/{letter_id}").status_code == 404
        listed = api.get("/api/v1/dead-letters/telephony", params={"limit": 100}).json()
        assert letter_id not in [item["id"] for item in listed["items"]]
    assert owner.post(f"/api/v1/dead-letters/telephony/{letter_id}/discard").status_code == 200


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_lists_its_dead_letters(admin, service):
    answer = admin.get(f"/api/v1/dead-letters/{service}", params={"state": "dead", "limit": 5})
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) == {"items", "next_cursor", "limit"} and answer.json()["limit"] == 5


def test_an_unknown_service_or_filter_is_a_422_naming_the_field(admin):
    unknown = admin.get("/api/v1/dead-letters/mail")
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["service"]
    bad = admin.get("/api/v1/dead-letters/telephony",
                    params={"state": "lost", "created_from": "yesterday"})
    assert bad.status_code == 422
    assert sorted(e["field"] for e in bad.json()["errors"]) == ["created_from", "state"]


def test_only_admins_reach_dead_letters(suite, admin):
    email = "agent@dead-letters.example"
    admin.create_employee("agent", email=email, password=PASSWORD)
    agent = login(suite.url, "dead-letters", email, PASSWORD)
    answer = agent.get("/api/v1/dead-letters/telephony")
    assert answer.status_code == 403 and answer.json()["type"].endswith("/forbidden")
