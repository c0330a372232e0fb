"""One pull from the double into billing_sync's stores: what it maps, states and announces, that a
failure midway writes nothing, and that a re-run after it completes without duplicates."""
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet

from services.billing_sync.adapters.base import OneCServerError
from services.billing_sync.adapters.odata import ODataClient
from services.billing_sync.run_execution import execute
from services.billing_sync.store import runs as runs_store
from services.billing_sync.profiles import Profile
from services.billing_sync.secrets import PasswordBox
from services.billing_sync.store import Store
from services.billing_sync.sync import pull
from services.shared.errors import ValidationFailed
from tests.doubles.onec_fixtures import client_for, onec, onec_bp  # noqa: F401 - fixtures
from tests.doubles.onec_seed import TODAY

BOX = PasswordBox(Fernet.generate_key().decode())


class Directory:
    """Our side, as the tickets service answers billing_sync."""

    def __init__(self, clients):
        self.list = clients
        self.refs = {}

    def clients(self):
        return [dict(c, onec_ref=self.refs.get(c["id"])) for c in self.list]

    def set_refs(self, refs):
        self.refs.update(refs)


def seeded(double, name, field):
    return double.find("Catalog_Контрагенты", double.refs[name])[field]


@pytest.fixture
def store(files):
    db = files.open()
    Store.create_indexes(db)
    return Store(db)


def connect(store, double, **extra):
    data = dict(url=double.url, user=double.user, password=double.password, profile=double.profile,
                mapping={}, schedule_minutes=None, **extra)
    return store.connections.create("acme", data, box=BOX)


def directory_for(double):
    return Directory([
        {"id": "c-north", "name": "Север", "inn": seeded(double, "north", "ИНН"), "kpp": "770201001"},
        {"id": "c-branch", "name": "Юг, филиал", "inn": seeded(double, "south", "ИНН"), "kpp": "780302001"},
        {"id": "c-ivanov", "name": "Иванов", "inn": seeded(double, "ivanov", "ИНН"), "kpp": None},
        {"id": "c-nobody", "name": "Никто", "inn": "7707083893", "kpp": None}])


def run(store, double, connection, directory, run_id="run-1", **options):
    source = client_for(double, page_size=2)
    return pull(store, source, connection, directory, run_id, today=TODAY, **options)


def test_a_first_sync_maps_clients_states_contracts_and_announces_each_once(onec, store):
    connection = connect(store, onec)
    directory = directory_for(onec)
    outcome = run(store, onec, connection, directory)
    assert directory.refs == {"c-north": onec.refs["north"], "c-branch": onec.refs["south_b"],
                              "c-ivanov": onec.refs["ivanov"]}
    assert outcome.counts["matched"] == 3 and outcome.counts["unmatched_clients"] == 1
    states = {s["number"]: s["payment"]["state"] for s in store.contracts.of_account("acme")}
    assert states == {"N-1": "paid", "N-2": "unpaid", "SB-1": "unpaid", "I-1": "paid"}
    events = [e for _, _, entries in outcome.announcements for e in entries]
    assert len(events) == 4 and {e["type"] for e in events} == {"contract_payment_updated"}
    sb1 = next(e["payload"] for e in events if e["payload"]["contract"]["number"] == "SB-1")
    assert sb1["client_id"] == "c-branch" and sb1["account_id"] == "acme"
    again = run(store, onec, connection, directory, run_id="run-2")
    assert again.announcements == [] and again.counts["refs_changed"] == 0
    assert store.mappings.report("acme")["unmatched_clients"][0]["client_id"] == "c-nobody"


def test_prices_become_one_price_list_announcement(onec_bp, store):
    choice = {"default": onec_bp.refs["base"], "categories": {"vip": onec_bp.refs["vip"]}}
    connection = connect(store, onec_bp, price_types=choice)
    outcome = run(store, onec_bp, connection, directory_for(onec_bp))
    prices = [e for part, _, entries in outcome.announcements if part == "prices" for e in entries]
    items = {i["code"]: i for i in prices[0]["payload"]["items"]}
    assert items["00-0001"]["price"] == {"amount": "2500.00", "currency": "RUB"}
    assert items["00-0001"]["category_prices"]["vip"]["amount"] == "1800.00"
    assert outcome.counts["price_items"] == 3


def test_a_500_midway_writes_nothing_and_the_next_run_completes_without_duplicates(onec_bp, store):
    connection = connect(store, onec_bp)
    directory = directory_for(onec_bp)
    onec_bp.fail_request(4, 500)
    with pytest.raises(OneCServerError):
        run(store, onec_bp, connection, directory)
    assert directory.refs == {} and store.contracts.of_account("acme") == []
    assert store.db.payment_lines.count_documents({}) == 0
    outcome = run(store, onec_bp, connection, directory, run_id="run-2")
    assert len(outcome.announcements) == 4
    lines = store.db.payment_lines.count_documents({"account_id": "acme"})
    run(store, onec_bp, connection, directory, run_id="run-3")
    assert store.db.payment_lines.count_documents({"account_id": "acme"}) == lines


