"""Sharing rules of a link: what leaves this account, and how what arrives is taken in.

Each side of a link owns both of its rules and neither can dictate the other's (asymmetric
sharing is normal). The outgoing rule is an allow-list: `build_replica` constructs a new
document field by field from what the rule names, so a field added to tickets later stays home
until someone adds it to the vocabulary and to a rule; nothing is copied wholesale and then
pruned.

The ticket view `build_replica` reads is assembled by the service from the tickets RPC:

    {"id", "number", "title", "description", "priority", "status", "type", "created_at",
     "updated_at", "equipment": {"kind", "manufacturer", "model", "serial_number"} | None,
     "site": {"city"} | None, "contact": {"name", "phones", "emails"} | None,
     "comments": [{"id", "body", "visibility", "author": {"kind", "id", "name"}, "created_at",
                   "origin": {"link_id", "event_id"} | absent}],
     "attachments": [{"id", "name", "media_type", "size", "sha256", "visibility"}]}

Anything else in it (works, prices, coverage, site address, history...) is ignored.
"""
import re

import phonenumbers
from marshmallow import Schema, ValidationError, fields, validate, validates

from services.partner_bridge.vocabulary import (
    DEFAULT_SHARED_FIELDS, LOCAL_PRIORITIES, LOCAL_STATUSES, LOCAL_TYPES, NEVER_SHARED,
    PERSONAL_DATA_FIELDS, SHAREABLE_FIELDS, TMF_STATUSES)
from services.shared.validation import load

# What a partner's status means here unless the link's incoming rule says otherwise. None keeps
# the local status as it is (the change is still recorded on the correlation).
DEFAULT_STATUS_MAP = {
    "acknowledged": None,
    "rejected": None,
    "pending": "waiting",
    "held": "waiting",
    "inProgress": "in_progress",
    "resolved": "resolved",
    "closed": "closed",
    "cancelled": "closed",
}
PRIORITY_AS_SENT = "as_sent"
PHONE_MASK = "[phone hidden]"
EMAIL_MASK = "[e-mail hidden]"
CLIENT_AUTHOR = "Client"
PARTNER_TITLE = "Partner ticket {number}"
# Within what tmf621.parse_event accepts, so that nothing we send is refused by a receiver
# like us and parked in error for want of a truncation.
TITLE_LIMIT, TEXT_LIMIT, SHORT_LIMIT = 200, 20000, 255
MAX_ATTACHMENTS, MAX_CONTACT_VALUES = 200, 10
SHA256 = re.compile(r"^[0-9a-f]{64}$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone-like runs a strict parser might not accept (missing country code, odd grouping) are
# masked too: hiding a serial number by mistake costs less than leaking a client's number.
PHONE_LIKE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{8,}\d(?![\w])")
DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _choice_field(choices):
    def check(value):
        if value in NEVER_SHARED:
            raise ValidationError(NEVER_SHARED[value])
        if value not in choices:
            raise ValidationError(f"Must be one of: {', '.join(choices)}.")
    return fields.String(validate=check)


class OutgoingRuleSchema(Schema):
    fields_ = fields.List(_choice_field(SHAREABLE_FIELDS), data_key="fields",
                          load_default=lambda: list(DEFAULT_SHARED_FIELDS))
    personal_data = fields.List(_choice_field(PERSONAL_DATA_FIELDS), load_default=list)

    @validates("personal_data")
    def each_once(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Name each field once.")


class IncomingRuleSchema(Schema):
    status_map = fields.Dict(
        keys=fields.String(validate=validate.OneOf(TMF_STATUSES)),
        values=fields.String(allow_none=True, validate=validate.OneOf(LOCAL_STATUSES)),
        load_default=dict)
    group_id = fields.String(load_default=None, allow_none=True,
                             validate=validate.Length(min=1, max=64))
    priority = fields.String(load_default=PRIORITY_AS_SENT,
                             validate=validate.OneOf((PRIORITY_AS_SENT,) + LOCAL_PRIORITIES))
    type = fields.String(load_default="incident", validate=validate.OneOf(LOCAL_TYPES))
    accept_comments = fields.Boolean(load_default=True)
    accept_edits = fields.Boolean(load_default=True)


class SharingRulesSchema(Schema):
    outgoing = fields.Nested(OutgoingRuleSchema, load_default=lambda: OutgoingRuleSchema().load({}))
    incoming = fields.Nested(IncomingRuleSchema, load_default=lambda: IncomingRuleSchema().load({}))


def load_rules(data):
    """Validated rules of one link, defaults filled in; ValidationFailed names each bad field
    (for example `outgoing.fields.2` or `incoming.status_map.held.value`)."""
    rules = load(SharingRulesSchema(), data)
    outgoing = rules["outgoing"]
    outgoing["fields"] = sorted(set(outgoing.pop("fields_")), key=SHAREABLE_FIELDS.index)
    rules["incoming"]["status_map"] = dict(DEFAULT_STATUS_MAP, **rules["incoming"]["status_map"])
    return rules


def default_rules():
    return load_rules({})


# -- outgoing ---------------------------------------------------------------------------------


def mask_contacts(text, *, phones=True, emails=True):
    """Free text with phone numbers and e-mail addresses replaced by a visible mask."""
    if not text:
        return text
    if emails:
        text = EMAIL.sub(EMAIL_MASK, text)
    if phones:
        found = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
            text, "RU", leniency=phonenumbers.Leniency.VALID)]
        for start, end in reversed(found):
            text = text[:start] + PHONE_MASK + text[end:]
        text = PHONE_LIKE.sub(_phone_like_mask, text)
    return text


