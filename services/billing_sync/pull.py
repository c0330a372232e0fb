"""Reading what the sync needs from 1C through an AccountingSource, by the profile's names.

Each reader asks 1C for the rows that can matter (posted, not deleted, the right operation)
and leaves to the caller's sets what a URL cannot carry: 10,000 counterparty keys do not fit in a
filter, so contracts and payments are read whole (paged) and kept for mapped counterparties here.
Virtual tables take their period and condition as path parameters, as 1C requires.
"""
from services.billing_sync.adapters.odata_query import Guid, all_of, compare, eq, one_of, virtual_table
from services.billing_sync.counterparties import parse_counterparty
from services.billing_sync.payments import parse_balances, parse_contract, parse_payment
from services.billing_sync.prices import parse_named, parse_price, parse_service
from services.billing_sync.records import Record
from services.shared.errors import ValidationFailed


def read_counterparties(source, profile):
    fields = ["Ref_Key", "DeletionMark", "Description", profile["counterparty.inn"],
              profile["counterparty.kpp"], profile["counterparty.full_name"]]
    if profile["counterparty.folder"]:
        fields.append(profile["counterparty.folder"])
    found = (parse_counterparty(data, profile)
             for data in source.iterate(profile["counterparty.entity"], select=fields))
    return [c for c in found if c]


def read_contracts(source, profile, counterparty_refs):
    wanted = set(counterparty_refs)
    condition = all_of(eq("DeletionMark", False),
                       eq(profile["contract.kind"], profile["contract.kind_value"]))
    fields = ["Ref_Key", "DeletionMark", profile["contract.counterparty"], profile["contract.number"],
              profile["contract.date"], profile["contract.kind"], profile["contract.valid_until"],
              profile["contract.closed"]]
    found = (parse_contract(data, profile)
             for data in source.iterate(profile["contract.entity"], filter=condition, select=fields))
    return [c for c in found if c and c.counterparty in wanted]


def read_payments(source, profile, counterparty_refs, since=None):
    """Payment lines of mapped counterparties from every payment document kind the profile uses,
    dated `since` (a datetime in the infobase's time) or later; all of them without it."""
    wanted = set(counterparty_refs)
    lines = []
    for group in profile.payment_groups:
        conditions = [eq("Posted", True), eq("DeletionMark", False),
                      eq(profile[f"{group}.operation"], profile[f"{group}.operation_value"])]
        if since is not None:
            conditions.append(compare("Date", "ge", since))
        fields = ["Ref_Key", "Date", "Posted", "DeletionMark", profile[f"{group}.operation"],
                  profile[f"{group}.counterparty"], profile[f"{group}.amount"], profile[f"{group}.rows"]]
        for data in source.iterate(profile[f"{group}.entity"], filter=all_of(*conditions),
                                   select=fields):
            lines += [line for line in parse_payment(data, profile, group)
                      if line.counterparty in wanted]
    return lines


def read_balances(source, profile, at):
    """{contract ref: settlement balance} at the moment `at` (what happened before it)."""
    register = profile["settlement.register"]
    accounts, condition = None, None
    if profile.settles_on_accounts:
        accounts = read_accounts(source, profile)
        condition = one_of(profile["settlement.account"], sorted(Guid(a) for a in accounts))
    parameters = {"Period": at}
    if condition:
        parameters["Condition"] = condition
    # Paging needs a total order: a БП contract has a row per account, so the account joins in.
    order = [profile["settlement.contract"], profile["settlement.counterparty"]]
    if profile.settles_on_accounts:
        order.append(profile["settlement.account"])
    rows = source.iterate(virtual_table(register, "Balance", **parameters), orderby=",".join(order))
    return parse_balances(rows, profile, accounts)


def read_accounts(source, profile):
    """Ref_Keys of the settlement accounts (62.01, 62.02 by default) in the chart of accounts."""
    codes = [code.strip() for code in profile["settlement.accounts"].split(",")]
    chart = profile["settlement.accounts_chart"]
    found = {}
    for data in source.read(chart, filter=one_of("Code", codes), select=["Ref_Key", "Code"]):
        record = Record(chart, data)
        found[record.text("Code")] = record.key()
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationFailed.from_fields({"mapping.settlement.accounts": [
            f"No account {', '.join(missing)} in {chart}."]})
    return set(found.values())


def read_services(source, profile):
    fields = ["Ref_Key", "Code", "Description", "DeletionMark", profile["nomenclature.service"],
              profile["nomenclature.unit"]]
    fields += [profile[key] for key in ("nomenclature.article", "nomenclature.folder") if profile[key]]
    found = (parse_service(data, profile)
             for data in source.iterate(profile["nomenclature.entity"], select=fields))
    return [s for s in found if s]


def read_catalog_names(source, entity):
    """{Ref_Key: Description} of a small catalog (units, price types)."""
    return dict(parse_named(data, entity)
                for data in source.iterate(entity, select=["Ref_Key", "Description"]))


def read_units(source, profile):
    return read_catalog_names(source, profile["unit.entity"]) if profile.uses("unit") else {}


def read_price_types(source, profile):
    return read_catalog_names(source, profile["price_type.entity"])


def read_prices(source, profile, at, price_types):
    """The prices in effect at `at` (SliceLast) for the given price type Ref_Keys."""
    resource = virtual_table(profile["price.register"], "SliceLast", Period=at,
                             Condition=one_of(profile["price.price_type"],
                                              sorted(Guid(t) for t in price_types)))
    rows = source.iterate(resource, orderby=f"{profile['price.nomenclature']},{profile['price.price_type']}")
    found = (parse_price(data, profile, number) for number, data in enumerate(rows, start=1))
    return [p for p in found if p]
