"""The wire format between linked accounts: TM Forum TMF621 Trouble Ticket (v5) events.

Outgoing, a (partial) replica from `sharing.build_replica` becomes a TroubleTicket resource
inside a TMF621 event envelope; whatever the replica lacks is absent on the wire, so the
sharing rule stays the only judge of what leaves. Incoming, an envelope is validated and turned
back into a replica-shaped dict, or refused with ValidationFailed naming the field and reason.

Four envelope members extend TMF621 (a plain TMF621 listener ignores them; the envelope's
`@schemaLocation` names the JSON schema that declares them, `EXTENSION_SCHEMAS`): `sequence`, the
position of the change in the link's ordered outbox; `statusClock`, the Lamport stamp of a status
change (conflicts.py); `origin`, which side of the correlation sent it; `changedAttributes`, on
a change event, the TroubleTicket members it carries besides the identity (a change event is
partial; a create event carries the whole ticket). Equipment, site and attachment members that
TMF621 does not declare sit on objects whose `@schemaLocation` declares them.

Unknown members are ignored on input, because a partner running another TMF621 system sends its
own extensions, and a plain TMF621 sender's event without `sequence`, `origin` or
`statusClock` is accepted: parse_event leaves them None and incoming.py falls back (arrival
order, the side the correlation says, a status based on the one in force).
"""
from datetime import timezone

from marshmallow import EXCLUDE, Schema, fields, validate

from services.partner_bridge.vocabulary import TMF_STATUSES
from services.shared.errors import ValidationFailed
from services.shared.schema_fields import UtcDateTime
from services.shared.validation import load

# Upper camel, as the published v5 examples and the event schemas' @type discriminator name them;
# the lower camel form of v4 listeners' paths is accepted on input (canonical_event_type).
CREATE = "TroubleTicketCreateEvent"
STATUS_CHANGE = "TroubleTicketStatusChangeEvent"
ATTRIBUTE_CHANGE = "TroubleTicketAttributeValueChangeEvent"
RESOLVED = "TroubleTicketResolvedEvent"
INFORMATION_REQUIRED = "TroubleTicketInformationRequiredEvent"
EVENT_TYPES = (CREATE, STATUS_CHANGE, ATTRIBUTE_CHANGE, RESOLVED, INFORMATION_REQUIRED)
SCHEMA_PATH = "/api/v1/federation/schemas/{name}.schema.json"
REOPENED_REASON = "reopened"
# The TroubleTicket members that say which ticket a change is about; the rest is what changed.
IDENTITY_MEMBERS = ("@type", "id", "href", "externalIdentifier", "lastUpdate")
SIDES = ("origin", "replica")

STATUS_TO_TMF = {"opened": "acknowledged", "in_progress": "inProgress", "waiting": "pending",
                 "resolved": "resolved", "closed": "closed", "reopened": "inProgress"}
PRIORITY_TO_TMF = {"low": "low", "normal": "medium", "high": "high", "critical": "critical"}
PRIORITY_FROM_TMF = {tmf: local for local, tmf in PRIORITY_TO_TMF.items()}
SEVERITY_OF_PRIORITY = {"low": "minor", "normal": "moderate", "high": "major", "critical": "critical"}
NUMBER_TYPE = "ticketNumber"
CORRELATED_TYPE = "correlatedTicketId"

SHORT = validate.Length(min=1, max=255)
TEXT = validate.Length(max=20000)


def _iso(moment):
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def schema_location(base, name):
    """Where the JSON schema declaring an extension lives: this installation's gateway serves
    them (`EXTENSION_SCHEMAS`); without a base, the path alone."""
    return f"{base or ''}{SCHEMA_PATH.format(name=name)}"


def _equipment_entity(equipment, ticket_id, base):
    name = " ".join(equipment[k] for k in ("kind", "manufacturer", "model") if equipment.get(k))
    # The entity's id is the serial number when there is one, else scoped to the ticket: the
    # equipment record's own id is this account's internal business.
    entity = {"@type": "EquipmentRef", "@referredType": "Equipment",
              "@schemaLocation": schema_location(base, "EquipmentRef"),
              "id": equipment.get("serial_number") or f"{ticket_id}:equipment",
              "name": (name or "equipment")[:255]}
    for key, wire in (("kind", "kind"), ("manufacturer", "manufacturer"), ("model", "model"),
                      ("serial_number", "serialNumber")):
        if equipment.get(key):
            entity[wire] = equipment[key]
    return {"@type": "RelatedEntity", "role": "affectedEquipment", "entity": entity}


