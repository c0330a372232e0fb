"""Changes to PBX integrations, 1C connections, partner links and their rules, and the knowledge
base's sections and articles are in the account's one audit log (GET /api/v1/audit), though other
services make them: each announces an `audited` event that the tickets service stores once."""
import time
import uuid

import pytest

from tests.integration.telephony_pbx import connect

PASSWORD = "Secret-password-1"


def entries(api, target_id, want, timeout=20):
    deadline = time.monotonic() + timeout
    while True:
        found = api.get("/api/v1/audit", params={"target_id": target_id, "limit": 100}).json()["items"]
        if len(found) >= want or time.monotonic() > deadline:
            return sorted(found, key=lambda entry: entry["at"])
        time.sleep(0.2)


@pytest.fixture(scope="module")
def auditor(suite):
    return suite.admin(f"audit-{uuid.uuid4().hex[:6]}")


def test_pbx_integration_changes_are_audited_without_their_secrets(auditor, globex):
    pbx = connect(auditor, "zadarma")
    changed = auditor.patch(f"/api/v1/telephony/integrations/{pbx['id']}", json={
        "name": "АТС офис", "enabled": False})
    assert changed.status_code == 200, changed.text
    found = entries(auditor, pbx["id"], 2)
    assert [e["action"] for e in found] == ["pbx_integration.created", "pbx_integration.updated"]
    assert found[1]["details"]["enabled"] is False and found[1]["details"]["service"] == "telephony"
    assert found[0]["actor"]["kind"] == "employee" and found[0]["target_type"] == "pbx_integration"
    assert found[0]["details"]["secrets_set"] and "secrets" not in found[0]["details"]
    assert entries(globex, pbx["id"], 1, timeout=1) == []  # another account sees none of it


def test_1c_connection_changes_are_audited_without_the_password(auditor):
    made = auditor.post("/api/v1/billing/connections", json={
        "url": "http://127.0.0.1:9/base/odata/standard.odata/", "user": "odata",
        "password": PASSWORD, "profile": "bp30"})
    assert made.status_code == 201, made.text
    connection = made.json()["id"]
    assert auditor.delete(f"/api/v1/billing/connections/{connection}").status_code in (200, 204)
    found = entries(auditor, connection, 2)
    assert [e["action"] for e in found] == ["onec_connection.created", "onec_connection.deleted"]
    assert PASSWORD not in str(found) and found[0]["details"]["user"] == "odata"


def test_partner_link_state_and_rules_are_audited(auditor):
    link = auditor.post("/api/v1/partner-links/invitations", json={}).json()["link"]["id"]
    rules = auditor.put(f"/api/v1/partner-links/{link}/rules", json={"incoming": {"priority": "low"}})
    assert rules.status_code == 200, rules.text
    revoked = auditor.post(f"/api/v1/partner-links/{link}/state", json={"state": "revoked"})
    assert revoked.status_code == 200, revoked.text
    found = entries(auditor, link, 3)
    assert [e["action"] for e in found] == ["partner_link.invited", "partner_link.rules_changed",
                                             "partner_link.state_changed"]
    assert found[1]["details"]["directions"] == ["incoming"]
    assert found[2]["details"]["state"] == "revoked"


def test_knowledge_base_sections_and_article_visibility_are_audited(auditor):
    section = auditor.post("/api/v1/kb/sections", json={"name": "СКУД"}).json()
    article = auditor.post("/api/v1/kb/articles", json={
        "title": "Турникет не пускает", "body": "Проверьте карту.", "section_id": section["id"],
        "state": "published", "visibility": "internal"}).json()
    assert entries(auditor, section["id"], 1)[0]["action"] == "kb_section.created"
    found = entries(auditor, article["id"], 1)
    assert found[0]["action"] == "kb_article.created"
    assert found[0]["details"]["visibility"] == "internal"
