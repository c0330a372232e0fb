"""The coverage verdict as plain rules: warranty keeps the contract's level, decommissioned items
have no warranty, several contracts give a stable choice, a payment nobody has reported does not
block, and a request that names nothing a contract of listed places could cover is to be checked."""
from services.tickets.contracts.coverage import decide, evaluate
from services.tickets.schemas import ContractWriteSchema


def contract(cid, valid_from="2026-01-01", valid_until=None, state="paid", all_=True, sites=(), items=()):
    return {"_id": cid, "number": cid, "service_level_id": f"level-{cid}", "valid_from": valid_from,
            "valid_until": valid_until, "payment": {"state": state},
            "coverage": {"all": all_, "site_ids": list(sites), "equipment_ids": list(items)}}


ITEM = {"_id": "item", "site_id": "site", "warranty_until": "2026-12-31", "status": "in_service"}


def test_warranty_keeps_the_covering_contract_and_its_level():
    verdict = evaluate("2026-06-01", [contract("a")], equipment=ITEM)
    assert (verdict.verdict, verdict.contract_id, verdict.service_level_id) == ("warranty", "a", "level-a")


def test_a_decommissioned_item_has_no_warranty():
    verdict = evaluate("2026-06-01", [], equipment=dict(ITEM, status="decommissioned"))
    assert verdict.verdict == "no_contract"


def test_the_warranty_ends_on_its_last_day():
    assert evaluate("2026-12-31", [], equipment=ITEM).verdict == "warranty"
    assert evaluate("2027-01-01", [], equipment=ITEM).verdict == "no_contract"


def test_a_contract_is_valid_on_both_boundary_days():
    bounded = [contract("a", "2026-01-01", "2026-06-30")]
    assert evaluate("2026-01-01", bounded, site_id="site").verdict == "covered"
    assert evaluate("2026-06-30", bounded, site_id="site").verdict == "covered"
    assert evaluate("2026-07-01", bounded, site_id="site").verdict == "no_contract"


def test_a_paid_contract_wins_and_the_newest_among_equals():
    contracts = [contract("old", "2025-01-01"), contract("unpaid", "2026-03-01", state="unpaid"),
                 contract("new", "2026-02-01")]
    assert evaluate("2026-06-01", contracts, site_id="site").contract_id == "new"
    assert evaluate("2026-06-01", list(reversed(contracts)), site_id="site").contract_id == "new"


def test_listed_coverage():
    listed = [contract("a", all_=False, sites=["other-site"])]
    assert evaluate("2026-06-01", listed, site_id="site").verdict == "not_covered"
    assert evaluate("2026-06-01", listed, equipment=dict(ITEM, warranty_until=None, site_id="other-site")).verdict == "covered"


def test_a_new_contracts_payment_is_unknown_and_does_not_block():
    written = ContractWriteSchema().load({"number": "1", "client_id": "c", "service_level_id": "l",
                                          "valid_from": "2026-01-01"})
    assert written["payment"]["state"] == "unknown"
    verdict = evaluate("2026-06-01", [contract("new", state="unknown")], site_id="site")
    assert (verdict.verdict, verdict.contract_id, verdict.payment_state) == ("covered", "new", "unknown")


def test_the_verdict_says_which_payment_state_it_rests_on():
    assert evaluate("2026-06-01", [contract("a")], site_id="site").payment_state == "paid"
    for blocking in ("unpaid", "overdue"):
        verdict = evaluate("2026-06-01", [contract("a", state=blocking)], site_id="site")
        assert (verdict.verdict, verdict.payment_state) == ("unpaid", blocking)
    # A paid contract is chosen over one whose payment is unknown, which wins over an unpaid one.
    three = [contract("paid", "2025-01-01"), contract("unknown", "2025-06-01", state="unknown"),
             contract("unpaid", "2026-03-01", state="unpaid")]
    assert evaluate("2026-06-01", three, site_id="site").contract_id == "paid"
    assert evaluate("2026-06-01", three[1:], site_id="site").contract_id == "unknown"
    assert evaluate("2026-06-01", [dict(contract("old"), payment={})], site_id="site"
                    ).payment_state == "unknown"


def test_a_request_naming_no_object_on_a_contract_of_listed_sites_is_to_be_checked():
    listed = [contract("a", all_=False, sites=["site"])]
    assert evaluate("2026-06-01", listed).verdict == "to_check"
    # Judged by the site when the request gives one, by the item's site when it names an item.
    assert evaluate("2026-06-01", listed, site_id="site").verdict == "covered"
    assert evaluate("2026-06-01", listed, site_id="other-site").verdict == "not_covered"
    # A contract of everything still covers a request naming nothing; no contract is no contract.
    assert evaluate("2026-06-01", [contract("b")]).verdict == "covered"
    assert evaluate("2026-06-01", []).verdict == "no_contract"


def test_to_be_checked_is_accepted_without_a_price_by_default():
    action, message = decide({}, "to_check")
    assert action == "accept" and "уточним" in message
