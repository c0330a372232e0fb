"""The consumer's part of a webhook request: the queued message becomes stored calls and the
intents their changes raise (reactions.py). The edge's part is webhooks.py."""
from dataclasses import dataclass

from services.telephony.adapters import dialect_named
from services.telephony.adapters.base import WebhookRequest
from services.telephony.reactions import reactions
from services.telephony.store import dialect_settings


@dataclass(frozen=True)
class Ingested:
    call: dict
    previous: dict | None
    reactions: list


def ingest(telephony, integration, message):
    """A queued message (`WebhookRequest.as_message()`) of `integration` -> what changed, each
    call with the intents its change raises. A redelivered message changes nothing and returns
    nothing."""
    request = WebhookRequest.from_message(message)
    events = dialect_named(integration["dialect"]).parse(request, dialect_settings(integration))
    return [Ingested(recorded.call, recorded.previous,
                     reactions(integration["rules"], recorded.previous, recorded.call))
            for recorded in telephony.calls.record(integration, events) if recorded.changed]
