"""partner_bridge's entrypoints through nameko's worker_factory, on the embedded engine, with the
tickets RPC proxy mocked: who may call what, and what a listener's delivery must carry."""
import json
from datetime import datetime, timezone

from unittest.mock import MagicMock

import pytest
from nameko.testing.services import worker_factory

from services.partner_bridge.service import PartnerBridgeService
from services.partner_bridge.signing import sign
from services.partner_bridge.store import Store
from services.shared.embedded import open_embedded_database
from services.shared.errors import (Conflict, Forbidden, NotFound, Unauthenticated,
                                    ValidationFailed)

ADMIN = {"account_id": "maker", "kind": "employee", "id": "e-1", "roles": ["admin"]}
AGENT = dict(ADMIN, id="e-2", roles=["agent"])
ENGINEER = dict(ADMIN, id="e-3", roles=["field_engineer"])
CONTACT = {"account_id": "maker", "kind": "contact", "id": "c-1", "client_id": "k-1",
           "client_scope": "company"}


@pytest.fixture
def service(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNER_INVITATION_KEY", "a-key-for-the-entrypoint-tests")
    monkeypatch.setenv("PUBLIC_URL", "https://maker.example")
    db = open_embedded_database(tmp_path / "partner.sqlite3", "partner_bridge")
    Store.create_indexes(db)
    inbox = MagicMock(service_name="partner_bridge")
    inbox.seen.return_value = False
    worker = worker_factory(PartnerBridgeService, store=Store(db), inbox=inbox)
    worker.tickets.get_my_account.return_value = {"id": "maker", "name": "AlarmWorks"}
    yield worker
    db.journal.close()


def active_link(service):
    invitation = service.invite(ADMIN, {})
    service.answer_acceptance({"code": invitation["code"], "partner": {
        "account_id": "fireguard", "account_name": "FireGuard",
        "endpoint": "https://partner.example"}})
    return invitation["link"]["id"]


def test_links_are_for_admins_and_sharing_for_office_staff(service):
    link_id = active_link(service)
    for actor in (AGENT, ENGINEER, CONTACT):
        with pytest.raises(Forbidden):
            service.invite(actor, {})
        with pytest.raises(Forbidden):
            service.get_link(actor, link_id)
    for actor in (ENGINEER, CONTACT):
        with pytest.raises(Forbidden):
            service.share_ticket(actor, link_id, {"ticket_id": "t-1"})
    assert service.list_correlations(AGENT, {}) == {"items": [], "next_cursor": None}


def test_an_invitation_carries_this_installation_and_is_accepted_once(service):
    invitation = service.invite(ADMIN, {"validity_days": 2})
    assert invitation["url"].startswith("https://maker.example/api/v1/federation/invitations?code=")
    assert invitation["link"]["state"] == "pending"
    described = service.describe_invitation(invitation["url"])
    assert described["inviter"] == {"account_name": "AlarmWorks",
                                    "endpoint": "https://maker.example"}
    assert described["state"] == "pending" and described["accept_path"] == "/api/v1/partner-links/accept"
    answer = service.answer_acceptance({"code": invitation["code"], "partner": {
        "account_id": "fireguard", "account_name": "FireGuard", "endpoint": "https://partner.example"}})
    assert answer["link_id"] == invitation["link"]["id"] and len(answer["secret"]) >= 40
    # The answer speaks for the inviter only: its account, its name, its address.
    assert (answer["account_id"], answer["account_name"], answer["endpoint"]) == (
        "maker", "AlarmWorks", "https://maker.example")
    assert service.describe_invitation(invitation["code"])["state"] == "active"
    link = service.get_link(ADMIN, answer["link_id"])
    assert link["state"] == "active" and link["partner"]["account_name"] == "FireGuard"
    assert "secret" not in json.dumps(link) and answer["secret"] not in json.dumps(link)
    with pytest.raises(ValidationFailed) as refused:
        service.invite(ADMIN, {"validity_days": 90})
    assert "validity_days" in refused.value.fields


def test_rules_change_one_direction_and_name_a_bad_field(service):
    link_id = active_link(service)
    before = service.get_link(ADMIN, link_id)["rules"]
    after = service.set_rules(ADMIN, link_id, {"incoming": {"priority": "low"}})["rules"]
    assert after["outgoing"] == before["outgoing"] and after["incoming"]["priority"] == "low"
    with pytest.raises(ValidationFailed) as refused:
        service.set_rules(ADMIN, link_id, {"outgoing": {"fields": ["title", "works"]}})
    assert refused.value.fields == {"outgoing.fields.1": [
        "Works carry prices; they never leave the account."]}


def test_another_accounts_link_is_not_found(service):
    link_id = active_link(service)
    stranger = dict(ADMIN, account_id="stranger")
    with pytest.raises(NotFound):
        service.get_link(stranger, link_id)
    with pytest.raises(NotFound):
        service.change_link_state(stranger, link_id, {"state": "paused"})
    with pytest.raises(NotFound):
        service.share_ticket(stranger, link_id, {"ticket_id": "t-1"})
    service.tickets.partner_ticket_view.assert_not_called()


def test_a_delivery_must_be_signed_for_the_link_its_address_names(service):
    link_id = active_link(service)
    body = json.dumps({"eventId": "e-1"}).encode()
    headers = sign("not-the-secret", link_id, body, now=datetime.now(timezone.utc))
    with pytest.raises(Unauthenticated) as refused:
        service.receive_delivery("maker", link_id, headers, body.decode())
    assert refused.value.extra["reason"] == "bad_signature"
    with pytest.raises(Unauthenticated) as refused:
        service.receive_delivery("maker", "other-link", headers, body.decode())
    assert refused.value.extra["reason"] == "wrong_link"
    with pytest.raises(Unauthenticated) as refused:
        service.receive_delivery("stranger", link_id, headers, body.decode())
    assert refused.value.extra["reason"] == "unknown_link"


def tickets_event(revision, **fields):
    return dict({"event_id": f"ev-{revision}", "account_id": "maker", "ticket_id": "t-1",
                 "revision": revision}, **fields)


def test_tickets_events_handled_in_reverse_are_queued_in_the_order_made(service):
    link_id = active_link(service)
    comment = {"id": "c-9", "body": "Engineer on the way.", "visibility": "public",
               "author": {"kind": "employee", "id": "e-1", "name": "Anna"},
               "created_at": "2026-11-30T09:05:00+00:00"}
    view = {"id": "t-1", "number": 7, "title": "Panel offline", "description": "", "priority": "high",
            "status": "opened", "type": "incident", "created_at": "2026-11-30T09:00:00+00:00",
            "updated_at": "2026-11-30T09:00:00+00:00", "equipment": None, "site": None,
            "contact": None, "comments": [], "attachments": [], "revision": 1}
    service.tickets.partner_ticket_view.return_value = view
    service.share_ticket(AGENT, link_id, {"ticket_id": "t-1"})
    # Made: the comment (revision 2), then the status change (3). Handled: 3 first.
    service.tickets.partner_ticket_view.return_value = dict(view, status="in_progress",
                                                            comments=[comment], revision=3)
    service.on_ticket_status_changed(tickets_event(
        3, number=7, old_status="opened", new_status="in_progress", comment=None,
        changed_by={"kind": "employee", "id": "e-1"}))
    assert [i["sequence"] for i in service.list_outbox(ADMIN, {"state": "ready"})["items"]] == [1]
    service.on_ticket_commented(tickets_event(2, comment={
        "id": "c-9", "visibility": "public", "author": {"kind": "employee", "id": "e-1"},
        "origin": None, "created_at": comment["created_at"]}))
    items = service.list_outbox(ADMIN, {"state": "ready"})["items"]
    assert [(i["sequence"], i["event_type"]) for i in items] == [
        (1, "TroubleTicketCreateEvent"), (2, "TroubleTicketAttributeValueChangeEvent"),
        (3, "TroubleTicketStatusChangeEvent")]


def test_a_links_secret_is_rotated_by_its_admin_only(service, monkeypatch):
    link_id = active_link(service)
    told = []
    monkeypatch.setattr("services.partner_bridge.transports.https.HttpsTransport.rotate_secret",
                        lambda transport, link, message: told.append(message))
    for actor in (AGENT, ENGINEER, CONTACT):
        with pytest.raises(Forbidden):
            service.rotate_link_secret(actor, link_id, {})
    with pytest.raises(NotFound):
        service.rotate_link_secret(dict(ADMIN, account_id="stranger"), link_id, {})
    with pytest.raises(ValidationFailed) as refused:
        service.rotate_link_secret(ADMIN, link_id, {"overlap_minutes": 1})
    assert "overlap_minutes" in refused.value.fields
    assert told == []
    link = service.rotate_link_secret(ADMIN, link_id, {"overlap_minutes": 15})
    [message] = told
    assert message["overlap_seconds"] == 900 and message["secret"] not in json.dumps(link)
    assert link["secret_rotated_at"] and link["previous_secret_accepted_until"]


def test_a_partners_new_secret_is_taken_only_signed_with_the_current_one(service):
    invitation = service.invite(ADMIN, {})
    answer = service.answer_acceptance({"code": invitation["code"], "partner": {
        "account_id": "fireguard", "account_name": "FireGuard", "endpoint": "https://partner.example"}})
    link_id, current = answer["link_id"], answer["secret"]
    message = json.dumps({"rotation_id": "r" * 32, "secret": "n" * 43, "overlap_seconds": 600})
    now = datetime.now(timezone.utc)
    for secret, account_id in (("not-the-secret", "maker"), (current, "stranger")):
        with pytest.raises(Unauthenticated):
            service.receive_secret_rotation(account_id, link_id,
                                            sign(secret, link_id, message.encode(), now=now), message)
    receipt = service.receive_secret_rotation("maker", link_id,
                                              sign(current, link_id, message.encode(), now=now),
                                              message)
    assert receipt["link_id"] == link_id and receipt["previous_accepted_until"]
    # From now on the partner signs with the new secret, and the old one still passes a while.
    for secret in ("n" * 43, current):
        body = json.dumps({"eventId": "e-1"})
        with pytest.raises(ValidationFailed):  # signature accepted; the envelope is not an event
            service.receive_delivery("maker", link_id, sign(secret, link_id, body.encode(), now=now),
                                     body)


def test_a_pending_link_is_activated_by_acceptance_only_and_its_secret_not_rotated(service):
    invitation = service.invite(ADMIN, {})
    link_id = invitation["link"]["id"]
    with pytest.raises(Conflict) as refused:
        service.change_link_state(ADMIN, link_id, {"state": "active"})
    assert refused.value.extra["allowed"] == ["revoked"]
    with pytest.raises(Conflict) as refused:
        service.rotate_link_secret(ADMIN, link_id, {})
    assert refused.value.extra["state"] == "pending"


def test_a_partners_pause_is_followed_only_signed_for_the_link(service, monkeypatch):
    invitation = service.invite(ADMIN, {})
    answer = service.answer_acceptance({"code": invitation["code"], "partner": {
        "account_id": "fireguard", "account_name": "FireGuard", "endpoint": "https://partner.example"}})
    link_id, secret = answer["link_id"], answer["secret"]
    body = json.dumps({"announcement_id": "s" * 32, "state": "paused"})
    now = datetime.now(timezone.utc)
    for wrong, account_id in (("not-the-secret", "maker"), (secret, "stranger")):
        with pytest.raises(Unauthenticated):
            service.receive_link_state(account_id, link_id,
                                       sign(wrong, link_id, body.encode(), now=now), body)
    assert service.get_link(ADMIN, link_id)["state"] == "active"
    receipt = service.receive_link_state("maker", link_id,
                                         sign(secret, link_id, body.encode(), now=now), body)
    assert receipt == {"link_id": link_id, "state": "paused"}
    # Our admin resumes: the partner is told, signed, at once.
    told = []
    monkeypatch.setattr("services.partner_bridge.transports.https.HttpsTransport.announce_state",
                        lambda transport, link, message: told.append(message) or ("delivered", "ok"))
    resumed = service.change_link_state(ADMIN, link_id, {"state": "active"})
    assert [m["state"] for m in told] == ["active"]
    assert resumed["announcement"]["outcome"] == "delivered"
    for actor in (AGENT, dict(ADMIN, account_id="stranger")):
        with pytest.raises((Forbidden, NotFound)):
            service.change_link_state(actor, link_id, {"state": "paused"})
