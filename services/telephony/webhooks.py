"""The webhook edge's part: screening a request before it is queued.

It needs only the dialect's name and the integration's secrets, and imports nothing but the
adapters, so the gateway can run it while the telephony service is down. The consumer's part is
ingestion.py.
"""
from dataclasses import dataclass

from services.telephony.adapters import dialect_named
from services.telephony.adapters.base import DialectSettings, Reply


@dataclass(frozen=True)
class Screened:
    """queue: whether the request must be queued (with publisher confirms) before `reply`."""
    queue: bool
    reply: Reply


def screen(dialect_name, secrets, request):
    """Handshake, or authenticate and check that the body reads; BadSignature (401) and
    MalformedBody (400) propagate, and nothing is to be queued then.

    The body is parsed with default settings only to refuse what cannot be read while the
    sender is still listening; the consumer parses it again with the integration's settings.
    """
    dialect = dialect_named(dialect_name)
    answered = dialect.handshake(request)
    if answered is not None:
        return Screened(False, answered)
    dialect.authenticate(request, secrets)
    dialect.parse(request, DialectSettings())
    return Screened(True, dialect.reply(request))
