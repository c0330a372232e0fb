"""The consumer's part of a webhook request: the queued message becomes stored calls and the
intents their changes raise (reactions.py). The edge's part is webhooks.py."""
from dataclasses import dataclass

from services.telephony.adapters import dialect_named
from services.telephony.adapters.base import WebhookRequest
from services.telephony.reactions import reactions
from services.telephony.integrations import dialect_settings


@dataclass(frozen=True)
class Ingested:
    call: dict
    previous: dict | None
    reactions: list


def recorded_calls(store, integration, message):
    """A queued message -> every call it touched (store.Recorded), changed or not: the
    consumer files what a call still asks for even when a redelivery changed nothing."""
    request = WebhookRequest.from_message(message)
    events = dialect_named(integration["dialect"]).parse(request, dialect_settings(integration))
    return store.calls.record(integration, events)


def ingest(store, integration, message):
    """A queued message (`WebhookRequest.as_message()`) of `integration` -> what changed, each
    call with the intents its change raises. A redelivered message changes nothing and returns
    nothing."""
    return [Ingested(recorded.call, recorded.previous,
                     reactions(integration["rules"], recorded.previous, recorded.call))
            for recorded in recorded_calls(store, integration, message) if recorded.changed]
