"""A closed ticket's paid works as one posted 1C sale, whatever fails on the way: a lost answer
after 1C created the document, a failed posting, 1C down until the job dies and is replayed."""
from datetime import date
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet

from services.billing_sync.adapters.base import OneCUnreachable
from services.billing_sync.adapters.odata import ODataClient
from services.billing_sync.connections import open_source
from services.billing_sync.export_execution import export
from services.billing_sync.export_retries import MAX_ATTEMPTS
from services.billing_sync.profiles import Profile
from services.billing_sync.sale import document
from services.billing_sync.secrets import PasswordBox
from services.billing_sync.store import Store
from services.billing_sync.sync import pull
from tests.doubles.onec_fixtures import onec  # noqa: F401 - fixtures
from tests.doubles.onec_seed import TODAY
from tests.unit.test_onec_sync import Directory, directory_for

KEYS = Fernet.generate_key().decode()
SALES = "Document_РеализацияТоваровУслуг"


class TicketDirectory(Directory):
    def __init__(self, double, clients):
        super().__init__(clients)
        self.sales = {}
        work = {"code": "00-0001", "name": "Выезд инженера", "unit": "усл", "quantity": "2",
                "unit_price": {"amount": "2500.00", "currency": "RUB"},
                "amount": {"amount": "5000.00", "currency": "RUB"},
                "onec_ref": double.refs["call_out"]}
        self.tickets = {"t-1": {"id": "t-1", "number": 42, "client_id": "c-north", "status": "closed",
                                "works": [work], "onec_sale": None}}

    def ticket(self, ticket_id):
        return self.tickets[ticket_id]

    def set_ticket_sale(self, ticket_id, sale):
        self.sales[ticket_id] = sale


@pytest.fixture
def prepared(files, onec, monkeypatch):
    monkeypatch.setenv("ONEC_SECRET_KEYS", KEYS)
    monkeypatch.setenv("ONEC_EXPORT_BACKOFF_SECONDS", "0")
    db = files.open()
    Store.create_indexes(db)
    store = Store(db)
    connection = store.connections.create("acme", dict(
        url=onec.url, user=onec.user, password=onec.password, profile=onec.profile, mapping={},
        sale={"organisation_ref": onec.refs["organisation"], "vat_rate": "НДС20", "fields": {}}),
        box=PasswordBox(KEYS))
    directory = TicketDirectory(onec, directory_for(onec).list)
    with open_source(connection) as source:
        pull(store, source, connection, directory, "run-1", today=TODAY)
    return store, directory, store.exports.create("acme", "t-1", 42)


def send(store, directory):
    job = store.exports.claim()
    return export(store, job, directory, today=date(2026, 6, 20))


def sales_of(double):
    return [s for s in double.records[SALES] if "[servicedesk-" in s.get("Комментарий", "")]


def test_a_failed_posting_is_retried_without_a_second_document(onec, prepared):
    store, directory, job = prepared
    onec.fail_request(4, 500)  # the search, the VAT rates, the creation, then the posting fails
    assert send(store, directory)["state"] == "pending"
    assert store.exports.get("acme", job["_id"])["onec_ref"] is not None
    done = send(store, directory)
    assert done["state"] == "done" and done["attempts"] == 1
    [sale] = sales_of(onec)
    assert sale["Posted"] is True and sale["Ref_Key"] == done["onec_ref"]
    assert directory.sales["t-1"] == {"ref": sale["Ref_Key"], "number": sale["Number"]}
    rows = sale[next(s for s in ("Услуги", "Товары") if s in sale)]
    assert [(r["Номенклатура_Key"], r["Количество"], r["Сумма"]) for r in rows] == [
        (onec.refs["call_out"], 2, 5000)]
    assert str(rows[0]["СуммаНДС"]) == "833.33"


def test_an_answer_lost_after_1c_created_the_sale_finds_it_by_its_key(onec, prepared, monkeypatch):
    store, directory, _ = prepared
    original = ODataClient.create

    def create_then_lose_the_answer(self, entity, body):
        original(self, entity, body)
        raise OneCUnreachable("1C did not answer within 60 s.")
    monkeypatch.setattr(ODataClient, "create", create_then_lose_the_answer)
    lost = send(store, directory)
    assert lost["state"] == "pending" and lost["onec_ref"] is None
    monkeypatch.setattr(ODataClient, "create", original)
    assert send(store, directory)["state"] == "done"
    assert len(sales_of(onec)) == 1 and sales_of(onec)[0]["Posted"] is True


