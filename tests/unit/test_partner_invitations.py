"""services/partner_bridge/invitations.py: invitation codes and the link state machine."""
import base64
import itertools
import json
from datetime import datetime, timedelta, timezone

import pytest

from services.partner_bridge.invitations import (
    LINK_STATES, check_link_transition, code_from_text, incoming_verdict, invitation_url,
    issue_invitation, open_invitation, queues_changes, read_invitation, sends_changes)
from services.partner_bridge.schemas import InvitationAcceptanceSchema
from services.shared.errors import Conflict, Forbidden, Unavailable, ValidationFailed
from services.shared.validation import load

KEY = "installation-key-for-tests-0123456789"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def issue(**overrides):
    arguments = dict(account_id="alarmworks", account_name="AlarmWorks",
                     endpoint="https://desk.alarmworks.example", now=NOW)
    arguments.update(overrides)
    return issue_invitation(KEY, **arguments)


def code_messages(excinfo):
    return excinfo.value.fields["code"]


def test_a_fresh_code_opens_to_what_was_issued():
    invitation, code = issue()
    opened = open_invitation(KEY, code, now=NOW + timedelta(days=6))
    assert opened == invitation
    assert opened.account_id == "alarmworks" and opened.endpoint == "https://desk.alarmworks.example"


def test_the_url_form_carries_the_same_code():
    invitation, code = issue()
    url = invitation_url(invitation, code)
    assert url.startswith("https://desk.alarmworks.example/api/v1/federation/invitations?code=")
    assert code_from_text(url) == code
    assert open_invitation(KEY, url, now=NOW) == invitation


def test_the_accepting_side_reads_a_code_without_the_key():
    invitation, code = issue()
    assert read_invitation(code) == invitation


def test_an_expired_code_is_refused():
    _, code = issue(validity=timedelta(hours=1))
    with pytest.raises(ValidationFailed) as excinfo:
        open_invitation(KEY, code, now=NOW + timedelta(hours=1))
    assert "expired" in code_messages(excinfo)[0]


def test_an_altered_payload_is_refused():
    _, code = issue()
    payload_part, tag = code.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload_part + "=" * (-len(payload_part) % 4)))
    data["endpoint"] = "https://attacker.example"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    with pytest.raises(ValidationFailed) as excinfo:
        open_invitation(KEY, f"{forged}.{tag}", now=NOW)
    assert "altered" in code_messages(excinfo)[0]


def test_a_later_expiry_cannot_be_written_in():
    _, code = issue(validity=timedelta(hours=1))
    payload_part, tag = code.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload_part + "=" * (-len(payload_part) % 4)))
    data["expires_at"] += 10 ** 6
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    with pytest.raises(ValidationFailed):
        open_invitation(KEY, f"{forged}.{tag}", now=NOW + timedelta(hours=2))


def test_a_code_of_another_installation_is_refused():
    _, code = issue_invitation("another-installation-key-0123456", account_id="a",
                               account_name="A", endpoint="https://a.example", now=NOW)
    with pytest.raises(ValidationFailed):
        open_invitation(KEY, code, now=NOW)


@pytest.mark.parametrize("text", ["", "   ", "nodot", "a.b.c", ".", "!!!.???", "e30.AAAA",
                                  "https://desk.example/accept?other=1", "x" * 5000])
def test_garbage_is_refused_with_a_reason_on_the_code_field(text):
    with pytest.raises(ValidationFailed) as excinfo:
        open_invitation(KEY, text, now=NOW)
    assert code_messages(excinfo)


@pytest.mark.parametrize("endpoint", ["http://desk.example", "ftp://desk.example", "desk.example",
                                      "https://", "https://desk.example?x=1", None])
def test_the_endpoint_must_be_https(endpoint):
    with pytest.raises(ValidationFailed) as excinfo:
        issue(endpoint=endpoint)
    assert "endpoint" in excinfo.value.fields


def test_plain_http_is_allowed_on_the_same_machine():
    invitation, _ = issue(endpoint="http://127.0.0.1:8000/")
    assert invitation.endpoint == "http://127.0.0.1:8000"


def test_blank_names_are_refused_naming_each_field():
    with pytest.raises(ValidationFailed) as excinfo:
        issue(account_id=" ", account_name="")
    assert set(excinfo.value.fields) == {"account_id", "account_name"}


def test_a_short_key_is_a_configuration_error():
    with pytest.raises(ValueError):
        issue_invitation("short", account_id="a", account_name="A",
                         endpoint="https://a.example", now=NOW)


EXPECTED = {
    "pending": {"revoked"},  # active only by the partner's acceptance, never by an admin
    "active": {"paused", "revoked"},
    "paused": {"active", "revoked"},
    "revoked": set(),
}


@pytest.mark.parametrize("current,target", [(a, b) for a, targets in EXPECTED.items()
                                            for b in sorted(targets)])
def test_allowed_link_moves(current, target):
    check_link_transition(current, target)


@pytest.mark.parametrize("current,target", [
    (a, b) for a, b in itertools.product(LINK_STATES, LINK_STATES) if b not in EXPECTED[a]])
def test_refused_link_moves_name_what_is_allowed(current, target):
    with pytest.raises(Conflict) as excinfo:
        check_link_transition(current, target)
    assert excinfo.value.extra["allowed"] == sorted(EXPECTED[current], key=LINK_STATES.index)


def test_an_unknown_state_is_a_validation_error():
    with pytest.raises(ValidationFailed) as excinfo:
        check_link_transition("active", "frozen")
    assert "state" in excinfo.value.fields


def test_what_each_state_does_with_changes():
    assert [s for s in LINK_STATES if sends_changes(s)] == ["active"]
    assert [s for s in LINK_STATES if queues_changes(s)] == ["active", "paused"]
    assert incoming_verdict("active") is None
    assert isinstance(incoming_verdict("paused"), Unavailable)
    assert isinstance(incoming_verdict("pending"), Forbidden)
    assert isinstance(incoming_verdict("revoked"), Forbidden)


@pytest.mark.parametrize("endpoint", ["not a url", "javascript:alert(1)", "http://desk.example",
                                      "https://user:pw@desk.example", "https://desk.example#x",
                                      "https://desk.example:99999", "https://[nope]"])
def test_an_acceptance_names_a_real_endpoint_for_the_partner(endpoint):
    acceptance = {"code": "x", "partner": {"account_id": "a", "account_name": "A",
                                           "endpoint": endpoint}}
    with pytest.raises(ValidationFailed) as excinfo:
        load(InvitationAcceptanceSchema(), acceptance)
    assert list(excinfo.value.fields) == ["partner.endpoint"]


def test_an_acceptance_from_a_proper_endpoint_loads():
    acceptance = {"code": "x", "partner": {"account_id": "a", "account_name": "A",
                                           "endpoint": "https://desk.partner.example/base"}}
    assert load(InvitationAcceptanceSchema(), acceptance) == acceptance
