"""Issue 21's "done" end to end, in each profile (БП 3.0, УТ 11.5, УТ 11.4) with the double on
their real names: the connection check finds every name and setting, payment states and prices
sync, a closed ticket's works become a posted sale with 22% VAT, a run survives a 1C restart
mid-way without starting over, and no request's query string reaches 2,000 bytes."""
from decimal import Decimal

import pytest

from services.billing_sync.adapters.odata_query import MAX_QUERY_BYTES
from tests.doubles.onec_odata import OneCOData
from tests.doubles.onec_seed import sale_settings, seed, written_rate
from tests.integration.onec_world import (CONNECTIONS, add_clients, add_contract, connect,
                                          run_sync, wait_for)

SALES = "Document_РеализацияТоваровУслуг"


@pytest.fixture(scope="module", params=["bp30", "ut11", "ut114"])
def world(request, suite):
    double = seed(OneCOData(request.param)).start()
    admin = suite.admin(f"onec-{request.param}")
    clients = add_clients(admin, double)
    contracts = {"N-1": add_contract(admin, "N-1", clients["north"], paid=False),
                 "SB-1": add_contract(admin, "SB-1", clients["branch"], paid=True)}
    connection = connect(admin, double, sale=sale_settings(double), price_types={
        "default": double.refs["base"], "categories": {"vip": double.refs["vip"]}})
    first = run_sync(admin, connection["id"])
    yield admin, clients, contracts, connection, double, first
    double.stop()


def payment_state(admin, contract_id):
    return admin.get(f"/api/v1/contracts/{contract_id}").json()["payment"]["state"]


def test_the_check_finds_every_name_of_the_profile_and_every_sale_setting(world):
    admin, _, _, connection, double, _ = world
    report = admin.post(f"{CONNECTIONS}/{connection['id']}/check")
    assert report.status_code == 200, report.text
    assert report.json()["ok"] is True and report.json()["sale_settings"] == {}
    double.unpublish("Catalog_Валюты")
    try:
        broken = admin.post(f"{CONNECTIONS}/{connection['id']}/check").json()
    finally:
        double.published.add("Catalog_Валюты")
    assert broken["ok"] is False
    assert [e["entity"] for e in broken["entities"] if not e["present"]] == ["Catalog_Валюты"]


def test_payment_states_and_prices_sync(world):
    admin, _, contracts, _, _, first = world
    assert first["state"] == "succeeded", first
    assert first["counts"]["matched"] == 3 and first["counts"]["price_items"] == 3
    wait_for(lambda: payment_state(admin, contracts["N-1"]) == "paid", "N-1 is paid in 1C")
    wait_for(lambda: payment_state(admin, contracts["SB-1"]) != "paid", "SB-1 owes")
    items = wait_for(lambda: {i["code"]: i for i in admin.get("/api/v1/price-items", params={"limit": 100}).json()["items"]
                              if i["code"].startswith("00-000")} or None, "1C's price list")
    assert items["00-0002"]["price"]["amount"] == "1500.50"
    assert items["00-0002"]["category_prices"]["vip"]["amount"] == "1200.00"


def test_a_closed_ticket_becomes_a_posted_sale_with_22_percent_vat(world):
    admin, clients, _, _, double, _ = world
    ticket = admin.create_ticket(client_id=clients["north"])
    works = admin.post(f"/api/v1/tickets/{ticket['id']}/works", json={"code": "00-0001", "quantity": "2"})
    assert works.status_code == 201, works.text
    closed = admin.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "closed"})
    assert closed.status_code == 200, closed.text

    def done():
        jobs = admin.get("/api/v1/billing/exports").json()["items"]
        return next((j for j in jobs if j["ticket_id"] == ticket["id"] and j["state"] == "done"), None)
    job = wait_for(done, "the sale is in 1C")
    [sale] = [s for s in double.records[SALES] if f"[{job['idempotency_key']}]" in s["Комментарий"]]
    assert sale["Posted"] is True and sale["СуммаДокумента"] == 3600  # 2 call-outs at north's vip price
    [row] = sale["Услуги" if double.profile == "bp30" else "Товары"]
    assert written_rate(double, row) == "НДС22"
    assert Decimal(str(row["СуммаНДС"])) == Decimal("649.18")  # 3600 * 22 / 122


def test_a_run_survives_a_1c_restart_midway_without_starting_over(world):
    admin, _, _, connection, double, _ = world
    before, sessions = len(double.log), dict(double.sessions)
    double.restart_after(6, 0.5)  # 1C restarts while the run reads payments
    run = run_sync(admin, connection["id"])
    assert run["state"] == "succeeded", run
    during = double.log[before:]
    # The counterparties are read first, once: the run never started over.
    assert sum(1 for _, path, _ in during if path.endswith("/Catalog_Контрагенты")) == 1
    assert double.sessions["refused"] == sessions["refused"] + 1
    assert double.sessions["started"] == sessions["started"] + 2 and double.open_sessions == 0
    runs = admin.get(f"{CONNECTIONS}/{connection['id']}/runs").json()["items"]
    assert [r["id"] for r in runs if r["state"] != "succeeded"] == []


def test_no_request_reached_2000_bytes_of_query_string(world):
    *_, double, _ = world
    assert len(double.log) > 30 and double.longest_query < MAX_QUERY_BYTES
