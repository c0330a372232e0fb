"""The tickets service's telephony entrypoints with nameko's worker_factory: only the telephony
service files calls, people need their permission, input is validated before anything is read."""
import pytest
from nameko.testing.services import worker_factory

from services.shared.errors import Forbidden, Unavailable, ValidationFailed
from services.tickets.service import TicketsService

TELEPHONY = {"account_id": "acme", "kind": "system", "id": "telephony"}
OTHER_SYSTEM = {"account_id": "acme", "kind": "system", "id": "billing_sync"}
ENGINEER = {"account_id": "acme", "kind": "employee", "id": "eve", "roles": ["field_engineer"]}
CONTACT = {"account_id": "acme", "kind": "contact", "id": "c1", "client_id": "k1",
           "client_scope": "company"}
CALL = {"call": {"call_id": "call-1", "number": "+79161234567", "direction": "in"},
        "rule": "attach_to_open_ticket"}


def test_only_the_telephony_service_files_calls():
    service = worker_factory(TicketsService)
    for actor in (OTHER_SYSTEM, ENGINEER, CONTACT):
        with pytest.raises(Forbidden):
            service.ticket_for_call(actor, CALL)
        with pytest.raises(Forbidden):
            service.add_call_recording(actor, "t1", {"call_id": "call-1", "reference": "r"})
    service.store.phone_calls.ticket_of_call.assert_not_called()


def test_the_caller_card_and_lookup_are_for_employees():
    service = worker_factory(TicketsService)
    with pytest.raises(Forbidden):
        service.caller_card(CONTACT, {"number": "+79161234567"})
    with pytest.raises(Forbidden):
        service.find_contact_by_phone(CONTACT, "+79161234567")
    with pytest.raises(ValidationFailed):
        service.caller_card(ENGINEER, {"number": "не номер"})
    with pytest.raises(Forbidden):
        service.link_call(ENGINEER, "t1", CALL)  # field engineers do not edit tickets


def test_the_lookup_answers_the_first_contact_or_none():
    service = worker_factory(TicketsService)
    found = service.store.contacts.with_phone
    found.return_value = []
    assert service.find_contact_by_phone(TELEPHONY, "8 916 123-45-67") is None
    (account_id, number, _limit), _ = found.call_args
    assert (account_id, number) == ("acme", "+79161234567")
    found.return_value = [{"_id": "k7", "client_id": "c1", "name": "Иван", "phones": [
        "+79161234567"]}]
    assert service.find_contact_by_phone(ENGINEER, "+79161234567")["id"] == "k7"


def test_a_call_another_worker_is_filing_is_asked_again_later():
    service = worker_factory(TicketsService)
    service.store.phone_calls.ticket_of_call.return_value = None
    service.store.phone_calls.claim.return_value = False
    with pytest.raises(Unavailable):
        service.ticket_for_call(TELEPHONY, CALL)
    service.store.tickets.create.assert_not_called()


def test_a_call_that_has_a_ticket_gets_the_same_one():
    service = worker_factory(TicketsService)
    service.store.phone_calls.ticket_of_call.return_value = {"_id": "t1", "number": 4}
    assert service.ticket_for_call(TELEPHONY, CALL) == {"ticket_id": "t1", "number": 4,
                                                        "created": False}
    service.store.phone_calls.claim.assert_not_called()
    service.store.tickets.create.assert_not_called()
