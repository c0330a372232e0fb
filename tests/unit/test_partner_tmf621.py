"""services/partner_bridge/tmf621.py: the TMF621 payload out, and parsing it back."""
import copy
import json
from datetime import datetime

import pytest

from services.partner_bridge.sharing import build_replica, default_rules
from services.partner_bridge.tmf621 import (
    ATTRIBUTE_CHANGE, CREATE, RESOLVED, STATUS_CHANGE, envelope, event_type_for_status,
    parse_event, trouble_ticket)
from services.shared.errors import ValidationFailed
from tests.unit.partner_factories import rules, ticket_view

AT = datetime(2026, 11, 30, 10, 0)
CLOCK = {"counter": 3, "side": "replica", "basedOn": {"counter": 2, "side": "origin"}}


def wire(replica=None, event_type=CREATE, status_clock=CLOCK, **ticket_options):
    replica = replica or build_replica(ticket_view(), rules(outgoing={"personal_data": [
        "contact_name", "contact_phones", "contact_emails"]}))
    ticket = trouble_ticket(replica, owner="partner-a", **ticket_options)
    # What the receiver gets: the JSON text, not Python objects.
    return json.loads(json.dumps(envelope(event_type, ticket, event_id="ev-0000000001",
                                          event_time=AT, sequence=7, origin="replica",
                                          status_clock=status_clock)))


def test_the_outgoing_resource_is_shaped_after_tmf621():
    replica = build_replica(ticket_view(), rules(outgoing={"personal_data": [
        "contact_name", "contact_phones", "contact_emails"]}))
    payload = wire(dict(replica, status_change_reason="engineer on site"),
                   remote_id="their-9", partner="partner-b")
    assert payload["eventType"] == payload["@type"] == "TroubleTicketCreateEvent"
    assert payload["correlationId"] == "t-1" and payload["sequence"] == 7
    ticket = payload["event"]["troubleTicket"]
    assert ticket["@type"] == "TroubleTicket"
    assert ticket["name"] == "Panel offline"
    assert ticket["priority"] == "high" and ticket["severity"] == "major"
    assert ticket["status"] == "inProgress"
    assert ticket["statusChangeReason"] == "engineer on site"
    assert ticket["creationDate"] == "2026-11-30T09:00:00.000+00:00"
    assert ticket["externalIdentifier"] == [
        {"@type": "ExternalIdentifier", "owner": "partner-a", "externalIdentifierType": "ticketNumber",
         "id": "42"},
        {"@type": "ExternalIdentifier", "owner": "partner-b",
         "externalIdentifierType": "correlatedTicketId", "id": "their-9"}]
    roles = {r["role"]: r["entity"] for r in ticket["relatedEntity"]}
    assert roles["affectedEquipment"]["serialNumber"] == "SN-0001"
    assert roles["siteLocation"]["city"] == "Kazan"
    assert ticket["note"] == [{"@type": "Note", "id": "c-1", "author": "Anna Engineer",
                               "date": "2026-11-30T09:00:00.000+00:00", "text": "We replaced the battery."}]
    assert ticket["attachment"][0]["size"] == {"amount": 1024, "units": "bytes"}
    media = ticket["relatedParty"][0]["partyOrPartyRole"]["contactMedium"]
    assert {"mediumType": "phone", "characteristic": {"phoneNumber": "+79123456789"}} in media


def test_parsing_gives_back_the_replica():
    replica = build_replica(ticket_view(), rules(outgoing={"personal_data": ["contact_name"]}))
    parsed = parse_event(wire(replica))
    assert parsed["event_id"] == "ev-0000000001" and parsed["sequence"] == 7
    assert parsed["origin"] == "replica"
    assert parsed["status_clock"] == {"counter": 3, "side": "replica",
                                      "based_on": {"counter": 2, "side": "origin"}}
    ticket = parsed["ticket"]
    assert ticket["status"] == "inProgress"  # TMF words: the incoming rule maps them
    assert ticket["number"] == "42"
    for key in ("title", "description", "priority", "equipment", "site", "comments",
                "attachments", "contact", "created_at", "updated_at", "type"):
        assert ticket[key] == replica[key], key


@pytest.mark.parametrize("local,tmf", [("opened", "acknowledged"), ("in_progress", "inProgress"),
                                       ("waiting", "pending"), ("resolved", "resolved"),
                                       ("closed", "closed"), ("reopened", "inProgress")])
def test_every_local_status_has_a_tmf_word(local, tmf):
    ticket = trouble_ticket({"id": "t", "status": local}, owner="a")
    assert ticket["status"] == tmf


def test_a_partial_replica_sends_only_its_fields():
    ticket = trouble_ticket({"id": "t-1", "status": "resolved"}, owner="a")
    assert set(ticket) == {"@type", "id", "status"}
    assert event_type_for_status("resolved") == RESOLVED
    assert event_type_for_status("waiting") == STATUS_CHANGE


def test_unknown_members_and_foreign_priorities_are_tolerated():
    payload = wire()
    payload["domain"] = "another-vendor"
    payload["event"]["troubleTicket"]["priority"] = "P1"
    payload["event"]["troubleTicket"]["@baseType"] = "Entity"
    parsed = parse_event(payload)
    assert parsed["ticket"]["priority"] is None


