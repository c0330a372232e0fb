"""A closed ticket's paid works as a 1C service sale that 1C can post: built from the works and
the connection's sale settings, found again by its idempotency key, created once, then posted.

The key (stored on the export job before 1C is ever called) is written into the document's
`Комментарий`; before creating, 1C is asked for a sale carrying it. A try that created the
document and then lost the answer (timeout, crash) therefore finds it on the retry instead of
creating a second one. The Ref_Key 1C answered is also stored at once, so a retry that only
failed to post goes straight to posting.

OData fills nothing a form would, and posting runs the configuration's checks: the document
carries every header and row field its profile's sale needs (БП: currency, exchange rate,
settlement and advance accounts, per row the income, expense and VAT accounts and the
nomenclature group; УТ: partner, currency, taxation, packages, amount with VAT, the VAT rate's
catalog item), from the connection's settings, which `resolve_settings` checks against 1C (also
at connection check). A sale 1C refuses to post is `PostingRefused`, with 1C's own message.

Every property name written comes from the profile's `sale.*` mapping keys (profiles.py).
"""
from decimal import Decimal

from services.billing_sync.adapters.base import OneCRejected, OneCServerError
from services.billing_sync.adapters.odata_query import Guid, batches, eq, one_of
from services.billing_sync.pull import read_accounts_by_code
from services.billing_sync.records import Record, as_guid
from services.billing_sync.vat import rate_in_force, vat_included
from services.shared.errors import ValidationFailed

EMPTY_REF = "00000000-0000-0000-0000-000000000000"
DEFAULT_ACCOUNTS = {"receivable": "62.01", "advances": "62.02", "income": "90.01.1",
                    "expenses": "90.02.1", "vat": "90.03"}
DEFAULT_TAXATION = "ПродажаОблагаетсяНДС"
# 1C answers a posting its checks refuse with 500 and its messages; 4xx is a request it refuses.
POSTING_REFUSED = (400, 404, 500)
# Header properties the push writes besides the ones every profile has (profile key -> value).
FIXED = {"sale.exchange_rate": 1, "sale.exchange_multiplier": 1,
         "sale.advance_offset": "Автоматически", "sale.vat_included": True}


class PostingRefused(Exception):
    """1C created the sale but refused to post it; `message` is 1C's own."""

    def __init__(self, number, error):
        self.message = error.message or error.detail
        self.detail = f"1C refused to post sale {number}: {self.message}"
        super().__init__(self.detail)


def comment(ticket, key):
    return f"Заявка №{ticket['number']} [{key}]"


def _exists(source, entity, ref):
    return bool(source.read(entity, filter=eq("Ref_Key", Guid(ref)), select=["Ref_Key"]))


def resolve_settings(source, profile, settings):
    """({what: Ref_Key} the sale needs from the connection's settings, {settings field: [why]})
    for what 1C does not have or the admin did not set."""
    settings = settings or {}
    refs, problems = {}, {}
    needed = [("organisation_ref", "organisation"), ("currency_ref", "currency")]
    if profile.get("sale.row_subconto"):
        needed.append(("nomenclature_group_ref", "nomenclature_group"))
    for field, group in needed:
        value = settings.get(field)
        entity = profile[f"{group}.entity"]
        if not value:
            problems[f"sale.{field}"] = [f"Required: the Ref_Key of a {entity} item."]
        elif not _exists(source, entity, value):
            problems[f"sale.{field}"] = [f"1C has no {entity}(guid'{value}')."]
        else:
            refs[group] = value
    if profile.get("sale.receivable_account"):
        codes = dict(DEFAULT_ACCOUNTS, **(settings.get("accounts") or {}))
        found = read_accounts_by_code(source, profile, sorted(set(codes.values())))
        for name, code in codes.items():
            if code in found:
                refs[f"account.{name}"] = found[code]
            else:
                problems[f"sale.accounts.{name}"] = [
                    f"No account {code} in {profile['settlement.accounts_chart']}."]
    if profile.uses("vat_rate"):
        refs["vat"] = vat_catalog(source, profile)
    return refs, problems


