"""Our clients matched to 1C counterparties by ИНН + КПП, and what is left unmatched on each side.

The rule, in order:
- a client an admin mapped by hand keeps that counterparty while it exists in 1C;
- a client without an INN cannot be matched;
- with a KPP, the counterparty with the same INN and KPP; failing that, one with the same INN and
  no KPP in 1C (a record someone left half-filled);
- without a KPP (a sole proprietor, or a KPP never entered here), the only counterparty with that
  INN; several (branches of one company) are ambiguous and left to a person;
- a counterparty claimed by several of our clients goes to none of them (an automatic match
  never guesses), unless exactly one claim is manual.
Folders and deletion-marked counterparties take no part.
"""
import re
from dataclasses import dataclass

from services.billing_sync.records import Record, as_guid

SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Counterparty:
    ref: str
    name: str
    inn: str
    kpp: str


def normalized(value):
    return SPACES.sub("", value or "").upper()


def parse_counterparty(data, profile):
    """A Counterparty, or None for a folder or a deletion-marked record."""
    record = Record(profile["counterparty.entity"], data)
    ref = record.key()
    folder = profile["counterparty.folder"]
    if folder and record.flag(folder) or record.flag("DeletionMark"):
        return None
    name = record.text(profile["counterparty.full_name"]) or record.text("Description")
    return Counterparty(ref, name, normalized(record.text(profile["counterparty.inn"])),
                        normalized(record.text(profile["counterparty.kpp"])))


@dataclass
class Matching:
    matched: list
    unmatched_clients: list
    unmatched_counterparties: list


def match(clients, counterparties):
    """`clients`: dicts with id, name, inn, kpp and optionally manual_ref (a counterparty Ref_Key an
    admin chose). Returns a Matching whose lists are sorted for stable reports."""
    by_ref = {c.ref: c for c in counterparties}
    by_inn = {}
    for counterparty in counterparties:
        if counterparty.inn:
            by_inn.setdefault(counterparty.inn, []).append(counterparty)
    claims, unmatched, ambiguous = {}, [], set()
    for client in clients:
        found, how, reason = _candidate(client, by_ref, by_inn)
        if reason:
            unmatched.append(_unmatched_client(client, reason, found))
            if reason == "several_counterparties":
                ambiguous.update(c.ref for c in found)
        else:
            claims.setdefault(found.ref, []).append((client, how))
    matched, contested = [], set()
    for ref, claimants in claims.items():
        manual = [c for c in claimants if c[1] == "manual"]
        winners = manual if manual else claimants
        if len(winners) == 1:
            client, how = winners[0]
            matched.append({"client_id": client["id"], "ref": ref, "how": how})
            losers = [c for c in claimants if c is not winners[0]]
        else:
            contested.add(ref)
            losers = claimants
        unmatched += [_unmatched_client(client, "several_clients", [by_ref[ref]])
                      for client, _ in losers]
    taken = {m["ref"] for m in matched}
    left = [{"ref": c.ref, "name": c.name, "inn": c.inn, "kpp": c.kpp,
             "reason": "several_clients" if c.ref in contested
             else "ambiguous" if c.ref in ambiguous else "no_client"}
            for c in counterparties if c.ref not in taken]
    return Matching(sorted(matched, key=lambda m: m["client_id"]),
                    sorted(unmatched, key=lambda u: u["client_id"]),
                    sorted(left, key=lambda c: (c["name"], c["ref"])))


def _candidate(client, by_ref, by_inn):
    """(counterparty or candidates, how, reason): reason is None when one counterparty fits."""
    manual = client.get("manual_ref")
    if manual:
        ref = as_guid(manual, "manual_ref")
        if ref in by_ref:
            return by_ref[ref], "manual", None
        return [], None, "manual_ref_gone"
    inn, kpp = normalized(client.get("inn")), normalized(client.get("kpp"))
    if not inn:
        return [], None, "no_inn"
    same_inn = by_inn.get(inn, [])
    if kpp:
        exact = [c for c in same_inn if c.kpp == kpp]
        pool, how = (exact, "inn_kpp") if exact else ([c for c in same_inn if not c.kpp], "inn")
    else:
        pool, how = same_inn, "inn"
    if len(pool) == 1:
        return pool[0], how, None
    return pool, None, "several_counterparties" if pool else "not_found"


def _unmatched_client(client, reason, candidates):
    return {"client_id": client["id"], "name": client.get("name"), "inn": client.get("inn"),
            "kpp": client.get("kpp"), "reason": reason,
            "candidates": sorted(c.ref for c in candidates)}
