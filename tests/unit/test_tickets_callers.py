"""services/tickets/tickets/callers.py: what a call makes of a ticket and of its recording, from
plain call and contact data, without a store."""
from datetime import datetime

from services.shared.actor import Actor
from services.tickets.tickets.callers import recording_comment, recording_key, ticket_data

TELEPHONY = Actor(account_id="acme", kind="system", id="telephony")
AT = datetime(2026, 12, 7, 12, 0)
CALL = {"call_id": "call-1", "number": "+79161234567"}
CONTACT = {"_id": "k7", "client_id": "c1", "name": "Иван Петров"}


def test_a_known_callers_ticket_is_for_the_contact_and_the_client():
    data = ticket_data(CALL, CONTACT, callback=False)
    assert (data["title"], data["priority"], data["channel"]) == (
        "Звонок от Иван Петров", "normal", "phone")
    assert (data["client_id"], data["contact_id"]) == ("c1", "k7")
    assert data["description"] == "Входящий звонок с номера +79161234567."


def test_a_missed_call_from_a_hidden_number_asks_for_a_call_back():
    data = ticket_data({"call_id": "call-2", "number": None}, None, callback=True)
    assert data["title"] == "Перезвонить: пропущенный звонок от скрытого номера"
    assert data["priority"] == "high"
    assert (data["client_id"], data["contact_id"]) == (None, None)
    assert data["description"] == "Пропущенный звонок с номера скрытый номер. Перезвоните клиенту."


def test_a_recording_is_keyed_by_call_and_reference():
    assert recording_key("call-1", "rec/1.mp3") == "call-1|rec/1.mp3"
    assert recording_key("call-1", "rec/1.mp3") != recording_key("call-1", "rec/2.mp3")


def test_a_recording_becomes_an_internal_comment_naming_the_number():
    comment = recording_comment("m-1", TELEPHONY, AT, CALL, "rec/1.mp3")
    assert comment == {"id": "m-1", "visibility": "internal",
                       "author": TELEPHONY.as_reference(), "created_at": AT,
                       "body": "Запись разговора (+79161234567): rec/1.mp3",
                       "recording": {"call_id": "call-1", "reference": "rec/1.mp3"}}
