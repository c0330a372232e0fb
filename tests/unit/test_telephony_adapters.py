"""Each dialect's authentication, handshake, reply and refusals of malformed bodies."""
import base64
import hashlib
import hmac
import json
from datetime import datetime, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from services.telephony.adapters import DIALECTS, dialect_named
from services.telephony.adapters.base import (BadSignature, DialectSettings, MalformedBody,
                                              WebhookRequest, parse_time)
from tests.unit.telephony_flows import (FLOW_NAMES, SECRETS, delivery_request, flow_requests,
                                        load_flow)

AT = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
SETTINGS = DialectSettings()
GENERIC, ASTERISK, MANGO, ZADARMA = (dialect_named(name) for name in
                                     ("generic", "asterisk", "mango", "zadarma"))


def json_request(payload, token=None, **extra):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return WebhookRequest("POST", body, AT, "application/json", url_token=token, **extra)


def form_request(fields, **extra):
    return WebhookRequest("POST", urlencode(fields).encode(), AT,
                          "application/x-www-form-urlencoded", **extra)


@pytest.mark.parametrize("name", FLOW_NAMES)
def test_every_sample_request_is_authentic_and_a_tampered_one_is_not(name):
    flow = load_flow(name)
    dialect = dialect_named(flow["dialect"])
    wrong = {key: value[::-1] for key, value in SECRETS[flow["dialect"]].items()}
    for request in flow_requests(flow):
        dialect.authenticate(request, SECRETS[flow["dialect"]])
        with pytest.raises(BadSignature):
            dialect.authenticate(request, wrong)


def test_a_request_travels_through_the_queue_unchanged():
    request = flow_requests(load_flow("zadarma_incoming_answered"))[0]
    message = json.loads(json.dumps(request.as_message()))
    assert WebhookRequest.from_message(message) == request


def test_every_dialect_declares_its_secrets():
    assert {name: dialect.secrets for name, dialect in DIALECTS.items()} == {
        "generic": ("token",), "asterisk": ("token",), "mango": ("api_key", "api_salt"),
        "zadarma": ("secret",)}


# -- generic -------------------------------------------------------------------------------------

def test_generic_refuses_a_missing_token_and_replies_an_empty_object():
    request = json_request({"event": "newCall", "callId": "c1"})
    with pytest.raises(BadSignature):
        GENERIC.authenticate(request, SECRETS["generic"])
    reply = GENERIC.reply(request)
    assert (reply.status, reply.body, reply.content_type) == (200, "{}", "application/json")


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "Not JSON"),
    (b"\xff\xfe", "not UTF-8"),
    (json.dumps([{"event": "newCall"}]).encode(), "Expected a JSON object"),
    (json.dumps({"event": "ring", "callId": "c1"}).encode(), "event: one of"),
    (json.dumps({"event": "newCall"}).encode(), "callId: required"),
    (json.dumps({"event": "newCall", "callId": "c1", "direction": "sideways"}).encode(),
     "direction"),
    (json.dumps({"event": "hangup", "callId": "c1", "cause": "exploded"}).encode(), "cause"),
    (json.dumps({"event": "record", "callId": "c1"}).encode(), "recordingUrl: required"),
    (json.dumps({"event": "answer", "callId": "c1", "timestamp": "yesterday"}).encode(),
     "timestamp"),
])
def test_generic_malformed_bodies_say_why(body, reason):
    with pytest.raises(MalformedBody) as refused:
        GENERIC.parse(json_request(body), SETTINGS)
    assert reason in refused.value.reason


def test_generic_record_event_links_a_recording_to_the_call():
    [event] = GENERIC.parse(json_request({"event": "record", "callId": "c1",
                                          "recordingUrl": "https://pbx.example.ru/r/c1.mp3"}),
                            SETTINGS)
    assert (event.kind, event.call_key, event.recording, event.recording_ready) == (
        "recording", "c1", "https://pbx.example.ru/r/c1.mp3", True)


def test_generic_answer_by_login_keeps_the_login():
    [event] = GENERIC.parse(json_request({"event": "answer", "callId": "c1", "direction": "in",
                                          "from": "89161234567", "to": "74951234567",
                                          "answeringNumber": "ivanov"}), SETTINGS)
    assert (event.kind, event.extension, event.caller) == ("answered", "ivanov", "+79161234567")


# -- asterisk ------------------------------------------------------------------------------------

def test_asterisk_ignores_events_it_does_not_read():
    request = json_request([{"Event": "FullyBooted"}, {"Event": "PeerStatus", "Peer": "PJSIP/101"}])
    assert ASTERISK.parse(request, SETTINGS) == []


