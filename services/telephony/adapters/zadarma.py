"""Zadarma: form POSTs with an `event` field, signed in the `Signature` header.

Signature = base64 of the lowercase hex text of HMAC-SHA1(API secret, signed string), where the
signed string concatenates fields that depend on the event type (SIGNED below). Saving the URL
in Zadarma first sends a GET with `zd_echo`, answered with exactly that value.

Decisions where Zadarma's documentation is silent (docs/telephony.md):
- `call_start` is read in the integration's time zone (Zadarma shows times in the account's).
- `duration` of *_END is counted as conversation seconds when the call was answered, else 0.
- NOTIFY_OUT_START / NOTIFY_OUT_END to an extension (a `destination` of up to 6 digits) is an
  internal call.
- NOTIFY_ANSWER and NOTIFY_RECORD carry no time of their own: receipt time stands in.
- An event type not listed here (NOTIFY_IVR, SMS, ...) is acknowledged at once and goes no
  further: we cannot verify what we do not know the signed string of, and refusing it would make
  Zadarma report errors for notifications an administrator merely left switched on.
"""
import base64
import hashlib
import hmac

from services.telephony.adapters.base import (BadSignature, Dialect, MalformedBody, Reply, event,
                                              optional_text, parse_int, parse_time, required_text,
                                              single_values)
from services.telephony.call_events import ANSWERED, ENDED, RECORDING, RINGING
from services.telephony.numbers import is_extension

SIGNED = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
}
DISPOSITIONS = {
    "answered": "answered", "busy": "busy", "cancel": "missed", "no answer": "missed",
    "failed": "failed", "no money": "failed", "unallocated number": "failed",
    "no limit": "failed", "no day limit": "failed", "line limit": "failed",
    "no money, no limit": "failed",
}


def signature(secret, fields, name):
    signed = "".join(fields.get(part, "") for part in SIGNED[name])
    digest = hmac.new(secret.encode(), signed.encode(), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode()).decode()


class ZadarmaDialect(Dialect):
    name = "zadarma"
    secrets = ("secret",)

    def handshake(self, request):
        echo = request.query.get("zd_echo")
        if isinstance(echo, list):
            echo = echo[0] if echo else None
        if echo is not None:
            # Zadarma checks with a GET; PHP's $_GET in its examples reads the query of any method
            return Reply(200, echo)
        if request.method.upper() == "POST" and request.is_form():
            name = single_values(request.form()).get("event", "").strip()
            if name and name not in SIGNED:
                return Reply(200, "")  # a notification we do not read: nothing to keep
        return None

    def authenticate(self, request, secrets):
        fields = self._fields(request)
        given = request.header("Signature")
        if not given:
            raise BadSignature("The Signature header is missing.")
        expected = signature(secrets["secret"], fields, fields["event"])
        if not hmac.compare_digest(given.strip().encode(), expected.encode()):
            raise BadSignature(f"The Signature does not match the {fields['event']} fields.")

    def parse(self, request, settings):
        fields = self._fields(request)
        name = fields["event"]
        numbers, zone = settings.numbering, settings.zone
        started = parse_time(fields.get("call_start"), zone, "call_start")
        common = {"call_key": required_text(fields, "pbx_call_id"), "name": name,
                  "started_at": started}
        internal = numbers.employee_reference(fields.get("internal"))
        if name in ("NOTIFY_START", "NOTIFY_INTERNAL"):
            line = numbers.normalize(fields.get("called_did"))
            return [event(self, request, fields, kind=RINGING, direction="in",
                          caller=numbers.normalize(fields.get("caller_id")), callee=line,
                          line=line, **common)]
        if name == "NOTIFY_ANSWER":
            answering = internal or numbers.employee_reference(fields.get("destination"))
            return [event(self, request, fields, kind=ANSWERED, extension=answering,
                          caller=numbers.normalize(fields.get("caller_id")), **common)]
        if name == "NOTIFY_OUT_START":
            return [event(self, request, fields, kind=RINGING, **_outgoing(fields, numbers),
                          **common)]
        if name in ("NOTIFY_END", "NOTIFY_OUT_END"):
            return [self._end(request, fields, settings, internal, common)]
        reference = required_text(fields, "call_id_with_rec")
        return [event(self, request, fields, kind=RECORDING, recording=reference,
                      recording_ready=True, **common)]

    def _end(self, request, fields, settings, internal, common):
        numbers = settings.numbering
        status = (optional_text(fields, "disposition") or "").lower()
        if status not in DISPOSITIONS:
            raise MalformedBody(f"disposition: not a Zadarma disposition: {status!r}.")
        disposition = DISPOSITIONS[status]
        recorded = optional_text(fields, "is_recorded") == "1"
        recording = optional_text(fields, "call_id_with_rec") if recorded else None
        if common["name"] == "NOTIFY_END":
            line = numbers.normalize(fields.get("called_did"))
            parties = {"direction": "in", "caller": numbers.normalize(fields.get("caller_id")),
                       "callee": line, "line": line}
        else:
            parties = _outgoing(fields, numbers)
        duration = parse_int(fields.get("duration"), "duration")
        return event(self, request, fields, kind=ENDED, final=True, disposition=disposition,
                     # duration of a call nobody answered is not conversation
                     talk_seconds=duration if disposition == "answered" else 0,
                     extension=internal if disposition == "answered" else None,
                     recording=recording, **parties, **common)

    @staticmethod
    def _fields(request):
        if request.is_form():
            fields = single_values(request.form())
        else:
            # Zadarma posts forms; a JSON object with the same fields is read the same way.
            payload = request.json()
            if not isinstance(payload, dict):
                raise MalformedBody("Expected form fields.")
            fields = {name: value if isinstance(value, str) else str(value)
                      for name, value in payload.items() if value is not None}
        name = required_text(fields, "event")
        if name not in SIGNED:
            raise MalformedBody(f"event: {name!r} is not a notification we accept "
                                f"({', '.join(SIGNED)}).")
        return fields


def _outgoing(fields, numbers):
    """Parties of a call an extension placed: to a phone number (out; caller_id, when sent, is
    the number we called from: our line), or to another extension (internal)."""
    callee = numbers.normalize(fields.get("destination"))
    caller = numbers.employee_reference(fields.get("internal"))
    if is_extension(callee):
        return {"direction": "internal", "caller": caller, "callee": callee}
    shown = numbers.normalize(fields.get("caller_id"))
    return {"direction": "out", "caller": caller, "callee": callee,
            "line": shown if shown and not is_extension(shown) else None}
