"""Each dialect against its vendor's own documented payloads, with signatures computed here from
the documented algorithms (never with the adapters' helpers). Sources: docs/telephony.md,
"Vendor formats: sources and decisions"."""
import base64
import hashlib
import hmac
import json
from datetime import datetime, timezone
from urllib.parse import urlencode

import pytest

from services.telephony.adapters import dialect_named
from services.telephony.adapters.base import (BadSignature, DialectSettings, MalformedBody,
                                              WebhookRequest)
from services.telephony.calls import fold

AT = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
SETTINGS = DialectSettings()
GENERIC, MANGO, ZADARMA = (dialect_named(name) for name in ("generic", "mango", "zadarma"))
TOKEN = "PhXp3ZG63QyJfcb1pVOnBKJWIbI"
MANGO_KEY, MANGO_SALT = "1234567890qwerty", "s4lt0fthe1ntegrat10n"
ZADARMA_SECRET = "8a8e91d214fb728889c7"


def form_request(fields, content_type="application/x-www-form-urlencoded", **extra):
    body = fields if isinstance(fields, bytes) else urlencode(fields).encode()
    return WebhookRequest("POST", body, AT, content_type, **extra)


def multipart(pairs, boundary="------------------------d74496d66958873e"):
    """What `curl --form name=value ...` sends."""
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in pairs]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return form_request(body, f"multipart/form-data; boundary={boundary}")


# -- generic: Zammad's generic CTI documentation --------------------------------------------------

ZAMMAD_HANGUP_OUT = {"event": "hangup", "from": "493023125741", "to": "492214710334",
                     "direction": "out", "callId": "f4ebd2be-7b9a-4d58-94c2-eb06a3c2ce76",
                     "user": "Christopher Miller", "cause": "cancel"}
ZAMMAD_HANGUP_IN = {"event": "hangup", "from": "493023125741", "to": "492214710334",
                    "direction": "in", "callId": "307fa962-de8d-4ffc-817b-7f6993204159",
                    "user": "Emma Taylor", "answeringNumber": "emma@chrispresso.com",
                    "cause": "normalClearing"}


def test_generic_reads_zammads_json_hangup_examples():
    request = WebhookRequest("POST", json.dumps(ZAMMAD_HANGUP_IN).encode(), AT,
                             "application/json", url_token=TOKEN)
    GENERIC.authenticate(request, {"token": TOKEN})
    [answered] = GENERIC.parse(request, SETTINGS)
    assert (answered.kind, answered.disposition, answered.extension) == (
        "ended", "answered", "emma@chrispresso.com")
    [cancelled] = GENERIC.parse(WebhookRequest("POST", json.dumps(ZAMMAD_HANGUP_OUT).encode(), AT,
                                               "application/json"), SETTINGS)
    assert (cancelled.direction, cancelled.disposition) == ("out", "missed")


def test_generic_reads_zammads_curl_form_example_as_multipart():
    request = multipart([("event", "hangup"), ("from", "493023125741"), ("to", "492214710334"),
                         ("direction", "in"), ("callId", "2d77882f-68df-40f0-8c62-b642589c00bc"),
                         ("user[]", "Christopher Miller"), ("user[]", "Emma Taylor"),
                         ("answeringNumber", "emma@chrispresso.com"),
                         ("cause", "normalClearing")])
    [event] = GENERIC.parse(request, SETTINGS)
    assert (event.call_key, event.disposition) == ("2d77882f-68df-40f0-8c62-b642589c00bc",
                                                   "answered")
    assert json.loads(event.raw)["user"] == ["Christopher Miller", "Emma Taylor"]


def test_generic_reads_zammads_url_encoded_new_call_example():
    request = form_request([("event", "newCall"), ("from", "493055571600"),
                            ("to", "491711234567890"), ("direction", "in"),
                            ("callId", "4991155921769858278-1"), ("user[]", "Alice"),
                            ("user[]", "Bob")])
    [event] = GENERIC.parse(request, SETTINGS)
    assert (event.kind, event.direction) == ("ringing", "in")


@pytest.mark.parametrize("cause, disposition", [
    ("normalClearing", None), ("busy", "busy"), ("cancel", "missed"), ("noAnswer", "missed"),
    ("congestion", "failed"), ("notFound", "failed"), ("forwarded", None)])
def test_generic_reads_every_documented_hangup_cause(cause, disposition):
    [event] = GENERIC.parse(form_request({"event": "hangup", "callId": "c1", "cause": cause}),
                            SETTINGS)
    assert event.disposition == disposition


