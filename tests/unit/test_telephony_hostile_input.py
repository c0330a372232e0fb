"""Whatever a sender posts, a dialect either reads call events or refuses with MalformedBody
naming why: never another exception (the edge would answer 500) and never an event that cannot
be folded or stored."""
import json
from datetime import datetime, timezone
from urllib.parse import urlencode

import bson
from hypothesis import given, settings
from hypothesis import strategies as st

from services.telephony.adapters import dialect_named
from services.telephony.adapters.base import DialectSettings, MalformedBody, WebhookRequest
from services.telephony.adapters.mango import sign
from services.telephony.adapters.zadarma import SIGNED
from services.telephony.calls import fold

AT = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
SETTINGS = DialectSettings()
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
           | st.sampled_from(["", "0", "101", "+74951234567", "8 (916) 123-45-67", "1796036400",
                              "2026-11-30 12:00:01", "nan", "\ud800"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=6)
HOSTILE = settings(max_examples=100, deadline=None, derandomize=True, database=None)


def payloads(names, events, event_field):
    return st.fixed_dictionaries(
        {event_field: st.sampled_from(events) | VALUES},
        optional={name: VALUES for name in names})


def outcome(dialect, request):
    try:
        found = dialect.parse(request, SETTINGS)
    except MalformedBody as refused:
        assert refused.reason
        return
    for call_key in {event.call_key for event in found}:
        call = fold([event for event in found if event.call_key == call_key])
        bson.encode(call.to_document())


def json_request(payload, **extra):
    return WebhookRequest("POST", json.dumps(payload).encode(), AT, "application/json", **extra)


@HOSTILE
@given(payloads(["from", "to", "direction", "callId", "user", "answeringNumber", "cause",
                 "recordingUrl", "timestamp"], ["newCall", "answer", "hangup", "record"], "event"))
def test_generic_reads_or_refuses_anything(payload):
    outcome(dialect_named("generic"), json_request(payload))


@HOSTILE
@given(st.lists(payloads(
    ["Linkedid", "Uniqueid", "UniqueID", "DestUniqueid", "CallerIDNum", "Exten", "DialStatus",
     "DestChannel", "Cause", "Source", "Destination", "StartTime", "AnswerTime", "EndTime",
     "BillableSeconds", "Disposition", "File", "Timestamp", "Direction", "Extension"],
    ["Newchannel", "DialBegin", "DialEnd", "AgentConnect", "Hangup", "Cdr", "Recording"],
    "Event"), max_size=3))
def test_asterisk_reads_or_refuses_anything(payload):
    outcome(dialect_named("asterisk"), json_request(payload))


@HOSTILE
@given(st.sampled_from(["/events/call", "/events/summary", "/events/recording",
                        "/events/record/added"]),
       payloads(["entry_id", "call_id", "timestamp", "seq", "location", "from", "to",
                 "call_direction", "line_number", "create_time", "talk_time", "end_time",
                 "entry_result", "recording_id", "recording_state"],
                ["Appeared", "Connected", "OnHold", "Disconnected"], "call_state"))
def test_mango_reads_or_refuses_anything(suffix, payload):
    text = json.dumps(payload)
    body = urlencode({"vpbx_api_key": "key", "json": text, "sign": sign("key", text, "salt")})
    request = WebhookRequest("POST", body.encode(), AT, "application/x-www-form-urlencoded",
                             suffix=suffix)
    dialect_named("mango").authenticate(request, {"api_key": "key", "api_salt": "salt"})
    outcome(dialect_named("mango"), request)


@HOSTILE
@given(payloads(["pbx_call_id", "call_start", "caller_id", "called_did", "internal",
                 "destination", "duration", "disposition", "is_recorded", "call_id_with_rec"],
                list(SIGNED), "event").map(
    lambda fields: {name: value for name, value in fields.items() if isinstance(value, str)}))
def test_zadarma_reads_or_refuses_anything(fields):
    body = urlencode({name: value.encode("utf-8", "surrogatepass")
                      for name, value in fields.items()}).encode()
    outcome(dialect_named("zadarma"),
            WebhookRequest("POST", body, AT, "application/x-www-form-urlencoded"))


MULTIPART_PIECES = st.sampled_from([
    b"--b\r\n", b'Content-Disposition: form-data; name="event"\r\n', b"\r\n", b"hangup",
    b"NOTIFY_START", b"--b--\r\n", b"\xff\xfe", b"Content-Disposition: form-data\r\n",
    b"Content-Transfer-Encoding: base64\r\n", b"name*=utf-8''%D0%9F", b'name="callId"'])


@HOSTILE
@given(st.sampled_from(["generic", "asterisk", "zadarma"]),
       st.lists(MULTIPART_PIECES, max_size=12).map(b"".join),
       st.sampled_from(["b", '"b"', "", "Я"]))
def test_multipart_bodies_are_read_or_refused(dialect, body, boundary):
    request = WebhookRequest("POST", body, AT, f"multipart/form-data; boundary={boundary}")
    outcome(dialect_named(dialect), request)
