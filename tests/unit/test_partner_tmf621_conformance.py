"""Our TMF621 events against the published TMF621 v5 JSON schemas (tests/unit/tmf621_v5/
schemas.json: the five TroubleTicket events and every schema they reference, copied unchanged
from tmforum-apis/TMF621_TroubleTicket, file TMF621-Trouble_Ticket-v5.0.1.oas.yaml; its
`source` member names the commit).

OpenAPI's discriminator is not JSON Schema: a `oneOf` whose members all accept any object with
an @type (Attachment and AttachmentRef) would match twice. The discriminator is applied here as
OpenAPI means it: the @type names the one schema that must hold.
"""
import copy
from datetime import datetime
import json
from pathlib import Path

import jsonschema
import pytest

from services.partner_bridge import wire_schemas
from services.partner_bridge.sharing import build_replica, status_replica
from services.partner_bridge.tmf621 import (
    ATTRIBUTE_CHANGE, CREATE, EVENT_TYPES, RESOLVED, STATUS_CHANGE, envelope, parse_event,
    reopen_of, trouble_ticket)
from tests.unit.partner_factories import rules, ticket_view

SCHEMAS = json.loads((Path(__file__).parent / "tmf621_v5" / "schemas.json").read_text())
BASE = "https://desk.example"
AT = datetime(2026, 11, 30, 10, 0)


def _with_discriminators(node):
    if isinstance(node, list):
        return [_with_discriminators(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _with_discriminators(value) for key, value in node.items()}
    mapping = (node.get("discriminator") or {}).get("mapping")
    if mapping and "oneOf" in node:
        del node["oneOf"]
        node["required"] = sorted(set(node.get("required", [])) | {"@type"})
        node.setdefault("properties", {})["@type"] = {"enum": sorted(mapping)}
        node["allOf"] = node.get("allOf", []) + [
            {"if": {"properties": {"@type": {"const": name}}}, "then": {"$ref": target}}
            for name, target in mapping.items()]
    return node


DOCUMENT = _with_discriminators(SCHEMAS)


def validate(event):
    schema = {"$ref": f"#/components/schemas/{event['@type']}", **DOCUMENT}
    jsonschema.validate(json.loads(json.dumps(event, default=str)), schema)


def undeclared(node, path="event"):
    """Members of TMF objects that their v5 schema does not declare, where no @schemaLocation
    declares them: [(path, member)]."""
    found = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += undeclared(item, f"{path}.{index}")
        return found
    if not isinstance(node, dict):
        return found
    declared = _declared(node.get("@type"))
    if declared is not None and "@schemaLocation" not in node:
        found += [(path, key) for key in node if key not in declared]
    for key, value in node.items():
        found += undeclared(value, f"{path}.{key}")
    return found


def _declared(type_name):
    schema = SCHEMAS["components"]["schemas"].get(type_name)
    if schema is None:
        return None
    names = set()
    for part in [schema] + schema.get("allOf", []):
        if "$ref" in part:
            names |= _declared(part["$ref"].split("/")[-1]) or set()
        names |= set(part.get("properties", {}))
    return names


def full_replica():
    return build_replica(ticket_view(), rules(outgoing={"personal_data": [
        "contact_name", "contact_phones", "contact_emails"]}))


def event(event_type, replica, **options):
    ticket = trouble_ticket(replica, owner="acme", partner="fireguard", remote_id="their-9",
                            base=BASE)
    return envelope(event_type, ticket, event_id="ev-0000000001", event_time=AT, sequence=3,
                    origin="origin", base=BASE, **options)


def test_the_copied_schemas_name_their_source():
    assert SCHEMAS["source"]["repository"] == "https://github.com/tmforum-apis/TMF621_TroubleTicket"
    assert set(EVENT_TYPES) <= set(SCHEMAS["components"]["schemas"])


@pytest.mark.parametrize("event_type", [CREATE, ATTRIBUTE_CHANGE])
def test_a_full_ticket_validates_and_declares_every_member(event_type):
    sent = event(event_type, dict(full_replica(), status_change_reason="engineer on site"),
                 status_clock={"counter": 1, "side": "origin", "basedOn": None})
    validate(sent)
    assert undeclared(sent) == []
    assert sent["@type"] == sent["eventType"] == event_type
    ticket = sent["event"]["troubleTicket"]
    assert ticket["href"] == f"{BASE}/api/v1/tickets/t-1"
    assert all(i["@type"] == "ExternalIdentifier" for i in ticket["externalIdentifier"])
    assert all(r["entity"]["id"] and r["entity"]["@schemaLocation"].startswith(BASE)
               for r in ticket["relatedEntity"])
    assert {a["@type"] for a in ticket["attachment"]} == {"Attachment"}


def test_a_status_change_carries_its_dates_and_says_it_is_partial():
    view = ticket_view(status="resolved")
    sent = event(RESOLVED, status_replica(view, rules(), reason=None),
                 status_clock={"counter": 2, "side": "origin",
                               "basedOn": {"counter": 1, "side": "replica"}})
    validate(sent)
    assert undeclared(sent) == []
    ticket = sent["event"]["troubleTicket"]
    assert ticket["statusChangeDate"] == ticket["resolutionDate"]
    assert sent["changedAttributes"] == ["status", "statusChangeDate", "resolutionDate"]
    assert sent["description"].startswith("Partial TroubleTicket")


def test_a_reopened_ticket_goes_as_in_progress_with_the_reason():
    sent = event(STATUS_CHANGE, status_replica(ticket_view(status="reopened"), rules()),
                 status_clock={"counter": 3, "side": "origin", "basedOn": None})
    validate(sent)
    assert sent["event"]["troubleTicket"]["status"] == "inProgress"
    assert sent["event"]["troubleTicket"]["statusChangeReason"] == "reopened"


def test_every_extension_schema_that_events_point_to_exists_and_is_valid():
    sent = event(CREATE, full_replica())
    locations = set()

    def collect(node):
        if isinstance(node, dict):
            if "@schemaLocation" in node:
                locations.add(node["@schemaLocation"].rsplit("/", 1)[-1])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)
    collect(sent)
    names = {location.removesuffix(".schema.json") for location in locations}
    assert names and names <= set(wire_schemas.EXTENSION_SCHEMAS)
    for schema in wire_schemas.EXTENSION_SCHEMAS.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(sent, wire_schemas.EXTENSION_SCHEMAS["PartnerTroubleTicketEvent"])


