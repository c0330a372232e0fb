"""What partner_bridge needs of a ticket: a ticket opened once per partner ticket, and the
ticket as a sharing rule reads it.

The id of a ticket a partner shared is derived from the key partner_bridge sends (link and the
partner's ticket id), so a repeated share, a retry after a crash or two replicas racing find the
first ticket on the primary key instead of opening a second one.

`view` is the document `services/partner_bridge/sharing.py` describes. It carries public comments
only: internal notes do not leave this service for the bridge at all, whatever its rules say.
"""
import hashlib
from datetime import timezone


from services.shared.errors import Conflict, NotFound
from services.shared.validation import load
from services.tickets.schemas import TicketCreateSchema
from services.tickets.tickets import registration

CREATE = TicketCreateSchema()


def _iso(moment):
    # The view crosses the bus as JSON: times go as ISO 8601 with their (UTC) offset.
    return moment.replace(tzinfo=timezone.utc).isoformat() if moment is not None else None


def ticket_id_for(account_id, key):
    """The id of the ticket opened for `key` in an account: 32 hex digits, like any ticket id."""
    return hashlib.sha256(f"{account_id}\x00{key}".encode("utf-8")).hexdigest()[:32]


def open_shared(store, actor, data, key):
    """The ticket opened for a partner's `key`, opening it if needed; returns (ticket, created)."""
    ticket_id = ticket_id_for(actor.account_id, key)
    try:
        return store.tickets.get(actor, ticket_id), False
    except NotFound:
        pass
    prepared = registration.prepare(store, actor, load(CREATE, data))
    try:
        return store.tickets.create(actor, prepared, ticket_id=ticket_id), True
    except Conflict:
        # Another replica opened it between our look and our insert: theirs stands.
        return store.tickets.get(actor, ticket_id), False


def _author(store, account_id, author, names):
    author = dict(author or {})
    if author.get("kind") == "employee" and "name" not in author:
        if author["id"] not in names:
            try:
                names[author["id"]] = store.employees.get(account_id, author["id"])["name"]
            except NotFound:
                names[author["id"]] = None
        author["name"] = names[author["id"]]
    return author


def _equipment(store, account_id, equipment_id):
    if not equipment_id:
        return None
    try:
        item = store.equipment.get(account_id, equipment_id)
    except NotFound:
        return None
    kind = store.equipment_kinds.find(account_id, item.get("kind_id"))
    return {"kind": (kind or {}).get("name"), "manufacturer": item.get("manufacturer"),
            "model": item.get("model"), "serial_number": item.get("serial_number")}


def _contact(store, account_id, contact_id):
    if not contact_id:
        return None
    try:
        contact = store.contacts.get(account_id, contact_id)
    except NotFound:
        return None
    return {"name": contact.get("name"), "phones": list(contact.get("phones") or []),
            "emails": list(contact.get("emails") or [])}


def _site(store, account_id, site_id):
    """Only the city: the address, name and access notes of a client's site stay here."""
    if not site_id:
        return None
    try:
        city = (store.sites.get(account_id, site_id).get("city") or "").strip()
    except NotFound:
        return None
    return {"city": city} if city else None


def view(store, account_id, ticket):
    """The ticket as partner_bridge's sharing rules read it (public comments only)."""
    names = {}
    comments = []
    for comment in ticket.get("comments", []):
        if comment.get("visibility") != "public":
            continue
        shown = {"id": comment["id"], "body": comment["body"], "visibility": "public",
                 "created_at": _iso(comment["created_at"]),
                 "author": _author(store, account_id, comment.get("author"), names)}
        if comment.get("origin"):
            shown["origin"] = dict(comment["origin"])
        comments.append(shown)
    return {"id": ticket["_id"], "number": ticket["number"], "title": ticket["title"],
            "description": ticket.get("description", ""), "priority": ticket["priority"],
            "status": ticket["status"], "type": ticket["type"], "channel": ticket["channel"],
            "created_at": _iso(ticket["created_at"]), "updated_at": _iso(ticket["updated_at"]),
            "created_by": dict(ticket.get("created_by") or {}),
            # What the view holds: changes announced with a higher revision are not in it yet.
            "revision": ticket.get("revision") or 0,
            "equipment": _equipment(store, account_id, ticket.get("equipment_id")),
            "site": _site(store, account_id, ticket.get("site_id")),
            "contact": _contact(store, account_id, ticket.get("contact_id")),
            # Tickets hold no files yet. Call recordings are not attachments here: a client's
            # voice is personal data, and they stay internal comments of this account.
            "comments": comments, "attachments": []}