def vat_catalog(source, profile):
    """{rate enumeration value: Ref_Key} of the VAT rate catalog (УТ 11.5)."""
    entity, field = profile["vat_rate.entity"], profile["vat_rate.value"]
    found = {}
    for data in source.iterate(entity, select=["Ref_Key", "DeletionMark", field]):
        record = Record(entity, data)
        if not record.flag("DeletionMark") and record.text(field):
            found.setdefault(record.text(field), record.key())
    return found


def item_vat(source, profile, works, catalog=None):
    """{service Ref_Key: its VAT as 1C's value names it (a kind or a rate)} for the works'
    services that carry one; a УТ 11.5 catalog reference becomes its item's rate."""
    field = profile["nomenclature.vat_rate"]
    refs = sorted({as_guid(work["onec_ref"], f"works[{number}].onec_ref")
                   for number, work in enumerate(works, start=1) if work.get("onec_ref")})
    if not field or not refs:
        return {}
    entity = profile["nomenclature.entity"]
    rate_of = {ref: rate for rate, ref in (catalog or {}).items()}
    found = {}
    for batch in batches(refs, lambda batch: source.fits(
            entity, filter=one_of("Ref_Key", batch), select=["Ref_Key", field])):
        for data in source.read(entity, filter=one_of("Ref_Key", batch), select=["Ref_Key", field]):
            record = Record(entity, data)
            value = record.ref(field) if profile.uses("vat_rate") else record.text(field)
            if value:
                found[record.key()] = rate_of.get(value, value) if profile.uses("vat_rate") else value
    return found


def rows(profile, ticket, settings, today, refs, vat=None):
    """Sale rows from the ticket's works; every work must name a service 1C knows. A row's VAT is
    the rate in force on `today` for its service's own VAT in 1C (`vat`), else for the
    connection's `vat_rate`."""
    found, problems = [], {}
    default = settings.get("vat_rate") or "БезНДС"
    for number, work in enumerate(ticket["works"], start=1):
        if not work.get("onec_ref"):
            problems[f"works[{number}].code"] = [
                f"The price item '{work['code']}' did not come from 1C: 1C has no service to sell."]
            continue
        value = (vat or {}).get(work["onec_ref"]) or default
        rate = rate_in_force(value, today)
        if rate is None:
            problems[f"works[{number}].vat_rate"] = [
                f"1C gives the service '{work['code']}' the VAT {value!r}, which is neither a "
                "known kind nor a known rate: correct it in 1C or map nomenclature.vat_rate."]
            continue
        written = rate
        if profile.uses("vat_rate"):
            written = refs["vat"].get(rate)
            if written is None:
                problems[f"works[{number}].vat_rate"] = [
                    f"1C's {profile['vat_rate.entity']} has no item for {rate}: add it in 1C."]
                continue
        amount = Decimal(work["amount"]["amount"])
        row = {"LineNumber": number, profile["sale.row_service"]: work["onec_ref"],
               profile["sale.row_content"]: work["name"],
               profile["sale.row_quantity"]: Decimal(work["quantity"]),
               profile["sale.row_price"]: Decimal(work["unit_price"]["amount"]),
               profile["sale.row_amount"]: amount, profile["sale.row_vat_rate"]: written,
               profile["sale.row_vat_amount"]: vat_included(amount, rate)}
        optional = {"sale.row_packages": row[profile["sale.row_quantity"]],
                    "sale.row_amount_with_vat": amount,
                    "sale.row_income_account": refs.get("account.income"),
                    "sale.row_expense_account": refs.get("account.expenses"),
                    "sale.row_vat_account": refs.get("account.vat"),
                    "sale.row_subconto": refs.get("nomenclature_group")}
        row.update({profile[key]: value for key, value in optional.items() if profile.get(key)})
        if profile.get("sale.row_subconto"):
            row[f"{profile['sale.row_subconto']}_Type"] = \
                f"StandardODATA.{profile['nomenclature_group.entity']}"
        found.append(row)
    if problems:
        raise ValidationFailed.from_fields(problems)
    return found


