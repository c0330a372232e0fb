"""The JSON schemas that declare what our TMF621 events carry beyond the published v5 schemas.

TMF621's Extensible pattern: an object with members its schema does not declare names, in
`@schemaLocation`, a JSON schema that does. tmf621.py points there (`schema_location`), and the
gateway serves these documents at /api/v1/federation/schemas/<name>.schema.json, so a partner
running another TMF621 system can read what each extra member means.
"""
DRAFT = "https://json-schema.org/draft/2020-12/schema"
STAMP = {"type": "object", "required": ["counter", "side"],
         "properties": {"counter": {"type": "integer", "minimum": 0},
                        "side": {"enum": ["origin", "replica"]}}}

EXTENSION_SCHEMAS = {
    "PartnerTroubleTicketEvent": {
        "$schema": DRAFT, "title": "PartnerTroubleTicketEvent",
        "description": "A TMF621 v5 trouble ticket event (Event) with the ordering and conflict "
                       "members of a partner link. All are optional for a sender: without "
                       "sequence the receiver applies changes in the order they arrive.",
        "type": "object",
        "properties": {
            "sequence": {"type": "integer", "minimum": 1,
                         "description": "The change's number on the link: 1, 2, 3... without "
                                        "gaps; applied in this order, a number seen is a "
                                        "duplicate."},
            "origin": {"enum": ["origin", "replica"],
                       "description": "origin when the sender shared the ticket first."},
            "statusClock": {
                "type": "object", "required": ["counter", "side"],
                "description": "Lamport stamp of a status change and the stamp it replaced.",
                "properties": {"counter": {"type": "integer", "minimum": 1},
                               "side": {"enum": ["origin", "replica"]},
                               "basedOn": {"oneOf": [STAMP, {"type": "null"}]}}},
            "changedAttributes": {
                "type": "array", "items": {"type": "string"},
                "description": "On a change event: the TroubleTicket members it carries besides "
                               "@type, id, href, externalIdentifier and lastUpdate. The event is "
                               "partial: members not named did not change."},
        },
    },
    "EquipmentRef": {
        "$schema": DRAFT, "title": "EquipmentRef",
        "description": "An EntityRef to the equipment a ticket is about, with what the sharing "
                       "rule lets out of it. id is the serial number when known.",
        "type": "object",
        "properties": {"kind": {"type": "string"}, "manufacturer": {"type": "string"},
                       "model": {"type": "string"}, "serialNumber": {"type": "string"}},
    },
    "GeographicSiteRef": {
        "$schema": DRAFT, "title": "GeographicSiteRef",
        "description": "An EntityRef to the site of a ticket: its city only.",
        "type": "object", "properties": {"city": {"type": "string"}},
    },
    "ContactPartyRef": {
        "$schema": DRAFT, "title": "ContactPartyRef",
        "description": "A PartyRef to the client's contact, sent only when the sharing rule "
                       "names the contact's personal data, with the media it names.",
        "type": "object",
        "properties": {"contactMedium": {"type": "array", "items": {
            "type": "object", "required": ["mediumType", "characteristic"],
            "properties": {"mediumType": {"enum": ["phone", "email"]},
                           "characteristic": {"type": "object", "properties": {
                               "phoneNumber": {"type": "string"},
                               "emailAddress": {"type": "string"}}}}}}},
    },
    "AttachmentMetadata": {
        "$schema": DRAFT, "title": "AttachmentMetadata",
        "description": "A TMF621 Attachment described, not carried: the receiver decides "
                       "whether to fetch the content. attachmentType is metadata.",
        "type": "object",
        "properties": {"sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                                  "description": "SHA-256 of the content, lowercase hex."}},
    },
}