def test_a_malformed_field_names_the_record_and_writes_nothing(onec_bp, store):
    connection = connect(store, onec_bp)
    directory = directory_for(onec_bp)
    onec_bp.damage("Catalog_ДоговорыКонтрагентов", onec_bp.refs["N-1"], "Дата", "2026-02-30T00:00:00")
    with pytest.raises(ValidationFailed) as failure:
        run(store, onec_bp, connection, directory)
    assert "Catalog_ДоговорыКонтрагентов.Дата" in failure.value.fields
    assert directory.refs == {} and store.db.counterparty_mappings.count_documents({}) == 0


def test_payments_are_kept_per_client_per_month(onec_bp, store):
    connection = connect(store, onec_bp)
    run(store, onec_bp, connection, directory_for(onec_bp))
    periods = store.payments.by_period("acme", "c-north")
    assert [p["period"] for p in periods] == ["2026-04", "2026-05", "2026-06"]
    assert periods[0]["amount"]["amount"] == "10000"


def test_a_quiet_full_rerun_skips_the_stored_lines_and_a_change_in_1c_is_still_seen(onec_bp, store):
    connection = connect(store, onec_bp)
    directory = directory_for(onec_bp)
    run(store, onec_bp, connection, directory)
    lines = store.db.payment_lines.count_documents({"account_id": "acme"})
    run(store, onec_bp, connection, directory, run_id="run-2")
    assert store.db.payment_lines.count_documents({"account_id": "acme"}) == lines
    onec_bp.damage("Document_ПоступлениеНаРасчетныйСчет", onec_bp.refs["pay:N-1:jun"], "Posted", False)
    run(store, onec_bp, connection, directory, run_id="run-3")
    assert store.db.payment_lines.count_documents({"account_id": "acme"}) == lines - 1


def test_a_changed_state_is_stored_with_its_announcement_for_the_relay(onec_bp, store):
    connection = connect(store, onec_bp)
    directory = directory_for(onec_bp)
    first = run(store, onec_bp, connection, directory)
    doc_id = next(d for part, d, _ in first.announcements if part == "contracts")
    stored = store.db.contract_payments.find_one({"_id": doc_id})
    assert isinstance(stored["outbox"], list) and stored["outbox_pending"] is True
    onec_bp.damage("Document_ПоступлениеНаРасчетныйСчет", onec_bp.refs["pay:N-1:jun"], "Posted", False)
    later = run(store, onec_bp, connection, directory, run_id="run-2")
    [(_, changed, [entry])] = [a for a in later.announcements if a[0] == "contracts"]
    assert entry["payload"]["contract"]["number"] == "N-1"
    assert len(store.db.contract_payments.find_one({"_id": changed})["outbox"]) == 2


def incremental(store, double, connection, directory, run_id):
    return run(store, double, connection, directory, run_id=run_id, incremental=True)


def test_an_unchanged_incremental_rerun_fetches_and_applies_nothing(onec, store):
    connection = connect(store, onec)
    directory = directory_for(onec)
    run(store, onec, connection, directory)
    lines = list(store.db.payment_lines.find({"account_id": "acme"}))
    onec.log.clear()
    again = incremental(store, onec, connection, directory, "run-2")
    assert again.counts["changed_in_1c"] == {"counterparties": 0, "contracts": 0, "payments": 0}
    assert again.counts["contracts_changed"] == 0 and again.announcements == []
    assert list(store.db.payment_lines.find({"account_id": "acme"})) == lines
    profile = Profile(onec.profile)
    for entity in (profile["payment.entity"], "Catalog_Контрагенты", "Catalog_ДоговорыКонтрагентов"):
        asked = [query for _, path, query in onec.log if path.endswith(entity)]
        assert asked and all(q.endswith("$select=Ref_Key,DataVersion") for q in asked)


def test_an_incremental_run_matches_with_the_counterparty_1c_changed_and_the_kept_others(onec, store):
    connection = connect(store, onec)
    directory = directory_for(onec)
    run(store, onec, connection, directory)
    onec.edit("Catalog_Контрагенты", onec.refs["ivanov"], ИНН="500100732259")
    onec.log.clear()
    later = incremental(store, onec, connection, directory, "run-2")
    assert later.counts["changed_in_1c"]["counterparties"] == 1
    assert directory.refs == {"c-north": onec.refs["north"], "c-branch": onec.refs["south_b"],
                              "c-ivanov": None}
    fetched = [q for _, path, q in onec.log if path.endswith("Catalog_Контрагенты")
               and "DataVersion" in q and "guid" in q]
    assert len(fetched) == 1 and onec.refs["ivanov"] in fetched[0]


