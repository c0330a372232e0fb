"""A webhook message taken from the durable queue: checked again, stored, filed on tickets.

The edge queued it after checking it with the secrets it had cached; the integration may have
been disabled or its secrets rotated since, so the consumer checks again with the current ones.
What can never succeed (unknown or disabled integration, bad signature, unreadable body) becomes
a dead letter at once; anything else is retried a few times by the queue and then dead-lettered
(services.shared.events.Inbox), never requeued forever.
"""
from dataclasses import dataclass

from services.shared.errors import NotFound, ValidationFailed
from services.telephony.adapters import dialect_named
from services.telephony.adapters.base import WebhookRejected, WebhookRequest
from services.telephony.ingestion import recorded_calls
from services.telephony.ticketing import carry_out

SOURCE, KIND = "gateway", "telephony_webhook"


class Refused(Exception):
    """The message can never be stored: it goes to the dead letters with this reason."""


@dataclass(frozen=True)
class Received:
    vendor: str
    outcome: str  # stored, duplicate, pending (stored; some ticket work waits)
    calls: int


def integration_of(store, message):
    try:
        integration = store.integrations.get(str(message["account_id"]),
                                                 str(message["integration_id"]))
    except (KeyError, TypeError, NotFound):
        raise Refused("No such integration (deleted, or not this account's).") from None
    if not integration["enabled"]:
        raise Refused("The integration is disabled.")
    return integration


def receive(store, tickets, message):
    """Store the message's calls and file them; Refused for what can never be stored."""
    integration = integration_of(store, message)
    dialect = dialect_named(integration["dialect"])
    try:
        request = WebhookRequest.from_message(message["request"])
        dialect.authenticate(request, integration["secrets"])
        recorded = recorded_calls(store, integration, message["request"])
    except (WebhookRejected, ValidationFailed) as refusal:
        raise Refused(str(refusal)) from None
    except (KeyError, TypeError, ValueError) as broken:
        raise Refused(f"Not a webhook message: {broken!r}.") from None
    settled = [carry_out(store, tickets, integration, entry.call) for entry in recorded]
    if not all(settled):
        outcome = "pending"
    else:
        outcome = "stored" if any(entry.changed for entry in recorded) else "duplicate"
    return Received(dialect.name, outcome, len(recorded))


def retry_pending(store, tickets):
    """Carry out what calls still ask of the tickets side (it was down or a claim holder's
    ticket was not open yet); returns how many calls are settled now."""
    settled = 0
    for call in store.calls.pending():
        try:
            integration = store.integrations.get(call["account_id"], call["integration_id"])
        except NotFound:
            store.calls.set_pending(call["account_id"], call["_id"], False)
            continue
        settled += carry_out(store, tickets, integration, call)
    return settled


def sweep_quiet_calls(store, tickets, now):
    """Give calls that went quiet their end (store.settle_quiet_calls) and file them."""
    for integration in store.integrations.enabled():
        for recorded in store.calls.settle_quiet_calls(integration, now):
            carry_out(store, tickets, integration, recorded.call)
