"""Mango Office Realtime API: form fields vpbx_api_key, sign, json posted to <url>/events/...

sign = hex(sha256(vpbx_api_key + json + vpbx_api_salt)) over the raw `json` text: a plain
SHA-256 of the concatenation, not an HMAC.

Events read: /events/call (legs by call_id, ordered by seq), /events/summary (the whole call,
entry_id), /events/recording (recording_id, state) and /events/record/added (downloadable).
Others (/events/dtmf, /events/sms, /events/record/tagged, /result/...) are authenticated and
yield no call events; the connector's connection check (a `ping`, or a POST with no fields) is
answered without anything to verify. Unknown extra fields (dct, transfer, sip_call_id,
command_id, product_id, user_id, ...) are kept in the raw event only. Decisions
(docs/telephony.md):
- Connected counts as answered at location `abonent` only: an IVR or a queue picking up is not a
  person answering. Without `location` (Mango's own transfer examples omit it), an extension of
  ours on the leg makes it a person.
- A recording is ready when record/added says so, not when it is Completed.
- entry_result 1 with a non-zero talk_time is answered, anything else missed; Mango's
  disconnect_reason codes are kept in the raw event, not interpreted.
- Timestamps are read as Unix seconds, whatever "UTC+3" Mango's field tables add.
"""
import hashlib
import hmac
import json

from services.telephony.adapters.base import (BadSignature, Dialect, MalformedBody, Reply, event,
                                              optional_text, parse_int, parse_time,
                                              required_text)
from services.telephony.call_events import ANSWERED, ENDED, LEG_ENDED, RECORDING, RINGING

CALL_STATES = {"Appeared": RINGING, "Connected": ANSWERED, "OnHold": ANSWERED,
               "Disconnected": LEG_ENDED}
SUMMARY_DIRECTIONS = {0: "internal", 1: "in", 2: "out"}
RECORDING_STATES = ("Started", "Continued", "Completed")
PERSON_LOCATION = "abonent"


def sign(api_key, json_text, api_salt):
    return hashlib.sha256((api_key + json_text + api_salt).encode("utf-8")).hexdigest()


