"""Who is calling, and what a call does to tickets: the rules of issue 7 on the tickets side.

A number belongs to a contact when it is in the contact's `phones` (E.164, as the store
stores them). Several contacts may share one number (an office line): the card names the first
active one by name and lists the others; a call is attached to the first one's tickets.
"""
from services.shared.clock import today_in
from services.tickets.contracts.coverage import contract_valid_on

MAX_SHARED = 10
TITLES = {"in": "Звонок от {who}", "callback": "Перезвонить: пропущенный звонок от {who}"}


def contacts_with(store, account_id, number):
    """Active contacts with the number, by name."""
    return store.contacts.with_phone(account_id, number, MAX_SHARED)


def caller_card(store, account_id, number):
    """The contact, client, open tickets, contracts with their service level and payment."""
    found = contacts_with(store, account_id, number)
    contact = found[0] if found else None
    card = {"number": number, "known": contact is not None, "contact": contact,
            "other_contacts": found[1:], "client": None, "open_tickets": [], "contracts": []}
    if contact is None:
        return card
    client_id = contact["client_id"]
    card["client"] = store.clients.find(account_id, client_id)
    card["open_tickets"] = store.phone_calls.open_tickets_of_client(account_id, client_id)
    contracts = store.contracts.of_client(account_id, client_id)
    if contracts:
        account = store.accounts.get(account_id)
        day = today_in(account["time_zone"])
        levels = store.service_levels.summaries(
            account_id, {c["service_level_id"] for c in contracts})
        card["contracts"] = sorted(
            (dict(contract, valid_today=contract_valid_on(contract, day),
                  service_level=_level(levels.get(contract["service_level_id"])))
             for contract in contracts),
            key=lambda c: (not c["valid_today"], c["valid_from"]), reverse=False)
    return card


def _level(level):
    if level is None:
        return None
    return {"id": level["_id"], "name": level["name"],
            "personal_manager": bool(level.get("personal_manager"))}


def ticket_data(call, contact, callback):
    """What a ticket opened for a call is created with."""
    who = (contact or {}).get("name") or call.get("number") or "скрытого номера"
    title = TITLES["callback" if callback else "in"].format(who=who)
    return {"title": title[:200], "description": _description(call, callback),
            "priority": "high" if callback else "normal", "channel": "phone",
            "type": "incident", "client_id": (contact or {}).get("client_id"),
            "contact_id": (contact or {}).get("_id"), "assignee_id": None,
            "assignee_group_id": None, "site_id": None, "equipment_id": None}


def _description(call, callback):
    number = call.get("number") or "скрытый номер"
    if callback:
        return f"Пропущенный звонок с номера {number}. Перезвоните клиенту."
    return f"Входящий звонок с номера {number}."


def recording_key(call_id, reference):
    """What makes a recording arrive on a ticket once, however often it is delivered."""
    return f"{call_id}|{reference}"


def recording_comment(comment_id, actor, at, call, reference):
    """The internal comment a call's recording leaves on its ticket."""
    who = call.get("number") or "скрытый номер"
    return {"id": comment_id, "visibility": "internal", "author": actor.as_reference(),
            "created_at": at, "body": f"Запись разговора ({who}): {reference}",
            "recording": {"call_id": call["call_id"], "reference": reference}}