def _site_entity(site, ticket_id, base):
    return {"@type": "RelatedEntity", "role": "siteLocation",
            "entity": {"@type": "GeographicSiteRef", "@referredType": "GeographicSite",
                       "@schemaLocation": schema_location(base, "GeographicSiteRef"),
                       "id": f"{ticket_id}:site", "name": site["city"], "city": site["city"]}}


def _contact_party(contact, ticket_id, base):
    # A PartyRef (v5 allows a reference or a party role here, not a party): the contact's
    # media are declared by the schema at @schemaLocation.
    media = [{"mediumType": "phone", "characteristic": {"phoneNumber": phone}}
             for phone in contact.get("phones", [])]
    media += [{"mediumType": "email", "characteristic": {"emailAddress": email}}
              for email in contact.get("emails", [])]
    party = {"@type": "PartyRef", "@referredType": "Individual",
             "@schemaLocation": schema_location(base, "ContactPartyRef"),
             "id": f"{ticket_id}:contact", "name": contact.get("name") or "contact"}
    if media:
        party["contactMedium"] = media
    return {"@type": "RelatedPartyRefOrPartyRoleRef", "role": "contact", "partyOrPartyRole": party}


def _identifier(owner, kind, value):
    return {"@type": "ExternalIdentifier", "owner": owner, "externalIdentifierType": kind,
            "id": value}


def trouble_ticket(replica, *, owner, partner=None, remote_id=None, base=None):
    """The TroubleTicket resource for what `replica` holds; `owner` names the sending account,
    `remote_id` is the receiver's own id of the ticket once it is known (it finds it by that),
    `base` the sender's public address (the ticket's `href`, the extensions' schemas)."""
    ticket = {"@type": "TroubleTicket", "id": replica["id"]}
    if base:
        ticket["href"] = f"{base}/api/v1/tickets/{replica['id']}"
    identifiers = []
    if replica.get("number") is not None:
        identifiers.append(_identifier(owner, NUMBER_TYPE, str(replica["number"])))
    if remote_id:
        identifiers.append(_identifier(partner or "receiver", CORRELATED_TYPE, remote_id))
    if identifiers:
        ticket["externalIdentifier"] = identifiers
    if "title" in replica:
        ticket["name"] = replica["title"]
    if "description" in replica:
        ticket["description"] = replica["description"]
    if replica.get("priority") in PRIORITY_TO_TMF:
        ticket["priority"] = PRIORITY_TO_TMF[replica["priority"]]
        ticket["severity"] = SEVERITY_OF_PRIORITY[replica["priority"]]
    if replica.get("type"):
        ticket["ticketType"] = replica["type"]
    if replica.get("status") in STATUS_TO_TMF:
        ticket.update(_status_members(replica))
    for key, wire in (("created_at", "creationDate"), ("updated_at", "lastUpdate")):
        if replica.get(key) is not None:
            ticket[wire] = _iso(replica[key])
    related = []
    if replica.get("equipment"):
        related.append(_equipment_entity(replica["equipment"], replica["id"], base))
    if (replica.get("site") or {}).get("city"):
        related.append(_site_entity(replica["site"], replica["id"], base))
    if related:
        ticket["relatedEntity"] = related
    if replica.get("contact"):
        ticket["relatedParty"] = [_contact_party(replica["contact"], replica["id"], base)]
    if replica.get("comments"):
        ticket["note"] = [{"@type": "Note", "id": c["id"], "author": c["author"],
                           "date": _iso(c.get("created_at")), "text": c["body"]}
                          for c in replica["comments"]]
    if replica.get("attachments"):
        ticket["attachment"] = [_attachment(a, base) for a in replica["attachments"]]
    return ticket


