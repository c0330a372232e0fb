"""A closed ticket's paid works as one posted 1C sale, whatever fails on the way: a lost answer
after 1C created the document, a failed posting, 1C down until the job dies and is replayed; a
sale 1C refuses to post is dead with 1C's message. Every VAT rate in force, in every profile."""
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
from services.billing_sync.sale import document, push_sale
from services.billing_sync.vat import IN_FORCE
from services.billing_sync.secrets import PasswordBox
from services.billing_sync.store import Store
from services.billing_sync.sync import pull
from tests.doubles.onec_fixtures import onec, onec_bp  # noqa: F401 - fixtures
from tests.doubles import onec_schema
from tests.doubles.onec_seed import TODAY, sale_settings, written_rate
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
    monkeypatch.setenv("ONEC_RETRY_BACKOFF_SECONDS", "0.01")
    db = files.open()
    Store.create_indexes(db)
    store = Store(db)
    connection = store.connections.create("acme", dict(
        url=onec.url, user=onec.user, password=onec.password, profile=onec.profile, mapping={},
        sale=sale_settings(onec, vat_rate="НДС20")),
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


def test_a_failed_posting_is_retried_without_a_second_document(onec, prepared, monkeypatch):
    store, directory, job = prepared
    original = ODataClient.post_document

    def post_once_into_a_dead_1c(self, entity, ref, operational=False):
        monkeypatch.setattr(ODataClient, "post_document", original)
        raise OneCUnreachable("1C at host is unreachable (ConnectionRefusedError).")
    monkeypatch.setattr(ODataClient, "post_document", post_once_into_a_dead_1c)
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
    # The call-out's VAT is the general kind: 22% on a sale of 2026.
    assert written_rate(onec, rows[0]) == "НДС22" and str(rows[0]["СуммаНДС"]) == "901.64"


def test_a_sale_1c_refuses_to_post_is_dead_with_1cs_message_until_fixed_and_replayed(
        onec, prepared, monkeypatch):
    """A modified configuration that also wants the person responsible filled."""
    store, directory, job = prepared
    section, header, rows = onec_schema.POSTING[onec.profile]
    monkeypatch.setitem(onec_schema.POSTING, onec.profile, (section, header + ("Ответственный",), rows))
    onec.schema[SALES]["fields"]["Ответственный"] = "Edm.String"
    dead = send(store, directory)
    assert dead["state"] == "dead" and dead["error"]["kind"] == "posting"
    assert 'Не заполнено поле "Ответственный"' in dead["error"]["onec_message"]
    assert dead["error"]["detail"].startswith("1C refused to post sale 0000-")
    [sale] = sales_of(onec)
    assert sale["Posted"] is False
    assert store.exports.get("acme", job["_id"])["onec_ref"] == sale["Ref_Key"]
    # The admin fills it in 1C (or names it in sale.fields) and replays: the same sale is posted.
    onec.edit(SALES, sale["Ref_Key"], Ответственный="Петров")
    store.exports.replay("acme", job["_id"])
    assert send(store, directory)["state"] == "done" and len(sales_of(onec)) == 1


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
    refs = {"organisation": "org", "currency": "rub", "vat": {"НДС20": "v20"}}
    body = document(profile, directory.tickets["t-1"], "servicedesk-k",
                    parties={"counterparty": "cp", "contract": "ct"},
                    settings=store.connections.of_account("acme")["sale"], today=date(2025, 6, 20),
                    refs=refs)
    assert body["ДоговорОснование_Key"] == "ct" and body["Примечание"].endswith("[servicedesk-k]")
    assert not {"ДоговорКонтрагента_Key", "Договор_Key", "Комментарий"} & set(body)
    [row] = body[profile["sale.rows"]]
    assert row["Описание"] == "Выезд инженера" and "Содержание" not in row


@pytest.mark.parametrize("onec", ["bp30"], indirect=True)
def test_a_bp_sale_carries_what_posting_needs_from_the_settings(onec, prepared):
    store, directory, _ = prepared
    assert send(store, directory)["state"] == "done"
    [sale] = sales_of(onec)
    account = {code: onec.refs[f"account:{code}"] for code in ("62.01", "62.02", "90.01.1",
                                                                "90.02.1", "90.03")}
    assert sale["ДоговорКонтрагента_Key"] == onec.refs["N-1"]  # the open contract, not N-2
    assert (sale["ВалютаДокумента_Key"], sale["КурсВзаиморасчетов"], sale["СпособЗачетаАвансов"]) == (
        onec.refs["rub"], 1, "Автоматически")
    assert (sale["СчетУчетаРасчетовСКонтрагентом_Key"], sale["СчетУчетаРасчетовПоАвансам_Key"]) == (
        account["62.01"], account["62.02"])
    [row] = sale["Услуги"]
    assert (row["СчетДоходов_Key"], row["СчетРасходов_Key"], row["СчетУчетаНДСПоРеализации_Key"]) == (
        account["90.01.1"], account["90.02.1"], account["90.03"])
    assert (row["Субконто"], row["Субконто_Type"]) == (
        onec.refs["nomenclature_group"], "StandardODATA.Catalog_НоменклатурныеГруппы")


@pytest.mark.parametrize("onec", ["ut11", "ut114"], indirect=True)
def test_a_ut_sale_names_the_partner_currency_and_taxation(onec, prepared):
    store, directory, _ = prepared
    assert send(store, directory)["state"] == "done"
    [sale] = sales_of(onec)
    assert (sale["Партнер_Key"], sale["Валюта_Key"], sale["НалогообложениеНДС"]) == (
        onec.refs["partner:north"], onec.refs["rub"], "ПродажаОблагаетсяНДС")
    assert sale["ЦенаВключаетНДС"] is True and sale["Договор_Key"] == onec.refs["N-1"]  # not N-2, closed
    [row] = sale["Товары"]
    assert (row["КоличествоУпаковок"], row["СуммаСНДС"]) == (2, 5000)


def test_settings_1c_lacks_kill_the_job_naming_them_before_anything_is_created(onec, prepared):
    store, directory, _ = prepared
    store.db.connections.update_one({"account_id": "acme"}, {"$set": {
        "sale.currency_ref": "0f0f0f0f-0000-0000-0000-000000000000",
        "sale.accounts": {"income": "90.09"}}})
    dead = send(store, directory)
    expected = {"sale.currency_ref"} | ({"sale.accounts.income"} if onec.profile == "bp30" else set())
    assert dead["state"] == "dead" and set(dead["error"]["fields"]) == expected
    assert sales_of(onec) == []


def test_a_name_1c_does_not_know_comes_back_as_1cs_refusal(onec, prepared):
    store, directory, job = prepared
    connection = store.connections.of_account("acme")
    store.db.connections.update_one({"_id": connection["_id"]}, {"$set": {
        "mapping": {"sale.vat_included": "СуммаВключаетНалог"}}})
    failed = send(store, directory)
    assert failed["state"] == "pending" and failed["error"]["kind"] == "rejected"
    assert "СуммаВключаетНалог" in failed["error"]["detail"] and sales_of(onec) == []


def test_each_row_takes_the_rate_in_force_for_its_services_vat_else_the_connections(onec, prepared):
    store, directory, _ = prepared
    hour = {"code": "00-0002", "name": "Час работы инженера", "unit": "ч", "quantity": "1",
            "unit_price": {"amount": "1100.00", "currency": "RUB"},
            "amount": {"amount": "1100.00", "currency": "RUB"}, "onec_ref": onec.refs["hour"]}
    diagnostics = dict(hour, code="00-0003", name="Диагностика", onec_ref=onec.refs["diagnostics"])
    directory.tickets["t-1"]["works"] += [hour, diagnostics]
    assert send(store, directory)["state"] == "done"
    [sale] = sales_of(onec)
    rows = sale[Profile(onec.profile)["sale.rows"]]
    assert [(written_rate(onec, r), Decimal(str(r["СуммаНДС"]))) for r in rows] == [
        ("НДС22", Decimal("901.64")),  # the call-out's general VAT, on a sale of 2026
        ("НДС10", Decimal(100)),  # the hour's reduced VAT
        ("НДС22", Decimal("198.36"))]  # diagnostics has none in 1C: the connection's НДС20, now 22%


def item_vat_field_edit(double, value):
    """Give the call-out a VAT value the push does not know, as each configuration keeps it."""
    if double.profile == "bp30":
        return {"ВидСтавкиНДС": value}
    if double.profile == "ut114":
        return {"СтавкаНДС": value}
    item = double.add("Catalog_СтавкиНДС", Description=value, ПеречислениеСтавкаНДС=value)
    return {"СтавкаНДС_Key": item["Ref_Key"]}


def test_a_vat_the_push_does_not_know_kills_the_job_naming_the_work(onec, prepared):
    store, directory, _ = prepared
    onec.edit("Catalog_Номенклатура", onec.refs["call_out"], **item_vat_field_edit(onec, "НДС18"))
    dead = send(store, directory)
    assert dead["state"] == "dead" and "works[1].vat_rate" in dead["error"]["fields"]
    assert sales_of(onec) == []


def test_without_the_vat_mapped_every_row_takes_the_connections(onec, prepared):
    store, directory, _ = prepared
    store.db.connections.update_one({"account_id": "acme"}, {"$set": {
        "mapping": {"nomenclature.vat_rate": ""}, "sale.vat_rate": "НДС10"}})
    assert send(store, directory)["state"] == "done"
    [row] = sales_of(onec)[0][Profile(onec.profile)["sale.rows"]]
    assert written_rate(onec, row) == "НДС10"


def test_a_work_whose_1c_reference_is_no_guid_kills_the_job_naming_it(onec, prepared):
    store, directory, _ = prepared
    directory.tickets["t-1"]["works"][0]["onec_ref"] = "00-0001"
    dead = send(store, directory)
    assert dead["state"] == "dead" and "works[1].onec_ref" in dead["error"]["fields"]
    assert sales_of(onec) == []


def push(double, rate, day):
    """A sale of one 12,200.00 call-out at the connection's `rate` (the item's own VAT off),
    created and posted by the double."""
    profile = Profile(double.profile, {"nomenclature.vat_rate": ""})
    work = {"code": "00-0001", "name": "Выезд инженера", "quantity": "1",
            "unit_price": {"amount": "12200.00"}, "amount": {"amount": "12200.00"},
            "onec_ref": double.refs["call_out"]}
    source = ODataClient(double.url, double.user, double.password, backoff=0.05)
    with source:
        sale = push_sale(source, profile, {"idempotency_key": f"servicedesk-{rate}"},
                         {"number": 7, "works": [work]}, counterparty=double.refs["north"],
                         contract=double.refs["N-1"], settings=sale_settings(double, vat_rate=rate),
                         today=day, remember_ref=lambda ref, number: None)
    record = double.find(SALES, sale["ref"])
    return record, record[profile["sale.rows"]][0]


VAT_OF_12200 = {"НДС22": "2200.00", "НДС22_122": "2200.00", "НДС10": "1109.09",
                "НДС10_110": "1109.09", "НДС5": "580.95", "НДС5_105": "580.95", "НДС7": "798.13",
                "НДС7_107": "798.13", "НДС0": "0.00", "БезНДС": "0.00"}


@pytest.mark.parametrize("rate", IN_FORCE)
def test_every_rate_in_force_is_written_as_the_profile_wants_and_posts(onec, rate):
    sale, row = push(onec, rate, date(2026, 6, 20))
    assert sale["Posted"] is True and written_rate(onec, row) == rate
    assert Decimal(str(row["СуммаНДС"])).quantize(Decimal("0.01")) == Decimal(VAT_OF_12200[rate])
    if onec.profile == "ut11":  # a catalog reference, not an enumeration value
        assert "СтавкаНДС" not in row and onec.find("Catalog_СтавкиНДС", row["СтавкаНДС_Key"])


@pytest.mark.parametrize("day, general, computed", [
    (date(2025, 12, 31), "НДС20", "НДС20_120"), (date(2026, 1, 1), "НДС22", "НДС22_122")])
def test_the_general_rate_follows_the_sales_date(onec_bp, day, general, computed):
    assert written_rate(onec_bp, push(onec_bp, "Общая", day)[1]) == general
    assert written_rate(onec_bp, push(onec_bp, "НДС22_122", day)[1]) == computed
