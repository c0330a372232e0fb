"""One pull from 1C: match clients, read contracts, payments, balances and prices, then apply.

Everything is read before anything is written. 1C failing on the third page, or a record 1C sends
malformed, therefore leaves no trace but the failed run. Writes are per entity and keyed by 1C's
Ref_Key (mappings by client, states by contract, payment lines by document and row, the price list
by account), each idempotent: a run that dies while writing is completed by the next one, and a
re-run changes nothing 1C did not change.

Payments are most of what 1C holds. A full run reads them all; an incremental one lists their
`Ref_Key, DataVersion` and fetches only the documents 1C added or changed since the last run (an
old payment re-posted with another amount included), drops the lines of those it no longer lists
(unposted, deleted), and reads the earlier payments of counterparties mapped since. Catalogs are
read whole either way: matching needs every counterparty, and a list of versions would take as
many pages; their versions still tell the run history what 1C changed.

`directory` is our side (the tickets service): `clients()` lists the account's clients with their
INN, KPP and stored `onec_ref`; `set_refs({client_id: ref or None})` stores 1C's Ref_Key on them.
"""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from services.billing_sync.connections import profile_of
from services.billing_sync.counterparties import match
from services.billing_sync.payments import balance_moments, contract_states
from services.billing_sync.prices import price_list, resolve_price_types
from services.billing_sync.pull import (payment_condition, read_balances, read_contracts,
                                        read_counterparties, read_payment_documents,
                                        read_payments, read_payments_of, read_price_types,
                                        read_prices, read_services, read_units, scan_versions)
from services.billing_sync.versions import changes, mapping_digest

# Fetching changed documents by Ref_Key costs a request per 30; past this many a whole read is
# cheaper.
MAX_FETCHED = 3000


@dataclass
class Outcome:
    counts: dict
    # (store part, document id, outbox entries) for the entrypoint to publish
    announcements: list = field(default_factory=list)


@dataclass
class Reading:
    clients: list
    matching: object
    contracts: list
    lines: list
    balances_now: dict
    balances_then: dict
    prices: object
    # Document Ref_Keys whose stored lines `lines` replace; None when `lines` are all there are.
    documents: object
    versions: dict  # {entity: {ref: DataVersion}} to store once applied
    changed_in_1c: dict  # {what: objects 1C added, changed or dropped since the last run}


@dataclass
class PaymentReading:
    lines: list
    documents: object
    versions: dict
    changed: int


def pull(store, source, connection, directory, run_id, *, today, incremental=False):
    """Run one sync of `connection`; an incremental one fetches only the payments 1C changed."""
    reading = read_everything(store, source, connection, directory, today=today,
                              incremental=incremental)
    return apply(store, connection, directory, reading, run_id, today=today)


def read_everything(store, source, connection, directory, *, today, incremental=False):
    profile = profile_of(connection)
    account_id = connection["account_id"]
    digest = mapping_digest(profile)
    manual = store.mappings.manual_refs(account_id)
    clients = [dict(c, manual_ref=manual.get(c["id"])) for c in directory.clients()]
    versions = {profile["counterparty.entity"]: {}, profile["contract.entity"]: {}}
    matching = match(clients, read_counterparties(source, profile,
                                                  versions[profile["counterparty.entity"]]))
    mapped = {m["ref"] for m in matching.matched}
    contracts = read_contracts(source, profile, mapped, versions[profile["contract.entity"]])
    payments = read_payment_lines(store, source, profile, account_id, mapped, digest,
                                  incremental=incremental)
    versions.update(payments.versions)
    now, then = balance_moments(today, connection.get("grace_days") or 30)
    balances_now, balances_then = read_balances(source, profile, now), read_balances(source, profile, then)
    prices = None
    if connection.get("price_types"):
        versions[profile["nomenclature.entity"]] = {}
        prices = read_price_list(source, profile, connection["price_types"], today,
                                 versions[profile["nomenclature.entity"]])
    changed = {what: _changed_count(store, account_id, digest, profile[f"{key}.entity"], versions)
               for what, key in (("counterparties", "counterparty"), ("contracts", "contract"),
                                 ("services", "nomenclature"))
               if profile[f"{key}.entity"] in versions}
    changed["payments"] = payments.changed
    return Reading(clients, matching, contracts, payments.lines, balances_now, balances_then,
                   prices, payments.documents, versions, changed)


