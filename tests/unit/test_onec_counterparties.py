"""Matching our clients to 1C counterparties by ИНН + КПП, read from the double."""
import pytest

from services.billing_sync.counterparties import Counterparty, match, parse_counterparty
from services.billing_sync.profiles import Profile
from services.billing_sync.pull import catalog_items
from services.shared.errors import ValidationFailed
from services.billing_sync.connection_check import check_connection
from tests.doubles.onec_fixtures import client_for, onec, onec_bp, onec_ut, profile  # noqa: F401 - fixtures


def counterparties_in(source, profile):
    return [c for c in catalog_items(source, profile, "counterparty").values() if c]


def client(cid, inn, kpp=None, **extra):
    return dict({"id": cid, "name": cid, "inn": inn, "kpp": kpp}, **extra)


def seeded(onec, name, field):
    return onec.find("Catalog_Контрагенты", onec.refs[name])[field]


def test_our_clients_meet_their_counterparties_in_both_profiles(onec, profile):
    counterparties = counterparties_in(client_for(onec, page_size=3), profile)
    assert onec.refs["deleted"] not in {c.ref for c in counterparties}
    assert onec.refs["folder"] not in {c.ref for c in counterparties}
    inn = {name: seeded(onec, name, "ИНН") for name in ("north", "south", "ivanov", "twin_a")}
    clients = [client("c-north", inn["north"], "770201001"),
               client("c-south-branch", inn["south"], "780302001"),
               client("c-ivanov", inn["ivanov"]),
               client("c-twin", inn["twin_a"], "770601001"),
               client("c-nobody", "7707083893", "770701001"),
               client("c-no-inn", None)]
    result = match(clients, counterparties)
    assert result.matched == [
        {"client_id": "c-ivanov", "ref": onec.refs["ivanov"], "how": "inn"},
        {"client_id": "c-north", "ref": onec.refs["north"], "how": "inn_kpp"},
        {"client_id": "c-south-branch", "ref": onec.refs["south_b"], "how": "inn_kpp"}]
    reasons = {u["client_id"]: u["reason"] for u in result.unmatched_clients}
    assert reasons == {"c-nobody": "not_found", "c-no-inn": "no_inn", "c-twin": "several_counterparties"}
    left = {c["ref"]: c["reason"] for c in result.unmatched_counterparties}
    assert left == {onec.refs["south"]: "no_client", onec.refs["only_1c"]: "no_client",
                    onec.refs["twin_a"]: "ambiguous", onec.refs["twin_b"]: "ambiguous"}


def test_a_manual_mapping_settles_the_twins_and_wins_over_an_automatic_claim(onec_bp):
    counterparties = counterparties_in(client_for(onec_bp), Profile("bp30"))
    inn = seeded(onec_bp, "twin_a", "ИНН")
    result = match([client("c-twin", inn, "770601001", manual_ref=onec_bp.refs["twin_b"].upper()),
                    client("c-north-copy", seeded(onec_bp, "north", "ИНН"), "770201001"),
                    client("c-north", None, manual_ref=onec_bp.refs["north"])], counterparties)
    assert {m["client_id"]: (m["ref"], m["how"]) for m in result.matched} == {
        "c-twin": (onec_bp.refs["twin_b"], "manual"), "c-north": (onec_bp.refs["north"], "manual")}
    assert [(u["client_id"], u["reason"]) for u in result.unmatched_clients] == [
        ("c-north-copy", "several_clients")]


def test_a_catalog_without_groups_needs_its_folder_key_emptied(onec_ut):
    onec_ut.schema["Catalog_Контрагенты"]["fields"].pop("IsFolder")
    for record in onec_ut.records["Catalog_Контрагенты"]:
        record.pop("IsFolder")
    report = check_connection(client_for(onec_ut), Profile("ut11"))
    counterparties = next(e for e in report["entities"] if e["group"] == "counterparty")
    assert counterparties["missing_fields"] == [{"key": "counterparty.folder", "field": "IsFolder"}]
    flat = Profile("ut11", {"counterparty.folder": ""})
    assert check_connection(client_for(onec_ut), flat)["ok"]
    assert onec_ut.refs["north"] in {c.ref for c in counterparties_in(client_for(onec_ut), flat)}


def test_rules_without_1c():
    one = Counterparty("a", "A", "7701234567", "")
    branch_1 = Counterparty("b1", "B", "7702345678", "770201001")
    branch_2 = Counterparty("b2", "B filial", "7702345678", "770202001")
    result = match([client("kpp-only-here", "7701234567", "770101001"),
                    client("no-kpp", "7702345678"),
                    client("gone", None, manual_ref="11111111-1111-1111-1111-111111111111"),
                    client("twice-1", "7702 345 678", "770201001"),
                    client("twice-2", "7702345678", "770201001")], [one, branch_1, branch_2])
    assert result.matched == [{"client_id": "kpp-only-here", "ref": "a", "how": "inn"}]
    reasons = {u["client_id"]: u["reason"] for u in result.unmatched_clients}
    assert reasons == {"no-kpp": "several_counterparties", "gone": "manual_ref_gone",
                       "twice-1": "several_clients", "twice-2": "several_clients"}
    assert {c["ref"]: c["reason"] for c in result.unmatched_counterparties} == {
        "b1": "several_clients", "b2": "ambiguous"}


def test_a_bad_manual_reference_names_the_field():
    with pytest.raises(ValidationFailed) as caught:
        match([client("x", None, manual_ref="not a guid")], [])
    assert "manual_ref" in caught.value.fields


def test_a_counterparty_without_ref_key_names_the_field(onec_bp):
    onec_bp.damage("Catalog_Контрагенты", onec_bp.refs["north"], "Ref_Key")
    with pytest.raises(ValidationFailed) as caught:
        counterparties_in(client_for(onec_bp), Profile("bp30"))
    assert list(caught.value.fields) == ["Catalog_Контрагенты.Ref_Key"]


def test_an_inn_of_the_wrong_type_names_the_field_and_the_record(onec_bp):
    onec_bp.damage("Catalog_Контрагенты", onec_bp.refs["north"], "ИНН", 7702000011)
    with pytest.raises(ValidationFailed) as caught:
        counterparties_in(client_for(onec_bp), Profile("bp30"))
    message = caught.value.fields["Catalog_Контрагенты.ИНН"][0]
    assert "not text" in message and onec_bp.refs["north"] in message


def test_parse_refuses_a_record_that_is_not_an_object():
    with pytest.raises(ValidationFailed) as caught:
        parse_counterparty(["not", "a", "record"], Profile("bp30"))
    assert "Catalog_Контрагенты._record" in caught.value.fields