def _phone_like_mask(match):
    found = match.group()
    date = DATE_LIKE.match(found)
    if date:
        # A date is not a phone, but a number may follow it in the same run of digits.
        rest = found[date.end():]
        return found[:date.end()] + PHONE_LIKE.sub(_phone_like_mask, rest)
    digits = sum(ch.isdigit() for ch in found)
    return PHONE_MASK if 10 <= digits <= 15 else found


def _text(value, outgoing, limit):
    if not isinstance(value, str):
        return None
    personal = outgoing["personal_data"]
    return mask_contacts(value, phones="contact_phones" not in personal,
                         emails="contact_emails" not in personal)[:limit]


def _author(author, outgoing):
    author = author if isinstance(author, dict) else {}
    kind = author.get("kind")
    if kind == "contact":
        # A client's name is the client's personal data, even as a comment's signature.
        if "contact_name" in outgoing["personal_data"] and isinstance(author.get("name"), str):
            return author["name"][:SHORT_LIMIT]
        return CLIENT_AUTHOR
    if kind == "employee" and isinstance(author.get("name"), str):
        return author["name"][:SHORT_LIMIT]
    return "Service desk"


def shareable_comments(view, outgoing):
    """Public comments written here, oldest first. Comments that came from any partner carry an
    origin and stay out: never echoed to their sender, and not relayed to a third party that
    their author did not share them with."""
    if "public_comments" not in outgoing["fields"]:
        return []
    shared = []
    for comment in view.get("comments") or []:
        if comment.get("visibility") != "public" or comment.get("origin"):
            continue
        shared.append({"id": str(comment["id"])[:SHORT_LIMIT],
                       "author": _author(comment.get("author"), outgoing),
                       "created_at": comment.get("created_at"),
                       "body": _text(comment.get("body"), outgoing, TEXT_LIMIT) or ""})
    return sorted(shared, key=lambda c: (c["created_at"] is None, str(c["created_at"])))


def _typed(value, kind):
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


def _content_hash(value):
    value = value.lower() if isinstance(value, str) else None
    return value if value and SHA256.match(value) else None


def _attachments(view, outgoing):
    if "attachments" not in outgoing["fields"]:
        return []
    shared = []
    for item in view.get("attachments") or []:
        if item.get("visibility", "public") != "public":
            continue
        size = _typed(item.get("size"), int)
        # Metadata and a content hash only: the receiver decides whether to fetch the content.
        shared.append({"id": str(item["id"])[:SHORT_LIMIT],
                       "name": _text(item.get("name"), outgoing, SHORT_LIMIT) or "attachment",
                       "media_type": (_typed(item.get("media_type"), str) or "")[:SHORT_LIMIT] or None,
                       "size": size if size is not None and size >= 0 else None,
                       "sha256": _content_hash(item.get("sha256"))})
    return shared[-MAX_ATTACHMENTS:]


