"""The VAT rule as plain functions: the rate in force for a kind or a rate on a date, the VAT
inside an amount."""
from datetime import date
from decimal import Decimal

import pytest

from services.billing_sync.vat import IN_FORCE, known, percent, rate_in_force, vat_included

NEW_YEAR = date(2026, 1, 1)
EVE = date(2025, 12, 31)


@pytest.mark.parametrize("value, on_eve, from_2026", [
    ("Общая", "НДС20", "НДС22"), ("НДС20", "НДС20", "НДС22"), ("НДС22", "НДС20", "НДС22"),
    ("НДС20_120", "НДС20_120", "НДС22_122"), ("НДС22_122", "НДС20_120", "НДС22_122"),
    ("Пониженная", "НДС10", "НДС10"), ("НДС10_110", "НДС10_110", "НДС10_110"),
    ("НДС5", "НДС5", "НДС5"), ("НДС7_107", "НДС7_107", "НДС7_107"),
    ("Нулевая", "НДС0", "НДС0"), ("БезНДС", "БезНДС", "БезНДС"),
])
def test_the_rate_in_force_follows_the_kind_and_the_date(value, on_eve, from_2026):
    assert (rate_in_force(value, EVE), rate_in_force(value, NEW_YEAR)) == (on_eve, from_2026)


def test_what_is_neither_a_kind_nor_a_rate_has_no_rate():
    assert rate_in_force("НДС18", NEW_YEAR) is None and not known("Специальная")
    assert all(known(rate) and rate_in_force(rate, NEW_YEAR) == rate for rate in IN_FORCE)


@pytest.mark.parametrize("rate, expected", [
    ("НДС22", "2200.00"), ("НДС22_122", "2200.00"), ("НДС20", "2033.33"), ("НДС10", "1109.09"),
    ("НДС5", "580.95"), ("НДС7", "798.13"), ("НДС0", "0.00"), ("БезНДС", "0.00")])
def test_the_vat_inside_an_amount_to_the_kopeck(rate, expected):
    assert vat_included(Decimal("12200.00"), rate) == Decimal(expected)
    assert percent(rate) == {"НДС22": 22, "НДС22_122": 22, "НДС20": 20, "НДС10": 10, "НДС5": 5,
                             "НДС7": 7, "НДС0": 0, "БезНДС": 0}[rate]
