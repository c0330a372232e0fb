"""Who pays for a request: the coverage verdict computed when a ticket is registered, and what the
account's policy does with it. Plain functions over plain documents (tested without RabbitMQ).

Verdicts, in the order they are decided:
  warranty      the equipment's warranty runs today (the manufacturer pays; a covering
                contract, if any, still gives the service level);
  no_contract   the client has no contract valid today;
  not_covered   contracts exist, but none covers this site or equipment;
  unpaid        a covering contract exists, but it is unpaid or overdue;
  covered       a valid, paid contract covers it.
A ticket that names no client, site or equipment gets no verdict.
"""
from dataclasses import dataclass

VERDICTS = ("covered", "warranty", "not_covered", "no_contract", "unpaid")
ACTIONS = ("accept", "reject", "paid_work", "sales", "low_priority")
DEFAULT_POLICY = {"covered": "accept", "warranty": "accept", "not_covered": "paid_work",
                  "no_contract": "paid_work", "unpaid": "sales"}
DEFAULT_MESSAGES = {
    "not_covered": "Это оборудование не входит в договор обслуживания: работы будут платными.",
    "no_contract": "У вас нет действующего договора обслуживания: работы будут платными.",
    "unpaid": "Договор обслуживания не оплачен: заявка передана менеджеру.",
}


@dataclass(frozen=True)
class Verdict:
    verdict: str
    contract_id: str = None
    service_level_id: str = None


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
    paid = [c for c in covering if c["payment"]["state"] == "paid"]
    best = (paid or covering or [None])[0]
    contract_id = best["_id"] if best else None
    level_id = best["service_level_id"] if best else None
    if (equipment and equipment.get("status") != "decommissioned"
            and equipment.get("warranty_until") and day <= equipment["warranty_until"]):
        return Verdict("warranty", contract_id, level_id)
    if not valid:
        return Verdict("no_contract")
    if not covering:
        return Verdict("not_covered")
    return Verdict("covered" if paid else "unpaid", contract_id, level_id)


def decide(policy, verdict):
    """The action and the client-facing message for a verdict under the account's policy."""
    actions = dict(DEFAULT_POLICY, **(policy or {}).get("actions", {}))
    messages = dict(DEFAULT_MESSAGES, **(policy or {}).get("messages", {}))
    return actions[verdict], messages.get(verdict)
