"""Reading from 1C only what it changed since the last run, by DataVersion (data_versions.py, store/versions.py).

A full run reads catalogs and payments whole and notes every object's version. An incremental
run, once versions are stored, lists `Ref_Key, DataVersion` of each entity (a few large pages of
small rows), fetches by Ref_Key only the objects 1C added or changed (a batch a request: an old
payment re-posted with another amount among them), forgets those it no longer lists (unposted,
deleted, no longer a customer contract), and takes the rest from a compact copy of each object as
the last run parsed it, kept beside its version. Matching needs every counterparty and the
payment-state rule every payment, so the copies spare 1C without sparing the rule anything; and
payments are copied whoever the counterparty, so one mapped later brings its earlier payments.

Versions and copies read under another mapping, or missing, mean a whole read; so do more
changes than fetching by Ref_Key pays for.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.billing_sync.counterparties import Counterparty
from services.billing_sync.payments import Contract, PaymentLine
from services.billing_sync.prices import Service
from services.billing_sync.pull import (catalog_items, catalog_query, payment_condition,
                                        payment_documents, scan_versions)
from services.billing_sync.data_versions import changes

# Fetching by Ref_Key costs a request per 15 to 25 objects (as many as fit a query string);
# past this many a whole read is cheaper.
MAX_FETCHED = 3000


def _day(value):
    return value.isoformat() if value else None


def _date(text):
    return date.fromisoformat(text) if text else None


# What is kept of an object between runs, and how it comes back.
COPIES = {
    "counterparty": (lambda c: [c.name, c.inn, c.kpp], lambda ref, v: Counterparty(ref, *v)),
    "contract": (lambda c: [c.counterparty, c.number, _day(c.signed_on), _day(c.valid_until),
                            c.closed],
                 lambda ref, v: Contract(ref, v[0], v[1], _date(v[2]), _date(v[3]), v[4])),
    "nomenclature": (lambda s: [s.code, s.name, s.article, s.unit],
                     lambda ref, v: Service(ref, *v)),
    "payment": (lambda lines: [[x.counterparty, x.contract, x.paid_on.isoformat(), str(x.amount)]
                               for x in lines],
                lambda ref, v: [PaymentLine(ref, x[0], x[1], _date(x[2]), Decimal(x[3]))
                                for x in v]),
}


@dataclass
class EntityReading:
    entity: str
    items: dict     # {ref: the parsed object, or None for one that takes no part}
    versions: dict  # {ref: DataVersion} to store once applied
    copies: dict    # {ref: what is kept of the object}
    changed: int    # objects 1C added, changed or dropped since the last run
    touched: object  # those refs when read in part; None when read whole


def read_versioned(store, source, account_id, digest, *, entity, condition, read, copy,
                   incremental):
    """`read(versions, refs=None)` reads the entity's objects as {ref: parsed}, noting versions."""
    dump, load = copy
    kept = store.versions.seen(account_id, entity, digest, with_copies=True)
    seen = kept[0] if kept else {}
    if incremental and kept is not None:
        copies = kept[1]
        found = changes(seen, scan_versions(source, entity, condition))
        if len(found.changed) <= MAX_FETCHED:
            fetched = {}
            items = read(fetched, refs=found.changed)
            versions = {ref: version for ref, version in seen.items()
                        if ref not in found.gone and ref not in found.changed}
            items.update({ref: None if copies.get(ref) is None else load(ref, copies[ref])
                          for ref in versions})
            versions.update(fetched)
            return EntityReading(entity, items, versions, _copies(items, dump),
                                 len(found.changed) + len(found.gone), found.changed | found.gone)
    versions = {}
    items = read(versions)
    found = changes(seen, versions)
    return EntityReading(entity, items, versions, _copies(items, dump),
                         len(found.changed) + len(found.gone), None)


def _copies(items, dump):
    return {ref: None if item is None else dump(item) for ref, item in items.items()}


def read_catalog(store, source, profile, key, account_id, digest, *, incremental):
    """The catalog `key` (counterparty, contract, nomenclature) as an EntityReading."""
    entity, condition, _, _ = catalog_query(profile, key)
    return read_versioned(
        store, source, account_id, digest, entity=entity, condition=condition,
        read=lambda versions, refs=None: catalog_items(source, profile, key, versions, refs),
        copy=COPIES[key], incremental=incremental)


def read_payment_documents(store, source, profile, group, account_id, digest, *, incremental):
    """The payment documents of `group` as an EntityReading whose items are their lines."""
    return read_versioned(
        store, source, account_id, digest, entity=profile[f"{group}.entity"],
        condition=payment_condition(profile, group),
        read=lambda versions, refs=None: payment_documents(source, profile, group, versions, refs),
        copy=COPIES["payment"], incremental=incremental)
