"""The tickets side of federation (entrypoints/federation.py) over a real ticket store on the
embedded engine, through nameko's worker_factory: no broker."""
import pytest
from nameko.testing.services import worker_factory

from services.shared.embedded import open_embedded_database
from services.shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.tickets.service import TicketsService
from services.tickets.store import Store

LINK = {"account_id": "maker", "kind": "partner_link", "id": "link-1"}
SYSTEM = {"account_id": "maker", "kind": "system", "id": "partner_bridge"}
EMPLOYEE = {"account_id": "maker", "kind": "employee", "id": "e-1", "roles": ["agent"]}
CONTACT = {"account_id": "maker", "kind": "contact", "id": "c-1", "client_id": "k-1",
           "client_scope": "company"}
SHARED = {"title": "Panel offline", "description": "Zone 3", "priority": "high",
          "channel": "partner", "type": "incident"}


@pytest.fixture
def service(tmp_path):
    db = open_embedded_database(tmp_path / "tickets.sqlite3", "tickets")
    Store.create_indexes(db)
    worker = worker_factory(TicketsService, store=Store(db))
    yield worker
    db.journal.close()


def published(service, event_type):
    return [call.args[1] for call in service.dispatch.call_args_list if call.args[0] == event_type]


def open_shared(service, key="partner:link-1:remote-7"):
    return service.partner_create_ticket(LINK, {"idempotency_key": key, "ticket": SHARED})


def test_a_repeated_share_opens_one_ticket(service):
    first = open_shared(service)
    again = open_shared(service)
    assert first == again and first["number"] == 1
    assert len(published(service, "ticket_created")) == 1
    other = open_shared(service, key="partner:link-1:remote-8")
    assert other["number"] == 2


def test_only_the_bridge_makes_federation_calls(service):
    for actor in (EMPLOYEE, CONTACT):
        with pytest.raises(Forbidden):
            service.partner_create_ticket(actor, {"idempotency_key": "k", "ticket": SHARED})
        with pytest.raises(Forbidden):
            service.partner_change_status(actor, "t", {"status": "closed"})


def test_the_link_cannot_reach_another_accounts_ticket(service):
    ticket = open_shared(service)
    stranger = dict(LINK, account_id="someone-else")
    with pytest.raises(NotFound):
        service.partner_ticket_status(stranger, ticket["id"])
    with pytest.raises(NotFound):
        service.partner_add_comment(stranger, ticket["id"], {
            "body": "x", "author_name": "A", "origin": {"link_id": "link-1", "event_id": "e"}})


def test_a_partner_comment_carries_its_author_and_origin_and_is_added_once(service):
    ticket = open_shared(service)
    body = {"body": "We replaced the battery.", "author_name": "Anna Engineer",
            "origin": {"link_id": "link-1", "event_id": "r-1:c-1"}}
    comment = service.partner_add_comment(LINK, ticket["id"], body)
    assert comment["author_name"] == "Anna Engineer"
    assert comment["author"] == {"kind": "partner_link", "id": "link-1"}
    assert service.partner_add_comment(LINK, ticket["id"], body) is None
    [event] = published(service, "ticket_commented")
    assert event["comment"]["origin"] == {"link_id": "link-1", "event_id": "r-1:c-1"}
    assert event["comment"]["author"]["kind"] == "partner_link" and "body" not in event["comment"]
    view = service.partner_ticket_view(SYSTEM, ticket["id"])
    assert [c["body"] for c in view["comments"]] == ["We replaced the battery."]


def test_a_partner_status_change_is_announced_as_the_links(service):
    ticket = open_shared(service)
    assert service.partner_change_status(LINK, ticket["id"], {"status": "in_progress"}) == {
        "id": ticket["id"], "status": "in_progress"}
    assert service.partner_ticket_status(LINK, ticket["id"]) == "in_progress"
    [event] = published(service, "ticket_status_changed")
    assert event["changed_by"] == {"kind": "partner_link", "id": "link-1"}
    service.partner_change_status(LINK, ticket["id"], {"status": "closed"})
    with pytest.raises(Conflict) as refused:
        service.partner_change_status(LINK, ticket["id"], {"status": "waiting"})
    assert refused.value.extra["allowed"] == ["reopened"]


