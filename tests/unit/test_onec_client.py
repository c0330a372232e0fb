"""The OData client against the double over real sockets: paging, literals, and each way talking
to 1C fails, sorted into the kind an admin acts on."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from services.billing_sync.adapters.base import (OneCAuthFailed, OneCMalformed, OneCRejected,
                                                 OneCServerError, OneCUnreachable)
from services.billing_sync.adapters.odata_query import (Guid, all_of, batches, compare, eq, literal,
                                                        one_of, virtual_table)
from services.billing_sync.adapters.odata import ODataClient
from services.shared.errors import Unavailable, ValidationFailed
from tests.doubles.onec_fixtures import client_for, onec, onec_bp  # noqa: F401 - fixtures
from tests.doubles.onec_odata import OneCOData
from tests.doubles.onec_seed import complete_bp_sale, seed

GUID = "1f0c3a52-8f2e-4d3b-9a51-0c9e6a2b7d10"


def test_literals_are_odata_v3():
    assert literal(Guid(GUID.upper())) == f"guid'{GUID}'"
    assert literal(datetime(2026, 1, 31, 23, 59, 59, 999)) == "datetime'2026-01-31T23:59:59'"
    assert literal(date(2026, 1, 31)) == "datetime'2026-01-31T00:00:00'"
    assert literal("O'Brien") == "'O''Brien'"
    assert (literal(True), literal(Decimal("1.50")), literal(3)) == ("true", "1.50", "3")
    assert virtual_table("InformationRegister_ЦеныНоменклатуры", "SliceLast",
                         Period=date(2026, 6, 1), Condition=eq("ТипЦен_Key", Guid(GUID))) == (
        "InformationRegister_ЦеныНоменклатуры/SliceLast(Period=datetime'2026-06-01T00:00:00',"
        f"Condition='ТипЦен_Key eq guid''{GUID}''')")


@pytest.mark.parametrize("bad", [lambda: literal(datetime(2026, 1, 1).astimezone()),
                                 lambda: eq("ИНН' or 1 eq 1 or 'x", "1"),
                                 lambda: compare("Date", "between", 1),
                                 lambda: literal(1.5), lambda: Guid("not-a-guid")])
def test_what_cannot_be_said_safely_is_refused(bad):
    with pytest.raises(ValueError):
        bad()


def test_filters_combine_and_batch():
    assert all_of(eq("Posted", True), None, one_of("Code", ["62.01", "62.02"])) == (
        "(Posted eq true) and ((Code eq '62.01') or (Code eq '62.02'))")
    assert [len(b) for b in batches(range(70), lambda batch: len(batch) <= 30)] == [30, 30, 10]


def test_a_quote_in_a_value_matches_the_record_and_nothing_else(onec_bp):
    onec_bp.add("Catalog_Контрагенты", Description="ООО \"Д'Артаньян и Ко\"", ИНН="7700000000")
    client = client_for(onec_bp)
    found = client.read("Catalog_Контрагенты", filter=eq("Description", "ООО \"Д'Артаньян и Ко\""))
    assert [r["ИНН"] for r in found] == ["7700000000"]


def test_paging_reads_every_record_once_in_pages(onec):
    for number in range(23):
        onec.add("Catalog_Номенклатура", Code=f"P-{number:03d}", Description=f"Услуга {number}",
                 Услуга=True)
    expected = {r["Ref_Key"] for r in onec.records["Catalog_Номенклатура"]}
    before = onec.request_count
    refs = [r["Ref_Key"] for r in client_for(onec, page_size=5).iterate("Catalog_Номенклатура",
                                                                         select=["Ref_Key"])]
    assert sorted(refs) == sorted(expected) and len(refs) == len(expected)
    assert onec.request_count - before == len(expected) // 5 + 1
    assert all("%24top=5" in q or "$top=5" in q for _, _, q in onec.log[before:])


def test_a_server_that_ignores_paging_is_malformed_not_an_endless_loop(onec_bp):
    client = client_for(onec_bp, page_size=2)
    client.read = lambda resource, **options: onec_bp.records["Catalog_Контрагенты"][:2]
    with pytest.raises(OneCMalformed):
        list(client.iterate("Catalog_Контрагенты"))
    client.read = lambda resource, **options: onec_bp.records["Catalog_Контрагенты"]
    with pytest.raises(OneCMalformed):
        list(client.iterate("Catalog_Контрагенты"))


@pytest.mark.parametrize("url", ["ftp://1c.example/base/odata/standard.odata/", "1c.example/base",
                                 "https://odata:secret@1c.example/base/odata/standard.odata/", ""])
def test_a_root_url_that_cannot_be_right_names_the_field(url):
    with pytest.raises(ValidationFailed) as caught:
        ODataClient(url, "odata", "secret")
    assert "url" in caught.value.fields


def test_decimals_stay_exact(onec_bp):
    rows = client_for(onec_bp).read("InformationRegister_ЦеныНоменклатуры",
                                    filter=eq("Номенклатура_Key", Guid(onec_bp.refs["hour"])))
    assert Decimal("1500.50") in {r["Цена"] for r in rows}
    assert all(isinstance(r["Цена"], (int, Decimal)) for r in rows)


def test_a_stopped_1c_is_unreachable():
    double = seed(OneCOData()).start()
    client = client_for(double)
    double.stop()
    with pytest.raises(OneCUnreachable) as caught:
        client.read("Catalog_Контрагенты")
    assert "unreachable" in caught.value.detail
    error = caught.value.to_service_error()
    assert isinstance(error, Unavailable) and error.extra == {"kind": "unreachable"}


def test_a_proxy_saying_1c_is_down_is_unreachable_too(onec_bp):
    onec_bp.faults.proxy_down = True
    with pytest.raises(OneCUnreachable) as caught:
        client_for(onec_bp).metadata()
    assert caught.value.status == 503


def test_a_slow_1c_times_out_as_unreachable(onec_bp):
    onec_bp.faults.delay = 1.0
    with pytest.raises(OneCUnreachable) as caught:
        client_for(onec_bp, read_timeout=0.2).read("Catalog_Контрагенты")
    assert "0.2 s" in caught.value.detail


def test_wrong_credentials_are_an_auth_failure_that_names_the_user_not_the_password(onec_bp):
    client = client_for(onec_bp, password="not-the-password")
    with pytest.raises(OneCAuthFailed) as caught:
        client.read("Catalog_Контрагенты")
    assert caught.value.status == 401 and "'odata'" in caught.value.detail
    assert "not-the-password" not in caught.value.detail and "not-the-password" not in repr(client)


def test_a_cyrillic_user_name_logs_in():
    double = seed(OneCOData(user="Бухгалтер", password="пароль")).start()
    try:
        assert client_for(double).read("Catalog_Организации")
    finally:
        double.stop()


def test_a_500_in_the_middle_of_paging_stops_with_1c_s_message(onec_bp):
    client = client_for(onec_bp, page_size=2)
    onec_bp.fail_request(3)
    pages = client.iterate("Catalog_Контрагенты")
    with pytest.raises(OneCServerError) as caught:
        list(pages)
    assert caught.value.status == 500 and caught.value.code == "-1"
    assert "Внутренняя ошибка" in caught.value.detail
    assert len(list(client.iterate("Catalog_Контрагенты"))) == len(onec_bp.records["Catalog_Контрагенты"])


def test_an_unpublished_entity_is_rejected_with_1c_s_reason(onec_bp):
    onec_bp.unpublish("Catalog_ДоговорыКонтрагентов")
    with pytest.raises(OneCRejected) as caught:
        client_for(onec_bp).read("Catalog_ДоговорыКонтрагентов")
    assert caught.value.status == 404 and "Не найден ресурс" in caught.value.detail


def test_a_body_that_is_not_odata_json_is_malformed(onec_bp):
    onec_bp.faults.malformed_bodies = True
    with pytest.raises(OneCMalformed):
        client_for(onec_bp).read("Catalog_Контрагенты")
    with pytest.raises(OneCMalformed):
        client_for(onec_bp).metadata()


def test_create_then_post_a_document(onec_bp):
    client = client_for(onec_bp)
    created = client.create("Document_РеализацияТоваровУслуг", dict(
        complete_bp_sale(onec_bp), СуммаДокумента=Decimal("2500.50")))
    assert created["Posted"] is False and created["СуммаДокумента"] == Decimal("2500.5")
    client.post_document("Document_РеализацияТоваровУслуг", created["Ref_Key"])
    assert client.get("Document_РеализацияТоваровУслуг", created["Ref_Key"])["Posted"] is True
    with pytest.raises(OneCRejected) as caught:
        client.create("Document_РеализацияТоваровУслуг", {"НетТакогоРеквизита": 1})
    assert caught.value.status == 400