def _pick(source, mapping, allowed):
    source = source if isinstance(source, dict) else {}
    picked = {}
    for rule_field, key in mapping:
        if rule_field in allowed and isinstance(source.get(key), str) and source[key].strip():
            picked[key] = source[key][:SHORT_LIMIT]
    return picked or None


def build_replica(view, rules):
    """The neutral replica of a ticket that the outgoing rule lets out; nothing else is in it."""
    outgoing = rules["outgoing"]
    allowed = set(outgoing["fields"]) | set(outgoing["personal_data"])
    replica = {"id": str(view["id"]), "number": view.get("number"),
               "created_at": view.get("created_at"), "updated_at": view.get("updated_at")}
    for name, limit in (("title", TITLE_LIMIT), ("description", TEXT_LIMIT)):
        if name in allowed:
            replica[name] = _text(view.get(name), outgoing, limit)
    for name, vocabulary in (("priority", LOCAL_PRIORITIES), ("status", LOCAL_STATUSES),
                             ("type", LOCAL_TYPES)):
        if name in allowed and view.get(name) in vocabulary:
            replica[name] = view[name]
    equipment = _pick(view.get("equipment"), (
        ("equipment_kind", "kind"), ("equipment_manufacturer", "manufacturer"),
        ("equipment_model", "model"), ("equipment_serial", "serial_number")), allowed)
    if equipment:
        replica["equipment"] = equipment
    site = _pick(view.get("site"), (("site_city", "city"),), allowed)
    if site:
        replica["site"] = site
    contact = _contact(view.get("contact"), allowed)
    if contact:
        replica["contact"] = contact
    replica["comments"] = shareable_comments(view, outgoing)
    replica["attachments"] = _attachments(view, outgoing)
    return replica


def partial_replica(view, rules, names):
    """The part of the replica a change touched (`names` are replica keys such as "title" or
    "equipment"), with the ticket id; None when the rule lets none of it out."""
    full = build_replica(view, rules)
    part = {key: full[key] for key in names if full.get(key) not in (None, [])}
    return dict(part, id=full["id"]) if part else None


def comment_replica(view, rules, comment_id):
    """A new comment as a change: None unless it is public, written here and shared by the rule."""
    shared = [c for c in shareable_comments(view, rules["outgoing"]) if c["id"] == str(comment_id)]
    return {"id": str(view["id"]), "comments": shared} if shared else None


def status_replica(view, rules, reason=None):
    """A status change as a change. The reason is the public comment the status change was made
    with, so it leaves only when public comments do, masked like any other free text."""
    outgoing = rules["outgoing"]
    if "status" not in outgoing["fields"] or view.get("status") not in LOCAL_STATUSES:
        return None
    part = {"id": str(view["id"]), "status": view["status"], "updated_at": view.get("updated_at")}
    if reason and "public_comments" in outgoing["fields"]:
        part["status_change_reason"] = _text(reason, outgoing, 1000)
    return part


def _contact(contact, allowed):
    contact = contact if isinstance(contact, dict) else {}
    picked = {}
    if "contact_name" in allowed and isinstance(contact.get("name"), str):
        picked["name"] = contact["name"][:SHORT_LIMIT]
    for rule_field, key in (("contact_phones", "phones"), ("contact_emails", "emails")):
        if rule_field in allowed:
            values = [v[:SHORT_LIMIT] for v in contact.get(key) or [] if isinstance(v, str) and v]
            if values:
                picked[key] = values[:MAX_CONTACT_VALUES]
    return picked or None


# -- incoming ---------------------------------------------------------------------------------


def incoming_status(rules, remote_status, current_local, *, reopened=False):
    """The local status a partner's status moves this ticket to, or None to leave it as it is.
    `reopened`: the partner reopened its ticket (tmf621.reopen_of); here that is `reopened` too
    where the rule takes the partner's inProgress, so that a reopen applied twice (a retry, two
    workers at once) moves nothing the second time."""
    target = rules["incoming"]["status_map"].get(remote_status)
    if reopened and target == "in_progress" and current_local in ("resolved", "closed", "reopened"):
        target = "reopened"
    return None if target is None or target == current_local else target