def test_a_multipart_body_that_does_not_read_is_malformed():
    with pytest.raises(MalformedBody):
        GENERIC.parse(form_request(b"event=hangup", "multipart/form-data; boundary=x"), SETTINGS)


# -- Mango Office: VPBX API v1.9, section 3.1 -----------------------------------------------------

def mango_request(json_text, suffix):
    sign = hashlib.sha256((MANGO_KEY + json_text + MANGO_SALT).encode()).hexdigest()
    return form_request({"vpbx_api_key": MANGO_KEY, "sign": sign, "json": json_text},
                        suffix=suffix)


def mango_events(*documented, suffix="/events/call"):
    found = []
    for text in documented:
        request = mango_request(text, suffix)
        MANGO.authenticate(request, {"api_key": MANGO_KEY, "api_salt": MANGO_SALT})
        found += MANGO.parse(request, SETTINGS)
    return found


# 3.1.2, outgoing call from extension 1234 (numbers as strings, as in the documentation).
MANGO_OUTGOING = [
    '{ "call_id": "100:500:256", "entry_id": "232wc3e3w3s222", "timestamp": "1399906976", '
    '"seq": "1", "location": "abonent", "call_state": "Appeared", "from": { "extension": "1234" },'
    ' "to": { "number": "12345678" } }',
    '{ "call_id": "100:500:256", "entry_id": "232wc3e3w3s222", "timestamp": "1399906988", '
    '"seq": "2", "location": "abonent", "call_state": "Connected", "from": { "extension": "1234",'
    ' "number": "74955404444" }, "to": { "number": "12345678" } }',
    '{ "call_id": "100:500:256", "entry_id": "232wc3e3w3s222", "timestamp": "1399907008", '
    '"seq": "3", "location": "abonent", "call_state": "Disconnected", "from": { "extension": '
    '"1234", "number": "74955404444" }, "to": { "number": "12345678" }, '
    '"disconnect_reason": "1120" }']
# Blind transfer example: no `location` at all.
MANGO_TRANSFER = [
    '{ "entry_id": "232wc3e3w3s222", "call_id": "300:200", "timestamp": 1399956976, "seq": "1", '
    '"call_state": "Appeared", "from": { "number": "74955404444" }, "to": { "extension": "333", '
    '"number": "44332211" } }',
    '{ "entry_id": "232wc3e3w3s222", "call_id": "300:200", "timestamp": 1399956986, "seq": "2", '
    '"call_state": "Connected", "from": { "number": "74955404444" }, "to": { "extension": "333", '
    '"number": "44332211" } }',
    '{ "entry_id": "232wc3e3w3s222", "call_id": "300:200", "timestamp": 1399956986, "seq": "3", '
    '"call_state": "OnHold", "from": { "number": "74955404444" }, "to": { "extension": "333", '
    '"number": "44332211" } }',
    '{ "entry_id": "232wc3e3w3s222", "call_id": "400-200", "timestamp": 1399956996, "seq": "1", '
    '"call_state": "Appeared", "from": { "extension": "333", "number": "44332211" }, "to": { '
    '"extension": "321", "number": "87654321" } }',
    '{ "entry_id": "232wc3e3w3s222", "call_id": "400-200", "timestamp": "1399957016", "seq": "3",'
    ' "call_state": "Connected", "from": { "number": "74955404444", "taken_from_call_id": '
    '"300:200" }, "to": { "extension": "321", "number": "87654321" } }']
# 3.1.2's own example: dct, acd_group, a SIP line_number, an integer disconnect_reason.
MANGO_NOTIFICATION = (
    '{"entry_id":"1MN0Q1MDOQ==", "call_id":"MIxEyNTzTo6NDxkzNMMOzNQ==", "timestamp":1558422128, '
    '"seq":2, "call_state":"Disconnected", "location":"abonent", "from": { "number":"79001234567",'
    ' "taken_from_call_id":"oMNTMyzTzNTo6NxNkDIxOxM3EMNTj\" }, "to": { "extension":"29", '
    '"number":"sip:user00000@tech.mangosip.ru", "line_number":"sip:line00000@tech.mangosip.ru", '
    '"acd_group":"303\" }, "disconnect_reason":1131, "dct": { "number":"74001234567", "type":1 } }')
# Call routing example (its commas restored): the IVR's Connected is not a person.
MANGO_IVR = (
    '{ "call_id": "100:500:256", "entry_id": "232wc3e3w3s222", "timestamp": "1399906976", '
    '"seq": "1", "call_state": "Connected", "location": "ivr", "from": { "number": '
    '"79000000000" }, "to": { "number": "7800123456789", "line_number": "7800123456789" } }')


