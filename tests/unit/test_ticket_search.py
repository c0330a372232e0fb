"""Ticket search (tickets/search.py): numbers, words in any form, client names, phones in any
format, serial numbers; found through the store, within the account (issue 23, point 13)."""
import pytest

from services.tickets.store import Store
from services.tickets.tickets.search import plan, resolve, search_terms, searched
from tests.unit.test_ticket_store import changes, contact, employee, list_query, ticket_input


def test_a_plan_reads_numbers_words_and_phones():
    assert plan("#42").number == 42 and plan("№ 42").number == 42 and plan("42").number == 42
    assert plan("турникеты").terms == ("турникет",)
    assert plan("Не работают турникеты на проходной").terms == ("работа", "турникет", "проходн")
    assert plan("8 (916) 123-45-67").phone == "+79161234567"
    assert plan("+7 916 123 45 67").phone == plan("89161234567").phone == "+79161234567"
    assert plan("SN-0042").phone is None and plan("42").phone is None


def test_a_tickets_terms_are_its_title_and_description_in_any_form():
    assert search_terms("Турникеты не открываются", "Проходная, корпус 2") == [
        "2", "корпус", "открыва", "проходн", "турникет"]
    assert search_terms("Касса", None) == ["касс"]


@pytest.fixture
def desk(db):
    Store.create_indexes(db)
    store = Store(db)
    db.accounts.insert_many([{"_id": account, "slug": account, "time_zone": "Europe/Moscow",
                              "settings": {}, "active": True} for account in ("acc-1", "acc-other")])
    raduga = store.clients.create("acc-1", {"name": "ТЦ Радуга", "legal_name": "ООО «Радуга»"})
    zvezda = store.clients.create("acc-1", {"name": "Звезда"})
    anna = store.contacts.create("acc-1", raduga["_id"], {
        "name": "Анна", "phones": ["+79161234567"], "emails": [], "portal_access": "company"})
    site = store.sites.create("acc-1", raduga["_id"], {"name": "Корпус 1"})
    item = store.equipment.create("acc-1", site, {
        "manufacturer": "PERCo", "model": "TTR-10", "serial_number": "SN-0042A"})
    actor = employee()
    tickets = {
        "turnstile": store.tickets.create(actor, ticket_input(
            title="Не работает турникет", client_id=raduga["_id"])),
        "phone": store.tickets.create(actor, ticket_input(
            title="Перезвонить", client_id=raduga["_id"], contact_id=anna["_id"])),
        "serial": store.tickets.create(actor, ticket_input(
            title="Замена платы", client_id=raduga["_id"], site_id=site["_id"],
            equipment_id=item["_id"])),
        "other_client": store.tickets.create(actor, ticket_input(
            title="Турникеты на входе", client_id=zvezda["_id"])),
    }
    store.tickets.create(employee("acc-other"), ticket_input(title="Турникет чужой"))
    return store, tickets, {"raduga": raduga, "zvezda": zvezda}


def found(store, actor, q):
    docs, _ = store.tickets.list(actor, searched(store, actor.account_id, list_query(q=q)))
    return sorted(doc["title"] for doc in docs)


def test_words_in_any_form_within_the_account(desk):
    store, _, _ = desk
    assert found(store, employee(), "турникеты") == ["Не работает турникет", "Турникеты на входе"]
    assert found(store, employee(), "ТУРНИКЕТА") == ["Не работает турникет", "Турникеты на входе"]


def test_by_number(desk):
    store, tickets, _ = desk
    number = tickets["serial"]["number"]
    assert found(store, employee(), f"#{number}") == ["Замена платы"]
    assert found(store, employee(), f"№{number}") == ["Замена платы"]


def test_by_client_name(desk):
    store, _, _ = desk
    assert found(store, employee(), "радуга") == ["Замена платы", "Не работает турникет", "Перезвонить"]
    assert found(store, employee(), "ООО «Радуга»") == found(store, employee(), "радуга")


@pytest.mark.parametrize("q", ["8 (916) 123-45-67", "+7 916 123-45-67", "79161234567",
                               "8-916-123-45-67"])
def test_by_a_contacts_phone_in_any_format(desk, q):
    store, _, _ = desk
    assert found(store, employee(), q) == ["Перезвонить"]


def test_by_equipment_serial(desk):
    store, _, _ = desk
    assert found(store, employee(), "sn-0042a") == ["Замена платы"]
    assert found(store, employee(), "SN-004") == ["Замена платы"]


def test_another_account_finds_nothing_of_this_one(desk):
    store, tickets, _ = desk
    other = employee("acc-other")
    assert found(store, other, "турникет") == ["Турникет чужой"]
    assert found(store, other, "радуга") == []
    assert found(store, other, "+79161234567") == []
    assert found(store, other, "SN-0042A") == []
    assert resolve(store, "acc-other", "радуга")["client_ids"] == []


def test_a_contact_finds_only_their_companys_tickets(desk):
    store, _, clients = desk
    zvezda_contact = contact(client=clients["zvezda"]["_id"], scope="company")
    assert found(store, zvezda_contact, "турникеты") == ["Турникеты на входе"]
    assert found(store, zvezda_contact, "радуга") == []
    assert found(store, zvezda_contact, "8 916 123-45-67") == []


def test_an_edited_title_is_found_by_its_new_words(desk):
    store, tickets, _ = desk
    store.tickets.update(employee(), tickets["phone"]["_id"], changes(title="Сломался шлагбаум"))
    assert found(store, employee(), "шлагбаумы") == ["Сломался шлагбаум"]


def test_employees_find_a_phone_in_the_tickets_calls_and_reporters(desk, db):
    store, tickets, clients = desk
    store.tickets.create(employee(), dict(ticket_input(title="Звонок с неизвестного номера"),
                                          calls=[{"call_id": "k1", "number": "+74951112233"}]))
    store.tickets.create(employee(), dict(ticket_input(title="Сообщение с QR-метки",
                                                       client_id=clients["zvezda"]["_id"]),
                                          reporter={"name": "Прохожий", "phone": "+74951112233"}))
    assert found(store, employee(), "8 495 111-22-33") == ["Звонок с неизвестного номера",
                                                           "Сообщение с QR-метки"]
    # A contact is not shown calls or reporters: their numbers find nothing for them.
    zvezda_contact = contact(client=clients["zvezda"]["_id"], scope="company")
    assert found(store, zvezda_contact, "8 495 111-22-33") == []
