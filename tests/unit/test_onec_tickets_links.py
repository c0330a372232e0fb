"""The tickets side of the 1C sync, on the tickets database: Ref_Keys only on the account's own
clients, payment states applied once and never overtaken by an older event, the price list
upserted by code with a bad item changing nothing."""
import pytest

from services.shared.errors import NotFound, ValidationFailed
from services.tickets.store import Store
from services.tickets.store.billing_links import BillingLinks


@pytest.fixture
def db(files):
    database = files.open()
    Store.create_indexes(database)
    database.clients.insert_many([
        {"_id": "c-1", "account_id": "acme", "name": "Север", "inn": "7702000011", "kpp": None,
         "active": True},
        {"_id": "c-2", "account_id": "globex", "name": "Чужой", "inn": "7702000011", "active": True}])
    database.contracts.insert_one({"_id": "k-1", "account_id": "acme", "client_id": "c-1",
                                   "number": "N-1", "payment": {"state": "paid"}})
    return database


def event(state, at, number="N-1"):
    return {"account_id": "acme", "client_id": "c-1", "occurred_at": at,
            "contract": {"onec_ref": "11111111-1111-1111-1111-111111111111", "number": number},
            "payment": {"state": state, "balance": {"amount": "10000.00", "currency": "RUB"},
                        "advance": {"amount": "0.00", "currency": "RUB"},
                        "overdue_amount": {"amount": "0.00", "currency": "RUB"},
                        "last_payment_on": None}}


def test_clients_for_matching_and_refs_stay_in_the_account(db):
    assert [c["id"] for c in BillingLinks(db).clients_for_matching("acme")] == ["c-1"]
    assert BillingLinks(db).set_onec_refs("acme", {"c-1": "ref-1", "c-2": "ref-2"}) == 1
    assert db.clients.find_one({"_id": "c-2"}).get("onec_ref") is None


def test_a_payment_state_is_applied_and_an_older_one_does_not_overtake_it(db):
    newer = event("overdue", "2026-12-01T10:00:00.000+00:00")
    assert BillingLinks(db).apply_contract_payment(newer) == "k-1"
    BillingLinks(db).apply_contract_payment(event("paid", "2026-12-01T09:00:00.000+00:00"))
    payment = db.contracts.find_one({"_id": "k-1"})["payment"]
    assert payment == {"state": "overdue", "balance": {"amount": "10000.00", "currency": "RUB"},
                       "last_payment_on": None}
    assert BillingLinks(db).apply_contract_payment(event("paid", "2026-12-02T00:00:00.000+00:00",
                                                          number="X-9")) is None


def item(code, amount="2500.00", name="Выезд инженера"):
    return {"code": code, "name": name, "unit": "усл", "price": {"amount": amount, "currency": "RUB"},
            "category_prices": {}, "active": True, "onec_ref": f"ref-{code}"}


def test_the_price_list_is_upserted_by_code_and_a_bad_item_changes_nothing(db):
    payload = {"account_id": "acme", "items": [item("00-0001"), item("00-0002")]}
    BillingLinks(db).apply_price_list(payload)
    BillingLinks(db).apply_price_list(payload)
    assert db.price_items.count_documents({"account_id": "acme"}) == 2
    with pytest.raises(ValidationFailed):
        BillingLinks(db).apply_price_list({"account_id": "acme", "items": [
            item("00-0001", amount="3000.00"), item("00-0003", amount="-1")]})
    assert db.price_items.find_one({"code": "00-0001"})["price"]["amount"] == "2500.00"


def test_a_ticket_for_sale_names_its_works_1c_services_and_only_in_its_account(db):
    BillingLinks(db).apply_price_list({"account_id": "acme", "items": [item("00-0001")]})
    price_item = db.price_items.find_one({"code": "00-0001"})
    db.tickets.insert_one({"_id": "t-1", "account_id": "acme", "number": 7, "client_id": "c-1",
                           "status": "closed", "works": [{
                               "price_item_id": price_item["_id"], "code": "00-0001",
                               "name": "Выезд инженера", "unit": "усл", "quantity": "1",
                               "unit_price": {"amount": "2500.00", "currency": "RUB"},
                               "amount": {"amount": "2500.00", "currency": "RUB"}}]})
    ticket = BillingLinks(db).ticket_for_sale("acme", "t-1")
    assert ticket["works"][0]["onec_ref"] == "ref-00-0001"
    with pytest.raises(NotFound):
        BillingLinks(db).ticket_for_sale("globex", "t-1")
    with pytest.raises(NotFound):
        BillingLinks(db).set_ticket_sale("globex", "t-1", {"ref": "r", "number": "1"})