def test_mango_documented_outgoing_call_rings_is_answered_by_its_extension_and_ends_a_leg():
    events = mango_events(*MANGO_OUTGOING)
    assert [(event.kind, event.sequence, event.direction) for event in events] == [
        ("ringing", 1, "out"), ("answered", 2, "out"), ("leg_ended", 3, "out")]
    assert events[1].extension == "1234"
    assert events[0].occurred_at == datetime(2014, 5, 12, 15, 2, 56)


def test_mango_transfer_without_location_is_answered_by_the_extension_on_the_leg():
    events = mango_events(*MANGO_TRANSFER)
    assert [(event.kind, event.leg_key, event.direction, event.extension) for event in events] == [
        ("ringing", "300:200", "in", None), ("answered", "300:200", "in", "333"),
        ("answered", "300:200", "in", "333"), ("ringing", "400-200", "internal", None),
        ("answered", "400-200", "in", "321")]


def test_mango_tolerates_the_documented_optional_objects_and_an_ivr_is_no_answer():
    [ended] = mango_events(MANGO_NOTIFICATION)
    assert (ended.kind, ended.caller, ended.line) == ("leg_ended", "+79001234567", None)
    [ivr] = mango_events(MANGO_IVR)
    assert (ivr.kind, ivr.direction, ivr.caller) == ("ringing", "in", "+79000000000")


MANGO_SUMMARIES = {
    "incoming answered by 123": (
        '{ "entry_id":"232wc3e3w3s222", "call_direction":1, "from": { "number":"7800123635242" },'
        ' "to": { "extension":"123", "number":"7800123456789" }, "line_number":"7800123456789", '
        '"create_time":1399906976, "forward_time":1399906978, "talk_time":1399906980, '
        '"end_time":1399906990, "entry_result":1, "disconnect_reason":1100 }',
        ("in", "answered", "123", 10)),
    "incoming ended in the IVR": (
        '{ "entry_id":"232wc3e3w3s222", "call_direction":1, "from": { "number":"79000000000" }, '
        '"to": { }, "line_number":"7800123456789", "create_time":1399906976, '
        '"forward_time":1399906978, "talk_time":0, "end_time":1399906990, "entry_result":1, '
        '"disconnect_reason":1170 }',
        ("in", "missed", None, 0)),
    "outgoing answered": (
        '{ "entry_id":"232wc3e3w3s222", "call_direction":2, "from": { "extension":"123", '
        '"number":"sip:user1@хyz.mangosip.ru" }, "to": { "number":"7800123456789" }, '
        '"line_number":"74953333357", "create_time":1399906976, "forward_time":1399906976, '
        '"talk_time":1399906980, "entry_result":1, "end_time":1399906990, '
        '"disconnect_reason":1100 }',
        ("out", "answered", "123", 10)),
    "outgoing unanswered": (
        '{ "entry_id":"232wc3e3w3s222", "call_direction":2, "from": { "extension":"123", '
        '"number":"sip:user1@хyz.mangosip.ru" }, "to": { "number":"7800123456789" }, '
        '"line_number":"74953333357", "create_time":1399906976, "forward_time":1399906976, '
        '"talk_time":0, "entry_result":0, "end_time":1399906990, "disconnect_reason":1100 }',
        ("out", "missed", None, 0)),
}


@pytest.mark.parametrize("name", MANGO_SUMMARIES)
def test_mango_documented_summaries(name):
    text, (direction, disposition, extension, talk) = MANGO_SUMMARIES[name]
    [summary] = mango_events(text, suffix="/events/summary")
    assert (summary.direction, summary.disposition, summary.extension, summary.talk_seconds) == (
        direction, disposition, extension, talk)
    call = fold([summary])
    assert (call.state, call.disposition, call.duration) == ("finished", disposition, talk)


def test_mango_documented_recording_then_record_added_makes_a_ready_recording():
    started = mango_events(
        '{ "recording_id":"r100:777:500:256", "recording_state":"Started", "seq":1, '
        '"call_id":"100:500:256", "entry_id":"232wc3e3w3s222", "extension":"1234", '
        '"timestamp":"1399906976", "command_id":"cmd.12.vpbx.12345.external.system.com.net" }',
        '{ "recording_id":"r100:777:500:256", "recording_state":"Completed", "seq":2, '
        '"call_id":"100:500:256", "entry_id":"232wc3e3w3s222", "extension":"", '
        '"timestamp":"1399906996", "completion_code":1000, "recipient":"Cloud" }',
        suffix="/events/recording")
    added = mango_events(
        '{ "entry_id":"232wc3e3w3s222", "product_id":300022532, "user_id":-1, '
        '"timestamp":1578664187, "recording_id":"r100:777:500:256" }',
        suffix="/events/record/added")
    assert [(event.kind, event.recording_ready) for event in started + added] == [
        ("recording", False), ("recording", False), ("recording", True)]
    assert fold(started + added).recordings == [{"reference": "r100:777:500:256", "ready": True}]


