"""Reading from 1C only what it changed since the last run, by DataVersion (versions.py).

A full run reads catalogs and payments whole and notes every object's version. An incremental
run, once versions are stored, lists `Ref_Key, DataVersion` of each entity (a few large pages of
small rows), fetches by Ref_Key only the objects 1C added or changed (a batch a request), and
takes the rest from what the last run kept:

- catalogs (counterparties, contracts, services): a compact copy of each item as parsed, kept
  beside its version, because matching and the price list need every item;
- payments: the stored payment lines; the documents 1C changed (an old payment re-posted with
  another amount included) replace theirs, those it no longer lists (unposted, deleted) drop
  theirs, and counterparties mapped since the last run have their earlier payments read.

Versions and copies read under another mapping, or missing, mean a whole read; so do more
changes than fetching by Ref_Key pays for.
"""
from dataclasses import dataclass
from datetime import date

from services.billing_sync.counterparties import Counterparty
from services.billing_sync.payments import Contract
from services.billing_sync.prices import Service
from services.billing_sync.pull import (catalog_items, catalog_query, payment_condition,
                                        read_payment_documents, read_payments, read_payments_of,
                                        scan_versions)
from services.billing_sync.versions import changes

# Fetching by Ref_Key costs a request per 30 objects; past this many a whole read is cheaper.
MAX_FETCHED = 3000


def _day(value):
    return value.isoformat() if value else None


def _date(text):
    return date.fromisoformat(text) if text else None


# What is kept of a catalog item between runs, and how it comes back.
COPIES = {
    "counterparty": (lambda c: [c.name, c.inn, c.kpp], lambda ref, v: Counterparty(ref, *v)),
    "contract": (lambda c: [c.counterparty, c.number, _day(c.signed_on), _day(c.valid_until),
                            c.closed],
                 lambda ref, v: Contract(ref, v[0], v[1], _date(v[2]), _date(v[3]), v[4])),
    "nomenclature": (lambda s: [s.code, s.name, s.article, s.unit],
                     lambda ref, v: Service(ref, *v)),
}


@dataclass
class CatalogReading:
    items: dict     # {ref: item, or None for one that takes no part}
    versions: dict  # {ref: DataVersion} to store once applied
    copies: dict    # {ref: what is kept of the item, or None}
    changed: int    # items 1C added, changed or dropped since the last run


@dataclass
class PaymentReading:
    lines: list
    versions: dict   # {entity: {ref: DataVersion}} to store once applied
    changed: int     # documents 1C added, changed or dropped since the last run
    documents: object = None  # read in part: the documents whose stored lines `lines` replace


def read_catalog(store, source, profile, key, account_id, digest, *, incremental):
    """The catalog `key` as {ref: item or None}, whole or (incremental) by what changed."""
    entity, condition, _, _ = catalog_query(profile, key)
    dump, load = COPIES[key]
    kept = store.versions.seen(account_id, entity, digest, with_copies=True)
    if incremental and kept is not None:
        seen, copies = kept
        found = changes(seen, scan_versions(source, entity, condition))
        if len(found.changed) <= MAX_FETCHED:
            fetched = {}
            items = catalog_items(source, profile, key, fetched, refs=found.changed)
            versions = {ref: version for ref, version in seen.items()
                        if ref not in found.gone and ref not in found.changed}
            items.update({ref: None if copies[ref] is None else load(ref, copies[ref])
                          for ref in versions})
            versions.update(fetched)
            return CatalogReading(items, versions, _copies(items, dump),
                                  len(found.changed) + len(found.gone))
    versions = {}
    items = catalog_items(source, profile, key, versions)
    seen = kept[0] if kept else {}
    found = changes(seen, versions)
    return CatalogReading(items, versions, _copies(items, dump), len(found.changed) + len(found.gone))


def _copies(items, dump):
    return {ref: None if item is None else dump(item) for ref, item in items.items()}


def read_payment_lines(store, source, profile, account_id, mapped, digest, *, incremental):
    """Payment lines of every payment document kind: all of them, or (incremental) those of the
    documents 1C changed and of counterparties mapped since the last run."""
    entities = {group: profile[f"{group}.entity"] for group in profile.payment_groups}
    seen = {entity: store.versions.seen(account_id, entity, digest) for entity in entities.values()}
    if incremental and None not in seen.values():
        found = {group: changes(seen[entity], scan_versions(source, entity,
                                                            payment_condition(profile, group)))
                 for group, entity in entities.items()}
        if sum(len(f.changed) for f in found.values()) <= MAX_FETCHED:
            return _fetch_changed(store, source, profile, account_id, mapped, seen, found)
    versions = {}
    lines = read_payments(source, profile, mapped, versions=versions)
    changed = sum(len(f.changed) + len(f.gone) for f in (
        changes(seen[entity] or {}, versions.get(entity, {})) for entity in entities.values()))
    return PaymentReading(lines, versions, changed)


def _fetch_changed(store, source, profile, account_id, mapped, seen, found):
    lines, documents, versions = [], set(), {}
    for group, diff in found.items():
        entity = profile[f"{group}.entity"]
        fetched = {}
        lines += read_payment_documents(source, profile, group, diff.changed, mapped,
                                        {entity: fetched})
        versions[entity] = dict({ref: version for ref, version in seen[entity].items()
                                 if ref not in diff.changed and ref not in diff.gone}, **fetched)
        documents |= diff.changed | diff.gone
    newly_mapped = mapped - set(store.mappings.current(account_id).values())
    if newly_mapped:
        earlier = [line for line in read_payments_of(source, profile, newly_mapped)
                   if line.document not in documents]
        lines += earlier
        documents |= {line.document for line in earlier}
    changed = sum(len(diff.changed) + len(diff.gone) for diff in found.values())
    return PaymentReading(lines, versions, changed, documents)