@pytest.mark.parametrize("written", ["TroubleTicketStatusChangeEvent",
                                     "troubleTicketStatusChangeEvent"])
def test_either_camel_case_of_the_event_type_is_accepted(written):
    sent = json.loads(json.dumps(event(STATUS_CHANGE, status_replica(ticket_view(), rules()),
                                       status_clock={"counter": 1, "side": "origin",
                                                     "basedOn": None}), default=str))
    sent["eventType"] = written
    assert parse_event(sent)["event_type"] == STATUS_CHANGE


def test_a_plain_tmf621_sender_is_understood():
    """The published example of a status change event: no sequence, origin or statusClock."""
    plain = {"correlationId": "0f874cb9-c70d", "eventId": "41cf-ad81-d65ea1c2840c",
             "eventTime": "2022-08-25T12:18:12.191Z", "eventType": "TroubleTicketStatusChangeEvent",
             "event": {"troubleTicket": {"id": "0f874cb9-c70d", "@type": "TroubleTicket",
                                         "lastUpdate": "2019-05-31T07:34:45.968Z",
                                         "priority": "High", "status": "pending",
                                         "statusChangeDate": "2019-05-31T07:34:45.968Z"}},
             "@type": "TroubleTicketStatusChangeEvent"}
    validate(copy.deepcopy(plain))
    parsed = parse_event(plain)
    assert (parsed["sequence"], parsed["origin"], parsed["status_clock"]) == (None, None, None)
    assert parsed["ticket"]["status"] == "pending" and parsed["ticket"]["priority"] == "high"


def test_a_reopen_with_a_reason_keeps_both():
    sent = event(STATUS_CHANGE, status_replica(ticket_view(status="reopened"), rules(),
                                               reason="Still beeping"),
                 status_clock={"counter": 3, "side": "origin", "basedOn": None})
    assert sent["event"]["troubleTicket"]["statusChangeReason"] == "reopened: Still beeping"
    assert reopen_of("inProgress", "reopened: Still beeping") == (True, "Still beeping")
    assert reopen_of("inProgress", "reopened") == (True, None)
    assert reopen_of("inProgress", "engineer on site") == (False, "engineer on site")
    assert reopen_of("pending", "reopened") == (False, "reopened")
