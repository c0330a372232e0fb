"""services/partner_bridge/sharing.py: sharing rules, the outgoing replica, incoming tickets."""
import pytest
from marshmallow import validate

from services.partner_bridge.sharing import (
    CLIENT_AUTHOR, DEFAULT_STATUS_MAP, build_replica, comment_replica, default_rules,
    incoming_priority, incoming_status, incoming_ticket, load_rules, mask_contacts,
    partial_replica, status_replica)
from services.partner_bridge.vocabulary import (
    LOCAL_PRIORITIES, LOCAL_STATUSES, LOCAL_TYPES, NEVER_SHARED, TMF_STATUSES)
from services.shared.errors import ValidationFailed
from services.tickets.schemas import StatusChangeSchema, TicketCreateSchema
from tests.unit.partner_factories import rules, ticket_view


def choices(schema, name):
    validators = schema().fields[name].validate
    validators = validators if isinstance(validators, list) else [validators]
    return tuple(next(v for v in validators if isinstance(v, validate.OneOf)).choices)


def test_local_vocabularies_match_the_tickets_contract():
    assert LOCAL_STATUSES == choices(StatusChangeSchema, "status")
    assert LOCAL_PRIORITIES == choices(TicketCreateSchema, "priority")
    assert LOCAL_TYPES == choices(TicketCreateSchema, "type")


def test_defaults_share_the_listed_fields_and_no_personal_data():
    defaults = default_rules()
    assert "public_comments" in defaults["outgoing"]["fields"]
    assert defaults["outgoing"]["personal_data"] == []
    assert defaults["incoming"]["status_map"] == DEFAULT_STATUS_MAP
    assert set(DEFAULT_STATUS_MAP) == set(TMF_STATUSES)


@pytest.mark.parametrize("name", sorted(NEVER_SHARED))
def test_never_shared_names_are_refused_with_the_reason(name):
    with pytest.raises(ValidationFailed) as excinfo:
        rules(outgoing={"fields": ["title", name]})
    assert excinfo.value.fields == {"outgoing.fields.1": [NEVER_SHARED[name]]}


@pytest.mark.parametrize("data,field", [
    ({"outgoing": {"fields": ["colour"]}}, "outgoing.fields.0"),
    ({"outgoing": {"fields": "title"}}, "outgoing.fields"),
    ({"outgoing": {"personal_data": ["contact_address"]}}, "outgoing.personal_data.0"),
    ({"outgoing": {"personal_data": ["contact_name", "contact_name"]}}, "outgoing.personal_data"),
    ({"incoming": {"status_map": {"held": "parked"}}}, "incoming.status_map.held.value"),
    ({"incoming": {"status_map": {"onFire": "opened"}}}, "incoming.status_map.onFire.key"),
    ({"incoming": {"priority": "urgent"}}, "incoming.priority"),
    ({"incoming": {"group_id": ""}}, "incoming.group_id"),
    ({"incoming": {"type": "gossip"}}, "incoming.type"),
    ({"incoming": {"accept_comments": "perhaps"}}, "incoming.accept_comments"),
    ({"outgoing": {"everything": True}}, "outgoing.everything"),
    ({"sideways": {}}, "sideways"),
])
def test_bad_rules_name_the_field(data, field):
    with pytest.raises(ValidationFailed) as excinfo:
        load_rules(data)
    assert field in excinfo.value.fields


def test_a_partial_status_map_overrides_only_what_it_names():
    loaded = rules(incoming={"status_map": {"closed": None, "acknowledged": "in_progress"}})
    assert loaded["incoming"]["status_map"]["closed"] is None
    assert loaded["incoming"]["status_map"]["acknowledged"] == "in_progress"
    assert loaded["incoming"]["status_map"]["held"] == "waiting"


def test_the_replica_holds_what_the_rule_lets_out():
    replica = build_replica(ticket_view(), default_rules())
    assert replica["title"] == "Panel offline"
    assert replica["equipment"] == {"kind": "Control panel", "manufacturer": "Bolid",
                                    "model": "S2000-M", "serial_number": "SN-0001"}
    assert replica["site"] == {"city": "Kazan"}
    assert [c["id"] for c in replica["comments"]] == ["c-1"]
    assert replica["comments"][0]["author"] == "Anna Engineer"
    assert [a["id"] for a in replica["attachments"]] == ["a-1"]
    assert "contact" not in replica


def test_a_narrow_rule_lets_out_only_its_fields():
    replica = build_replica(ticket_view(), rules(outgoing={"fields": ["title", "equipment_model"]}))
    assert set(replica) == {"id", "number", "created_at", "updated_at", "title", "equipment",
                            "comments", "attachments"}
    assert replica["equipment"] == {"model": "S2000-M"}
    assert replica["comments"] == [] and replica["attachments"] == []


def test_personal_data_leaves_only_field_by_field_when_named():
    replica = build_replica(ticket_view(), rules(outgoing={"personal_data": ["contact_name"]}))
    assert replica["contact"] == {"name": "Ivan SECRET-NAME"}
    everything = build_replica(ticket_view(), rules(outgoing={
        "personal_data": ["contact_name", "contact_phones", "contact_emails"]}))
    assert everything["contact"] == {"name": "Ivan SECRET-NAME", "phones": ["+79123456789"],
                                     "emails": ["ivan@client.example"]}