@pytest.mark.parametrize("payload, reason", [
    ([{"Event": "Hangup", "Uniqueid": "1.2"}], "event 0: Linkedid: required"),
    ([{"Event": "FullyBooted"}, "Hangup"], "a list of objects"),
    ([{"Event": "FullyBooted"}] * 101, "At most 100"),
    ({"Event": "Cdr", "UniqueID": "1.2", "Disposition": "MAYBE"}, "Disposition"),
    ({"Event": "Newchannel", "Uniqueid": "1.2", "Linkedid": "1.2", "Direction": "up"},
     "Direction"),
    ({"Event": "Recording", "Linkedid": "1.2"}, "File: required"),
    ({"Event": "Hangup", "Uniqueid": "1.2", "Linkedid": "1.2", "Cause": "sixteen"}, "Cause"),
])
def test_asterisk_malformed_bodies_say_why(payload, reason):
    with pytest.raises(MalformedBody) as refused:
        ASTERISK.parse(json_request(payload), SETTINGS)
    assert reason in refused.value.reason


def test_asterisk_names_the_answering_extension_from_the_channel_or_the_stated_field():
    base = {"Event": "DialEnd", "Uniqueid": "1.1", "Linkedid": "1.1", "DestUniqueid": "1.2",
            "DialStatus": "ANSWER"}
    for channel, expected in (("PJSIP/101-0000002a", "101"), ("SIP/2045-00000001", "2045"),
                              ("Local/103@from-queue-00000004;1", "103")):
        [event] = ASTERISK.parse(json_request(dict(base, DestChannel=channel)), SETTINGS)
        assert event.extension == expected
    stated = dict(base, DestChannel="PJSIP/101-1", Extension="ivanov")
    [event] = ASTERISK.parse(json_request(stated), SETTINGS)
    assert event.extension == "ivanov"


# -- mango ---------------------------------------------------------------------------------------

def mango_request(payload, suffix="/events/call", key=None, salt=None, text=None):
    key = key or SECRETS["mango"]["api_key"]
    text = text if text is not None else json.dumps(payload)
    signed = hashlib.sha256((key + text + (salt or SECRETS["mango"]["api_salt"])).encode())
    return form_request({"vpbx_api_key": key, "sign": signed.hexdigest(), "json": text},
                        suffix=suffix)


def test_mango_signs_the_raw_json_text_with_plain_sha256():
    text = '{"entry_id": "E1",  "call_id": "C1"}'  # spacing as sent: re-serializing would differ
    MANGO.authenticate(mango_request(None, text=text), SECRETS["mango"])
    secrets = SECRETS["mango"]
    keyed = hmac.new(secrets["api_salt"].encode(), (secrets["api_key"] + text).encode(),
                     hashlib.sha256).hexdigest()
    request = form_request({"vpbx_api_key": secrets["api_key"], "sign": keyed, "json": text})
    with pytest.raises(BadSignature):
        MANGO.authenticate(request, secrets)


def test_mango_refuses_another_accounts_key_even_with_a_matching_sign():
    request = mango_request({"entry_id": "E1"}, key="someone-elses-key")
    with pytest.raises(BadSignature) as refused:
        MANGO.authenticate(request, SECRETS["mango"])
    assert "vpbx_api_key" in refused.value.reason


@pytest.mark.parametrize("fields, reason", [
    ({"vpbx_api_key": "k", "sign": "s"}, "json: required"),
    ({"json": "{}", "sign": "s"}, "vpbx_api_key: required"),
])
def test_mango_without_its_form_fields_is_malformed(fields, reason):
    with pytest.raises(MalformedBody) as refused:
        MANGO.authenticate(form_request(fields), SECRETS["mango"])
    assert reason in refused.value.reason


@pytest.mark.parametrize("suffix, payload, reason", [
    ("/events/call", None, "json: not JSON"),
    ("/events/call", [1, 2], "expected an object"),
    ("/events/call", {"entry_id": "E", "call_id": "C", "timestamp": 1, "call_state": "Ringing"},
     "call_state"),
    ("/events/call", {"entry_id": "E", "call_id": "C", "call_state": "Appeared"}, "timestamp"),
    ("/events/call", {"entry_id": "E", "call_id": "C", "timestamp": 1, "call_state": "Appeared",
                      "from": "79161234567"}, "from: expected an object"),
    ("/events/summary", {"entry_id": "E", "call_direction": 7, "entry_result": 1},
     "call_direction"),
    ("/events/summary", {"entry_id": "E", "call_direction": 1, "entry_result": 2}, "entry_result"),
    ("/events/recording", {"entry_id": "E", "call_id": "C", "recording_id": "R",
                           "recording_state": "Paused", "timestamp": 1}, "recording_state"),
    ("/events/record/added", {"entry_id": "E", "timestamp": 1}, "recording_id: required"),
])
def test_mango_malformed_bodies_say_why(suffix, payload, reason):
    request = mango_request(payload, suffix, text="{oops" if payload is None else None)
    with pytest.raises(MalformedBody) as refused:
        MANGO.parse(request, SETTINGS)
    assert reason in refused.value.reason


def test_mango_other_events_are_authentic_but_describe_no_call_and_ping_is_answered():
    request = mango_request({"entry_id": "E", "call_id": "C", "dtmf": "1"}, "/events/dtmf")
    MANGO.authenticate(request, SECRETS["mango"])
    assert MANGO.parse(request, SETTINGS) == []
    assert MANGO.handshake(request) is None
    ping = WebhookRequest("POST", b"", AT, suffix="/ping")
    assert MANGO.handshake(ping).status == 200
    assert MANGO.reply(request).status == 200


