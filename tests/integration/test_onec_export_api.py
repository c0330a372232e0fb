"""Paid works into 1C end to end: a closed ticket with paid works appears in the 1C double as one
posted sale, even after an injected failure and a retry, and even when the ticket is closed twice;
1C down until the last try leaves a dead export job an admin sees and replays."""
import pytest

from tests.doubles.onec_odata import OneCOData
from tests.doubles.onec_seed import sale_settings, seed
from tests.integration.onec_world import add_clients, connect, run_sync, wait_for

SALES = "Document_РеализацияТоваровУслуг"


@pytest.fixture(scope="module")
def double():
    served = seed(OneCOData("bp30")).start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def account(suite, double):
    admin = suite.admin("onec-push")
    clients = add_clients(admin, double)
    connection = connect(admin, double, price_types={"default": double.refs["base"]},
                         sale=sale_settings(double, vat_rate="НДС20"))
    assert run_sync(admin, connection["id"])["state"] == "succeeded"
    wait_for(lambda: any(i["code"] == "00-0001" for i in admin.get("/api/v1/price-items", params={"limit": 100}).json()["items"]),
             "1C's services in the price list")
    return admin, clients


def closed_ticket_with_works(admin, client_id):
    ticket = admin.create_ticket(client_id=client_id)
    works = admin.post(f"/api/v1/tickets/{ticket['id']}/works", json={"code": "00-0001", "quantity": "2"})
    assert works.status_code == 201, works.text
    close(admin, ticket["id"])
    return ticket


def close(admin, ticket_id):
    answer = admin.post(f"/api/v1/tickets/{ticket_id}/status", json={"status": "closed"})
    assert answer.status_code == 200, answer.text


def job_of(admin, ticket_id, state):
    jobs = admin.get("/api/v1/billing/exports", params={"state": state}).json()["items"]
    return next((j for j in jobs if j["ticket_id"] == ticket_id), None)


def sales_for(double, job):
    return [s for s in double.records[SALES] if f"[{job['idempotency_key']}]" in s["Комментарий"]]


def test_a_closed_ticket_becomes_one_posted_sale_after_a_failure_and_a_retry(account, double):
    admin, clients = account
    double.fail_next_request("POST", "/Post", 503)  # created, then 1C is busy when posting
    ticket = closed_ticket_with_works(admin, clients["north"])
    job = wait_for(lambda: job_of(admin, ticket["id"], "done"), "the export is done")
    assert job["attempts"] == 1 and job["error"] is None
    [sale] = sales_for(double, job)
    assert sale["Posted"] is True and sale["Ref_Key"] == job["onec_ref"]
    assert sale["Контрагент_Key"] == double.refs["north"]
    assert sale["СуммаДокумента"] == 6000  # twice the call-out price in effect since July
    assert [r["Номенклатура_Key"] for r in sale["Услуги"]] == [double.refs["call_out"]]
    shown = admin.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert shown["onec_sale"] == {"ref": sale["Ref_Key"], "number": sale["Number"]}

    reopened = admin.post(f"/api/v1/tickets/{ticket['id']}/status", json={"status": "reopened"})
    assert reopened.status_code == 200, reopened.text
    close(admin, ticket["id"])
    jobs = admin.get("/api/v1/billing/exports").json()["items"]
    assert [j["id"] for j in jobs if j["ticket_id"] == ticket["id"]] == [job["id"]]
    assert len(sales_for(double, job)) == 1


def test_1c_down_dead_letters_the_job_and_a_replay_sends_it_once(account, double):
    admin, clients = account
    double.faults.proxy_down = True
    try:
        ticket = closed_ticket_with_works(admin, clients["north"])
        dead = wait_for(lambda: job_of(admin, ticket["id"], "dead"), "the export gives up")
    finally:
        double.faults.proxy_down = False
    assert dead["error"]["kind"] == "unreachable" and dead["attempts"] == 5
    assert sales_for(double, dead) == []
    replayed = admin.post(f"/api/v1/billing/exports/{dead['id']}/replay")
    assert replayed.status_code == 200 and replayed.json()["state"] == "pending"
    done = wait_for(lambda: job_of(admin, ticket["id"], "done"), "the replayed export is done")
    assert len(sales_for(double, done)) == 1
    assert admin.post(f"/api/v1/billing/exports/{dead['id']}/replay").status_code == 409


def test_another_accounts_admin_never_reaches_an_export_job(suite, account):
    admin, _ = account
    job = admin.get("/api/v1/billing/exports").json()["items"][0]
    other = suite.admin("onec-push-other")
    assert other.get(f"/api/v1/billing/exports/{job['id']}").status_code == 404
    assert other.post(f"/api/v1/billing/exports/{job['id']}/replay").status_code == 404
    assert other.get("/api/v1/billing/exports").json()["items"] == []