def test_phones_and_emails_in_free_text_are_masked_unless_allowed():
    view = ticket_view(description="Call Ivan at +7 912 345-67-89 or ivan@client.example",
                       comments=[{"id": "c-9", "visibility": "public", "body": "mobile 8 (912) 345 67 89",
                                  "author": {"kind": "contact", "id": "k", "name": "Ivan"},
                                  "created_at": None}])
    replica = build_replica(view, default_rules())
    assert "345" not in replica["description"] and "@" not in replica["description"]
    assert replica["comments"][0]["body"] == "mobile [phone hidden]"
    assert replica["comments"][0]["author"] == CLIENT_AUTHOR
    allowed = build_replica(view, rules(outgoing={"personal_data": ["contact_phones", "contact_emails",
                                                                    "contact_name"]}))
    assert allowed["description"] == view["description"]
    assert allowed["comments"][0]["author"] == "Ivan"


@pytest.mark.parametrize("text,masked", [
    ("since 2026-11-30 (912) 345-67-89", "since 2026-11-30 [phone hidden]"),
    ("since 2026-11-30 912 345 67 89", "since 2026-11-30 [phone hidden]"),
    ("call 4955551234 or +44 20 7946 0958", "call [phone hidden] or [phone hidden]"),
    ("mail Ivan.P+desk@client.example.ru now", "mail [e-mail hidden] now"),
])
def test_masking_finds_numbers_next_to_dates_and_foreign_ones(text, masked):
    assert mask_contacts(text) == masked


@pytest.mark.parametrize("text", ["Firmware 1.2.3.4567 since 2026-11-30 12:00",
                                  "Serial SN-0001, zone 12, code E-17", "Model S2000-M"])
def test_masking_leaves_ordinary_numbers_alone(text):
    assert mask_contacts(text) == text


def test_comments_that_came_from_a_partner_are_not_sent_on():
    view = ticket_view(comments=[
        {"id": "c-1", "body": "ours", "visibility": "public", "created_at": None,
         "author": {"kind": "employee", "id": "e"}},
        {"id": "c-2", "body": "theirs", "visibility": "public", "created_at": None,
         "author": {"kind": "partner_link", "id": "link-1"},
         "origin": {"link_id": "link-1", "event_id": "ev"}}])
    assert [c["id"] for c in build_replica(view, default_rules())["comments"]] == ["c-1"]


def test_incoming_status_follows_the_map_and_skips_no_ops():
    loaded = default_rules()
    assert incoming_status(loaded, "inProgress", "opened") == "in_progress"
    assert incoming_status(loaded, "inProgress", "in_progress") is None
    assert incoming_status(loaded, "acknowledged", "opened") is None
    assert incoming_status(loaded, "cancelled", "waiting") == "closed"
    # The partner's reopen reopens a finished ticket, and applied a second time (a retry, a
    # second worker) moves nothing; its plain inProgress moves a reopened ticket on.
    assert incoming_status(loaded, "inProgress", "resolved", reopened=True) == "reopened"
    assert incoming_status(loaded, "inProgress", "reopened", reopened=True) is None
    assert incoming_status(loaded, "inProgress", "reopened") == "in_progress"
    assert incoming_status(loaded, "inProgress", "opened", reopened=True) == "in_progress"


def test_incoming_priority_as_sent_or_fixed():
    assert incoming_priority(default_rules(), "critical") == "critical"
    assert incoming_priority(default_rules(), None) == "normal"
    assert incoming_priority(rules(incoming={"priority": "low"}), "critical") == "low"


def test_an_incoming_ticket_gets_the_rule_group_and_the_shared_context():
    replica = {"id": "r-1", "number": "77", "title": "", "description": "Panel beeps",
               "priority": "high", "equipment": {"kind": "Panel", "model": "X1", "serial_number": "S9"},
               "site": {"city": "Tver"}}
    created = incoming_ticket(rules(incoming={"group_id": "g-partners", "type": "request"}),
                              replica, link_name="AlarmWorks")
    assert created["title"] == "Partner ticket 77"
    assert created["assignee_group_id"] == "g-partners"
    assert created["channel"] == "partner" and created["type"] == "request"
    assert created["priority"] == "high"
    assert "Panel X1" in created["description"] and "S9" in created["description"]
    assert "Tver" in created["description"] and "AlarmWorks" in created["description"]
    # What tickets' create_ticket accepts, checked with its own contract.
    assert TicketCreateSchema().validate(created) == {}


def test_a_partial_replica_holds_only_the_changed_and_shared_fields():
    view = ticket_view()
    assert partial_replica(view, default_rules(), ["title", "priority"]) == {
        "id": "t-1", "title": "Panel offline", "priority": "high"}
    assert partial_replica(view, rules(outgoing={"fields": ["status"]}), ["title"]) is None
    assert partial_replica(view, default_rules(), ["works", "billing"]) is None


def test_a_comment_change_goes_only_for_a_shared_public_comment():
    view = ticket_view()
    assert comment_replica(view, default_rules(), "c-1")["comments"][0]["body"] == (
        "We replaced the battery.")
    assert comment_replica(view, default_rules(), "c-2") is None  # internal
    assert comment_replica(view, rules(outgoing={"fields": ["status"]}), "c-1") is None


def test_a_status_change_carries_its_reason_only_with_public_comments_and_masked():
    view = ticket_view(status="waiting")
    part = status_replica(view, default_rules(), reason="Waiting for Ivan, +7 912 345-67-89")
    assert part["status"] == "waiting"
    assert part["status_change_reason"] == "Waiting for Ivan, [phone hidden]"
    quiet = status_replica(view, rules(outgoing={"fields": ["status"]}), reason="secret reason")
    assert quiet == {"id": "t-1", "status": "waiting", "updated_at": view["updated_at"]}
    assert status_replica(view, rules(outgoing={"fields": ["title"]})) is None