@pytest.mark.parametrize("suffix", ["/events/dtmf", "/events/sms", "/events/record/tagged",
                                    "/result/callback"])
def test_mango_notifications_that_describe_no_call_are_authentic_and_empty(suffix):
    assert mango_events('{"entry_id":"232wc3e3w3s222","product_id":1,"user_id":2,'
                        '"recording_id":"r1","timestamp":1399906976}', suffix=suffix) == []


def test_mango_connection_check_is_answered_without_credentials():
    for request in (WebhookRequest("POST", b"", AT, suffix=""),
                    form_request(b"", suffix="/ping")):
        assert MANGO.handshake(request).status == 200


def test_mango_sign_is_over_the_json_text_exactly_as_sent():
    text = MANGO_OUTGOING[0]
    request = mango_request(text, "/events/call")
    spaced = form_request({"vpbx_api_key": MANGO_KEY, "json": text.replace(" ", ""),
                           "sign": hashlib.sha256((MANGO_KEY + text + MANGO_SALT).encode())
                           .hexdigest()}, suffix="/events/call")
    MANGO.authenticate(request, {"api_key": MANGO_KEY, "api_salt": MANGO_SALT})
    with pytest.raises(BadSignature):
        MANGO.authenticate(spaced, {"api_key": MANGO_KEY, "api_salt": MANGO_SALT})


# -- Zadarma: zadarma.com/en/support/api/#api_webhooks and its official PHP SDK ------------------

def sdk_signed_string(fields):
    """getSignatureString() of the SDK's Notify* class for the event (PHP concatenation: an absent
    field is the empty string)."""
    event, field = fields["event"], lambda name: fields.get(name, "")
    if event == "NOTIFY_RECORD":
        return field("pbx_call_id") + field("call_id_with_rec")
    outgoing = event in ("NOTIFY_OUT_START", "NOTIFY_OUT_END")
    first = field("internal") if outgoing else field("caller_id")
    second = field("destination") if outgoing or event == "NOTIFY_ANSWER" else field("called_did")
    return first + second + field("call_start")


PBX_CALL = "in_a1b2c3d4e5f60718293a4b5c6d7e8f90"
START = "2026-11-30 12:00:01"
ZADARMA_EVENTS = {
    "NOTIFY_START": {"call_start": START, "pbx_call_id": PBX_CALL, "caller_id": "79161234567",
                     "called_did": "74951234567"},
    "NOTIFY_INTERNAL": {"call_start": START, "pbx_call_id": PBX_CALL, "caller_id": "79161234567",
                        "called_did": "74951234567", "internal": "101"},
    "NOTIFY_ANSWER": {"caller_id": "79161234567", "destination": "101", "call_start": START,
                      "pbx_call_id": PBX_CALL, "internal": "101"},
    "NOTIFY_END": {"call_start": START, "pbx_call_id": PBX_CALL, "caller_id": "79161234567",
                   "called_did": "74951234567", "internal": "101", "duration": "95",
                   "disposition": "answered", "status_code": "16", "is_recorded": "1",
                   "call_id_with_rec": "1764493201.4137021"},
    "NOTIFY_OUT_START": {"call_start": START, "pbx_call_id": "out_1", "internal": "101",
                         "destination": "79161234567"},
    "NOTIFY_OUT_END": {"call_start": START, "pbx_call_id": "out_1", "caller_id": "74951234567",
                       "destination": "79161234567", "internal": "101", "duration": "0",
                       "disposition": "busy", "status_code": "17", "is_recorded": "0",
                       "call_id_with_rec": ""},
    "NOTIFY_RECORD": {"call_id_with_rec": "1764493201.4137021", "pbx_call_id": PBX_CALL},
}


def zadarma_signature(fields, secret=ZADARMA_SECRET):
    """PHP's base64_encode(hash_hmac('sha1', $signed, $secret)): hash_hmac returns hex text."""
    signed = sdk_signed_string(fields)
    return base64.b64encode(
        hmac.new(secret.encode(), signed.encode(), hashlib.sha1).hexdigest().encode()).decode()


def zadarma_request(name, **changes):
    fields = dict(ZADARMA_EVENTS[name], event=name, **changes)
    return form_request(fields, headers={"signature": zadarma_signature(fields)})