def _changed_count(store, account_id, digest, entity, versions):
    found = changes(store.versions.seen(account_id, entity, digest) or {}, versions[entity])
    return len(found.changed) + len(found.gone)


def read_payment_lines(store, source, profile, account_id, mapped, digest, *, incremental):
    """All payment lines, or (incremental, with versions stored) those of the documents 1C
    changed and of counterparties mapped since the last run."""
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
    changed = sum(_changed_count(store, account_id, digest, entity, versions)
                  for entity in entities.values())
    return PaymentReading(lines, None, versions, changed)


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
    return PaymentReading(lines, documents, versions, changed)


def read_price_list(source, profile, choice, today, versions=None):
    default, categories = resolve_price_types(choice, read_price_types(source, profile))
    moment = datetime.combine(today + timedelta(days=1), time())
    prices = read_prices(source, profile, moment, {default, *categories.values()})
    return price_list(read_services(source, profile, versions), prices, read_units(source, profile),
                      default_type=default, category_types=categories)


def apply(store, connection, directory, reading, run_id, *, today):
    account_id = connection["account_id"]
    matching = reading.matching
    client_of = {m["ref"]: m["client_id"] for m in matching.matched}
    ref_of = {client_id: ref for ref, client_id in client_of.items()}
    # Lines before mappings: a run cut short in between reads a newly mapped counterparty's
    # earlier payments again, as it is still new to the stored mappings.
    if reading.documents is None:
        store.payments.apply(account_id, reading.lines, client_of)
        lines = reading.lines
    else:
        # The documents 1C changed replace theirs among the lines earlier runs stored.
        store.payments.replace(account_id, reading.documents, reading.lines, client_of)
        lines = store.payments.known(account_id)
    store.mappings.apply(account_id, matching.matched, [c["id"] for c in reading.clients])
    changed_refs = {c["id"]: ref_of.get(c["id"]) for c in reading.clients
                    if c.get("onec_ref") != ref_of.get(c["id"])}
    if changed_refs:
        directory.set_refs(changed_refs)
    store.mappings.save_report(account_id, matching, run_id)

    states = contract_states(reading.contracts, lines,
                             reading.balances_now, reading.balances_then, today=today,
                             grace_days=connection.get("grace_days") or 30)
    outcome = Outcome(counts={})
    changed = 0
    for doc_id, entries in store.contracts.apply(account_id, [
            (contract, client_of[contract.counterparty], states[contract.ref])
            for contract in reading.contracts]):
        changed += 1
        outcome.announcements.append(("contracts", doc_id, entries))
    price_items = 0
    if reading.prices is not None:
        price_items = len(reading.prices["items"])
        doc_id, entries = store.prices.apply(account_id, reading.prices)
        if entries:
            outcome.announcements.append(("prices", doc_id, entries))
    outcome.counts = {
        "clients": len(reading.clients), "matched": len(matching.matched),
        "unmatched_clients": len(matching.unmatched_clients),
        "unmatched_counterparties": len(matching.unmatched_counterparties),
        "refs_changed": len(changed_refs), "contracts": len(reading.contracts),
        "contracts_changed": changed, "payment_lines": len(reading.lines),
        "price_items": price_items,
        "without_price": len(reading.prices["without_price"]) if reading.prices else 0,
        "changed_in_1c": reading.changed_in_1c}
    # Last: versions stored before what they stand for would make the next run skip it.
    digest = mapping_digest(profile_of(connection))
    for entity, versions in reading.versions.items():
        store.versions.save(account_id, entity, digest, versions)
    return outcome