def test_the_view_leaves_internal_notes_in_the_service(service):
    ticket = open_shared(service)
    service.store.tickets.comment(service.actor_of(EMPLOYEE), ticket["id"],
                                  "INTERNAL: owes us 4500", "internal")
    service.store.tickets.comment(service.actor_of(EMPLOYEE), ticket["id"], "On our way",
                                  "public")
    view = service.partner_ticket_view(SYSTEM, ticket["id"])
    assert "INTERNAL" not in repr(view)
    assert [c["author"] for c in view["comments"]] == [
        {"kind": "employee", "id": "e-1", "name": None}]
    assert view["created_at"].endswith("+00:00")


def test_an_employee_reads_a_view_only_of_their_account_and_a_contact_not_at_all(service):
    ticket = open_shared(service)
    assert service.partner_ticket_view(EMPLOYEE, ticket["id"])["id"] == ticket["id"]
    with pytest.raises(NotFound):
        service.partner_ticket_view(dict(EMPLOYEE, account_id="other"), ticket["id"])
    with pytest.raises(Forbidden):
        service.partner_ticket_view(CONTACT, ticket["id"])


def test_bad_input_is_refused_naming_the_field(service):
    with pytest.raises(ValidationFailed) as refused:
        service.partner_create_ticket(LINK, {"idempotency_key": "", "ticket": SHARED})
    assert "idempotency_key" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        service.partner_add_comment(LINK, "t", {"body": "x", "author_name": "A", "origin": {}})
    assert "origin.link_id" in refused.value.fields


def test_a_partner_edit_is_announced_as_the_links_with_the_next_revision(service):
    ticket = open_shared(service)
    assert ticket["revision"] == 1
    edited = service.partner_update_ticket(LINK, ticket["id"], {"title": "Panel reboots",
                                                                "priority": "critical"})
    assert edited == {"id": ticket["id"], "revision": 2}
    [told] = published(service, "ticket_updated")
    assert told["changes"] == {"title": "Panel reboots", "priority": "critical"}
    assert told["changed_by"] == {"kind": "partner_link", "id": "link-1"}
    assert told["revision"] == 2
    # The same edit again changes nothing and tells nobody.
    assert service.partner_update_ticket(LINK, ticket["id"], {"title": "Panel reboots"})["revision"] == 2
    assert len(published(service, "ticket_updated")) == 1


def test_a_partner_edit_carries_only_what_a_rule_can_and_only_from_the_bridge(service):
    ticket = open_shared(service)
    with pytest.raises(ValidationFailed) as refused:
        service.partner_update_ticket(LINK, ticket["id"], {"assignee_id": "e-1"})
    assert refused.value.fields == {"assignee_id": ["Unknown field."]}
    with pytest.raises(ValidationFailed) as refused:
        service.partner_update_ticket(LINK, ticket["id"], {"priority": "urgent"})
    assert "priority" in refused.value.fields
    for actor in (EMPLOYEE, CONTACT):
        with pytest.raises(Forbidden):
            service.partner_update_ticket(actor, ticket["id"], {"title": "x"})
    with pytest.raises(NotFound):
        service.partner_update_ticket(dict(LINK, account_id="someone-else"), ticket["id"],
                                      {"title": "x"})


def test_the_view_shares_a_sites_city_and_nothing_else_of_it(service):
    store = service.store
    site = store.sites.create("maker", "k-1", {"name": "Warehouse SECRET", "city": "Kazan",
                                               "address": "SECRET street 1",
                                               "access_notes": "SECRET key"})
    ticket = open_shared(service)
    store.tickets.tickets.update_one({"_id": ticket["id"]}, {"$set": {"site_id": site["_id"]}})
    view = service.partner_ticket_view(SYSTEM, ticket["id"])
    assert view["site"] == {"city": "Kazan"} and "SECRET" not in repr(view)
    store.sites.sites.update_one({"_id": site["_id"]}, {"$set": {"city": " "}})
    assert service.partner_ticket_view(SYSTEM, ticket["id"])["site"] is None
