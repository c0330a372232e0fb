"""Who pays for a request: the coverage verdict computed when a ticket is registered, and what the
account's policy does with it. Plain functions over plain documents (tested without RabbitMQ).

Verdicts, in the order they are decided:
  warranty      the equipment's warranty runs today (the manufacturer pays; a covering
                contract, if any, still gives the service level);
  no_contract   the client has no contract valid today;
  to_check      the client's valid contracts cover listed sites or items only, and the request
                names neither a site nor an item: nobody can say yet whether it is covered;
  not_covered   contracts exist, but none covers this site or equipment;
  unpaid        a covering contract exists, but it is unpaid or overdue;
  covered       a valid contract covers it, and no payment source says it is unpaid: its
                payment state is `paid` or still `unknown` (no payment source has spoken yet).
The verdict names the chosen contract's payment state, so "covered" with `unknown` is told apart
from a paid one. A ticket that names no client, site or equipment gets no verdict.
"""
from dataclasses import dataclass

VERDICTS = ("covered", "warranty", "not_covered", "no_contract", "unpaid", "to_check")
ACTIONS = ("accept", "reject", "paid_work", "sales", "low_priority")
# A new contract's payment is `unknown` until 1C (or a person) says otherwise; only `unpaid` and
# `overdue` block, so a new client's first ticket is not sent to sales for want of a sync.
PAYMENT_STATES = ("unknown", "paid", "unpaid", "overdue")
BLOCKING_PAYMENT_STATES = ("unpaid", "overdue")
DEFAULT_POLICY = {"covered": "accept", "warranty": "accept", "not_covered": "paid_work",
                  "no_contract": "paid_work", "unpaid": "sales", "to_check": "accept"}
DEFAULT_MESSAGES = {
    "not_covered": "Это оборудование не входит в договор обслуживания: работы будут платными.",
    "no_contract": "У вас нет действующего договора обслуживания: работы будут платными.",
    "unpaid": "Договор обслуживания не оплачен: заявка передана менеджеру.",
    "to_check": "Договор обслуживания распространяется на отдельные объекты: мы уточним, "
                "входит ли этот запрос в договор.",
}


@dataclass(frozen=True)
class Verdict:
    verdict: str
    contract_id: str = None
    service_level_id: str = None
    payment_state: str = None


def contract_valid_on(contract, day):
    return contract["valid_from"] <= day and (contract["valid_until"] is None
                                             or day <= contract["valid_until"])


def contract_covers(contract, site_id, equipment_id):
    scope = contract["coverage"]
    if scope["all"]:
        return True
    if equipment_id and equipment_id in scope["equipment_ids"]:
        return True
    return bool(site_id) and site_id in scope["site_ids"]


def evaluate(day, contracts, site_id=None, equipment=None):
    """The verdict for a request on `day` (an ISO date string in the account's time zone) against
    the client's `contracts`; `equipment` is the equipment document, if the request names one.
    Under warranty the covering contract (if any) is kept: its service level still sets the
    deadlines. Contracts are considered newest first, so the choice among several is stable."""
    contracts = sorted(contracts, key=lambda c: (c["valid_from"], c.get("number", "")), reverse=True)
    valid = [c for c in contracts if contract_valid_on(c, day)]
    equipment_id = equipment["_id"] if equipment else None
    site_id = site_id or (equipment or {}).get("site_id")
    covering = [c for c in valid if contract_covers(c, site_id, equipment_id)]
    paid = [c for c in covering if payment_state(c) == "paid"]
    unblocked = [c for c in covering if payment_state(c) not in BLOCKING_PAYMENT_STATES]
    best = (paid or unblocked or covering or [None])[0]
    found = dict(contract_id=best["_id"], service_level_id=best["service_level_id"],
                 payment_state=payment_state(best)) if best else {}
    if (equipment and equipment.get("status") != "decommissioned"
            and equipment.get("warranty_until") and day <= equipment["warranty_until"]):
        return Verdict("warranty", **found)
    if not valid:
        return Verdict("no_contract")
    if not covering:
        # Judged by the site or the item when the request names one; with neither, a contract
        # of listed sites and items can neither cover nor refuse it.
        return Verdict("not_covered" if site_id or equipment_id else "to_check")
    return Verdict("covered" if unblocked else "unpaid", **found)


def payment_state(contract):
    """A contract stored before payment states had `unknown` has one all the same."""
    return (contract.get("payment") or {}).get("state") or "unknown"


def decide(policy, verdict):
    """The action and the client-facing message for a verdict under the account's policy."""
    actions = dict(DEFAULT_POLICY, **(policy or {}).get("actions", {}))
    messages = dict(DEFAULT_MESSAGES, **(policy or {}).get("messages", {}))
    return actions[verdict], messages.get(verdict)
