"""Contracts, incoming payments and settlement balances read from 1C, and each contract's payment
state: paid, unpaid or overdue, with what is owed, what is paid ahead and the last payment date.

The rule (docs/billing-sync.md explains the why), for a contract on day D with grace G days:
  B_now   settlement balance at the end of D   (positive: the client owes; negative: advance)
  B_then  settlement balance at the start of D - G
  P       payments on the contract dated D - G .. D
  old     min(B_then - P, B_now): debt older than G days still unpaid, paying the oldest first
  overdue  when old > 0;
  unpaid   otherwise when nothing was ever paid on the contract and nothing is paid ahead;
  paid     otherwise: nothing owed, paid ahead, or a debt younger than G days from a client who pays.
Balances come from 1C's own settlements (sales, payments, corrections and netting all move them);
payments only date the debt, so a correction 1C books counts without the sync knowing its kind.
"""
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from decimal import Decimal

from services.billing_sync.records import Record

DEFAULT_GRACE_DAYS = 30
CENTS = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Contract:
    ref: str
    counterparty: str
    number: str
    signed_on: object
    valid_until: object
    closed: bool


@dataclass(frozen=True)
class PaymentLine:
    document: str
    counterparty: str
    contract: object  # None when the payment names no contract
    paid_on: object
    amount: Decimal


def parse_contract(data, profile):
    """A customer Contract, or None for a folder, a deletion-marked or a non-customer one."""
    record = Record(profile["contract.entity"], data)
    ref = record.key()
    # A group of contracts has no kind, so the kind test also leaves groups out.
    if record.flag("DeletionMark") or record.text(profile["contract.kind"]) != profile["contract.kind_value"]:
        return None
    owner = record.ref(profile["contract.counterparty"])
    if owner is None:
        record.fail(profile["contract.counterparty"], "empty: a contract without a counterparty")
    return Contract(ref, owner, record.text(profile["contract.number"]),
                    record.day(profile["contract.date"]), record.day(profile["contract.valid_until"]),
                    record.is_value(profile["contract.closed"], profile["contract.closed_value"]))


def parse_payment(data, profile, group="payment"):
    """The lines of one incoming payment document, one per row of its breakdown; none for a
    document that is not posted, is marked for deletion or is another operation."""
    def item(name):
        return profile[f"{group}.{name}"]

    record = Record(profile[f"{group}.entity"], data)
    ref = record.key()
    if not record.flag("Posted") or record.flag("DeletionMark"):
        return []
    if record.text(item("operation")) != item("operation_value"):
        return []
    counterparty = record.ref(item("counterparty"))
    paid_on = record.day("Date")
    if counterparty is None:
        record.fail(item("counterparty"), "empty on a posted customer payment")
    if paid_on is None:
        record.fail("Date", "empty on a posted document")
    rows = record.rows(item("rows"))
    if not rows:
        return [PaymentLine(ref, counterparty, None, paid_on, record.amount(item("amount")))]
    return [PaymentLine(ref, counterparty, row.link(item("row_contract"), link_entity(profile)),
                        paid_on, row.amount(item("row_amount"))) for row in rows]


def link_entity(profile):
    """What payment rows and settlements point at for a contract: the contract itself (БП, УТ
    11.4), or a settlement object that names it (УТ 11.5, `relink` resolves it)."""
    return profile["settlement_object.entity"] if profile.uses("settlement_object") \
        else profile["contract.entity"]


def parse_settlement_object(data, profile):
    """(settlement object Ref_Key, the contract it stands for or None for an order and the like)."""
    record = Record(profile["settlement_object.entity"], data)
    return record.key(), record.link(profile["settlement_object.object"], profile["contract.entity"])


def relink(lines, balances, objects):
    """Payment lines and balances keyed by contract, from ones keyed by settlement object."""
    lines = [replace(line, contract=objects.get(line.contract)) if line.contract else line
             for line in lines]
    by_contract = {}
    for key, amount in balances.items():
        contract = objects.get(key)
        if contract:
            by_contract[contract] = by_contract.get(contract, ZERO) + amount
    return lines, by_contract


def parse_balances(rows, profile, accounts=None):
    """{contract (or settlement object) ref: balance} from a settlement register's Balance rows,
    summed over what else splits them (БП: the settlement document, organisation, currency; УТ:
    the analytics key, currency); `accounts` (БП) keeps only rows on those accounts' Ref_Keys.
    Rows without a contract are not any contract's."""
    balances = {}
    entity = f"{profile['settlement.register']}_Balance"
    for number, data in enumerate(rows, start=1):
        record = Record(entity, data, f"{entity}[{number}]")
        if accounts is not None and record.ref(profile["settlement.account"]) not in accounts:
            continue
        contract = record.link(profile["settlement.contract"], link_entity(profile))
        if contract is None:
            continue
        balances[contract] = balances.get(contract, ZERO) + record.amount(profile["settlement.amount"])
    return balances


def balance_moments(today, grace_days=DEFAULT_GRACE_DAYS):
    """(end of `today`, start of the grace window): the two Period parameters of Balance, which
    counts what happened strictly before its moment."""
    end = datetime.combine(today + timedelta(days=1), time())
    return end, datetime.combine(today - timedelta(days=grace_days), time())


def payment_state(*, balance_now, balance_then, paid_since, last_payment_on, currency="RUB"):
    old = min(balance_then - paid_since, balance_now)
    if old > 0:
        state = "overdue"
    elif last_payment_on is None and balance_now >= 0:
        state = "unpaid"
    else:
        state = "paid"
    return {"state": state,
            "balance": money(max(balance_now, ZERO), currency),
            "advance": money(max(-balance_now, ZERO), currency),
            "overdue_amount": money(max(old, ZERO), currency),
            "last_payment_on": last_payment_on.isoformat() if last_payment_on else None}


def contract_states(contracts, lines, balances_now, balances_then, *, today,
                    grace_days=DEFAULT_GRACE_DAYS, currency="RUB"):
    """{contract ref: payment state} for `contracts`, from every payment line known for them."""
    since = today - timedelta(days=grace_days)
    paid_since, last_paid = {}, {}
    for line in lines:
        if line.contract is None or line.paid_on > today:
            continue
        if line.paid_on >= since:
            paid_since[line.contract] = paid_since.get(line.contract, ZERO) + line.amount
        if line.contract not in last_paid or last_paid[line.contract] < line.paid_on:
            last_paid[line.contract] = line.paid_on
    return {contract.ref: payment_state(balance_now=balances_now.get(contract.ref, ZERO),
                                        balance_then=balances_then.get(contract.ref, ZERO),
                                        paid_since=paid_since.get(contract.ref, ZERO),
                                        last_payment_on=last_paid.get(contract.ref),
                                        currency=currency)
            for contract in contracts}


def money(amount, currency):
    return {"amount": str(amount.quantize(CENTS)), "currency": currency}
