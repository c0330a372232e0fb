"""What the 1C double computes rather than stores: registers' virtual tables (Balance,
SliceLast) and the $metadata document."""
from decimal import Decimal
from xml.sax.saxutils import quoteattr

from tests.doubles.onec_filter import DATETIME

NAMESPACE = "StandardODATA"


def balance(kind, movements, period):
    dimensions = list(kind["dimensions"])
    totals = {}
    for row in movements:
        if period is not None and row["Period"] >= period:
            continue  # a balance at a moment excludes what happens at that moment
        amount = Decimal(str(row["Сумма"]))
        if kind["kind"] == "accumulation" and row.get("RecordType") == "Expense":
            amount = -amount
        key = tuple(row[d] for d in dimensions)
        totals[key] = totals.get(key, Decimal(0)) + amount
    rows = []
    for key, total in totals.items():
        if total == 0:
            continue  # 1C lists no zero balances
        row = dict(zip(dimensions, key), СуммаBalance=total)
        if kind["kind"] == "accounting":
            row.update(СуммаBalanceDr=max(total, Decimal(0)), СуммаBalanceCr=max(-total, Decimal(0)))
        rows.append(row)
    return rows, dict(kind["dimensions"], **kind["virtual"]["Balance"])


def slice_last(kind, records, period):
    dimensions = list(kind["dimensions"])
    latest = {}
    for row in records:
        if period is not None and row["Period"] > period:
            continue  # the slice at a moment includes what was recorded at that moment
        key = tuple(row[d] for d in dimensions)
        if key not in latest or latest[key]["Period"] <= row["Period"]:
            latest[key] = row
    fields = dict(kind["dimensions"], **kind["resources"], Period=DATETIME)
    return [{f: row.get(f) for f in fields} for row in latest.values()], fields


def _property(name, edm):
    nullable = ' Nullable="false"' if name == "Ref_Key" else ""
    return f"<Property Name={quoteattr(name)} Type={quoteattr(edm)}{nullable}/>"


def metadata_xml(schema, published):
    """The EDMX document listing `published` entity sets of `schema`, with their types."""
    types, sets = [], []
    for name in sorted(published):
        kind = schema[name]
        properties = [_property(f, edm) for f, edm in kind["fields"].items()]
        for section in kind["sections"]:
            row_type = f"{name}_{section}_RowType"
            properties.append(_property(section, f"Collection({NAMESPACE}.{row_type})"))
            types.append(f'<ComplexType Name={quoteattr(row_type)}>'
                         + "".join(_property(f, edm) for f, edm in kind["sections"][section].items())
                         + "</ComplexType>")
        key = '<Key><PropertyRef Name="Ref_Key"/></Key>' if "Ref_Key" in kind["fields"] else ""
        types.append(f"<EntityType Name={quoteattr(name)}>{key}{''.join(properties)}</EntityType>")
        for function, resources in kind.get("virtual", {}).items():
            output = dict(kind["dimensions"], **(resources or dict(kind["resources"], Period=DATETIME)))
            types.append(f"<EntityType Name={quoteattr(f'{name}_{function}')}>"
                         + "".join(_property(f, edm) for f, edm in output.items()) + "</EntityType>")
        sets.append(f"<EntitySet Name={quoteattr(name)} EntityType={quoteattr(f'{NAMESPACE}.{name}')}/>")
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<edmx:Edmx xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" Version="1.0">'
            '<edmx:DataServices xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" '
            'm:DataServiceVersion="3.0">'
            f'<Schema xmlns="http://schemas.microsoft.com/ado/2009/11/edm" Namespace="{NAMESPACE}">'
            + "".join(types)
            + '<EntityContainer Name="EnterpriseV8" m:IsDefaultEntityContainer="true">'
            + "".join(sets) + "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>")