def test_editing_one_counterparty_contract_and_payment_applies_exactly_those(onec, store):
    profile = Profile(onec.profile)
    connection = connect(store, onec)
    directory = directory_for(onec)
    run(store, onec, connection, directory)
    onec.edit("Catalog_Контрагенты", onec.refs["north"], НаименованиеПолное='ООО "Норд"')
    onec.edit("Catalog_ДоговорыКонтрагентов", onec.refs["N-1"], Номер="N-1/26")
    amount = Decimal(7000)
    onec.edit(profile["payment.entity"], onec.refs["pay:N-1:jun"], **{
        profile["payment.amount"]: amount, profile["payment.rows"]: [
            {profile["payment.row_contract"]: onec.refs["N-1"], profile["payment.row_amount"]: amount}]})
    later = incremental(store, onec, connection, directory, "run-2")
    assert later.counts["changed_in_1c"] == {"counterparties": 1, "contracts": 1, "payments": 1}
    [line] = store.db.payment_lines.find({"document": onec.refs["pay:N-1:jun"]})
    assert line["amount"] == "7000"
    [(_, _, [entry])] = later.announcements
    assert entry["payload"]["contract"] == {"onec_ref": onec.refs["N-1"], "number": "N-1/26"}


def test_an_old_payment_unposted_in_1c_stops_counting_on_an_incremental_run(onec_bp, store):
    connection = connect(store, onec_bp)
    directory = directory_for(onec_bp)
    run(store, onec_bp, connection, directory)
    onec_bp.edit("Document_ПоступлениеНаРасчетныйСчет", onec_bp.refs["pay:N-1:apr"], Posted=False)
    later = incremental(store, onec_bp, connection, directory, "run-2")
    assert later.counts["changed_in_1c"]["payments"] == 1
    assert store.db.payment_lines.count_documents({"document": onec_bp.refs["pay:N-1:apr"]}) == 0
    assert [p["period"] for p in store.payments.by_period("acme", "c-north")] == ["2026-05", "2026-06"]


def test_a_counterparty_mapped_since_brings_its_earlier_payments(onec_bp, store):
    connection = connect(store, onec_bp)
    directory = directory_for(onec_bp)
    ivanov = next(c for c in directory.list if c["id"] == "c-ivanov")
    directory.list.remove(ivanov)
    run(store, onec_bp, connection, directory)
    assert store.payments.by_period("acme", "c-ivanov") == []
    directory.list.append(ivanov)
    later = incremental(store, onec_bp, connection, directory, "run-2")
    assert later.counts["changed_in_1c"]["payments"] == 0
    assert store.payments.by_period("acme", "c-ivanov") == [
        {"period": "2026-05", "amount": {"amount": "15000", "currency": "RUB"}}]


def test_versions_read_under_another_mapping_are_not_trusted(onec_bp, store):
    connection = connect(store, onec_bp)
    directory = directory_for(onec_bp)
    run(store, onec_bp, connection, directory)
    changed = store.connections.replace("acme", connection["_id"], dict(
        url=onec_bp.url, user=onec_bp.user, password=None, profile="bp30",
        mapping={"cash_payment.entity": ""}), box=BOX)
    later = incremental(store, onec_bp, changed, directory, "run-2")
    assert later.counts["changed_in_1c"]["counterparties"] == 9  # every one, as on a first run
    assert later.counts["payment_lines"] == 3  # read whole: the cash receipt no longer counts
    assert [p["period"] for p in store.payments.by_period("acme", "c-north")] == ["2026-04", "2026-06"]


def test_a_run_longer_than_its_lease_renews_it_and_no_replica_takes_it_over(onec, store, monkeypatch):
    """The lease is 0.2 s and 1C answers in 0.1 s: the run lasts several leases. After every
    answer another replica tries to claim a run; it never gets this one."""
    monkeypatch.setattr(runs_store, "LEASE", timedelta(seconds=0.2))
    connection = connect(store, onec)
    store.runs.queue(connection, "on_demand", "full")
    claimed = store.runs.claim()
    onec.faults.delay = 0.1
    taken = []

    class Replica2Watching(ODataClient):
        def _request(self, *args, **kwargs):
            answer = super()._request(*args, **kwargs)
            taken.append(store.runs.claim())
            return answer

    def source_factory(connection):
        return Replica2Watching(onec.url, onec.user, onec.password, backoff=0.05)
    started = time.monotonic()
    finished, _ = execute(store, claimed, directory_for(onec), today=TODAY,
                          source_factory=source_factory, renew_every=0.05)
    assert finished["state"] == "succeeded" and time.monotonic() - started > 3 * 0.2
    assert taken and not any(taken)


def test_a_run_whose_lease_another_replica_took_stops_and_leaves_it_alone(onec_bp, store):
    connection = connect(store, onec_bp)
    store.runs.queue(connection, "on_demand", "full")
    first = store.runs.claim(lease=timedelta(seconds=-1))
    second = store.runs.claim()
    finished, announcements = execute(store, first, directory_for(onec_bp), today=TODAY,
                                      source_factory=lambda c: client_for(onec_bp), renew_every=0)
    assert finished is first and announcements == []
    assert store.runs.get("acme", second["_id"])["claim"] == second["claim"]
    assert store.contracts.of_account("acme") == []  # it stopped before applying anything