class MangoDialect(Dialect):
    name = "mango"
    secrets = ("api_key", "api_salt")

    def handshake(self, request):
        # The connection check of Mango's API connector: a `ping`, or a POST with no fields.
        if _suffix(request).endswith("ping") or not request.body.strip():
            return Reply(200, "")
        return None

    def authenticate(self, request, secrets):
        fields = _fields(request)
        if not hmac.compare_digest(fields["vpbx_api_key"].encode(), secrets["api_key"].encode()):
            raise BadSignature("vpbx_api_key is not this integration's key.")
        expected = sign(secrets["api_key"], fields["json"], secrets["api_salt"])
        if not hmac.compare_digest(fields["sign"].lower().encode(), expected.encode()):
            raise BadSignature("sign does not match sha256(vpbx_api_key + json + salt).")

    def parse(self, request, settings):
        suffix = _suffix(request)
        reader = {"events/call": self._call, "events/summary": self._summary,
                  "events/recording": self._recording,
                  "events/record/added": self._record_added}.get(suffix)
        if reader is None:
            return []
        payload = _payload(_fields(request))
        return [reader(request, payload, settings)]

    def _call(self, request, payload, settings):
        state = required_text(payload, "call_state")
        if state not in CALL_STATES:
            raise MalformedBody(f"call_state: one of {', '.join(CALL_STATES)}.")
        kind = CALL_STATES[state]
        source, target = _party(payload, "from"), _party(payload, "to")
        numbers = settings.numbering
        line = numbers.normalize(target.get("line_number"))
        if source.get("extension") and target.get("extension"):
            direction, caller, callee = "internal", source["extension"], target["extension"]
            ours = source["extension"]
        elif source.get("extension"):
            direction, caller = "out", source["extension"]
            callee, ours = numbers.normalize(target.get("number")), source["extension"]
        else:
            direction, caller = "in", numbers.normalize(source.get("number"))
            callee, ours = line, target.get("extension")
        if kind == ANSWERED and not _person_on_leg(payload, ours):
            kind = RINGING
        return event(
            self, request, payload, call_key=required_text(payload, "entry_id"),
            leg_key=required_text(payload, "call_id"), kind=kind, name=f"call:{state}",
            sequence=parse_int(payload.get("seq"), "seq"),
            occurred_at=_time(payload, "timestamp", settings), direction=direction,
            caller=caller, callee=callee, line=line,
            extension=numbers.employee_reference(ours) if kind == ANSWERED else None)

    def _summary(self, request, payload, settings):
        direction = SUMMARY_DIRECTIONS.get(parse_int(payload.get("call_direction"),
                                                     "call_direction"))
        if direction is None:
            raise MalformedBody("call_direction: 0, 1 or 2.")
        result = parse_int(payload.get("entry_result"), "entry_result")
        if result not in (0, 1):
            raise MalformedBody("entry_result: 0 or 1.")
        source, target = _party(payload, "from"), _party(payload, "to")
        numbers = settings.numbering
        line = numbers.normalize(payload.get("line_number"))
        if direction == "in":
            caller, callee = numbers.normalize(source.get("number")), line
            ours = target.get("extension")
        elif direction == "out":
            caller, callee = source.get("extension"), numbers.normalize(target.get("number"))
            ours = source.get("extension")
        else:
            caller, callee, ours = source.get("extension"), target.get("extension"), target.get(
                "extension")
        talk = _time(payload, "talk_time", settings, zero_is_none=True)
        ended = _time(payload, "end_time", settings)
        # Mango documents entry_result 1 as "answered and talked", yet its own example of a call
        # that ended in the IVR says 1 with talk_time 0: nobody of ours spoke, so it is missed.
        answered = result == 1 and parse_int(payload.get("talk_time"), "talk_time") != 0
        return event(
            self, request, payload, call_key=required_text(payload, "entry_id"), kind=ENDED,
            name="summary", final=True, occurred_at=ended, direction=direction,
            caller=numbers.normalize(caller) if caller else None,
            callee=numbers.normalize(callee) if callee else None, line=line,
            extension=numbers.employee_reference(ours) if answered else None,
            disposition="answered" if answered else "missed",
            started_at=_time(payload, "create_time", settings), answered_at=talk, ended_at=ended,
            talk_seconds=max(0, int((ended - talk).total_seconds())) if talk and ended else 0)

    def _recording(self, request, payload, settings):
        state = required_text(payload, "recording_state")
        if state not in RECORDING_STATES:
            raise MalformedBody(f"recording_state: one of {', '.join(RECORDING_STATES)}.")
        return event(
            self, request, payload, call_key=required_text(payload, "entry_id"),
            leg_key=required_text(payload, "call_id"), kind=RECORDING,
            name=f"recording:{state}", sequence=parse_int(payload.get("seq"), "seq"),
            occurred_at=_time(payload, "timestamp", settings),
            recording=required_text(payload, "recording_id"))

    def _record_added(self, request, payload, settings):
        return event(
            self, request, payload, call_key=required_text(payload, "entry_id"), kind=RECORDING,
            name="record_added", occurred_at=_time(payload, "timestamp", settings),
            recording=required_text(payload, "recording_id"), recording_ready=True)


def _suffix(request):
    return request.suffix.strip("/").lower()


def _fields(request):
    form = request.form()  # Mango always posts form fields, whatever the Content-Type says
    fields = {}
    for name in ("vpbx_api_key", "sign", "json"):
        values = form.get(name)
        if not values or not values[0]:
            raise MalformedBody(f"{name}: required form field.")
        fields[name] = values[0]
    return fields


def _payload(fields):
    try:
        payload = json.loads(fields["json"])
    except ValueError as error:
        raise MalformedBody(f"json: not JSON: {error}.") from None
    if not isinstance(payload, dict):
        raise MalformedBody("json: expected an object.")
    return payload


def _party(payload, name):
    party = payload.get(name) or {}
    if not isinstance(party, dict):
        raise MalformedBody(f"{name}: expected an object.")
    return {key: str(value).strip() for key, value in party.items()
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip()}


def _person_on_leg(payload, ours):
    """Whether a Connected leg is a conversation with our person rather than an IVR or a queue
    picking up. `location` says so when present; Mango's own examples of transfers omit it, and
    then an extension of ours on the leg is what tells."""
    location = optional_text(payload, "location")
    if location is not None:
        return location == PERSON_LOCATION
    return ours is not None


def _time(payload, name, settings, zero_is_none=False):
    value = payload.get(name)
    if zero_is_none and parse_int(value, name) == 0:
        return None
    moment = parse_time(value, settings.zone, name)
    if moment is None and not zero_is_none:
        raise MalformedBody(f"{name}: required.")
    return moment