# -- zadarma -------------------------------------------------------------------------------------

def test_zadarma_echo_handshake_returns_exactly_the_value():
    request = WebhookRequest("GET", b"", AT, query={"zd_echo": ["k3J9x_2"]})
    reply = ZADARMA.handshake(request)
    assert (reply.status, reply.body) == (200, "k3J9x_2")
    assert ZADARMA.handshake(WebhookRequest("GET", b"", AT)) is None


def test_zadarma_notifications_we_do_not_read_are_acknowledged_and_go_no_further():
    reply = ZADARMA.handshake(form_request({"event": "NOTIFY_IVR", "pbx_call_id": "in_1"}))
    assert (reply.status, reply.body) == (200, "")
    start = delivery_request("zadarma", load_flow("zadarma_incoming_answered")["deliveries"][0])
    assert ZADARMA.handshake(start) is None
    with pytest.raises(MalformedBody) as refused:
        ZADARMA.parse(form_request({"event": "NOTIFY_IVR", "pbx_call_id": "in_1"}), SETTINGS)
    assert "not a notification we accept" in refused.value.reason


def test_zadarma_signature_is_base64_of_the_hex_text_of_hmac_sha1():
    fields = {"event": "NOTIFY_RECORD", "pbx_call_id": "in_1", "call_id_with_rec": "17.5"}
    secret = SECRETS["zadarma"]["secret"]
    hex_text = hmac.new(secret.encode(), b"in_117.5", hashlib.sha1).hexdigest()
    good = form_request(fields, headers={"signature": base64.b64encode(hex_text.encode()).decode()})
    ZADARMA.authenticate(good, SECRETS["zadarma"])
    raw_digest = hmac.new(secret.encode(), b"in_117.5", hashlib.sha1).digest()
    bad = form_request(fields, headers={"signature": base64.b64encode(raw_digest).decode()})
    with pytest.raises(BadSignature):
        ZADARMA.authenticate(bad, SECRETS["zadarma"])


def test_zadarma_signature_covers_the_fields_of_its_event_type():
    delivery = load_flow("zadarma_incoming_answered")["deliveries"][3]  # NOTIFY_END
    request = delivery_request("zadarma", delivery)
    ZADARMA.authenticate(request, SECRETS["zadarma"])
    for field, value in (("called_did", "74950000000"), ("call_start", "2026-11-30 12:00:02")):
        tampered = form_request(dict(delivery["form"], **{field: value}), headers=request.headers)
        with pytest.raises(BadSignature):
            ZADARMA.authenticate(tampered, SECRETS["zadarma"])
    unsigned = form_request(delivery["form"])
    with pytest.raises(BadSignature) as refused:
        ZADARMA.authenticate(unsigned, SECRETS["zadarma"])
    assert "missing" in refused.value.reason


@pytest.mark.parametrize("fields, reason", [
    ({"pbx_call_id": "in_1"}, "event: required"),
    ({"event": "NOTIFY_END", "pbx_call_id": "in_1", "disposition": "exploded"}, "disposition"),
    ({"event": "NOTIFY_END", "pbx_call_id": "in_1", "disposition": "answered",
      "duration": "long"}, "duration"),
    ({"event": "NOTIFY_START", "call_start": "2026-11-30 12:00:01"}, "pbx_call_id: required"),
    ({"event": "NOTIFY_START", "pbx_call_id": "in_1", "call_start": "noon"}, "call_start"),
])
def test_zadarma_malformed_bodies_say_why(fields, reason):
    with pytest.raises(MalformedBody) as refused:
        ZADARMA.parse(form_request(fields), SETTINGS)
    assert reason in refused.value.reason


def test_zadarma_end_of_an_unrecorded_call_has_no_recording():
    [event] = ZADARMA.parse(form_request({
        "event": "NOTIFY_END", "pbx_call_id": "in_1", "call_start": "2026-11-30 12:00:01",
        "caller_id": "79161234567", "called_did": "74951234567", "disposition": "no answer",
        "duration": "0", "is_recorded": "0", "call_id_with_rec": "17.5"}), SETTINGS)
    assert (event.disposition, event.recording, event.extension) == ("missed", None, None)


# -- shared parsing ------------------------------------------------------------------------------

def test_vendor_times_in_every_accepted_notation():
    moscow = ZoneInfo("Europe/Moscow")
    expected = datetime(2026, 11, 30, 9, 0, 1)
    assert parse_time(1796029201, moscow, "t") == expected
    assert parse_time("1796029201.000000", moscow, "t") == expected
    assert parse_time("2026-11-30 12:00:01", moscow, "t") == expected
    assert parse_time("2026-11-30T16:00:01+07:00", moscow, "t") == expected
    assert parse_time("", moscow, "t") is None
    for bad in ("nan", "inf", True, "1e400", "30.11.2026"):
        with pytest.raises(MalformedBody):
            parse_time(bad, moscow, "t")
