"""Ticket search: what the `q` of a ticket list finds (docs/api.md, "Searching tickets").

A ticket matches `q` when any of these holds:
- `q` is a ticket number ("42", "#42", "№ 42");
- every word of `q` is in its title or description, in any form: both go through the same
  Russian and English analysis as the knowledge base (services/shared/text_analysis.py), so
  "турникеты" finds "Не работает турникет";
- its title or description contains `q` as typed, in any case (what the search was before: a
  phrase with stop words or punctuation, "(код 7) [ФН]", still finds what it found);
- its client's name (or legal name) contains `q`;
- its contact has `q` as a phone number, written in any format ("8 (916) 123-45-67", "+7916...");
  for employees also a call on the ticket from or to that number, or the number a QR label's
  reporter left (what a contact is not shown);
- its equipment's serial or inventory number starts with `q`.

The look-ups of clients, contacts and equipment are the account's; the ticket query that uses
their ids is scoped as every ticket query is (a contact sees their own or their company's).
"""
import re
from dataclasses import dataclass

from services.shared.identifier_fields import e164
from services.shared.text_analysis import terms

NUMBER = re.compile(r"^\s*[#№]?\s*(\d{1,9})\s*$")
MAX_MATCHES = 200  # clients, contacts or items one search looks at


@dataclass(frozen=True)
class SearchPlan:
    text: str
    number: int | None
    terms: tuple
    phone: str | None


def plan(text):
    """What to look for, from `q` as typed."""
    number = NUMBER.match(text)
    return SearchPlan(text=text.strip(), number=int(number.group(1)) if number else None,
                      terms=tuple(dict.fromkeys(terms(text))), phone=phone_number(text))


def phone_number(text):
    """`text` as an E.164 number when it is one in some format (five digits at least: a ticket
    number is not a phone), else None."""
    if sum(ch.isdigit() for ch in text) < 5:
        return None
    return e164(text)


def search_terms(title, description):
    """The terms a ticket is found by: its title's and description's, each once, sorted."""
    return sorted(set(terms(title)) | set(terms(description)))


def searched(store, account_id, query):
    """A loaded ticket list query with its `q` resolved into the `search` the store matches."""
    if "q" not in query:
        return query
    return dict(query, search=resolve(store, account_id, query["q"]))


def resolve(store, account_id, text):
    """The plan with the ids of the account's clients, contacts and equipment `text` names: the
    `search` a ticket list query carries to the ticket store."""
    found = plan(text)
    return matching(
        found, client_ids=store.clients.ids_named(account_id, found.text, MAX_MATCHES),
        contact_ids=store.contacts.ids_with_phone(account_id, found.phone, MAX_MATCHES)
        if found.phone else [],
        equipment_ids=store.equipment.ids_with_number(account_id, found.text, MAX_MATCHES))


def matching(found, client_ids=(), contact_ids=(), equipment_ids=()):
    """The `search` of a list query: a plan and the ids of the records it names."""
    return {"number": found.number, "terms": list(found.terms), "text": found.text,
            "phone": found.phone, "client_ids": list(client_ids),
            "contact_ids": list(contact_ids), "equipment_ids": list(equipment_ids)}
