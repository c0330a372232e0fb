"""Who may write the knowledge base and which articles an actor may read.

- Employees with role admin, dispatcher or agent write sections and articles; every employee
  reads everything of their account, drafts and archive included.
- Client contacts read sections and only published articles visible to all clients, or to
  chosen audiences (visibility `categories`) that their company belongs to: its client category
  is one of the article's `client_categories`, or it holds an active contract at one of the
  article's `service_levels`. The tickets service puts both on the contact's actor when it
  authenticates the request, so they are as current as the client card and its contracts.
- Employees and contacts ask for suggestions and record what they opened and whether a ticket
  followed, each on their own suggestion records only; employees with role admin or dispatcher
  read the deflection report.
- Any employee (every employee may comment on tickets) answers a ticket with an article.
- Employees with role admin, dispatcher or agent read the account's synonym dictionary; only
  admins change it (it changes every search of the account).
- Any other kind of actor (partner link, system, owner) reaches nothing here yet.
- A visitor of a client portal who has not signed in reads published `public` articles only.
"""
from dataclasses import dataclass

from services.shared.actor import Actor
from services.shared.errors import Forbidden

WRITER_ROLES = frozenset({"admin", "dispatcher", "agent"})
REPORT_ROLES = frozenset({"admin", "dispatcher"})


def reader(actor_data):
    """The actor rebuilt from the bus, if it may read the knowledge base at all."""
    actor = Actor.from_dict(actor_data)
    if not (actor.is_employee or actor.is_contact):
        raise Forbidden("Only employees and client contacts use the knowledge base.")
    return actor


def writer(actor_data):
    """The actor rebuilt from the bus, if it may change sections and articles."""
    actor = reader(actor_data)
    if not (actor.is_employee and WRITER_ROLES.intersection(actor.roles)):
        raise Forbidden("Only admins, dispatchers and agents edit the knowledge base.")
    return actor


def synonym_editor(actor_data):
    """The actor rebuilt from the bus, if it may change the account's synonym dictionary."""
    actor = reader(actor_data)
    if not (actor.is_employee and "admin" in actor.roles):
        raise Forbidden("Only admins edit the synonym dictionary.")
    return actor


def report_reader(actor_data):
    """The actor rebuilt from the bus, if it may read the deflection report."""
    actor = reader(actor_data)
    if not (actor.is_employee and REPORT_ROLES.intersection(actor.roles)):
        raise Forbidden("Only admins and dispatchers read the deflection report.")
    return actor


def answerer(actor_data):
    """The actor rebuilt from the bus, if it may answer a ticket with an article."""
    actor = reader(actor_data)
    if not actor.is_employee:
        raise Forbidden("Only employees answer tickets with an article.")
    return actor


# Articles every client contact reads; `public` ones also anybody on the portal, signed in or not.
CLIENT_WIDE = ("all_clients", "public")


@dataclass(frozen=True)
class Visitor:
    """Somebody on an account's client portal who has not signed in: reads the account's
    published `public` articles only (entrypoints/public_reading.py)."""
    account_id: str
    is_contact = False
    is_employee = False


def may_read_published(actor, entry):
    """Whether the actor may read a published article (a search index entry), by the same rule
    as `store.articles.read_scope`."""
    if isinstance(actor, Visitor):
        return entry.visibility == "public"
    if not actor.is_contact or entry.visibility in CLIENT_WIDE:
        return True
    if entry.visibility != "categories":
        return False
    return (actor.client_category in entry.client_categories
            or not entry.service_levels.isdisjoint(actor.service_levels))
