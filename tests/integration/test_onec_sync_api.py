"""The 1C sync end to end: the real suite against the 1C double over real HTTP.

A first sync maps clients, marks contracts paid or unpaid so that new tickets get the verdict,
imports prices; 1C down, a refused login, a 500 in the middle of a run and a malformed field each
fail the run with a clear error and write nothing, and the next run completes without duplicates.
"""
import pytest
import requests

from tests.doubles.onec_odata import OneCOData
from tests.doubles.onec_seed import seed
from tests.integration.onec_world import (CONNECTIONS, add_clients, add_contract, connect,
                                          run_sync, wait_for)


@pytest.fixture(scope="module")
def double():
    served = seed(OneCOData("bp30")).start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def synced(suite, double):
    """An account whose first sync has run: (admin, client ids, contract ids, connection, run)."""
    admin = suite.admin("onec-first")
    clients = add_clients(admin, double)
    contracts = {"N-1": add_contract(admin, "N-1", clients["north"], paid=False),
                 "SB-1": add_contract(admin, "SB-1", clients["branch"], paid=True)}
    connection = connect(admin, double, price_types={
        "default": double.refs["base"], "categories": {"vip": double.refs["vip"]}})
    run = run_sync(admin, connection["id"])
    return admin, clients, contracts, connection, run


def payment_state(admin, contract_id):
    return admin.get(f"/api/v1/contracts/{contract_id}").json()["payment"]["state"]


def test_the_password_is_sealed_and_never_returned(synced):
    admin, _, _, connection, _ = synced
    shown = admin.get(f"{CONNECTIONS}/{connection['id']}").json()
    assert shown["password_set"] is True and "password" not in shown
    assert "password" not in admin.get(CONNECTIONS).json()["items"][0]


def test_a_first_sync_maps_clients_and_keeps_1c_refs_on_them(synced, double):
    admin, clients, _, connection, run = synced
    assert run["state"] == "succeeded", run
    assert run["counts"]["matched"] == 3 and run["duration_seconds"] is not None
    client = admin.get(f"/api/v1/clients/{clients['north']}").json()
    assert client["onec_ref"] == double.refs["north"]
    unmatched = admin.get(f"{CONNECTIONS}/{connection['id']}/unmatched").json()
    left = {c["ref"] for c in unmatched["unmatched_counterparties"]}
    assert double.refs["only_1c"] in left and double.refs["north"] not in left


def test_an_unpaid_contract_gives_a_new_ticket_the_unpaid_verdict(synced):
    admin, clients, contracts, _, _ = synced
    wait_for(lambda: payment_state(admin, contracts["SB-1"]) != "paid", "SB-1 loses its paid state")
    wait_for(lambda: payment_state(admin, contracts["N-1"]) == "paid", "N-1 becomes paid")
    assert admin.create_ticket(client_id=clients["branch"])["coverage"]["verdict"] == "unpaid"
    assert admin.create_ticket(client_id=clients["north"])["coverage"]["verdict"] == "covered"


def test_prices_are_imported_with_category_prices(synced):
    admin = synced[0]

    def call_out():
        items = {i["code"]: i for i in admin.get("/api/v1/price-items", params={"limit": 100}).json()["items"]}
        return items.get("00-0001")
    item = wait_for(call_out, "the call-out price arrives")
    assert item["name"] == "Выезд инженера" and item["price"]["amount"] == "3000.00"
    assert item["category_prices"]["vip"]["amount"] == "1800.00"


def test_a_rerun_changes_nothing_and_the_history_shows_both(synced):
    admin, _, _, connection, first = synced
    again = run_sync(admin, connection["id"])
    assert again["state"] == "succeeded" and again["counts"]["contracts_changed"] == 0
    assert again["counts"]["refs_changed"] == 0
    history = admin.get(f"{CONNECTIONS}/{connection['id']}/runs").json()["items"]
    assert [r["id"] for r in history][-1] == first["id"] and len(history) >= 2
    status = admin.get(f"{CONNECTIONS}/{connection['id']}/status").json()
    assert status["last_success"]["id"] == again["id"]
    assert {c["number"] for c in status["contracts"]} >= {"N-1", "SB-1", "I-1"}


def test_runs_are_counted_by_result_on_billing_syncs_metrics(suite, synced):
    offset = 3  # billing_sync's place in scripts/suite.py's SERVICES
    text = requests.get(f"http://127.0.0.1:{suite.metrics_base + offset}/metrics", timeout=10).text
    assert 'onec_sync_runs_total{result="succeeded",trigger="on_demand"}' in text


def fresh(suite, double, slug):
    admin = suite.admin(slug)
    clients = add_clients(admin, double)
    return admin, clients, connect(admin, double)


@pytest.mark.parametrize("fault, kind", [("proxy_down", "unreachable"),
                                         ("reject_all_logins", "auth")])
def test_1c_down_or_refusing_the_login_fails_the_run_clearly(suite, double, fault, kind):
    admin, clients, connection = fresh(suite, double, f"onec-{kind}")
    setattr(double.faults, fault, True)
    try:
        run = run_sync(admin, connection["id"])
    finally:
        setattr(double.faults, fault, False)
    assert run["state"] == "failed" and run["error"]["kind"] == kind, run
    assert admin.get(f"/api/v1/clients/{clients['north']}").json().get("onec_ref") is None
    check = admin.post(f"{CONNECTIONS}/{connection['id']}/check").json()
    assert check["ok"] is True


