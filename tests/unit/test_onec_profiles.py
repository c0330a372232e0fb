"""Profiles: defaults per configuration, admin overrides validated before anything reads 1C."""
import pytest

from services.billing_sync.profiles import Profile, defaults
from services.shared.errors import ValidationFailed


def test_each_profile_names_its_own_documents_and_registers():
    bp, ut, ut114 = Profile("bp30"), Profile("ut11"), Profile("ut114")
    assert bp["payment.entity"] == "Document_ПоступлениеНаРасчетныйСчет"
    assert ut["payment.entity"] == "Document_ПоступлениеБезналичныхДенежныхСредств"
    assert (bp["price.price_type"], ut["price.price_type"]) == ("ТипЦен_Key", "ВидЦены_Key")
    assert (ut["price.register"], ut114["price.register"]) == (
        "InformationRegister_ЦеныНоменклатуры25", "InformationRegister_ЦеныНоменклатуры")
    assert bp.settles_on_accounts and not ut.settles_on_accounts
    assert bp.payment_groups == ut.payment_groups == ["payment", "cash_payment"]


def test_ut_names_settlements_contracts_and_items_as_real_ut_does():
    ut, ut114 = Profile("ut11"), Profile("ut114")
    assert (ut["settlement.counterparty"], ut["settlement.contract"]) == (
        "АналитикаУчетаПоПартнерам_Key", "ОбъектРасчетов_Key")
    assert ut["payment.row_contract"] == "ОбъектРасчетов_Key" and ut.uses("settlement_object")
    assert (ut114["payment.row_contract"], ut114["settlement.contract"]) == ("Заказ", "ЗаказКлиента")
    assert not ut114.uses("settlement_object")
    assert (ut["contract.counterparty"], ut["contract.kind"], ut["contract.valid_until"]) == (
        "Контрагент_Key", "ТипДоговора", "ДатаОкончанияДействия")
    assert (ut["contract.closed"], ut["contract.closed_value"]) == ("Статус", "Закрыт")
    assert (ut["nomenclature.service"], ut["nomenclature.service_value"]) == ("ТипНоменклатуры", "Услуга")
    assert (ut["nomenclature.vat_rate"], ut["vat_rate.entity"]) == ("СтавкаНДС_Key", "Catalog_СтавкиНДС")
    assert Profile("bp30")["nomenclature.vat_rate"] == "ВидСтавкиНДС"  # a kind, not a rate
    guessed = {"Owner_Key", "ВидДоговора", "ДоговорЗакрыт", "СрокДействия", "Договор_Key", "ВидЦен_Key",
               "СтавкаНДС"}
    assert not guessed & {v for k, v in ut.mapping.items() if not k.startswith("sale.")}


def test_an_override_changes_one_name_and_is_all_that_is_stored():
    profile = Profile("ut11", {"payment.row_contract": "ДоговорКонтрагента_Key",
                               "cash_payment.entity": ""})
    assert profile["payment.row_contract"] == "ДоговорКонтрагента_Key"
    assert profile.payment_groups == ["payment"]
    assert profile.document() == {"profile": "ut11", "overrides": {
        "payment.row_contract": "ДоговорКонтрагента_Key", "cash_payment.entity": ""}}
    assert not profile.assumed("payment.row_contract") and profile.assumed("contract.kind_value")


@pytest.mark.parametrize("overrides, field", [
    ({"payment.entitty": "Document_X"}, "mapping.payment.entitty"),
    ({"payment.entity": "Catalog_Контрагенты"}, "mapping.payment.entity"),
    ({"counterparty.inn": "ИНН; drop"}, "mapping.counterparty.inn"),
    ({"counterparty.inn": ""}, "mapping.counterparty.inn"),
    ({"counterparty.inn": 5}, "mapping.counterparty.inn"),
    ({"settlement.accounts": "62.01, шестьдесят два"}, "mapping.settlement.accounts"),
    ({"price.register": "InformationRegister_"}, "mapping.price.register"),
    ({"sale.row_vat_rate": "1НДС"}, "mapping.sale.row_vat_rate"),
    ({"sale.contract": "Контрагент_Key"}, "mapping.sale.contract"),  # the counterparty's
])
def test_bad_overrides_name_the_mapping_key(overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        Profile("bp30", overrides)
    assert field in caught.value.fields


def test_an_accounting_register_needs_the_accounts_only_bp_maps():
    with pytest.raises(ValidationFailed) as caught:
        Profile("ut11", {"settlement.register": "AccountingRegister_Хозрасчетный"})
    assert "mapping.settlement.register" in caught.value.fields


def test_unknown_profiles_and_shapes_are_refused():
    with pytest.raises(ValidationFailed) as caught:
        Profile("ka2")
    assert "profile" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        Profile("bp30", ["payment.entity"])
    assert "mapping" in caught.value.fields


def test_optional_groups_can_be_switched_off():
    assert Profile("bp30", {"cash_payment.entity": ""}).payment_groups == ["payment"]
    assert not Profile("bp30", {"unit.entity": ""}).uses("unit")


def test_the_admin_screen_sees_which_defaults_are_assumptions():
    shown = defaults("ut11")
    assert shown["contract.kind_value"]["assumed"] and not shown["payment.entity"]["assumed"]
    assert shown["cash_payment.entity"] == {"default": "Document_ПриходныйКассовыйОрдер",
                                            "assumed": False, "optional": True}


def test_every_name_the_push_writes_is_in_the_mapping_with_the_rows_apart():
    bp, ut = Profile("bp30"), Profile("ut11")
    assert (bp["sale.contract"], ut["sale.contract"]) == ("ДоговорКонтрагента_Key", "Договор_Key")
    assert bp["sale.comment"] == "Комментарий" and ut.assumed("sale.rows")
    assert (bp["sale.vat_included"], ut["sale.vat_included"]) == ("СуммаВключаетНДС", "ЦенаВключаетНДС")
    assert (bp["sale.row_vat_rate"], ut["sale.row_vat_rate"]) == ("СтавкаНДС", "СтавкаНДС_Key")
    # A row property may share its name with a header one: they live in different places.
    assert Profile("bp30", {"sale.row_amount": "СуммаДокумента"})["sale.row_amount"] == "СуммаДокумента"
