"""Sync runs and the schedule in billing_sync's store: one run per connection at a time, a claim
a dead replica left is taken over, a due schedule queues an incremental run."""
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet

from services.billing_sync.secrets import PasswordBox
from services.billing_sync.store import Store
from services.shared.clock import utcnow
from services.shared.errors import NotFound, ValidationFailed

BOX = PasswordBox(Fernet.generate_key().decode())


@pytest.fixture
def store(files):
    db = files.open()
    Store.create_indexes(db)
    return Store(db)


def connection(store, account="acme", **extra):
    return store.connections.create(account, dict(dict(
        url="http://127.0.0.1:9/base/odata/standard.odata/", user="odata", password="secret",
        profile="bp30", mapping={}), **extra), box=BOX)


def test_a_connection_has_one_run_at_a_time(store):
    c = connection(store)
    first = store.runs.queue(c, "on_demand", "full")
    assert store.runs.queue(c, "on_demand", "full")["_id"] == first["_id"]
    claimed = store.runs.claim()
    assert claimed["_id"] == first["_id"] and store.runs.claim() is None
    store.runs.finish(claimed, {"matched": 1})
    assert store.runs.queue(c, "on_demand", "full")["_id"] != first["_id"]


def test_a_run_whose_replica_died_is_taken_over_after_its_lease(store):
    run = store.runs.queue(connection(store), "on_demand", "full")
    store.runs.claim()
    store.db.sync_runs.update_one({"_id": run["_id"]},
                                  {"$set": {"lease_until": utcnow() - timedelta(seconds=1)}})
    assert store.runs.claim()["_id"] == run["_id"]


def test_another_accounts_run_and_connection_are_not_found(store):
    c = connection(store)
    run = store.runs.queue(c, "on_demand", "full")
    with pytest.raises(NotFound):
        store.runs.get("globex", run["_id"])
    with pytest.raises(NotFound):
        store.connections.get("globex", c["_id"])


def test_a_due_schedule_is_found_and_moved_on(store):
    c = connection(store, schedule_minutes=15)
    assert store.connections.due(utcnow()) == []
    later = utcnow() + timedelta(minutes=16)
    assert [d["_id"] for d in store.connections.due(later)] == [c["_id"]]
    store.connections.schedule_next(c, later)
    assert store.connections.due(later) == []


def test_sale_fields_may_not_overwrite_what_the_push_writes_itself(store):
    with pytest.raises(ValidationFailed) as caught:
        connection(store, mapping={"sale.comment": "Примечание"}, sale={"fields": {
            "Примечание": "x", "Date": "2026-01-01T00:00:00", "СчетУчетаРасчетовСКонтрагентом_Key": "y",
            "Ответственный_Key": "z"}})
    # The settlement account is the push's own now (from sale.accounts); a field it does not
    # write (the person responsible) stays the admin's to give.
    assert set(caught.value.fields) == {"sale.fields.Примечание", "sale.fields.Date",
                                        "sale.fields.СчетУчетаРасчетовСКонтрагентом_Key"}
    assert store.db.connections.count_documents({}) == 0


def test_the_password_is_sealed_and_an_update_without_one_keeps_it(store):
    c = connection(store)
    assert "secret" not in str(store.db.connections.find_one({"_id": c["_id"]}))
    changed = store.connections.replace("acme", c["_id"], dict(
        url=c["url"], user="other", password=None, profile="bp30", mapping={}), box=BOX)
    assert changed["password_sealed"] == c["password_sealed"] and changed["user"] == "other"


def test_a_renewed_lease_keeps_a_long_run_from_other_replicas(store):
    c = connection(store)
    store.runs.queue(c, "on_demand", "full")
    run = store.runs.claim(lease=timedelta(seconds=-1))  # as if its lease ran out already
    assert store.runs.renew(run) is True
    assert store.runs.claim() is None  # renewed: nobody takes it over


def test_a_run_taken_over_after_its_lease_ran_out_is_no_longer_its_first_holders(store):
    c = connection(store)
    store.runs.queue(c, "on_demand", "full")
    first = store.runs.claim(lease=timedelta(seconds=-1))
    second = store.runs.claim()
    assert second["_id"] == first["_id"] and second["claim"] != first["claim"]
    assert store.runs.renew(first) is False and store.runs.renew(second) is True
    store.runs.finish(first, {"late": 1})  # the first holder waking up changes nothing
    assert store.runs.get("acme", first["_id"])["state"] == "running"
    store.runs.finish(second, {"done": 1})
    assert store.runs.get("acme", first["_id"])["counts"] == {"done": 1}
