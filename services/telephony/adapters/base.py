"""The contract every PBX dialect fulfils, and the request it reads.

A dialect answers four questions about an incoming webhook request:
- `handshake`: is it answered at once, with nothing verified or queued: the vendor checking
  the URL, or a notification the dialect does not read?
- `authenticate`: does it carry the integration's secret or a valid signature? Pure: it needs
  the request and the integration's secrets only, so the webhook edge can check before queueing
  even while the telephony service is down.
- `parse`: which call events does it describe (zero or more)? Runs where the raw request is
  consumed; needs the integration's settings (numbering, time zone), not its secrets.
- `reply`: what the vendor expects back once the request is accepted.

Refusals are exceptions with a reason: `BadSignature` (the edge answers 401) and `MalformedBody`
(400). Neither queues anything.
"""
import base64
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from services.telephony.call_events import CallEvent, canonical_json
from services.telephony.numbers import Numbering

DEFAULT_TIME_ZONE = "Europe/Moscow"
MAX_EVENTS_PER_REQUEST = 100
MAX_FORM_FIELDS = 500
MULTIPART = "multipart/form-data"


class WebhookRejected(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class BadSignature(WebhookRejected):
    """The request does not prove it comes from the integration's PBX."""


class MalformedBody(WebhookRejected):
    """The request is authentic or unauthenticated but cannot be read as this dialect."""


@dataclass(frozen=True)
class WebhookRequest:
    """What the webhook edge received, enough to authenticate and parse it later.

    suffix: the URL path after the integration's webhook URL (Mango posts to `<url>/events/call`).
    url_token: the secret segment of the URL, for dialects authenticated by it.
    headers: names in lower case.
    """
    method: str
    body: bytes
    received_at: datetime
    content_type: str = ""
    headers: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    suffix: str = ""
    url_token: str | None = None

    def header(self, name):
        return self.headers.get(name.lower())

    def text(self):
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedBody("The body is not UTF-8 text.") from None

    def media_type(self):
        return self.content_type.split(";")[0].strip().lower()

    def is_form(self):
        return self.media_type() in ("application/x-www-form-urlencoded", MULTIPART)

    def form(self):
        """Form fields: name -> list of values (`user[]` may repeat). URL-encoded unless the
        Content-Type says multipart (what `curl --form` and PHP's curl with an array send)."""
        if self.media_type() == MULTIPART:
            return _multipart_fields(self.content_type, self.body)
        try:
            return parse_qs(self.text(), keep_blank_values=True, strict_parsing=bool(self.body),
                            max_num_fields=MAX_FORM_FIELDS)
        except ValueError as error:
            raise MalformedBody(f"Not form data: {error}.") from None

    def json(self):
        try:
            return json.loads(self.text())
        except ValueError as error:
            raise MalformedBody(f"Not JSON: {error}.") from None

    def as_message(self):
        """A JSON-ready dict for the durable queue; `from_message` gives the request back."""
        return {"method": self.method, "body": base64.b64encode(self.body).decode("ascii"),
                "received_at": self.received_at.isoformat(), "content_type": self.content_type,
                "headers": dict(self.headers), "query": dict(self.query), "suffix": self.suffix,
                "url_token": self.url_token}

    @classmethod
    def from_message(cls, message):
        return cls(**dict(message, body=base64.b64decode(message["body"]),
                          received_at=datetime.fromisoformat(message["received_at"])))


def _multipart_fields(content_type, body):
    try:
        head = f"Content-Type: {content_type}\r\n\r\n".encode("ascii")
    except UnicodeEncodeError:
        raise MalformedBody("Content-Type: not ASCII.") from None
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.defects:
        raise MalformedBody("Not multipart form data: no boundary, or parts that do not read.")
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise MalformedBody("Not multipart form data: a part without a field name.")
        if len(fields) >= MAX_FORM_FIELDS and name not in fields:
            raise MalformedBody(f"At most {MAX_FORM_FIELDS} form fields.")
        try:
            value = (part.get_payload(decode=True) or b"").decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedBody(f"{name}: not UTF-8 text.") from None
        fields.setdefault(name, []).append(value)
    return fields


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: str = ""
    content_type: str = "text/plain; charset=utf-8"


EMPTY_JSON = Reply(200, "{}", "application/json")


@dataclass(frozen=True)
class DialectSettings:
    """The integration settings a dialect needs to read a request (never its secrets)."""
    numbering: Numbering = field(default_factory=Numbering)
    time_zone: str = DEFAULT_TIME_ZONE

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)


class Dialect(ABC):
    name: str
    secrets: tuple  # the names of the secrets an integration of this dialect must have

    def handshake(self, request):
        """The reply to a vendor's URL check or to a notification this dialect does not read
        (nothing from it is kept), or None for a request to authenticate and queue."""
        return None

    @abstractmethod
    def authenticate(self, request, secrets):
        """Return if the request is authentic; raise BadSignature (or MalformedBody when the
        fields the proof needs are missing or unreadable)."""

    @abstractmethod
    def parse(self, request, settings):
        """The request's call events; raise MalformedBody naming what is wrong."""

    def reply(self, request):
        return Reply()


# -- helpers the dialects share ------------------------------------------------------------------

def event(dialect, request, payload, **fields):
    """A CallEvent of `dialect` for `payload`, at the time the vendor states or else on receipt."""
    occurred_at = fields.pop("occurred_at", None) or stored_time(request.received_at)
    raw = canonical_json(payload)
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        # JSON may escape lone surrogates (\ud800) that no store can keep; every field of the
        # event comes from this payload, so checking it covers them all.
        raise MalformedBody("The payload holds text that is not valid Unicode.") from None
    return CallEvent(vendor=dialect.name, raw=raw, occurred_at=occurred_at, **fields)


def stored_time(moment):
    """Naive UTC at millisecond precision, as BSON keeps it: a stored event equals a parsed one."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def parse_time(value, zone, field_name):
    """A vendor time: unix seconds (number or digits), ISO 8601 with offset, or a local
    'YYYY-MM-DD HH:MM:SS' in the integration's time zone. Empty -> None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MalformedBody(f"{field_name}: not a time.")
    try:
        if isinstance(value, (int, float)) or _is_number(value):
            return stored_time(datetime.fromtimestamp(float(value), timezone.utc))
        moment = datetime.fromisoformat(value.strip())
    except (ValueError, OverflowError, OSError, TypeError):
        raise MalformedBody(f"{field_name}: not a time: {value!r}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return stored_time(moment)


def _is_number(text):
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return text.strip().lower() not in ("nan", "inf", "-inf", "infinity", "+inf")


def parse_int(value, field_name):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise MalformedBody(f"{field_name}: not a whole number.")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise MalformedBody(f"{field_name}: not a whole number: {value!r}.") from None
    if not -2**62 < number < 2**62:  # what BSON can store
        raise MalformedBody(f"{field_name}: out of range.")
    return number


def required_text(payload, name, where=""):
    value = payload.get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise MalformedBody(f"{where}{name}: required.")
    return value.strip()


def optional_text(payload, name):
    value = payload.get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def ticket_reference(payload, *names):
    """Our ticket's number or id as the PBX passed it back, or None."""
    for name in names:
        value = optional_text(payload, name)
        if value is not None:
            if len(value) > 64:
                raise MalformedBody(f"{name}: at most 64 characters.")
            return value
    return None


def single_values(form):
    """Form fields with one value each (the first), for dialects that never repeat a field."""
    return {name: values[0] for name, values in form.items()}
