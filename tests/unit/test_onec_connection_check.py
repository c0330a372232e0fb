"""'Test connection' reads $metadata and names what is missing and why."""
import pytest

from services.billing_sync.connection_check import Metadata, check_connection
from services.billing_sync.profiles import Profile
from tests.doubles.onec_fixtures import client_for, onec, onec_bp, onec_ut, profile  # noqa: F401 - fixtures
from tests.doubles.onec_odata import OneCOData
from tests.doubles.onec_seed import sale_settings, seed


def entry(report, entity):
    return next(e for e in report["entities"] if e["entity"] == entity)


def test_a_complete_publication_passes(onec, profile):
    report = check_connection(client_for(onec), profile)
    assert report["ok"] and report["error"] is None
    assert all(e["present"] and not e["missing_fields"] for e in report["entities"])
    groups = {e["group"] for e in report["entities"]}
    assert {"counterparty", "contract", "payment", "settlement", "price", "sale"} <= groups


def test_an_unpublished_entity_is_named_with_what_to_do(onec, profile):
    onec.unpublish("Catalog_ДоговорыКонтрагентов")
    onec.unpublish(profile["settlement.register"])
    report = check_connection(client_for(onec), profile)
    assert not report["ok"]
    missing = [e["entity"] for e in report["entities"] if not e["present"]]
    assert missing == ["Catalog_ДоговорыКонтрагентов", profile["settlement.register"]]
    why = entry(report, "Catalog_ДоговорыКонтрагентов")["why"]
    assert "OData" in why and "'odata'" in why and "contract.entity" in why


def test_a_renamed_field_is_reported_with_its_mapping_key(onec_bp):
    profile = Profile("bp30", {"counterparty.kpp": "КодПричиныПостановки",
                               "payment.row_amount": "Сумма"})
    report = check_connection(client_for(onec_bp), profile)
    assert not report["ok"]
    assert entry(report, "Catalog_Контрагенты")["missing_fields"] == [
        {"key": "counterparty.kpp", "field": "КодПричиныПостановки"}]
    payment = entry(report, "Document_ПоступлениеНаРасчетныйСчет")
    assert payment["missing_fields"] == [{"key": "payment.row_amount", "field": "Сумма"}]
    assert "payment.row_amount" in payment["why"]


def test_balance_columns_are_checked_in_the_virtual_table_type(onec):
    profile = Profile(onec.profile, {"settlement.amount": "СуммаОстаток"})
    report = check_connection(client_for(onec), profile)
    settlement = entry(report, profile["settlement.register"])
    assert settlement["missing_fields"] == [{"key": "settlement.amount", "field": "СуммаОстаток"}]


def test_an_assumed_default_that_1c_lacks_says_so(onec_ut):
    rows = onec_ut.schema["Document_РеализацияТоваровУслуг"]["sections"]
    rows["Товары"].pop("КоличествоУпаковок")  # a release that names the packages otherwise
    report = check_connection(client_for(onec_ut), Profile("ut11"))
    sale = entry(report, "Document_РеализацияТоваровУслуг")
    assert sale["missing_fields"] == [{"key": "sale.row_packages", "field": "КоличествоУпаковок"}]
    assert "not from the checked reference" in sale["why"]


# The names the УТ profile guessed before real УТ 11 was checked.
GUESSED = {"contract.counterparty": "Owner_Key", "contract.kind": "ВидДоговора",
           "contract.valid_until": "СрокДействия", "contract.closed": "ДоговорЗакрыт",
           "payment.row_contract": "Договор_Key", "settlement.counterparty": "Контрагент_Key",
           "settlement.contract": "Договор_Key", "price.price_type": "ВидЦен_Key",
           "nomenclature.service": "Услуга", "price.register": "InformationRegister_ЦеныНоменклатуры"}


@pytest.mark.parametrize("release", ["ut11", "ut114"])
def test_every_name_real_ut_lacks_is_listed_in_one_check(release):
    double = seed(OneCOData(release)).start()
    try:
        assert check_connection(client_for(double), Profile(release))["ok"]
        overrides = dict(GUESSED)
        if release == "ut114":
            overrides.pop("price.register")  # 11.4 does have this register, keyed by ВидЦены_Key
        report = check_connection(client_for(double), Profile(release, overrides))
    finally:
        double.stop()
    missing = {m["key"] for e in report["entities"] for m in e["missing_fields"]}
    missing |= {key for e in report["entities"] if not e["present"]
                for key, name in overrides.items() if name == e["entity"]}
    # Fields of a register 1C does not have cannot be checked: its absence is what is listed.
    unchecked = {"price.price_type"} if release == "ut11" else set()
    assert not report["ok"] and missing == set(overrides) - unchecked


def test_refused_credentials_are_a_report_not_an_exception(onec_bp):
    onec_bp.faults.reject_all_logins = True
    refused = check_connection(client_for(onec_bp), Profile("bp30"))
    assert not refused["ok"] and refused["error"]["kind"] == "auth"
    assert "HTTP 401" in refused["error"]["detail"]


def test_a_stopped_1c_reports_unreachable(onec_bp):
    client = client_for(onec_bp)
    onec_bp.stop()
    report = check_connection(client, Profile("bp30"))
    assert report["error"]["kind"] == "unreachable" and report["entities"] == []


def test_metadata_that_is_not_safe_xml_is_malformed(onec_bp):
    class Source:
        user = "odata"

        def __init__(self, text):
            self.text = text

        def metadata(self):
            return self.text

    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><edmx:Edmx>&a;</edmx:Edmx>'
    assert check_connection(Source(bomb), Profile("bp30"))["error"]["kind"] == "malformed"
    broken = "<edmx:Edmx><unclosed>"
    assert check_connection(Source(broken), Profile("bp30"))["error"]["kind"] == "malformed"


def test_metadata_resolves_row_types_of_tabular_sections(onec_bp):
    metadata = Metadata(onec_bp.metadata_xml())
    rows = metadata.row_properties("Document_ПоступлениеНаРасчетныйСчет", "РасшифровкаПлатежа")
    assert {"ДоговорКонтрагента_Key", "СуммаПлатежа"} <= set(rows)
    assert metadata.row_properties("Document_ПоступлениеНаРасчетныйСчет", "Нет") is None


def test_sale_settings_1c_lacks_are_named_by_the_check(onec):
    """Every reference and account code the sale settings name is looked up in 1C."""
    settings = sale_settings(onec, currency_ref="0f0f0f0f-0000-0000-0000-000000000000",
                             accounts={"vat": "90.09"})
    report = check_connection(client_for(onec), Profile(onec.profile), settings)
    expected = {"sale.currency_ref"} | ({"sale.accounts.vat"} if onec.profile == "bp30" else set())
    assert report["ok"] is False and set(report["sale_settings"]) == expected
    fine = check_connection(client_for(onec), Profile(onec.profile), sale_settings(onec))
    assert fine["ok"] is True and fine["sale_settings"] == {}
    unset = check_connection(client_for(onec), Profile(onec.profile), {"vat_rate": "БезНДС"})
    assert "sale.organisation_ref" in unset["sale_settings"] and not unset["ok"]
