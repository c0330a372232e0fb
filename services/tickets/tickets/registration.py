"""Registering a ticket: references checked, coverage judged, the account's policy applied.

The orchestration across stores that create_ticket needs; the rules themselves are in
references.py and coverage.py.
"""
from services.shared.clock import today_in
from services.shared.errors import Conflict
from services.tickets.contracts import coverage, pricing
from services.tickets.tickets.references import check_references


def assess(store, account_id, client_id, site_id=None, equipment_id=None):
    """The coverage verdict and the policy's answer for a request, or None without a client."""
    if not client_id:
        return None
    account = store.accounts.get(account_id)
    equipment = store.equipment.get(account_id, equipment_id) if equipment_id else None
    site = store.sites.get(account_id, site_id) if site_id else None
    day = today_in((site or {}).get("time_zone") or account["time_zone"])
    verdict = coverage.evaluate(day, store.contracts.of_client(account_id, client_id),
                                site_id, equipment)
    policy = account.get("coverage_policy", {})
    action, message = coverage.decide(policy, verdict.verdict)
    return {"verdict": verdict.verdict, "action": action, "message": message,
            "contract_id": verdict.contract_id, "service_level_id": verdict.service_level_id,
            "payment_state": verdict.payment_state,
            "price": quote(store, account_id, client_id, policy) if action == "paid_work" else None,
            "checked_on": day, "sales_group_id": policy.get("sales_group_id")}


def quote(store, account_id, client_id, policy):
    """The price of the policy's paid-work item for this client's category, if it names one."""
    code = policy.get("paid_work_code")
    item = code and store.price_list.find_active(account_id, code)
    if not item:
        return None
    client = store.clients.get(account_id, client_id)
    return pricing.price_for(item, client.get("category"))


def prepare(store, actor, data):
    """The ticket data to store, with its coverage; Conflict when the policy rejects the request."""
    data = dict(data)
    if actor.is_contact:
        # A contact opens tickets for their own company; staff decide who works on them.
        data.update(client_id=actor.client_id, contact_id=actor.id, assignee_id=None,
                    assignee_group_id=None)
    data = check_references(store, actor.account_id, data)
    found = assess(store, actor.account_id, data.get("client_id"), data.get("site_id"),
                   data.get("equipment_id"))
    if found is None:
        return data
    sales_group_id = found.pop("sales_group_id")
    if found["action"] == "reject":
        raise Conflict(found["message"] or "This request is not accepted under the contract.",
                       {"verdict": found["verdict"]})
    if found["action"] == "low_priority":
        data["priority"] = "low"
    elif found["action"] == "sales":
        # Marked for sales review even when no sales group is configured to receive it.
        data["billing"] = "sales_review"
        if sales_group_id:
            data["assignee_group_id"] = sales_group_id
    elif found["action"] == "paid_work":
        data["billing"] = "paid_one_off"
    data["coverage"] = found
    return data
