"""The coverage verdict as plain rules: warranty keeps the contract's level, decommissioned items
have no warranty, several contracts give a stable choice."""
from services.tickets.contracts.coverage import evaluate


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