def test_1c_down_kills_the_job_after_the_last_try_and_a_replay_sends_it(onec, prepared):
    store, directory, job = prepared
    onec.faults.proxy_down = True
    for _ in range(MAX_ATTEMPTS):
        last = send(store, directory)
    assert last["state"] == "dead" and last["error"]["kind"] == "unreachable"
    assert store.exports.claim() is None
    onec.faults.proxy_down = False
    assert store.exports.replay("acme", job["_id"])["state"] == "pending"
    assert send(store, directory)["state"] == "done" and len(sales_of(onec)) == 1


def test_a_second_close_of_the_same_ticket_reuses_its_job(prepared):
    store, _, job = prepared
    assert store.exports.create("acme", "t-1", 42)["_id"] == job["_id"]


def test_a_work_1c_does_not_sell_kills_the_job_at_once_with_its_reason(onec, prepared):
    store, directory, _ = prepared
    directory.tickets["t-1"]["works"][0]["onec_ref"] = None
    dead = send(store, directory)
    assert dead["state"] == "dead" and "works[1].code" in dead["error"]["fields"]
    assert sales_of(onec) == []


def test_the_sale_is_written_under_the_names_the_mapping_gives(onec, prepared):
    store, directory, _ = prepared
    profile = Profile(onec.profile, {"sale.contract": "ДоговорОснование_Key",
                                     "sale.row_content": "Описание", "sale.comment": "Примечание"})
    body = document(profile, directory.tickets["t-1"], "servicedesk-k", counterparty="cp",
                    contract="ct", settings=store.connections.of_account("acme")["sale"],
                    today=date(2026, 6, 20))
    assert body["ДоговорОснование_Key"] == "ct" and body["Примечание"].endswith("[servicedesk-k]")
    assert not {"ДоговорКонтрагента_Key", "Договор_Key", "Комментарий"} & set(body)
    [row] = body[profile["sale.rows"]]
    assert row["Описание"] == "Выезд инженера" and "Содержание" not in row


def test_a_name_1c_does_not_know_comes_back_as_1cs_refusal(onec, prepared):
    store, directory, job = prepared
    connection = store.connections.of_account("acme")
    store.db.connections.update_one({"_id": connection["_id"]}, {"$set": {
        "mapping": {"sale.vat_included": "ЦенаВключаетНДС"}}})
    failed = send(store, directory)
    assert failed["state"] == "pending" and failed["error"]["kind"] == "rejected"
    assert "ЦенаВключаетНДС" in failed["error"]["detail"] and sales_of(onec) == []


def test_each_row_takes_its_services_vat_rate_from_1c_else_the_connections(onec, prepared):
    store, directory, _ = prepared
    hour = {"code": "00-0002", "name": "Час работы инженера", "unit": "ч", "quantity": "1",
            "unit_price": {"amount": "1100.00", "currency": "RUB"},
            "amount": {"amount": "1100.00", "currency": "RUB"}, "onec_ref": onec.refs["hour"]}
    directory.tickets["t-1"]["works"].append(hour)
    assert send(store, directory)["state"] == "done"
    [sale] = sales_of(onec)
    rows = sale[Profile(onec.profile)["sale.rows"]]
    assert [(r["СтавкаНДС"], Decimal(str(r["СуммаНДС"]))) for r in rows] == [
        ("НДС20", Decimal("833.33")),  # the call-out has no rate in 1C: the connection's
        ("НДС10", Decimal(100))]  # the hour's own rate


def test_a_vat_rate_the_push_does_not_know_kills_the_job_naming_the_work(onec, prepared):
    store, directory, _ = prepared
    onec.edit("Catalog_Номенклатура", onec.refs["call_out"], СтавкаНДС="НДС18")
    dead = send(store, directory)
    assert dead["state"] == "dead" and "works[1].vat_rate" in dead["error"]["fields"]
    assert sales_of(onec) == []


def test_without_the_vat_rate_mapped_every_row_takes_the_connections(onec, prepared):
    store, directory, _ = prepared
    store.db.connections.update_one({"account_id": "acme"}, {"$set": {
        "mapping": {"nomenclature.vat_rate": ""}}})
    onec.edit("Catalog_Номенклатура", onec.refs["call_out"], СтавкаНДС="НДС10")
    assert send(store, directory)["state"] == "done"
    [row] = sales_of(onec)[0][Profile(onec.profile)["sale.rows"]]
    assert row["СтавкаНДС"] == "НДС20"


def test_a_work_whose_1c_reference_is_no_guid_kills_the_job_naming_it(onec, prepared):
    store, directory, _ = prepared
    directory.tickets["t-1"]["works"][0]["onec_ref"] = "00-0001"
    dead = send(store, directory)
    assert dead["state"] == "dead" and "works[1].onec_ref" in dead["error"]["fields"]
    assert sales_of(onec) == []
