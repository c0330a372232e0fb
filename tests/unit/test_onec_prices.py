"""Services and their prices per price type into price list entries, categories mapped to types."""
from datetime import datetime
from decimal import Decimal

import pytest

from services.billing_sync.payments import balance_moments
from services.billing_sync.prices import (Price, Service, parse_price, price_list,
                                          resolve_price_types)
from services.billing_sync.profiles import Profile
from services.billing_sync.pull import catalog_items, read_price_types, read_prices, read_units
from services.shared.errors import ValidationFailed
from tests.doubles.onec_fixtures import client_for, onec, onec_bp, profile  # noqa: F401 - fixtures
from tests.doubles.onec_seed import TODAY


def import_prices(double, profile, at=None, categories=None):
    source = client_for(double, page_size=2)
    types = read_price_types(source, profile)
    default, category_types = resolve_price_types(
        {"default": double.refs["base"], "categories": categories or {"vip": double.refs["vip"]}}, types)
    prices = read_prices(source, profile, at or balance_moments(TODAY)[0],
                         [default, *category_types.values()])
    services = [s for s in catalog_items(source, profile, "nomenclature").values() if s]
    return price_list(services, prices, read_units(source, profile),
                      default_type=default, category_types=category_types)


def test_the_seeded_price_list_in_both_profiles(onec, profile):
    result = import_prices(onec, profile)
    assert [(i["code"], i["name"], i["unit"], i["price"]["amount"], i["category_prices"]) for i in result["items"]] == [
        ("00-0001", "Выезд инженера", "усл", "2500.00", {"vip": {"amount": "1800.00", "currency": "RUB"}}),
        ("00-0002", "Час работы инженера", "ч", "1500.50", {"vip": {"amount": "1200.00", "currency": "RUB"}}),
        ("00-0003", "Диагностика системы", "усл", "3000.00", {})]
    assert result["without_price"] == []
    assert result["items"][0]["onec_ref"] == onec.refs["call_out"]


def test_the_slice_takes_the_price_in_effect_then(onec, profile):
    in_march = import_prices(onec, profile, at=datetime(2026, 3, 1))
    in_july = import_prices(onec, profile, at=datetime(2026, 7, 1))
    assert in_march["items"][0]["price"]["amount"] == "2000.00"
    assert in_july["items"][0]["price"]["amount"] == "3000.00"  # effective on its first day


def test_a_service_without_a_default_price_is_reported_not_listed_at_zero(onec_bp):
    onec_bp.add("Catalog_Номенклатура", "new", Code="00-0009", Description="Новая услуга", Услуга=True)
    result = import_prices(onec_bp, Profile("bp30"))
    assert result["without_price"] == [{"ref": onec_bp.refs["new"], "code": "00-0009", "name": "Новая услуга"}]


def test_categories_must_point_at_price_types_1c_has(onec_bp):
    types = read_price_types(client_for(onec_bp), Profile("bp30"))
    with pytest.raises(ValidationFailed) as caught:
        resolve_price_types({"default": onec_bp.refs["base"],
                             "categories": {"vip": "1f0c3a52-8f2e-4d3b-9a51-0c9e6a2b7d10",
                                            "gold": "золото"}}, types)
    assert set(caught.value.fields) == {"price_types.categories.vip", "price_types.categories.gold"}
    with pytest.raises(ValidationFailed) as caught:
        resolve_price_types({"categories": {}}, types)
    assert "price_types.default" in caught.value.fields


def test_a_unit_catalog_switched_off_falls_back_to_the_service_unit(onec_bp):
    result = import_prices(onec_bp, Profile("bp30", {"unit.entity": ""}))
    assert {i["unit"] for i in result["items"]} == {"усл"}


def test_a_price_that_is_not_a_number_names_the_column(onec):
    register = Profile(onec.profile)["price.register"]  # ЦеныНоменклатуры25 in УТ 11.5
    current = next(r for r in onec.records[register]
                   if r["Номенклатура_Key"] == onec.refs["diagnostics"])
    current["Цена"] = "дорого"
    with pytest.raises(ValidationFailed) as caught:
        import_prices(onec, Profile(onec.profile))
    assert list(caught.value.fields) == [f"{register}_SliceLast.Цена"]


def test_a_service_code_too_long_for_the_price_list_names_the_field(onec_bp):
    onec_bp.damage("Catalog_Номенклатура", onec_bp.refs["hour"], "Code", "Ч" * 40)
    with pytest.raises(ValidationFailed) as caught:
        import_prices(onec_bp, Profile("bp30"))
    assert list(caught.value.fields) == ["Catalog_Номенклатура.Code"]


def test_rules_without_1c():
    services = [Service("s1", "A", "Монтаж", "", "u1"), Service("s2", "B", "Настройка", "", None)]
    prices = [Price("s1", "base", Decimal("100")), Price("s1", "vip", Decimal("90")),
              Price("s2", "base", Decimal("50")), Price("s2", "other", Decimal("1"))]
    result = price_list(services, prices, {"u1": "единица измерения длиннее двадцати"},
                        default_type="base", category_types={"vip": "vip", "b2b": "b2b"},
                        currency="EUR")
    first, second = result["items"]
    assert first["unit"] == "единица измерения дл" and first["category_prices"] == {
        "vip": {"amount": "90.00", "currency": "EUR"}}
    assert second["unit"] == "усл" and second["category_prices"] == {}
    negative = {"Номенклатура_Key": "1f0c3a52-8f2e-4d3b-9a51-0c9e6a2b7d10",
                "ТипЦен_Key": "2f0c3a52-8f2e-4d3b-9a51-0c9e6a2b7d10", "Цена": -5}
    with pytest.raises(ValidationFailed):
        parse_price(negative, Profile("bp30"))
