"""The generic CTI dialect: newCall / answer / hangup as many PBX bridges already post them.

The PBX posts JSON or form data to the integration's URL, which carries the secret token.
Fields: event, from, to, direction (in/out), callId, user (user[] in forms), queue,
answeringNumber, cause (hangup).

Our additions, both optional and documented in docs/telephony.md:
- `recordingUrl` on hangup, or a separate `record` event with `callId` and `recordingUrl`;
- `timestamp` (unix seconds or ISO 8601 with offset) on any event: the protocol has no event
  time, so without it times are those of receipt at our edge;
- `ticketReference` on any event: our ticket (its number or id) an outgoing call was dialled
  from, for PBX bridges that can pass it through.
Unlike the well-known implementation, events are accepted in any order: an `answer` or `hangup`
before its `newCall` is normal over retried HTTP.
"""
import hmac

from services.telephony.adapters.base import (EMPTY_JSON, BadSignature, Dialect, MalformedBody,
                                              event, optional_text, parse_time, required_text,
                                              ticket_reference)
from services.telephony.call_events import ANSWERED, ENDED, RECORDING, RINGING

KINDS = {"newCall": RINGING, "answer": ANSWERED, "hangup": ENDED, "record": RECORDING}
DIRECTIONS = {"in": "in", "out": "out"}
# Causes that say how the call ended; the others (normalClearing, forwarded) leave it to whether
# anyone answered: a forwarded call nobody answered here is a call to return.
CAUSES = {"busy": "busy", "cancel": "missed", "noAnswer": "missed", "congestion": "failed",
          "notFound": "failed"}
KNOWN_CAUSES = set(CAUSES) | {"normalClearing", "forwarded"}


class GenericDialect(Dialect):
    name = "generic"
    secrets = ("token",)

    def authenticate(self, request, secrets):
        token = request.url_token or ""
        if not hmac.compare_digest(token.encode(), secrets["token"].encode()):
            raise BadSignature("The URL token is not this integration's.")

    def parse(self, request, settings):
        payload = self._payload(request)
        name = required_text(payload, "event")
        if name not in KINDS:
            raise MalformedBody(f"event: one of {', '.join(KINDS)}, not {name!r}.")
        kind = KINDS[name]
        direction = optional_text(payload, "direction")
        if direction is not None and direction not in DIRECTIONS:
            raise MalformedBody("direction: 'in' or 'out'.")
        cause = optional_text(payload, "cause")
        if cause is not None and cause not in KNOWN_CAUSES:
            raise MalformedBody(f"cause: one of {', '.join(sorted(KNOWN_CAUSES))}.")
        recording = optional_text(payload, "recordingUrl")
        if kind == RECORDING and recording is None:
            raise MalformedBody("recordingUrl: required on a record event.")
        numbers = settings.numbering
        caller = numbers.normalize(payload.get("from"))
        callee = numbers.normalize(payload.get("to"))
        # Our line is the number the client dialled (in) or the one we called from (out), when
        # it is a phone number rather than an extension.
        ours = callee if direction == "in" else caller if direction == "out" else None
        answering = numbers.employee_reference(payload.get("answeringNumber"))
        disposition = CAUSES.get(cause) if kind == ENDED else None
        if kind == ENDED and disposition is None and answering is not None:
            disposition = "answered"  # a hangup naming who answered says the call was answered
        if answering is None and direction == "out" and kind in (ANSWERED, ENDED):
            answering = caller  # on an outgoing call, our person is the one who dialled
        return [event(
            self, request, payload, call_key=required_text(payload, "callId"), kind=kind,
            name=name, final=kind == ENDED,
            occurred_at=parse_time(payload.get("timestamp"), settings.zone, "timestamp"),
            direction=direction, caller=caller, callee=callee,
            line=ours if ours is not None and ours.startswith("+") else None,
            extension=answering if kind in (ANSWERED, ENDED) else None,
            disposition=disposition,
            recording=recording, recording_ready=recording is not None,
            ticket_reference=ticket_reference(payload, "ticketReference"),
            ringing=self._ringing(payload, numbers) if kind == RINGING else ())]

    @staticmethod
    def _ringing(payload, numbers):
        """Whose phones a newCall rings: `user` (one or a list), else an extension in `to`."""
        users = payload.get("user")
        users = [users] if isinstance(users, str) else users if isinstance(users, list) else []
        if not users and payload.get("direction") == "in":
            users = [payload.get("to")]
        found = (numbers.employee_reference(user) for user in users if isinstance(user, str))
        return tuple(sorted({reference for reference in found if reference}))

    def reply(self, request):
        return EMPTY_JSON

    @staticmethod
    def _payload(request):
        if request.is_form():
            form = request.form()
            payload = {name.removesuffix("[]"): values if name.endswith("[]") else values[0]
                       for name, values in form.items()}
        else:
            payload = request.json()
        if not isinstance(payload, dict):
            raise MalformedBody("Expected a JSON object or form fields.")
        return payload
