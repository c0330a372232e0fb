"""1C's DataVersion of every object a run read, kept per account and entity, so that the next run
fetches and applies only what 1C changed.

1C changes an object's `DataVersion` on every write (an edit, a re-posting, a deletion mark); it
is an opaque string that is only ever compared for equality. OData offers no "changed since", so
a run lists `Ref_Key, DataVersion` of an entity (small rows, few pages) and compares.

Stored compactly: per account and entity one header (the mapping the versions were read under,
the count) and the versions spread over at most 256 buckets by the Ref_Key's first two hex digits,
so 100,000 documents are a few hundred small writes on the first run and, later, a write only to
the buckets that changed. Buckets also hold a copy of each object as the sync parsed it
(incremental_reads.py), so that an unchanged object need not be read again. Each bucket keeps both as
JSON text: a driver (the embedded engine most of all) copies one string far faster than thousands
of nested values. Versions read under another mapping mean nothing (another entity,
another filter), so a changed mapping reads like no versions at all.
"""
import json


def _bucket(ref):
    return ref[:2].lower()


class VersionStore:
    def __init__(self, db):
        self.headers = db.data_version_sets
        self.buckets = db.data_versions

    @staticmethod
    def create_indexes(db):
        db.data_version_sets.create_index([("account_id", 1)])
        db.data_versions.create_index([("account_id", 1), ("entity", 1)])

    def seen(self, account_id, entity, digest, *, with_copies=False):
        """{ref: version} stored for `entity` under the mapping `digest` (with copies: a pair of
        that and {ref: copy}), or None when nothing was (a first run, a mapping changed since)."""
        header = self.headers.find_one({"_id": f"{account_id}:{entity}", "account_id": account_id})
        if header is None or header.get("mapping") != digest:
            return None
        if with_copies and not header.get("copies"):
            return None
        versions, copies = {}, {}
        for bucket in self.buckets.find({"account_id": account_id, "entity": entity}):
            versions.update(json.loads(bucket["versions"]))
            if with_copies:
                copies.update(json.loads(bucket.get("copies") or "{}"))
        return (versions, copies) if with_copies else versions

    def save(self, account_id, entity, digest, versions, copies=None):
        """Make `versions` (and `copies`) what is stored for `entity`, writing only the buckets
        that differ."""
        grouped = {}
        for ref, version in versions.items():
            bucket = grouped.setdefault(_bucket(ref), {"versions": {}})
            bucket["versions"][ref] = version
            if copies is not None:
                bucket.setdefault("copies", {})[ref] = copies.get(ref)
        wanted = {bucket: {k: json.dumps(v, sort_keys=True, ensure_ascii=False)
                           for k, v in fields.items()} for bucket, fields in grouped.items()}
        stored = {b["bucket"]: {k: b[k] for k in ("versions", "copies") if k in b}
                  for b in self.buckets.find({"account_id": account_id, "entity": entity})}
        for bucket in stored.keys() - wanted.keys():
            self.buckets.delete_one({"_id": f"{account_id}:{entity}:{bucket}",
                                     "account_id": account_id})
        for bucket, fields in wanted.items():
            if stored.get(bucket) != fields:
                self.buckets.replace_one(
                    {"_id": f"{account_id}:{entity}:{bucket}", "account_id": account_id},
                    dict(fields, account_id=account_id, entity=entity, bucket=bucket),
                    upsert=True)
        self.headers.update_one({"_id": f"{account_id}:{entity}", "account_id": account_id},
                                {"$set": {"mapping": digest, "count": len(versions),
                                          "copies": copies is not None}}, upsert=True)
