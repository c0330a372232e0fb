"""A closed ticket's paid works as a 1C service sale: built from the works, found again by its
idempotency key, created once, then posted.

The key (stored on the export job before 1C is ever called) is written into the document's
`Комментарий`; before creating, 1C is asked for a sale carrying it. A try that created the
document and then lost the answer (timeout, crash) therefore finds it on the retry instead of
creating a second one. The Ref_Key 1C answered is also stored at once, so a retry that only
failed to post goes straight to posting.

Every property name written comes from the profile's `sale.*` mapping keys (profiles.py), so an
admin adjusts them for a release like any other name.
"""
from decimal import ROUND_HALF_UP, Decimal

from services.billing_sync.adapters.odata_query import batches, eq, one_of
from services.billing_sync.records import Record, as_guid
from services.shared.errors import ValidationFailed

EMPTY_REF = "00000000-0000-0000-0000-000000000000"
CENTS = Decimal("0.01")
# 1C's VAT rate enumeration values and their percent
VAT_RATES = {"БезНДС": 0, "НДС0": 0, "НДС10": 10, "НДС20": 20}


def comment(ticket, key):
    return f"Заявка №{ticket['number']} [{key}]"


def vat_rates(source, profile, works):
    """{service Ref_Key: the VAT rate its nomenclature item carries in 1C} for the works'
    services that carry one (1C's empty enumeration value is no rate)."""
    field = profile["nomenclature.vat_rate"]
    refs = sorted({as_guid(work["onec_ref"], f"works[{number}].onec_ref")
                   for number, work in enumerate(works, start=1) if work.get("onec_ref")})
    if not field or not refs:
        return {}
    entity = profile["nomenclature.entity"]
    found = {}
    for batch in batches(refs):
        for data in source.read(entity, filter=one_of("Ref_Key", batch), select=["Ref_Key", field]):
            record = Record(entity, data)
            if record.text(field):
                found[record.key()] = record.text(field)
    return found


def rows(profile, ticket, default_rate, rates=None):
    """Sale rows from the ticket's works; every work must name a service 1C knows. Each row takes
    its service's own VAT rate from `rates`, else the connection's `default_rate`."""
    found, problems = [], {}
    for number, work in enumerate(ticket["works"], start=1):
        if not work.get("onec_ref"):
            problems[f"works[{number}].code"] = [
                f"The price item '{work['code']}' did not come from 1C: 1C has no service to sell."]
            continue
        vat_rate = (rates or {}).get(work["onec_ref"]) or default_rate
        if vat_rate not in VAT_RATES:
            problems[f"works[{number}].vat_rate"] = [
                f"1C gives the service '{work['code']}' the VAT rate {vat_rate!r}, which the push "
                f"does not know ({', '.join(VAT_RATES)}): correct it in 1C or map "
                "nomenclature.vat_rate."]
            continue
        percent = Decimal(VAT_RATES[vat_rate])
        amount = Decimal(work["amount"]["amount"])
        vat = (amount * percent / (100 + percent)).quantize(CENTS, ROUND_HALF_UP)
        found.append({"LineNumber": number, profile["sale.row_service"]: work["onec_ref"],
                      profile["sale.row_content"]: work["name"],
                      profile["sale.row_quantity"]: Decimal(work["quantity"]),
                      profile["sale.row_price"]: Decimal(work["unit_price"]["amount"]),
                      profile["sale.row_amount"]: amount, profile["sale.row_vat_rate"]: vat_rate,
                      profile["sale.row_vat_amount"]: vat})
    if problems:
        raise ValidationFailed.from_fields(problems)
    return found


def check_settings(profile, settings):
    """Refuse `sale.fields` naming a header property the push writes itself: one would silently
    overwrite the other."""
    written = {profile[f"sale.{item}"]: f"mapping key sale.{item}" for item in (
        "operation", "organisation", "counterparty", "contract", "vat_included", "amount",
        "comment", "rows")}
    written["Date"] = "the document's date"
    problems = {f"sale.fields.{name}": [f"Written by the push itself ({written[name]})."]
                for name in (settings or {}).get("fields") or {} if name in written}
    if problems:
        raise ValidationFailed.from_fields(problems)


def document(profile, ticket, key, *, counterparty, contract, settings, today, rates=None):
    settings = settings or {}
    lines = rows(profile, ticket, settings.get("vat_rate") or "БезНДС", rates)
    body = {"Date": f"{today.isoformat()}T12:00:00",
            profile["sale.operation"]: profile["sale.operation_value"],
            profile["sale.organisation"]: settings.get("organisation_ref") or EMPTY_REF,
            profile["sale.counterparty"]: counterparty,
            profile["sale.contract"]: contract or EMPTY_REF,
            profile["sale.vat_included"]: True,
            profile["sale.amount"]: sum(r[profile["sale.row_amount"]] for r in lines),
            profile["sale.comment"]: comment(ticket, key), profile["sale.rows"]: lines}
    # 1C fills no defaults over OData: accounting accounts and the like come from the admin.
    body.update(settings.get("fields") or {})
    return body


def find_sale(source, profile, ticket, key):
    entity = profile["sale.entity"]
    found = source.read(entity, filter=eq(profile["sale.comment"], comment(ticket, key)),
                        select=["Ref_Key", "Number", "Posted", "DeletionMark"])
    found = [Record(entity, data) for data in found]
    alive = [r for r in found if not r.flag("DeletionMark")]
    return alive[0] if alive else None


def push_sale(source, profile, job, ticket, *, counterparty, contract, settings, today,
              remember_ref):
    """Create (unless it exists) and post the sale; {ref, number, posted}. `remember_ref(ref,
    number)` stores the Ref_Key before posting."""
    entity = profile["sale.entity"]
    existing = find_sale(source, profile, ticket, job["idempotency_key"])
    if existing is None:
        rates = vat_rates(source, profile, ticket["works"])
        body = document(profile, ticket, job["idempotency_key"], counterparty=counterparty,
                        contract=contract, settings=settings, today=today, rates=rates)
        created = Record(entity, source.create(entity, body))
        ref, number, posted = created.key(), created.text("Number"), False
    else:
        ref, number, posted = existing.key(), existing.text("Number"), existing.flag("Posted")
    remember_ref(ref, number)
    if not posted:
        source.post_document(entity, ref)
    return {"ref": ref, "number": number, "posted": True}