def broken(mutate):
    payload = wire()
    mutate(payload)
    return payload


def set_path(path, value):
    def mutate(payload):
        node = payload
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


def drop_path(path):
    def mutate(payload):
        node = payload
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return mutate


@pytest.mark.parametrize("mutate,field", [
    (drop_path(["eventId"]), "eventId"),
    (set_path(["eventId"], "short"), "eventId"),
    (set_path(["eventType"], "troubleTicketDeleteEvent"), "eventType"),
    (set_path(["eventTime"], "2026-11-30T10:00:00"), "eventTime"),
    (set_path(["sequence"], 0), "sequence"),
    (set_path(["sequence"], "7"), "sequence"),
    (set_path(["origin"], "middle"), "origin"),
    (drop_path(["event"]), "event"),
    (set_path(["event"], {"troubleTicket": "nope"}), "event.troubleTicket._schema"),
    (drop_path(["event", "troubleTicket", "id"]), "event.troubleTicket.id"),
    (set_path(["event", "troubleTicket", "status"], "onFire"), "event.troubleTicket.status"),
    (set_path(["event", "troubleTicket", "note"], [{"id": "n"}]), "event.troubleTicket.note.0.text"),
    (set_path(["event", "troubleTicket", "attachment"], [{"id": "a", "sha256": "xyz"}]),
     "event.troubleTicket.attachment.0.sha256"),
    (set_path(["event", "troubleTicket", "description"], "x" * 20001), "event.troubleTicket.description"),
    (set_path(["correlationId"], "someone-else"), "correlationId"),
    (set_path(["statusClock"], "7"), "statusClock._schema"),
    (set_path(["statusClock"], {"counter": 0, "side": "origin"}), "statusClock.counter"),
    (set_path(["statusClock"], {"counter": 1, "side": "middle"}), "statusClock.side"),
])
def test_malformed_envelopes_are_refused_naming_the_field(mutate, field):
    with pytest.raises(ValidationFailed) as excinfo:
        parse_event(broken(mutate))
    assert field in excinfo.value.fields, excinfo.value.fields


def test_a_status_change_must_carry_a_status():
    payload = wire({"id": "t-1", "title": "x"}, event_type=STATUS_CHANGE)
    with pytest.raises(ValidationFailed) as excinfo:
        parse_event(payload)
    assert "event.troubleTicket.status" in excinfo.value.fields


def test_a_resolved_event_must_say_resolved():
    payload = wire({"id": "t-1", "status": "closed"}, event_type=RESOLVED)
    with pytest.raises(ValidationFailed):
        parse_event(payload)


def test_a_change_without_status_needs_no_clock():
    payload = wire({"id": "t-1", "title": "renamed"}, event_type=ATTRIBUTE_CHANGE, status_clock=None)
    assert parse_event(payload)["ticket"] == {"id": "t-1", "title": "renamed"}


@pytest.mark.parametrize("payload", [None, [], "text", 7])
def test_a_non_object_is_refused(payload):
    with pytest.raises(ValidationFailed):
        parse_event(payload)


def test_envelope_refuses_an_unknown_event_type():
    with pytest.raises(ValueError):
        envelope("troubleTicketDeleteEvent", {"id": "t"}, event_id="e" * 10, event_time=AT,
                 sequence=1, origin="origin")


def test_parsing_does_not_change_its_input():
    payload = wire()
    before = copy.deepcopy(payload)
    parse_event(payload)
    assert payload == before


def test_default_rules_round_trip_without_personal_data():
    parsed = parse_event(wire(build_replica(ticket_view(), default_rules())))
    assert "contact" not in parsed["ticket"]


def test_what_we_send_a_receiver_like_us_accepts_even_at_the_limits():
    # Every field at or past what the tickets service allows, and data a partner would refuse.
    long = "W" * 5000
    view = ticket_view(
        title="T" * 300, description="D" * 25000,
        equipment={"kind": long, "manufacturer": long, "model": long, "serial_number": long},
        site={"city": long}, contact={"name": long, "phones": ["+7 912 000-00-00"] * 30,
                                      "emails": [long] * 30},
        comments=[{"id": f"c{i}", "visibility": "public", "body": "B" * 20000, "created_at": None,
                   "author": {"kind": "employee", "id": "e", "name": long}} for i in range(3)],
        attachments=[{"id": f"a{i}", "name": long, "media_type": long, "size": -1,
                      "sha256": "NOT-A-HASH", "visibility": "public"} for i in range(300)])
    replica = build_replica(view, rules(outgoing={"personal_data": [
        "contact_name", "contact_phones", "contact_emails"]}))
    body = json.dumps(envelope(CREATE, trouble_ticket(replica, owner="a"), event_id="e" * 16,
                               event_time=AT, sequence=1, origin="origin",
                               status_clock={"counter": 1, "side": "origin", "basedOn": None}))
    assert len(body.encode()) < 1024 * 1024
    parsed = parse_event(json.loads(body))["ticket"]
    assert len(parsed["attachments"]) == 200
    assert parsed["attachments"][0]["sha256"] is None and parsed["attachments"][0]["size"] is None
    assert len(parsed["contact"]["phones"]) == 10
    assert len(parsed["title"]) == 200 and len(parsed["description"]) == 20000
