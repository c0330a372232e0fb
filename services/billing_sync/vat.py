"""VAT on a sale row: the rate in force for an item's VAT kind on the sale's date, and its amount.

1C describes an item's VAT in three ways, and the push reads whichever its profile names: БП 3.0
keeps a kind (`ВидСтавкиНДС`: Общая, Пониженная, ...), УТ 11.5 a reference to a `Catalog_СтавкиНДС`
item that stands for a rate, УТ 11.4 the rate itself (`СтавкаНДС`). Either way it is reduced to a
kind (general, reduced, zero, none, the 5% and 7% rates of simplified-tax payers) and whether it
is the computed form (22/122: the tax inside an amount that includes it), and the rate written is
the one in force for that kind on the sale's date: the general rate is 20% until 31 December 2025
and 22% from 1 January 2026 (docs/billing-sync.md cites the sources).

Rates are 1C's `СтавкиНДС` enumeration value names; УТ 11.5 refers to the catalog item carrying
that value (sale.py looks them up).
"""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

GENERAL_22_FROM = date(2026, 1, 1)
CENTS = Decimal("0.01")

# Enumeration value (СтавкиНДС) -> (kind, computed form)
RATES = {
    "НДС22": ("general", False), "НДС22_122": ("general", True),
    "НДС20": ("general", False), "НДС20_120": ("general", True),
    "НДС10": ("reduced", False), "НДС10_110": ("reduced", True),
    "НДС5": ("simplified5", False), "НДС5_105": ("simplified5", True),
    "НДС7": ("simplified7", False), "НДС7_107": ("simplified7", True),
    "НДС0": ("zero", False), "БезНДС": ("none", False),
}
# БП 3.0's kinds (ВидыСтавокНДС) that an item carries instead of a rate
KINDS = {"Общая": ("general", False), "Пониженная": ("reduced", False),
         "Нулевая": ("zero", False), "БезНДС": ("none", False)}
PERCENT = {"general": None, "reduced": 10, "simplified5": 5, "simplified7": 7, "zero": 0, "none": 0}
NAMES = {"reduced": "НДС10", "simplified5": "НДС5", "simplified7": "НДС7", "zero": "НДС0",
         "none": "БезНДС"}
# The rates a sale dated in 2026 or later may carry: what the push writes and the double accepts.
IN_FORCE = ("НДС22", "НДС10", "НДС5", "НДС7", "НДС0", "БезНДС", "НДС22_122", "НДС10_110",
            "НДС5_105", "НДС7_107")


def known(value):
    return value in RATES or value in KINDS


def rate_in_force(value, day):
    """The enumeration value of the rate in force on `day` for a kind or a rate; None when 1C's
    value is neither (a release's new value, a typo in a mapping)."""
    found = RATES.get(value) or KINDS.get(value)
    if found is None:
        return None
    kind, computed = found
    if kind == "general":
        name = "НДС22" if day >= GENERAL_22_FROM else "НДС20"
    else:
        name = NAMES[kind]
    if computed:
        name += f"_{100 + percent(name)}"
    return name


def percent(rate):
    kind, _ = RATES[rate]
    if kind == "general":
        return int(rate[3:5])
    return PERCENT[kind]


def vat_included(amount, rate):
    """The VAT inside an amount that includes it: amount * p / (100 + p), to the kopeck. The
    computed form (22/122) is the same arithmetic, named for documents where the base is unknown."""
    share = Decimal(percent(rate))
    return (amount * share / (100 + share)).quantize(CENTS, ROUND_HALF_UP)