@pytest.mark.parametrize("name", ZADARMA_EVENTS)
def test_zadarma_every_documented_notification_is_authentic_and_reads(name):
    request = zadarma_request(name)
    ZADARMA.authenticate(request, {"secret": ZADARMA_SECRET})
    assert ZADARMA.handshake(request) is None
    [event] = ZADARMA.parse(request, SETTINGS)
    assert event.call_key == ZADARMA_EVENTS[name]["pbx_call_id"]
    with pytest.raises(BadSignature):
        ZADARMA.authenticate(request, {"secret": ZADARMA_SECRET[::-1]})


@pytest.mark.parametrize("name", ZADARMA_EVENTS)
def test_zadarma_signature_covers_exactly_the_documented_fields(name):
    fields = dict(ZADARMA_EVENTS[name], event=name)
    signature = zadarma_signature(fields)
    for field in set(fields) - {"event"}:
        changed = dict(fields, **{field: fields[field] + "1"}, undocumented="tolerated")
        request = form_request(changed, headers={"signature": signature})
        if sdk_signed_string(changed) == sdk_signed_string(fields):
            ZADARMA.authenticate(request, {"secret": ZADARMA_SECRET})
        else:
            with pytest.raises(BadSignature):
                ZADARMA.authenticate(request, {"secret": ZADARMA_SECRET})


@pytest.mark.parametrize("status, disposition", [
    ("answered", "answered"), ("busy", "busy"), ("cancel", "missed"), ("no answer", "missed"),
    ("failed", "failed"), ("no money", "failed"), ("unallocated number", "failed"),
    ("no limit", "failed"), ("no day limit", "failed"), ("line limit", "failed"),
    ("no money, no limit", "failed")])
@pytest.mark.parametrize("name", ["NOTIFY_END", "NOTIFY_OUT_END"])
def test_zadarma_every_documented_disposition_maps(name, status, disposition):
    [event] = ZADARMA.parse(zadarma_request(name, disposition=status, duration="12"), SETTINGS)
    assert (event.disposition, event.talk_seconds) == (
        disposition, 12 if disposition == "answered" else 0)


def test_zadarma_optional_internal_may_be_absent_and_extra_fields_are_kept_raw():
    fields = {name: value for name, value in ZADARMA_EVENTS["NOTIFY_OUT_END"].items()
              if name != "internal"}
    fields.update(event="NOTIFY_OUT_END", calltype="callback")
    request = form_request(fields, headers={"signature": zadarma_signature(fields)})
    ZADARMA.authenticate(request, {"secret": ZADARMA_SECRET})
    [event] = ZADARMA.parse(request, SETTINGS)
    assert (event.caller, event.line, json.loads(event.raw)["calltype"]) == (
        None, "+74951234567", "callback")


def test_zadarma_an_outgoing_notification_to_an_extension_is_internal():
    [started] = ZADARMA.parse(zadarma_request("NOTIFY_OUT_START", destination="102"), SETTINGS)
    [ended] = ZADARMA.parse(zadarma_request("NOTIFY_OUT_END", destination="102",
                                            disposition="answered", duration="30"), SETTINGS)
    assert [(event.direction, event.caller, event.callee, event.line) for event in
            (started, ended)] == [("internal", "101", "102", None)] * 2


def test_zadarma_documented_flow_folds_into_an_answered_recorded_call():
    events = [event for name in ("NOTIFY_START", "NOTIFY_INTERNAL", "NOTIFY_ANSWER",
                                 "NOTIFY_END", "NOTIFY_RECORD")
              for event in ZADARMA.parse(zadarma_request(name), SETTINGS)]
    call = fold(events)
    assert (call.direction, call.caller, call.extension, call.disposition, call.duration) == (
        "in", "+79161234567", "101", "answered", 95)
    assert call.started_at == datetime(2026, 11, 30, 9, 0, 1)  # Europe/Moscow local time
    assert call.recordings == [{"reference": "1764493201.4137021", "ready": True}]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_zadarma_url_check_is_echoed_whatever_the_method(method):
    reply = ZADARMA.handshake(WebhookRequest(method, b"", AT, query={"zd_echo": ["a1b2c3"]}))
    assert (reply.status, reply.body) == (200, "a1b2c3")


@pytest.mark.parametrize("name", ["NOTIFY_IVR", "SPEECH_RECOGNITION", "SMS", "NUMBER_LOOKUP"])
def test_zadarma_other_documented_notifications_are_acknowledged(name):
    reply = ZADARMA.handshake(form_request({"event": name, "pbx_call_id": PBX_CALL}))
    assert (reply.status, reply.body) == (200, "")
