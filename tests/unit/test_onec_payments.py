"""Each contract's payment state from 1C's contracts, payments and settlement balances."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from services.billing_sync.adapters.base import OneCServerError
from services.billing_sync.payments import (balance_moments, contract_states, parse_payment,
                                            payment_state, relink)
from services.billing_sync.profiles import Profile
from services.billing_sync.pull import (catalog_items, payment_documents, read_balances,
                                        read_settlement_objects)
from services.shared.errors import ValidationFailed
from tests.doubles.onec_fixtures import client_for, onec, onec_bp, profile  # noqa: F401 - fixtures
from tests.doubles.onec_odata import REMOVE
from tests.doubles.onec_seed import TODAY

def read_payments(source, profile, counterparty_refs):
    return [line for group in profile.payment_groups
            for lines in payment_documents(source, profile, group).values() for line in lines
            if line.counterparty in counterparty_refs]


def contracts_of(source, profile, counterparty_refs):
    return [c for c in catalog_items(source, profile, "contract").values()
            if c and c.counterparty in counterparty_refs]


MAPPED = ("north", "south", "south_b", "ivanov")


def by_contract(source, profile, lines, *balances):
    """Lines and balances keyed by contract, as sync.py has them (УТ 11.5 keys them by
    settlement object first)."""
    if not profile.uses("settlement_object"):
        return (lines, *balances)
    objects = read_settlement_objects(source, profile)
    return (relink(lines, {}, objects)[0], *(relink([], b, objects)[1] for b in balances))


def states(double, profile, today=TODAY, page_size=2):
    source = client_for(double, page_size=page_size)
    refs = [double.refs[name] for name in MAPPED]
    contracts = contracts_of(source, profile, refs)
    now, then = balance_moments(today)
    lines, balances_now, balances_then = by_contract(
        source, profile, read_payments(source, profile, refs), read_balances(source, profile, now),
        read_balances(source, profile, then))
    result = contract_states(contracts, lines, balances_now, balances_then, today=today)
    names = {double.refs[n]: n for n in ("N-1", "N-2", "S-1", "SB-1", "I-1")}
    return {names[ref]: state for ref, state in result.items()}


def test_the_seeded_story_in_both_profiles(onec, profile):
    result = states(onec, profile)
    assert {name: s["state"] for name, s in result.items()} == {
        "N-1": "paid", "N-2": "unpaid", "S-1": "overdue", "SB-1": "unpaid", "I-1": "paid"}
    assert result["N-1"]["last_payment_on"] == "2026-06-03"
    assert result["S-1"]["balance"] == {"amount": "30000.00", "currency": "RUB"}
    assert result["S-1"]["overdue_amount"]["amount"] == "20000.00"
    assert result["S-1"]["last_payment_on"] == "2026-03-10"  # not the draft, deleted or refund
    assert result["I-1"]["advance"]["amount"] == "10000.00" and result["I-1"]["balance"]["amount"] == "0.00"
    assert result["SB-1"]["balance"]["amount"] == "10000.00" and result["SB-1"]["last_payment_on"] is None


def test_a_balance_is_read_whole_in_one_request_whatever_the_page_size(onec, profile):
    at = datetime(2026, 6, 16)
    before = onec.request_count
    source = client_for(onec, page_size=1)
    _, balance = by_contract(source, profile, [], read_balances(source, profile, at))
    balance_requests = [entry for entry in onec.log[before:] if "/Balance(" in entry[1]]
    assert len(balance_requests) == 1
    assert balance[onec.refs["I-1"]] == Decimal(-10000) and balance[onec.refs["S-1"]] == Decimal(30000)


def test_rows_split_by_other_dimensions_add_up_per_contract(onec, profile):
    """БП splits a contract's balance by settlement document (and organisation, currency), УТ by
    analytics key and currency: another currency's row on S-1 adds to its balance."""
    usd = onec.add("Catalog_Валюты", Code="840", Description="USD")["Ref_Key"]
    register = profile["settlement.register"]
    link = onec.refs.get("object:S-1", onec.refs["S-1"])  # УТ 11.5: the settlement object
    sample = next(r for r in onec.records[register] if r.get(profile["settlement.contract"]) == link)
    onec.add(register, **dict(sample, Валюта_Key=usd, Сумма=Decimal(700), RecordType="Receipt",
                              Period="2026-06-14T12:00:00"))
    source = client_for(onec)
    rows = source.read(f"{register}/Balance(Period=datetime'2026-06-16T00:00:00')")
    _, balance = by_contract(source, profile, [], read_balances(source, profile, datetime(2026, 6, 16)))
    assert balance[onec.refs["S-1"]] == Decimal(30700)
    split = [r for r in rows if r[profile["settlement.contract"]] == link]
    assert usd in {r["Валюта_Key"] for r in split} and len(split) >= 2


def test_cash_receipts_count_in_bp(onec_bp):
    lines = read_payments(client_for(onec_bp), Profile("bp30"), [onec_bp.refs["north"]])
    assert sorted(line.paid_on.isoformat() for line in lines) == ["2026-04-05", "2026-05-06", "2026-06-03"]
    without_cash = read_payments(client_for(onec_bp), Profile("bp30", {"cash_payment.entity": ""}),
                                 [onec_bp.refs["north"]])
    assert len(without_cash) == 2


