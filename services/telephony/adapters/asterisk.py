"""Asterisk: AMI events and CDRs as a forwarder or the dialplan posts them.

Asterisk has no webhook of its own. We accept AMI events with AMI's own field names (a forwarder
turns each `Key: value` block into a JSON object and posts it, alone or in a list) and the same
fields as form data (what dialplan `CURL()` and a MixMonitor command post). The URL carries the
integration's token. docs/telephony.md has the dialplan snippet and the forwarder recipe.

Events read (others, such as FullyBooted or VarSet, are accepted and ignored):
- Newchannel, DialBegin: ringing; the call's first channel (Uniqueid == Linkedid) names the
  caller (CallerIDNum) and the number dialled (Exten).
- DialEnd: DialStatus ANSWER is an answer by the dialled channel; other statuses end that leg.
- AgentConnect: a queue member answered.
- Hangup: the first channel hanging up ends the call; any other ends its leg. Cause is Q.850.
- Cdr: the call's record (Source, Destination, StartTime, AnswerTime, EndTime, BillableSeconds,
  Disposition); its key is Linkedid when the forwarder adds it, else UniqueID.
- Recording (ours): Linkedid and File (path or URL), posted by MixMonitor's command.
Optional everywhere: Timestamp (AMI `timestampevents=yes`, or ${EPOCH}), Direction
(in/out/internal, which the dialplan knows from its context), Extension (who answered); on
Newchannel and Cdr, TicketReference (or the CDR's UserField) names our ticket an outgoing call
was dialled from.
"""
import hmac
import re

from services.telephony.adapters.base import (MAX_EVENTS_PER_REQUEST, EMPTY_JSON, BadSignature,
                                              Dialect, MalformedBody, event, optional_text,
                                              parse_int, parse_time, required_text,
                                              single_values, ticket_reference)
from services.telephony.call_events import ANSWERED, ENDED, LEG_ENDED, RECORDING, RINGING
from services.telephony.numbers import is_extension

# A device channel is Technology/resource-suffix (PJSIP/101-0000002a) or Local/101@context-...
CHANNEL = re.compile(r"^[A-Za-z0-9_]+/([^@/\-;]+)")
CAUSES = {17: "busy", 21: "busy", 18: "missed", 19: "missed",
          **{code: "failed" for code in (1, 3, 27, 28, 34, 38, 41, 42, 44, 58)}}
DIAL_STATUSES = {"BUSY": "busy", "NOANSWER": "missed", "CANCEL": "missed",
                 "CONGESTION": "failed", "CHANUNAVAIL": "failed"}
CDR_DISPOSITIONS = {"ANSWERED": "answered", "NO ANSWER": "missed", "BUSY": "busy",
                    "FAILED": "failed", "CONGESTION": "failed"}
DIRECTIONS = ("in", "out", "internal")


class AsteriskDialect(Dialect):
    name = "asterisk"
    secrets = ("token",)

    def authenticate(self, request, secrets):
        token = request.url_token or ""
        if not hmac.compare_digest(token.encode(), secrets["token"].encode()):
            raise BadSignature("The URL token is not this integration's.")

    def parse(self, request, settings):
        found = []
        for position, payload in enumerate(self._payloads(request)):
            name = optional_text(payload, "Event")
            reader = READERS.get(name)
            if reader is None:
                continue
            try:
                found += reader(self, request, dict(payload, Event=name), settings)
            except MalformedBody as error:
                raise MalformedBody(f"event {position}: {error.reason}") from None
        return found

    def reply(self, request):
        return EMPTY_JSON

    @staticmethod
    def _payloads(request):
        if request.is_form():
            return [single_values(request.form())]
        body = request.json()
        payloads = body if isinstance(body, list) else [body]
        if len(payloads) > MAX_EVENTS_PER_REQUEST:
            raise MalformedBody(f"At most {MAX_EVENTS_PER_REQUEST} events in one request.")
        if not all(isinstance(payload, dict) for payload in payloads):
            raise MalformedBody("Expected a JSON object or a list of objects.")
        return payloads


def _common(payload, settings, name):
    # A Cdr carries no Linkedid unless cdr_manager maps it; its UniqueID is the first channel's.
    call_key = optional_text(payload, "Linkedid") or required_text(
        payload, "UniqueID" if name == "Cdr" else "Linkedid")
    return {"call_key": call_key, "name": name,
            "occurred_at": parse_time(payload.get("Timestamp"), settings.zone, "Timestamp")}


def _direction(payload, caller, callee):
    stated = optional_text(payload, "Direction")
    if stated is not None:
        if stated not in DIRECTIONS:
            raise MalformedBody("Direction: in, out or internal.")
        return stated
    if is_extension(caller) and is_extension(callee):
        return "internal"
    return "out" if is_extension(caller) else "in"


