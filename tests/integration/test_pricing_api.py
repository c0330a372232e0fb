"""The price list, paid works priced by the client's category, and the price quoted with
'paid_work' at registration."""
import uuid

import pytest


def made(answer):
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def shop(suite):
    admin = suite.admin(f"price-{uuid.uuid4().hex[:6]}")
    gold = made(admin.post("/api/v1/clients", json={"name": "Золотой клиент", "category": "gold"}))
    plain = made(admin.post("/api/v1/clients", json={"name": "Обычный клиент"}))
    made(admin.post("/api/v1/price-items", json={
        "code": "CALL", "name": "Выезд инженера", "unit": "выезд", "price": {"amount": "3500"},
        "category_prices": {"gold": {"amount": "2500"}}}))
    made(admin.post("/api/v1/price-items", json={
        "code": "HOUR", "name": "Работа инженера", "unit": "час", "price": {"amount": "1800.50"}}))
    return {"admin": admin, "gold": gold, "plain": plain}


def test_works_take_the_price_of_the_clients_category_and_sum_up(shop):
    admin = shop["admin"]
    ticket = admin.create_ticket(client_id=shop["gold"]["id"])
    after_call = made(admin.post(f"/api/v1/tickets/{ticket['id']}/works", json={"code": "CALL", "quantity": "1"}))
    assert after_call["works"][0]["unit_price"] == {"amount": "2500.00", "currency": "RUB"}
    done = made(admin.post(f"/api/v1/tickets/{ticket['id']}/works",
                           json={"code": "HOUR", "quantity": "1.5", "note": "замена считывателя"}))
    assert done["works"][1]["amount"] == {"amount": "2700.75", "currency": "RUB"}
    assert done["works_total"] == {"amount": "5200.75", "currency": "RUB"}
    assert all(w["performed_by"] for w in done["works"])
    removed = admin.delete(f"/api/v1/tickets/{ticket['id']}/works/{done['works'][0]['id']}").json()
    assert removed["works_total"] == {"amount": "2700.75", "currency": "RUB"}
    history = [h["field"] for h in removed["history"]]
    assert history.count("works") == 3


def test_a_client_without_a_category_pays_the_default_price(shop):
    ticket = shop["admin"].create_ticket(client_id=shop["plain"]["id"])
    priced = made(shop["admin"].post(f"/api/v1/tickets/{ticket['id']}/works", json={"code": "CALL", "quantity": "2"}))
    assert priced["works_total"] == {"amount": "7000.00", "currency": "RUB"}


@pytest.mark.parametrize("body, field", [
    ({"code": "NOPE", "quantity": "1"}, "code"), ({"code": "CALL", "quantity": "0"}, "quantity"),
    ({"code": "CALL", "quantity": "abc"}, "quantity"), ({"code": "CALL", "quantity": "1", "performed_by": "x"}, "performed_by"),
])
def test_bad_works_are_refused(shop, body, field):
    ticket = shop["admin"].create_ticket()
    answer = shop["admin"].post(f"/api/v1/tickets/{ticket['id']}/works", json=body)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field


def test_paid_work_is_quoted_at_registration(shop):
    admin = shop["admin"]
    admin.patch("/api/v1/coverage-policy", json={"paid_work_code": "CALL"})
    gold_ticket = admin.create_ticket(client_id=shop["gold"]["id"])
    assert gold_ticket["coverage"]["verdict"] == "no_contract"
    assert gold_ticket["coverage"]["price"] == {"amount": "2500.00", "currency": "RUB"}
    plain = admin.post("/api/v1/coverage/check", json={"client_id": shop["plain"]["id"]}).json()
    assert plain["price"] == {"amount": "3500.00", "currency": "RUB"}


def test_codes_are_unique(shop):
    dup = shop["admin"].post("/api/v1/price-items", json={"code": "CALL", "name": "x", "unit": "x",
                                                          "price": {"amount": "1"}})
    assert dup.status_code == 409