def test_payment_documents_by_ref_only_while_they_are_posted_payments(onec, profile):
    refs = [onec.refs[n] for n in ("pay:N-1:jun", "pay:S-1:draft", "pay:I-1")]
    versions = {}
    found = payment_documents(client_for(onec), profile, "payment", versions, refs)
    assert set(found) == {onec.refs["pay:N-1:jun"], onec.refs["pay:I-1"]}  # not the draft
    assert [line.paid_on.isoformat() for line in found[onec.refs["pay:I-1"]]] == ["2026-05-25"]
    entity = profile["payment.entity"]
    assert versions == {ref: onec.find(entity, ref)["DataVersion"] for ref in found}


def test_a_month_later_the_unpaid_branch_is_overdue(onec, profile):
    later = states(onec, profile, today=date(2026, 7, 12))
    assert later["SB-1"]["state"] == "overdue" and later["N-1"]["state"] == "paid"


def test_a_500_in_the_middle_of_reading_payments_gives_no_partial_answer(onec_bp):
    onec_bp.fail_request(4)
    with pytest.raises(OneCServerError):
        states(onec_bp, Profile("bp30"))
    assert states(onec_bp, Profile("bp30"))["S-1"]["state"] == "overdue"


@pytest.mark.parametrize("field, value, message", [
    ("Date", "15.06.2026", "not a date"),
    ("Date", "2026-02-30T10:00:00", "not a date"),
    ("Date", "0001-01-01T00:00:00", "empty on a posted document"),
    ("Контрагент_Key", "12345", "not a reference"),
    ("РасшифровкаПлатежа", None, "not a tabular section"),
    ("Ref_Key", None, "missing"),
    ("Date", None, "missing"),
])
def test_malformed_payment_fields_are_named(onec_bp, field, value, message):
    onec_bp.damage("Document_ПоступлениеНаРасчетныйСчет", onec_bp.refs["pay:S-1:mar"], field,
                   REMOVE if value is None and field != "РасшифровкаПлатежа" else value)
    with pytest.raises(ValidationFailed) as caught:
        read_payments(client_for(onec_bp), Profile("bp30"), [onec_bp.refs["south"]])
    [(name, [text])] = caught.value.fields.items()
    assert name == f"Document_ПоступлениеНаРасчетныйСчет.{field}" and message in text


def test_a_malformed_row_names_the_row(onec_bp):
    document = onec_bp.find("Document_ПоступлениеНаРасчетныйСчет", onec_bp.refs["pay:N-1:apr"])
    del document["РасшифровкаПлатежа"][0]["СуммаПлатежа"]
    with pytest.raises(ValidationFailed) as caught:
        read_payments(client_for(onec_bp), Profile("bp30"), [onec_bp.refs["north"]])
    assert list(caught.value.fields) == ["Document_ПоступлениеНаРасчетныйСчет.РасшифровкаПлатежа[1].СуммаПлатежа"]


def test_a_contract_with_a_bad_date_names_the_field(onec):
    onec.damage("Catalog_ДоговорыКонтрагентов", onec.refs["N-1"], "Дата", "вчера")
    with pytest.raises(ValidationFailed) as caught:
        contracts_of(client_for(onec), Profile(onec.profile), [onec.refs["north"]])
    assert list(caught.value.fields) == ["Catalog_ДоговорыКонтрагентов.Дата"]


def test_a_balance_column_1c_does_not_send_is_named(onec):
    profile = Profile(onec.profile, {"settlement.amount": "СуммаОстаток"})
    with pytest.raises(ValidationFailed) as caught:
        read_balances(client_for(onec), profile, datetime(2026, 6, 16))
    [(name, [text])] = caught.value.fields.items()
    assert name == f"{profile['settlement.register']}_Balance.СуммаОстаток" and "missing" in text


def test_a_payment_without_rows_is_one_unallocated_line():
    lines = parse_payment({"Ref_Key": "1f0c3a52-8f2e-4d3b-9a51-0c9e6a2b7d10", "Posted": True,
                           "DeletionMark": False, "Date": "2026-06-01T10:00:00",
                           "ВидОперации": "ОплатаПокупателя", "СуммаДокумента": 700,
                           "Контрагент_Key": "2f0c3a52-8f2e-4d3b-9a51-0c9e6a2b7d10",
                           "РасшифровкаПлатежа": []}, Profile("bp30"))
    assert [(line.contract, line.amount) for line in lines] == [(None, Decimal(700))]


def rule(now, then, paid, last):
    return payment_state(balance_now=Decimal(now), balance_then=Decimal(then),
                         paid_since=Decimal(paid), last_payment_on=last)["state"]


def test_the_rule_at_its_edges():
    paid_before = date(2026, 1, 5)
    assert rule(0, 0, 0, paid_before) == "paid"
    assert rule(10000, 0, 0, paid_before) == "paid"          # this month's bill, not yet due
    assert rule(10000, 10000, 10000, paid_before) == "paid"  # the old bill paid within the window
    assert rule(15000, 10000, 5000, paid_before) == "overdue"  # half of the old bill still open
    assert rule(0, 10000, 0, paid_before) == "paid"          # a credit note cleared the old debt
    assert rule(6000, 10000, 0, paid_before) == "overdue"    # ... or only part of it
    assert rule(10000, 0, 0, None) == "unpaid"               # never paid anything
    assert rule(0, 0, 0, None) == "unpaid"
    assert rule(-500, 0, 0, None) == "paid"                  # an advance from netting