HEADER = ("operation", "organisation", "counterparty", "contract", "currency", "amount", "comment",
          "rows", "partner", "taxation", "receivable_account", "advances_account",
          *(key.partition(".")[2] for key in FIXED))


def check_settings(profile, settings):
    """Refuse `sale.fields` naming a header property the push writes itself: one would silently
    overwrite the other."""
    written = {profile[f"sale.{item}"]: f"mapping key sale.{item}" for item in HEADER
               if profile.get(f"sale.{item}")}
    written["Date"] = "the document's date"
    problems = {f"sale.fields.{name}": [f"Written by the push itself ({written[name]})."]
                for name in (settings or {}).get("fields") or {} if name in written}
    if problems:
        raise ValidationFailed.from_fields(problems)


def document(profile, ticket, key, *, parties, settings, today, refs, vat=None):
    """The sale's body: `parties` are the counterparty, its partner (УТ) and the contract."""
    settings = settings or {}
    lines = rows(profile, ticket, settings, today, refs, vat)
    values = dict(FIXED, **{
        "sale.operation": profile["sale.operation_value"],
        "sale.organisation": refs["organisation"], "sale.currency": refs["currency"],
        "sale.counterparty": parties["counterparty"],
        "sale.contract": parties.get("contract") or EMPTY_REF,
        "sale.partner": parties.get("partner") or EMPTY_REF,
        "sale.taxation": settings.get("taxation") or DEFAULT_TAXATION,
        "sale.receivable_account": refs.get("account.receivable"),
        "sale.advances_account": refs.get("account.advances"),
        "sale.amount": sum(r[profile["sale.row_amount"]] for r in lines),
        "sale.comment": comment(ticket, key), "sale.rows": lines})
    body = {"Date": f"{today.isoformat()}T12:00:00"}
    body.update({profile[key]: value for key, value in values.items() if profile.get(key)})
    # Anything else a modified configuration needs comes from the admin.
    body.update(settings.get("fields") or {})
    return body


def find_sale(source, profile, ticket, key):
    entity = profile["sale.entity"]
    found = source.read(entity, filter=eq(profile["sale.comment"], comment(ticket, key)),
                        select=["Ref_Key", "Number", "Posted", "DeletionMark"])
    found = [Record(entity, data) for data in found]
    alive = [r for r in found if not r.flag("DeletionMark")]
    return alive[0] if alive else None


def partner_of(source, profile, counterparty):
    """The counterparty's partner (УТ sales name both); None where the profile has no partner."""
    if not profile.get("sale.partner"):
        return None
    entity, field = profile["counterparty.entity"], profile["counterparty.partner"]
    found = source.read(entity, filter=eq("Ref_Key", Guid(counterparty)), select=["Ref_Key", field])
    return Record(entity, found[0]).ref(field) if found else None


def push_sale(source, profile, job, ticket, *, counterparty, contract, settings, today,
              remember_ref):
    """Create (unless it exists) and post the sale; {ref, number, posted}. `remember_ref(ref,
    number)` stores the Ref_Key before posting."""
    entity = profile["sale.entity"]
    existing = find_sale(source, profile, ticket, job["idempotency_key"])
    if existing is None:
        refs, problems = resolve_settings(source, profile, settings)
        if problems:
            raise ValidationFailed.from_fields(problems)
        vat = item_vat(source, profile, ticket["works"], refs.get("vat"))
        parties = {"counterparty": counterparty, "contract": contract,
                   "partner": partner_of(source, profile, counterparty)}
        body = document(profile, ticket, job["idempotency_key"], parties=parties,
                        settings=settings, today=today, refs=refs, vat=vat)
        created = Record(entity, source.create(entity, body))
        ref, number, posted = created.key(), created.text("Number"), False
    else:
        ref, number, posted = existing.key(), existing.text("Number"), existing.flag("Posted")
    remember_ref(ref, number)
    if not posted:
        try:
            source.post_document(entity, ref)
        except (OneCServerError, OneCRejected) as err:
            if err.status not in POSTING_REFUSED:
                raise  # 1C busy or restarting: the job's retries deal with it
            raise PostingRefused(number, err) from None
    return {"ref": ref, "number": number, "posted": True}