def incoming_priority(rules, sent_priority):
    chosen = rules["incoming"]["priority"]
    if chosen != PRIORITY_AS_SENT:
        return chosen
    return sent_priority if sent_priority in LOCAL_PRIORITIES else "normal"


def incoming_context(replica, *, link_name):
    """What a partner's ticket says here besides its own text: the shared equipment, serial
    number and city (not records here), and whose number it is. It follows the partner's
    description on creation and after each edit of it."""
    context = []
    equipment = replica.get("equipment") or {}
    described = " ".join(equipment[k] for k in ("kind", "manufacturer", "model") if equipment.get(k))
    if described:
        context.append(f"Equipment: {described}")
    if equipment.get("serial_number"):
        context.append(f"Serial number: {equipment['serial_number']}")
    if (replica.get("site") or {}).get("city"):
        context.append(f"City: {replica['site']['city']}")
    context.append(f"Shared by {link_name}, their number {replica.get('number') or replica['id']}")
    return "\n".join(context)


def _described(text, context):
    return "\n\n".join(filter(None, [text or "", context or ""]))[:TEXT_LIMIT]


def incoming_ticket(rules, replica, *, link_name):
    """What a ticket a partner shared with us is created with (input of tickets' create_ticket)."""
    incoming = rules["incoming"]
    title = (replica.get("title") or "").strip() or PARTNER_TITLE.format(
        number=replica.get("number") or replica["id"])
    return {"title": title[:TITLE_LIMIT],
            "description": _described(replica.get("description"),
                                      incoming_context(replica, link_name=link_name)),
            "priority": incoming_priority(rules, replica.get("priority")),
            "channel": "partner", "type": incoming["type"],
            "assignee_group_id": incoming["group_id"]}


def incoming_edits(rules, edited, *, context=None):
    """The local changes a partner's later edit makes (input of tickets' update_ticket): its
    title and description (followed by `context`, what the ticket was created with besides its
    text), and its priority while the rule takes priorities as sent. Empty when the rule
    accepts no edits (links made before the rule had `accept_edits` accept them)."""
    if not rules["incoming"].get("accept_edits", True):
        return {}
    changes = {}
    if isinstance(edited.get("title"), str) and edited["title"].strip():
        changes["title"] = edited["title"].strip()[:TITLE_LIMIT]
    if isinstance(edited.get("description"), str):
        changes["description"] = _described(edited["description"], context)
    if (rules["incoming"]["priority"] == PRIORITY_AS_SENT
            and edited.get("priority") in LOCAL_PRIORITIES):
        changes["priority"] = edited["priority"]
    return changes


TEXT_FIELDS = ("title", "description")


def keep_local_text(edits, *, current, written):
    """The edits that may be applied, and the text fields withheld from them.

    The rule: a partner's edit never destroys text written here. A title or description is
    replaced only while it still holds what the bridge itself last wrote there (`written`: what
    the ticket was opened with for the partner, or the partner's previous edit); once someone
    here has changed it, and always on the side that shared the ticket (whose text is its own),
    the partner's text is kept beside it on the correlation instead. Priority is no text: it
    follows the incoming rule."""
    applied, withheld = dict(edits), []
    for name in TEXT_FIELDS:
        if name not in applied:
            continue
        mine = (current.get(name) or "").strip()
        if name not in written or mine != (written[name] or "").strip():
            del applied[name]
            withheld.append(name)
    return applied, withheld


def summary_of(ticket):
    """What a correlation keeps of its ticket for reports: the title and the equipment."""
    equipment = ticket.get("equipment") if isinstance(ticket.get("equipment"), dict) else {}
    return {"title": (ticket.get("title") or "")[:TITLE_LIMIT] or None,
            "equipment": {key: equipment[key][:SHORT_LIMIT] for key in ("kind", "manufacturer", "model")
                          if isinstance(equipment.get(key), str) and equipment[key].strip()}}


def accepts_comments(rules):
    return rules["incoming"]["accept_comments"]
