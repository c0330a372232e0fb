"""Reading what the sync needs from 1C through an AccountingSource, by the profile's names.

Each reader asks 1C for the rows that can matter (posted, not deleted, the right operation)
and leaves to the caller's sets what a URL cannot carry: 10,000 counterparty keys do not fit in a
filter, so contracts and payments are read whole (paged) and the caller keeps those of mapped
counterparties.
Virtual tables take their period and condition as path parameters, as 1C requires.

Readers given a `versions` dict note each object's DataVersion in it ({ref: version}), which the
next run compares (data_versions.py); given `refs`, they fetch only those objects.
"""
from services.billing_sync.adapters.odata_query import (Guid, all_of, batches, eq, one_of,
                                                        virtual_table)
from services.billing_sync.counterparties import parse_counterparty
from services.billing_sync.payments import (parse_balances, parse_contract, parse_payment,
                                            parse_settlement_object)
from services.billing_sync.prices import parse_named, parse_price, parse_service
from services.billing_sync.records import Record
from services.shared.errors import ValidationFailed


# Lists of Ref_Key and DataVersion are small rows: large pages keep their requests few.
SCAN_PAGE = 5000
# A balance is read in one request: pages of a virtual table can shift between requests (1C
# computes it anew for each) and would skip or repeat rows with no error. Past this many rows the
# run fails naming the register rather than read a balance it cannot trust.
BALANCE_LIMIT = 200_000


def noting_versions(entity, rows, versions):
    """`rows` as they come, with each object's DataVersion noted in `versions` (when given)."""
    for data in rows:
        if versions is not None:
            record = Record(entity, data)
            versions[record.key()] = record.text("DataVersion")
        yield data


def versioned(fields, versions):
    return fields + ["DataVersion"] if versions is not None else fields


def scan_versions(source, entity, condition=None):
    """{Ref_Key: DataVersion} of every object of `entity` meeting `condition`."""
    versions = {}
    for _ in noting_versions(entity, source.iterate(entity, filter=condition,
                                                    select=["Ref_Key", "DataVersion"],
                                                    page_size=SCAN_PAGE), versions):
        pass
    return versions


def _rows(source, entity, condition, fields, versions, refs=None):
    """Objects of `entity` meeting `condition` (only `refs`, a batch a request, when given)."""
    select = versioned(fields, versions)
    if refs is None:
        rows = source.iterate(entity, filter=condition, select=select)
    else:
        def by_refs(batch):
            return all_of(condition, one_of("Ref_Key", (Guid(r) for r in batch)))
        # One page answers a batch: a page exactly full would cost a request asking for more.
        rows = (data for batch in batches(sorted(refs), lambda batch: source.fits(
                    entity, filter=by_refs(batch), select=select))
                for data in source.iterate(entity, filter=by_refs(batch), select=select,
                                           page_size=len(batch) + 1))
    return noting_versions(entity, rows, versions)


def catalog_query(profile, key):
    """(entity, condition, fields, parse) of the catalog read as `key`: counterparty, contract
    or nomenclature."""
    if key == "counterparty":
        fields = ["Ref_Key", "DeletionMark", "Description", profile["counterparty.inn"],
                  profile["counterparty.kpp"], profile["counterparty.full_name"]]
        condition, parse = None, parse_counterparty
    elif key == "contract":
        fields = ["Ref_Key", "DeletionMark", profile["contract.counterparty"],
                  profile["contract.number"], profile["contract.date"], profile["contract.kind"],
                  profile["contract.valid_until"], profile["contract.closed"]]
        condition = all_of(eq("DeletionMark", False),
                           eq(profile["contract.kind"], profile["contract.kind_value"]))
        parse = parse_contract
    else:
        fields = ["Ref_Key", "Code", "Description", "DeletionMark", profile["nomenclature.service"],
                  profile["nomenclature.unit"]]
        fields += [profile["nomenclature.article"]] if profile["nomenclature.article"] else []
        condition, parse = None, parse_service
    folder = profile.get(f"{key}.folder")
    return profile[f"{key}.entity"], condition, fields + ([folder] if folder else []), parse


def catalog_items(source, profile, key, versions=None, refs=None):
    """{Ref_Key: the parsed item, or None for one that takes no part (a folder, deleted, goods)}
    of the catalog `key`; only `refs` when given."""
    entity, condition, fields, parse = catalog_query(profile, key)
    return {Record(entity, data).key(): parse(data, profile)
            for data in _rows(source, entity, condition, fields, versions, refs)}


def payment_condition(profile, group):
    """Posted, not deleted, a customer payment: what counts as a payment document."""
    return all_of(eq("Posted", True), eq("DeletionMark", False),
                  eq(profile[f"{group}.operation"], profile[f"{group}.operation_value"]))


def payment_documents(source, profile, group, versions=None, refs=None):
    """{Ref_Key: its payment lines} of the customer payments of `group` (only `refs` when given),
    whoever the counterparty."""
    entity = profile[f"{group}.entity"]
    fields = ["Ref_Key", "Date", "Posted", "DeletionMark", profile[f"{group}.operation"],
              profile[f"{group}.counterparty"], profile[f"{group}.amount"], profile[f"{group}.rows"]]
    return {Record(entity, data).key(): parse_payment(data, profile, group)
            for data in _rows(source, entity, payment_condition(profile, group), fields,
                              versions, refs)}


def read_balances(source, profile, at):
    """{contract (УТ 11.5: settlement object) ref: settlement balance} at the moment `at` (what
    happened before it), read whole in one request."""
    register = profile["settlement.register"]
    accounts, condition = None, None
    if profile.settles_on_accounts:
        accounts = read_accounts(source, profile)
        condition = one_of(profile["settlement.account"], sorted(Guid(a) for a in accounts))
    parameters = {"Period": at}
    if condition:
        parameters["Condition"] = condition
    rows = source.read(virtual_table(register, "Balance", **parameters), top=BALANCE_LIMIT + 1)
    if len(rows) > BALANCE_LIMIT:
        raise ValidationFailed.from_fields({f"{register}_Balance": [
            f"More than {BALANCE_LIMIT:,} balance rows: a balance is read whole to be consistent; "
            "close old settlements in 1C or ask for a larger limit."]})
    return parse_balances(rows, profile, accounts)


def read_settlement_objects(source, profile):
    """{settlement object Ref_Key: the contract it stands for} (УТ 11.5); {} when the profile's
    payments and settlements name contracts directly."""
    if not profile.uses("settlement_object"):
        return {}
    entity, field = profile["settlement_object.entity"], profile["settlement_object.object"]
    found = (parse_settlement_object(data, profile) for data in source.iterate(
        entity, select=["Ref_Key", field, f"{field}_Type"], page_size=SCAN_PAGE))
    return {ref: contract for ref, contract in found if contract}


def read_accounts(source, profile):
    """Ref_Keys of the settlement accounts (62.01, 62.02 by default) in the chart of accounts."""
    codes = [code.strip() for code in profile["settlement.accounts"].split(",")]
    found = read_accounts_by_code(source, profile, codes)
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationFailed.from_fields({"mapping.settlement.accounts": [
            f"No account {', '.join(missing)} in {profile['settlement.accounts_chart']}."]})
    return set(found.values())


def read_accounts_by_code(source, profile, codes):
    """{code: Ref_Key} of the accounts with these codes that the chart of accounts has."""
    chart = profile["settlement.accounts_chart"]
    found = {}
    for data in source.read(chart, filter=one_of("Code", codes), select=["Ref_Key", "Code"]):
        record = Record(chart, data)
        found[record.text("Code")] = record.key()
    return found


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