def _status_members(replica):
    """status, statusChangeReason, statusChangeDate and resolutionDate. TMF621 has no word for
    a reopened ticket: it goes as inProgress with the reason `reopened` (`reopened: <the
    person's reason>` when they gave one), and a receiver whose ticket is finished reopens it
    (incoming.py, reopen_of)."""
    status = replica["status"]
    members = {"status": STATUS_TO_TMF[status]}
    reason = replica.get("status_change_reason")
    if status == "reopened":
        reason = f"{REOPENED_REASON}: {reason}" if reason else REOPENED_REASON
    if reason:
        members["statusChangeReason"] = reason
    changed_at = replica.get("status_changed_at") or replica.get("updated_at")
    if changed_at is not None:
        members["statusChangeDate"] = _iso(changed_at)
        if status == "resolved":
            members["resolutionDate"] = _iso(changed_at)
    return members


def _attachment(item, base):
    # Metadata only: a TMF621 Attachment (not AttachmentRef: there is no url to fetch from yet)
    # whose content hash is declared by the schema at @schemaLocation.
    wire = {"@type": "Attachment", "@schemaLocation": schema_location(base, "AttachmentMetadata"),
            "id": item["id"], "name": item["name"], "attachmentType": "metadata"}
    if item.get("media_type"):
        wire["mimeType"] = item["media_type"]
    if item.get("size") is not None:
        wire["size"] = {"amount": item["size"], "units": "bytes"}
    if item.get("sha256"):
        wire["sha256"] = item["sha256"]
    return wire


def changed_attributes(ticket):
    """The members of a change event's TroubleTicket besides its identity: what changed."""
    return [key for key in ticket if key not in IDENTITY_MEMBERS]


