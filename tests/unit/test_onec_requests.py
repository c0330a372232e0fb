"""Requests that fit real publications: query strings under 2,000 bytes whatever the batch, one 1C
session per client reused and ended, transient failures retried with backoff (a 1C restart
included), and reads that stay right while the double shifts pages between requests."""
import threading
import uuid

import pytest
import requests

from services.billing_sync.adapters.base import OneCRejected, OneCUnreachable
from services.billing_sync.adapters.odata_query import MAX_QUERY_BYTES
from services.billing_sync.profiles import Profile
from services.billing_sync.pull import catalog_items, payment_documents
from tests.doubles.onec_fixtures import client_for, onec, onec_bp, onec_ut  # noqa: F401 - fixtures


def test_fetching_by_ref_batches_by_length_under_2000_bytes(onec):
    """Thousands of Ref_Keys (some unknown to 1C): every query fits, every object comes back."""
    profile = Profile(onec.profile)
    known = [r["Ref_Key"] for r in onec.records[profile["payment.entity"]]]
    refs = known + [str(uuid.uuid4()) for _ in range(400)]
    before = len(onec.log)
    found = payment_documents(client_for(onec), profile, "payment", {}, refs)
    queries = [len(q) for _, path, q in onec.log[before:]]
    assert set(found) == {r["Ref_Key"] for r in onec.records[profile["payment.entity"]]
                          if r["Posted"] and not r["DeletionMark"]
                          and r[profile["payment.operation"]] == profile["payment.operation_value"]}
    assert max(queries) < MAX_QUERY_BYTES and onec.longest_query < MAX_QUERY_BYTES
    # By length, not by a fixed count: Cyrillic conditions leave room for fewer GUIDs.
    assert len(queries) < len(refs) / 10


def test_a_query_string_over_2048_bytes_is_iis_404_15(onec_bp):
    text = " or ".join(f"Ref_Key eq guid'{uuid.uuid4()}'" for _ in range(60))
    answer = requests.get(onec_bp.url + "Catalog_Контрагенты", params={"$filter": text},
                          auth=(onec_bp.user, onec_bp.password), timeout=10)
    assert answer.status_code == 404 and "404.15" in answer.text
    assert answer.headers["Content-Type"].startswith("text/html")


def test_the_client_never_sends_a_query_string_of_2000_bytes(onec_bp):
    client = client_for(onec_bp)
    before = onec_bp.request_count
    with pytest.raises(OneCRejected) as caught:
        client.read("Catalog_Контрагенты", filter=" or ".join(
            f"Ref_Key eq guid'{uuid.uuid4()}'" for _ in range(40)))
    assert "over 2000" in caught.value.detail and onec_bp.request_count == before


def test_one_session_is_reused_by_every_request_and_ended_on_close(onec):
    with client_for(onec) as client:
        client.metadata()
        for key in ("counterparty", "contract", "nomenclature"):
            catalog_items(client, Profile(onec.profile), key)
        assert onec.sessions["started"] == 1 and onec.open_sessions == 1
    assert onec.sessions == {"started": 1, "finished": 1, "one_off": 0, "refused": 0}
    assert onec.open_sessions == 0


def test_a_1c_restart_mid_read_is_retried_in_a_new_session(onec_ut):
    """1C restarts while the contracts are paged: the proxy answers 503 for 0.3 s, the session is
    gone; the read carries on with a new session and loses nothing."""
    whole = catalog_items(client_for(onec_ut), Profile("ut11"), "contract")
    with client_for(onec_ut, page_size=1) as client:
        onec_ut.restart_after(3, 0.3)
        again = catalog_items(client, Profile("ut11"), "contract")
    assert again == whole and onec_ut.sessions["refused"] == 1
    assert onec_ut.sessions["started"] == 3 and onec_ut.open_sessions == 0  # whole's, 2 for again


def test_a_proxy_down_for_a_moment_is_retried_with_backoff(onec_bp):
    onec_bp.faults.proxy_down = True
    threading.Timer(0.3, setattr, (onec_bp.faults, "proxy_down", False)).start()
    assert catalog_items(client_for(onec_bp), Profile("bp30"), "counterparty")
    assert sum(1 for entry in onec_bp.log if "Catalog_" in entry[1]) >= 2


def test_retries_give_up_as_unreachable_and_writes_are_not_retried_once_sent(onec_bp):
    onec_bp.faults.proxy_down = True
    with pytest.raises(OneCUnreachable):
        client_for(onec_bp, retries=2).read("Catalog_Контрагенты")
    assert onec_bp.request_count == 3
    with pytest.raises(OneCUnreachable):
        client_for(onec_bp, retries=2).create("Document_РеализацияТоваровУслуг", {})
    assert onec_bp.request_count == 4  # a POST 1C may have acted on is the caller's to retry


def test_the_double_shifts_pages_when_data_changes_between_them(onec_bp):
    def page(skip):
        answer = requests.get(onec_bp.url + "Catalog_Контрагенты", params={
            "$format": "json", "$orderby": "Ref_Key", "$top": "3", "$skip": str(skip)},
            auth=(onec_bp.user, onec_bp.password), timeout=10)
        return [r["Ref_Key"] for r in answer.json()["value"]]
    first = page(0)
    onec_bp.add("Catalog_Контрагенты", Description="Новый")
    onec_bp.records["Catalog_Контрагенты"][-1]["Ref_Key"] = "00000000-0000-0000-0000-000000000001"
    onec_bp.add("Catalog_Валюты", Description="bump")  # any change recomputes the pages
    assert page(3)[0] == first[2]  # the row at the page's edge comes again


def test_a_catalog_read_while_pages_shift_keeps_each_object_once(onec_bp):
    profile = Profile("bp30")
    added = []

    def insert_in_front(double):
        if len(added) < 3:
            record = double.add("Catalog_Контрагенты", Description=f"Новый {len(added)}",
                                ИНН="7707083893")
            record["Ref_Key"] = f"00000000-0000-0000-0000-00000000000{len(added) + 1}"
            added.append(record["Ref_Key"])
    onec_bp.between_pages = insert_in_front
    items = catalog_items(client_for(onec_bp, page_size=2), profile, "counterparty")
    onec_bp.between_pages = None
    original = {r["Ref_Key"] for r in onec_bp.records["Catalog_Контрагенты"]} - set(added)
    assert original <= set(items)  # rows repeat at page edges, none is lost or doubled
