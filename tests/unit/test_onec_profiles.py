"""Profiles: defaults per configuration, admin overrides validated before anything reads 1C."""
import pytest

from services.billing_sync.profiles import DEFAULTS, Profile, defaults
from services.shared.errors import ValidationFailed


def test_each_profile_names_its_own_documents_and_registers():
    bp, ut = Profile("bp30"), Profile("ut11")
    assert bp["payment.entity"] == "Document_ПоступлениеНаРасчетныйСчет"
    assert ut["payment.entity"] == "Document_ПоступлениеБезналичныхДенежныхСредств"
    assert (bp["price.price_type"], ut["price.price_type"]) == ("ТипЦен_Key", "ВидЦен_Key")
    assert bp.settles_on_accounts and not ut.settles_on_accounts
    assert bp.payment_groups == ["payment", "cash_payment"] and ut.payment_groups == ["payment"]
    assert set(DEFAULTS["bp30"]) >= set(DEFAULTS["ut11"])


def test_an_override_changes_one_name_and_is_all_that_is_stored():
    profile = Profile("ut11", {"payment.row_contract": "ДоговорКонтрагента_Key",
                               "cash_payment.entity": "Document_ПриходныйКассовыйОрдер"})
    assert profile["payment.row_contract"] == "ДоговорКонтрагента_Key"
    assert profile.payment_groups == ["payment", "cash_payment"]
    assert profile.document() == {"profile": "ut11", "overrides": {
        "payment.row_contract": "ДоговорКонтрагента_Key",
        "cash_payment.entity": "Document_ПриходныйКассовыйОрдер"}}
    assert not profile.assumed("payment.row_contract") and profile.assumed("settlement.contract")


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
    assert shown["settlement.contract"]["assumed"] and not shown["payment.entity"]["assumed"]
    assert shown["cash_payment.entity"] == {"default": "", "assumed": False, "optional": True}


def test_every_name_the_push_writes_is_in_the_mapping_with_the_rows_apart():
    bp, ut = Profile("bp30"), Profile("ut11")
    assert (bp["sale.contract"], ut["sale.contract"]) == ("ДоговорКонтрагента_Key", "Договор_Key")
    assert bp["sale.comment"] == "Комментарий" and ut.assumed("sale.operation_value")
    # A row property may share its name with a header one: they live in different places.
    assert Profile("bp30", {"sale.row_amount": "СуммаДокумента"})["sale.row_amount"] == "СуммаДокумента"