def envelope(event_type, ticket, *, event_id, event_time, sequence, origin, status_clock=None,
             base=None):
    """The TMF621 event envelope around a TroubleTicket; `correlationId` is the sender's ticket
    id. A create event carries the whole ticket as the rule lets it out; any other event only
    the ticket's identity and what changed, and says so (`changedAttributes`, `description`)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown event type {event_type!r}.")
    wrapped = {"@type": event_type, "@baseType": "Event",
               "@schemaLocation": schema_location(base, "PartnerTroubleTicketEvent"),
               "eventId": event_id, "eventTime": _iso(event_time), "eventType": event_type,
               "correlationId": ticket["id"], "sequence": sequence, "origin": origin,
               "event": {"troubleTicket": ticket}}
    if event_type != CREATE:
        changed = changed_attributes(ticket)
        wrapped["changedAttributes"] = changed
        wrapped["description"] = ("Partial TroubleTicket: its identity and "
                                  + (", ".join(changed) or "its external identifiers") + ".")
    if status_clock is not None:
        wrapped["statusClock"] = status_clock
    return wrapped


def event_type_for_status(local_status):
    return RESOLVED if local_status == "resolved" else STATUS_CHANGE


def reopen_of(status, reason):
    """(whether a received status says the partner reopened its ticket, the person's reason):
    inProgress whose reason is `reopened` or starts with `reopened: `."""
    if status == "inProgress" and isinstance(reason, str):
        if reason == REOPENED_REASON:
            return True, None
        if reason.startswith(f"{REOPENED_REASON}: "):
            return True, reason[len(REOPENED_REASON) + 2:] or None
    return False, reason


def canonical_event_type(text):
    """The event type in the upper camel form we speak, for either form a sender uses; the text
    unchanged when it is no event type we know (the schema then refuses it)."""
    if isinstance(text, str) and text[:1].islower():
        upper = text[:1].upper() + text[1:]
        return upper if upper in EVENT_TYPES else text
    return text


# -- incoming -----------------------------------------------------------------------------------


class _Lenient(Schema):
    class Meta:
        unknown = EXCLUDE


class NoteSchema(_Lenient):
    id = fields.String(required=True, validate=SHORT)
    author = fields.String(load_default="", validate=validate.Length(max=255))
    date = UtcDateTime(load_default=None, allow_none=True)
    text = fields.String(required=True, validate=TEXT)


class EntitySchema(_Lenient):
    id = fields.String(validate=SHORT)
    name = fields.String(validate=SHORT)
    kind = fields.String(validate=SHORT)
    manufacturer = fields.String(validate=SHORT)
    model = fields.String(validate=SHORT)
    serialNumber = fields.String(validate=SHORT)
    city = fields.String(validate=SHORT)


class RelatedEntitySchema(_Lenient):
    role = fields.String(required=True, validate=SHORT)
    entity = fields.Nested(EntitySchema, required=True)


class CharacteristicSchema(_Lenient):
    phoneNumber = fields.String(validate=SHORT)
    emailAddress = fields.String(validate=SHORT)


class MediumSchema(_Lenient):
    mediumType = fields.String(required=True, validate=SHORT)
    characteristic = fields.Nested(CharacteristicSchema, required=True)


class PartySchema(_Lenient):
    name = fields.String(validate=SHORT)
    contactMedium = fields.List(fields.Nested(MediumSchema), validate=validate.Length(max=20))


class RelatedPartySchema(_Lenient):
    role = fields.String(required=True, validate=SHORT)
    partyOrPartyRole = fields.Nested(PartySchema, required=True)


class SizeSchema(_Lenient):
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    units = fields.String(load_default="bytes", validate=validate.Equal("bytes"))


class AttachmentSchema(_Lenient):
    id = fields.String(required=True, validate=SHORT)
    name = fields.String(load_default="attachment", validate=SHORT)
    mimeType = fields.String(validate=SHORT)
    size = fields.Nested(SizeSchema)
    sha256 = fields.String(validate=validate.Regexp(r"^[0-9a-f]{64}$"))


class IdentifierSchema(_Lenient):
    owner = fields.String(load_default="", validate=validate.Length(max=255))
    externalIdentifierType = fields.String(required=True, validate=SHORT)
    id = fields.String(required=True, validate=SHORT)


class TroubleTicketSchema(_Lenient):
    id = fields.String(required=True, validate=SHORT)
    name = fields.String(validate=validate.Length(max=1000))
    description = fields.String(validate=TEXT)
    priority = fields.String(validate=validate.Length(max=50))
    severity = fields.String(validate=validate.Length(max=50))
    ticketType = fields.String(validate=validate.Length(max=50))
    status = fields.String(validate=validate.OneOf(TMF_STATUSES))
    statusChangeReason = fields.String(validate=validate.Length(max=1000))
    creationDate = UtcDateTime()
    lastUpdate = UtcDateTime()
    externalIdentifier = fields.List(fields.Nested(IdentifierSchema), validate=validate.Length(max=20))
    relatedEntity = fields.List(fields.Nested(RelatedEntitySchema), validate=validate.Length(max=50))
    relatedParty = fields.List(fields.Nested(RelatedPartySchema), validate=validate.Length(max=20))
    note = fields.List(fields.Nested(NoteSchema), validate=validate.Length(max=1000))
    attachment = fields.List(fields.Nested(AttachmentSchema), validate=validate.Length(max=200))


class StampSchema(_Lenient):
    counter = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    side = fields.String(required=True, validate=validate.OneOf(SIDES))


class StatusClockSchema(_Lenient):
    counter = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    side = fields.String(required=True, validate=validate.OneOf(SIDES))
    basedOn = fields.Nested(StampSchema, load_default=None, allow_none=True)


class EventBodySchema(_Lenient):
    troubleTicket = fields.Nested(TroubleTicketSchema, required=True)


class EnvelopeSchema(_Lenient):
    eventId = fields.String(required=True, validate=validate.Length(min=8, max=128))
    eventTime = UtcDateTime(required=True)
    eventType = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    correlationId = fields.String(validate=SHORT)
    # Ours; a plain TMF621 sender sends neither (incoming.py's fallback).
    sequence = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1))
    origin = fields.String(load_default=None, validate=validate.OneOf(SIDES))
    statusClock = fields.Nested(StatusClockSchema, load_default=None, allow_none=True)
    event = fields.Nested(EventBodySchema, required=True)


def parse_event(payload):
    """A received envelope as {event_id, event_type, event_time, sequence, origin, status_clock,
    ticket}, where ticket is replica-shaped with its status still in TMF words (the incoming rule
    maps it). `sequence`, `origin` and `status_clock` are None when a plain TMF621 sender left
    them out. Raises ValidationFailed naming the offending field, e.g. `event.troubleTicket.status`."""
    if isinstance(payload, dict) and "eventType" in payload:
        payload = dict(payload, eventType=canonical_event_type(payload["eventType"]))
    data = load(EnvelopeSchema(), payload)
    wire = data["event"]["troubleTicket"]
    if data.get("correlationId") not in (None, wire["id"]):
        raise ValidationFailed.from_fields(
            {"correlationId": ["Must equal event.troubleTicket.id, the sender's ticket id."]})
    problems = _event_problems(data["eventType"], wire)
    if problems:
        raise ValidationFailed.from_fields(problems)
    clock = data["statusClock"]
    return {"event_id": data["eventId"], "event_type": data["eventType"],
            "event_time": data["eventTime"], "sequence": data["sequence"],
            "origin": data["origin"],
            "status_clock": None if clock is None else {
                "counter": clock["counter"], "side": clock["side"],
                "based_on": clock["basedOn"]},
            "ticket": _replica_of(wire)}


def _event_problems(event_type, wire):
    problems = {}
    status_events = (STATUS_CHANGE, RESOLVED)
    if event_type in status_events and "status" not in wire:
        problems["event.troubleTicket.status"] = ["A status change must carry the new status."]
    if event_type == RESOLVED and wire.get("status") not in (None, "resolved"):
        problems["event.troubleTicket.status"] = ["A resolved event must carry status resolved."]
    return problems


def _replica_of(wire):
    ticket = {"id": wire["id"]}
    for identifier in wire.get("externalIdentifier", []):
        kind = identifier["externalIdentifierType"]
        if kind == NUMBER_TYPE:
            ticket["number"] = identifier["id"]
        elif kind == CORRELATED_TYPE:
            ticket["correlated_id"] = identifier["id"]
    for wire_key, key in (("name", "title"), ("description", "description"), ("status", "status"),
                          ("statusChangeReason", "status_change_reason"),
                          ("ticketType", "type"), ("creationDate", "created_at"),
                          ("lastUpdate", "updated_at")):
        if wire_key in wire:
            ticket[key] = wire[wire_key]
    if "priority" in wire:
        # Another TMF621 system may use its own priority words: unknown ones are left for the
        # incoming rule to default, rather than refusing the whole ticket.
        ticket["priority"] = PRIORITY_FROM_TMF.get(wire["priority"].strip().lower())
    for related in wire.get("relatedEntity", []):
        entity = related["entity"]
        if related["role"] == "affectedEquipment":
            ticket["equipment"] = {key: entity[wire_key] for wire_key, key in (
                ("kind", "kind"), ("manufacturer", "manufacturer"), ("model", "model"),
                ("serialNumber", "serial_number")) if wire_key in entity}
        elif related["role"] == "siteLocation" and (entity.get("city") or entity.get("name")):
            ticket["site"] = {"city": entity.get("city") or entity["name"]}
    for party in wire.get("relatedParty", []):
        if party["role"] == "contact":
            ticket["contact"] = _contact_of(party["partyOrPartyRole"])
    if "note" in wire:
        ticket["comments"] = [{"id": n["id"], "author": n["author"], "created_at": n["date"],
                               "body": n["text"]} for n in wire["note"]]
    if "attachment" in wire:
        ticket["attachments"] = [{"id": a["id"], "name": a["name"], "media_type": a.get("mimeType"),
                                  "size": (a.get("size") or {}).get("amount"),
                                  "sha256": a.get("sha256")} for a in wire["attachment"]]
    return ticket


def _contact_of(party):
    contact = {}
    if party.get("name"):
        contact["name"] = party["name"]
    for medium in party.get("contactMedium", []):
        characteristic = medium["characteristic"]
        if medium["mediumType"] == "phone" and characteristic.get("phoneNumber"):
            contact.setdefault("phones", []).append(characteristic["phoneNumber"])
        elif medium["mediumType"] == "email" and characteristic.get("emailAddress"):
            contact.setdefault("emails", []).append(characteristic["emailAddress"])
    return contact