def _parties(payload, settings, caller_field, callee_field):
    numbers = settings.numbering
    caller = numbers.normalize(payload.get(caller_field))
    callee = numbers.normalize(payload.get(callee_field))
    direction = _direction(payload, caller, callee)
    line = callee if direction == "in" and callee and not is_extension(callee) else None
    return {"direction": direction, "caller": caller, "callee": callee, "line": line}


def _answerer(payload, settings, *channel_fields):
    stated = optional_text(payload, "Extension")
    if stated is not None:
        return settings.numbering.employee_reference(stated)
    for name in channel_fields:
        match = CHANNEL.match(optional_text(payload, name) or "")
        if match:
            return settings.numbering.employee_reference(match.group(1))
    return None


def _channel_started(dialect, request, payload, settings):
    common = _common(payload, settings, payload["Event"])
    leg = required_text(payload, "Uniqueid")
    parties = {}
    if payload["Event"] == "Newchannel" and leg == common["call_key"]:
        parties = _parties(payload, settings, "CallerIDNum", "Exten")
    elif payload["Event"] == "DialBegin":
        leg = optional_text(payload, "DestUniqueid") or leg
    return [event(dialect, request, payload, kind=RINGING, leg_key=leg, **parties,
                  ticket_reference=ticket_reference(payload, "TicketReference"), **common)]


def _dial_end(dialect, request, payload, settings):
    common = _common(payload, settings, "DialEnd")
    status = (optional_text(payload, "DialStatus") or "").upper()
    leg = optional_text(payload, "DestUniqueid")
    if status == "ANSWER":
        return [event(dialect, request, payload, kind=ANSWERED,
                      leg_key=leg or required_text(payload, "Uniqueid"),
                      extension=_answerer(payload, settings, "DestChannel"), **common)]
    if leg is None or status not in DIAL_STATUSES:
        return []  # no leg to end, or a status (such as a redirect) that ends nothing
    return [event(dialect, request, payload, kind=LEG_ENDED, leg_key=leg,
                  disposition=DIAL_STATUSES[status], **common)]


def _agent_connect(dialect, request, payload, settings):
    common = _common(payload, settings, "AgentConnect")
    leg = optional_text(payload, "DestUniqueid") or required_text(payload, "Uniqueid")
    return [event(dialect, request, payload, kind=ANSWERED, leg_key=leg,
                  extension=_answerer(payload, settings, "Interface", "DestChannel"), **common)]


def _hangup(dialect, request, payload, settings):
    common = _common(payload, settings, "Hangup")
    leg = required_text(payload, "Uniqueid")
    cause = parse_int(payload.get("Cause"), "Cause")
    first = leg == common["call_key"]
    return [event(dialect, request, payload, kind=ENDED if first else LEG_ENDED, leg_key=leg,
                  disposition=CAUSES.get(cause), **common)]


def _cdr(dialect, request, payload, settings):
    common = _common(payload, settings, "Cdr")
    unique = required_text(payload, "UniqueID")
    status = (optional_text(payload, "Disposition") or "").upper()
    if status not in CDR_DISPOSITIONS:
        raise MalformedBody(f"Disposition: one of {', '.join(CDR_DISPOSITIONS)}.")
    disposition = CDR_DISPOSITIONS[status]
    zone = settings.zone
    answered = parse_time(payload.get("AnswerTime"), zone, "AnswerTime")
    first = unique == common["call_key"]
    return [event(
        dialect, request, payload, kind=ENDED if first else LEG_ENDED, final=first, leg_key=unique,
        disposition=disposition, **_parties(payload, settings, "Source", "Destination"),
        extension=_answerer(payload, settings, "DestinationChannel")
        if disposition == "answered" else None,
        started_at=parse_time(payload.get("StartTime"), zone, "StartTime"),
        answered_at=answered if disposition == "answered" else None,
        ended_at=parse_time(payload.get("EndTime"), zone, "EndTime"),
        talk_seconds=parse_int(payload.get("BillableSeconds"), "BillableSeconds"),
        ticket_reference=ticket_reference(payload, "TicketReference", "UserField"), **common)]


def _recording(dialect, request, payload, settings):
    common = _common(payload, settings, "Recording")
    return [event(dialect, request, payload, kind=RECORDING,
                  recording=required_text(payload, "File"), recording_ready=True, **common)]


READERS = {"Newchannel": _channel_started, "DialBegin": _channel_started, "DialEnd": _dial_end,
           "AgentConnect": _agent_connect, "Hangup": _hangup, "Cdr": _cdr,
           "Recording": _recording}