def test_a_500_midway_writes_nothing_and_the_rerun_completes_without_duplicates(suite, double):
    admin, clients, connection = fresh(suite, double, "onec-midway")
    double.fail_request(5, 500)
    failed = run_sync(admin, connection["id"])
    assert failed["state"] == "failed" and failed["error"]["kind"] == "server", failed
    assert admin.get(f"/api/v1/clients/{clients['north']}").json().get("onec_ref") is None
    assert admin.get(f"{CONNECTIONS}/{connection['id']}/status").json()["contracts"] == []
    done = run_sync(admin, connection["id"])
    assert done["state"] == "succeeded", done
    contracts = admin.get(f"{CONNECTIONS}/{connection['id']}/status").json()["contracts"]
    assert len(contracts) == len({c["onec_ref"] for c in contracts}) == done["counts"]["contracts"]


def test_a_malformed_field_names_itself_and_writes_nothing(suite, double):
    admin, clients, connection = fresh(suite, double, "onec-malformed")
    ref = double.refs["N-1"]
    good = double.find("Catalog_ДоговорыКонтрагентов", ref)["Дата"]
    double.damage("Catalog_ДоговорыКонтрагентов", ref, "Дата", "2026-02-30T00:00:00")
    try:
        run = run_sync(admin, connection["id"])
    finally:
        double.damage("Catalog_ДоговорыКонтрагентов", ref, "Дата", good)
    assert run["state"] == "failed" and run["error"]["kind"] == "malformed_data", run
    assert "Catalog_ДоговорыКонтрагентов.Дата" in run["error"]["fields"]
    assert admin.get(f"/api/v1/clients/{clients['north']}").json().get("onec_ref") is None
    assert admin.get(f"{CONNECTIONS}/{connection['id']}/unmatched").json()["run_id"] is None


def test_a_manual_mapping_wins_at_the_next_run(suite, double):
    admin, clients, connection = fresh(suite, double, "onec-manual")
    path = f"{CONNECTIONS}/{connection['id']}/mappings/{clients['ivanov']}"
    answer = admin.put(path, json={"ref": double.refs["only_1c"]})
    assert answer.status_code == 200, answer.text
    assert admin.put(path, json={"ref": "not-a-guid"}).status_code == 422
    assert run_sync(admin, connection["id"])["state"] == "succeeded"
    client = admin.get(f"/api/v1/clients/{clients['ivanov']}").json()
    assert client["onec_ref"] == double.refs["only_1c"]


def test_bad_connection_input_is_refused_before_anything_is_stored(suite, double):
    admin = suite.admin("onec-bad-input")
    answer = admin.post(CONNECTIONS, json={"url": double.url, "user": "odata", "profile": "bp30"})
    assert answer.status_code == 422 and "password" in answer.text
    answer = admin.post(CONNECTIONS, json={"url": double.url, "user": "odata", "password": "x",
                                           "profile": "bp30", "mapping": {"payment.entity": "Catalog_X"}})
    assert answer.status_code == 422 and "mapping.payment.entity" in answer.text
    answer = admin.post(CONNECTIONS, json={"url": double.url, "user": "odata", "password": "x",
                                           "profile": "bp30", "unknown": 1})
    assert answer.status_code == 422
    answer = admin.post(CONNECTIONS, json={"url": double.url, "user": "odata", "password": "x",
                                           "profile": "bp30", "mapping": {"sale.contract": "Контрагент_Key"}})
    assert answer.status_code == 422 and "mapping.sale.contract" in answer.text
    answer = admin.post(CONNECTIONS, json={"url": double.url, "user": "odata", "password": "x",
                                           "profile": "bp30", "sale": {"fields": {"Комментарий": "x"}}})
    assert answer.status_code == 422 and "sale.fields.Комментарий" in answer.text
    assert admin.get(CONNECTIONS).json()["items"] == []


def test_an_incremental_run_applies_only_what_1c_changed_and_the_history_says_so(suite, double):
    admin, clients, connection = fresh(suite, double, "onec-incremental")
    assert run_sync(admin, connection["id"])["state"] == "succeeded"
    quiet = run_sync(admin, connection["id"], mode="incremental")
    assert quiet["state"] == "succeeded", quiet
    assert quiet["counts"]["changed_in_1c"] == {"counterparties": 0, "contracts": 0, "payments": 0}
    assert quiet["counts"]["contracts_changed"] == 0
    entity, ref = "Document_ПоступлениеНаРасчетныйСчет", double.refs["pay:N-1:apr"]
    original = double.find(entity, ref)
    rows = original["РасшифровкаПлатежа"]
    double.edit(entity, ref, СуммаДокумента=9000,
                РасшифровкаПлатежа=[dict(rows[0], СуммаПлатежа=9000)])
    try:
        edited = run_sync(admin, connection["id"], mode="incremental")
    finally:
        double.edit(entity, ref, СуммаДокумента=original["СуммаДокумента"], РасшифровкаПлатежа=rows)
    assert edited["counts"]["changed_in_1c"] == {"counterparties": 0, "contracts": 0, "payments": 1}
    months = admin.get(f"/api/v1/billing/clients/{clients['north']}/payments").json()["periods"]
    assert {m["period"]: m["amount"]["amount"] for m in months}["2026-04"] == "9000"
