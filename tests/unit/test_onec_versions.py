"""1C's DataVersions kept per account and entity: what differs from the last run, bucketed
storage that writes only what changed, and versions read under another mapping not trusted."""
from services.billing_sync.data_versions import changes
from services.billing_sync.store.versions import VersionStore

ENTITY = "Document_ПоступлениеНаРасчетныйСчет"


def test_changes_are_new_or_other_versions_and_what_is_no_longer_listed():
    found = changes({"a1": "v1", "b1": "v1", "c1": "v1"}, {"a1": "v1", "b1": "v2", "d1": "v1"})
    assert found.changed == {"b1", "d1"} and found.gone == {"c1"}


def test_versions_round_trip_per_account_and_write_only_the_buckets_that_differ(db):
    store = VersionStore(db)
    VersionStore.create_indexes(db)
    assert store.seen("acme", ENTITY, "m1") is None
    versions = {"0a-1": "v1", "0a-2": "v1", "ff-1": "v1"}
    store.save("acme", ENTITY, "m1", versions)
    assert store.seen("acme", ENTITY, "m1") == versions
    assert store.seen("other", ENTITY, "m1") is None
    assert store.seen("acme", ENTITY, "m2") is None  # another mapping: read as if never seen
    untouched = db.data_versions.find_one({"_id": f"acme:{ENTITY}:ff"})
    store.save("acme", ENTITY, "m1", {"0a-1": "v2", "ff-1": "v1"})
    assert store.seen("acme", ENTITY, "m1") == {"0a-1": "v2", "ff-1": "v1"}
    assert db.data_versions.find_one({"_id": f"acme:{ENTITY}:ff"}) == untouched
    store.save("acme", ENTITY, "m1", {})
    assert store.seen("acme", ENTITY, "m1") == {}
    assert db.data_versions.count_documents({"account_id": "acme"}) == 0


def test_a_catalog_keeps_a_copy_of_each_item_and_versions_alone_are_no_copies(db):
    store = VersionStore(db)
    store.save("acme", "Catalog_Контрагенты", "m1", {"0a-1": "v1", "0b-1": "v1"},
               {"0a-1": ["ООО Север", "7702000010", "770201001"], "0b-1": None})
    assert store.seen("acme", "Catalog_Контрагенты", "m1", with_copies=True) == (
        {"0a-1": "v1", "0b-1": "v1"}, {"0a-1": ["ООО Север", "7702000010", "770201001"], "0b-1": None})
    store.save("acme", ENTITY, "m1", {"0a-1": "v1"})
    assert store.seen("acme", ENTITY, "m1", with_copies=True) is None
