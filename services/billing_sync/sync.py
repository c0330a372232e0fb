"""One pull from 1C: match clients, read contracts, payments, balances and prices, then apply.

Everything is read before anything is written. 1C failing on the third page, or a record 1C sends
malformed, therefore leaves no trace but the failed run. Writes are per entity and keyed by 1C's
Ref_Key (mappings by client, states by contract, payment lines by document and row, the price list
by account), each idempotent: a run that dies while writing is completed by the next one, and a
re-run changes nothing 1C did not change.

A full run reads every catalog item and payment; an incremental one fetches only what 1C changed
since the last run, by DataVersion (incremental_reads.py). Balances and prices are registers read
through virtual tables, which carry no versions: every run reads them.

`directory` is our side (the tickets service): `clients()` lists the account's clients with their
INN, KPP and stored `onec_ref`; `set_refs({client_id: ref or None})` stores 1C's Ref_Key on them.
"""
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from services.billing_sync.connections import profile_of
from services.billing_sync.counterparties import match
from services.billing_sync.payments import balance_moments, contract_states, relink
from services.billing_sync.prices import price_list, resolve_price_types
from services.billing_sync.pull import (read_balances, read_price_types, read_prices,
                                        read_settlement_objects, read_units)
from services.billing_sync.incremental_reads import read_catalog, read_payment_documents
from services.billing_sync.data_versions import mapping_digest


# How the run history names what 1C changed
WHAT = {"counterparty": "counterparties", "contract": "contracts", "nomenclature": "services"}


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
    # Payment documents 1C changed since the last run, the only ones whose stored lines can
    # differ from `lines`; None when any may (a whole read, a mapping that changed).
    documents: object
    versions: dict  # {entity: ({ref: DataVersion}, {ref: copy})} to store once applied
    changed_in_1c: dict  # {what: objects 1C added, changed or dropped since the last run}


def pull(store, source, connection, directory, run_id, *, today, incremental=False,
         progress=None):
    """Run one sync of `connection`; an incremental one fetches only what 1C changed.
    `progress()` is called between reading and applying (a run renews its lease there)."""
    reading = read_everything(store, source, connection, directory, today=today,
                              incremental=incremental)
    if progress is not None:
        progress()
    return apply(store, connection, directory, reading, run_id, today=today)


def read_everything(store, source, connection, directory, *, today, incremental=False):
    profile = profile_of(connection)
    account_id = connection["account_id"]
    digest = mapping_digest(profile)
    readings = {}

    def catalog(key):
        readings[key] = read_catalog(store, source, profile, key, account_id, digest,
                                     incremental=incremental)
        return [item for item in readings[key].items.values() if item]

    manual = store.mappings.manual_refs(account_id)
    clients = [dict(c, manual_ref=manual.get(c["id"])) for c in directory.clients()]
    matching = match(clients, catalog("counterparty"))
    mapped = {m["ref"] for m in matching.matched}
    contracts = [c for c in catalog("contract") if c.counterparty in mapped]
    payments = [read_payment_documents(store, source, profile, group, account_id, digest,
                                       incremental=incremental)
                for group in profile.payment_groups]
    lines = [line for reading in payments for found in reading.items.values() for line in found
             if line.counterparty in mapped]
    now, then = balance_moments(today, connection.get("grace_days") or 30)
    balances_now, balances_then = read_balances(source, profile, now), read_balances(source, profile, then)
    if profile.uses("settlement_object"):
        objects = read_settlement_objects(source, profile)
        lines, balances_now = relink(lines, balances_now, objects)
        _, balances_then = relink([], balances_then, objects)
    documents = None
    mapping_kept = store.mappings.current(account_id) == {
        m["client_id"]: m["ref"] for m in matching.matched}
    if mapping_kept and all(r.touched is not None for r in payments):
        documents = set().union(*(r.touched for r in payments))
    prices = None
    if connection.get("price_types"):
        prices = read_price_list(source, profile, connection["price_types"], today,
                                 catalog("nomenclature"))
    versions = {r.entity: (r.versions, r.copies) for r in [*readings.values(), *payments]}
    changed = {WHAT[key]: r.changed for key, r in readings.items()}
    changed["payments"] = sum(r.changed for r in payments)
    return Reading(clients, matching, contracts, lines, balances_now, balances_then, prices,
                   documents, versions, changed)


def read_price_list(source, profile, choice, today, services):
    default, categories = resolve_price_types(choice, read_price_types(source, profile))
    moment = datetime.combine(today + timedelta(days=1), time())
    prices = read_prices(source, profile, moment, {default, *categories.values()})
    return price_list(services, prices, read_units(source, profile),
                      default_type=default, category_types=categories)


def apply(store, connection, directory, reading, run_id, *, today):
    account_id = connection["account_id"]
    matching = reading.matching
    client_of = {m["ref"]: m["client_id"] for m in matching.matched}
    ref_of = {client_id: ref for ref, client_id in client_of.items()}
    store.payments.apply(account_id, reading.lines, client_of, documents=reading.documents)
    store.mappings.apply(account_id, matching.matched, [c["id"] for c in reading.clients])
    changed_refs = {c["id"]: ref_of.get(c["id"]) for c in reading.clients
                    if c.get("onec_ref") != ref_of.get(c["id"])}
    if changed_refs:
        directory.set_refs(changed_refs)
    store.mappings.save_report(account_id, matching, run_id)

    states = contract_states(reading.contracts, reading.lines,
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
    for entity, (versions, copies) in reading.versions.items():
        store.versions.save(account_id, entity, digest, versions, copies)
    return outcome
