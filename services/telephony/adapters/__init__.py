"""PBX dialects: one adapter per vendor behind the contract in base.py."""
from services.telephony.adapters.asterisk import AsteriskDialect
from services.telephony.adapters.generic import GenericDialect
from services.telephony.adapters.mango import MangoDialect
from services.telephony.adapters.zadarma import ZadarmaDialect

DIALECTS = {dialect.name: dialect for dialect in (
    GenericDialect(), AsteriskDialect(), MangoDialect(), ZadarmaDialect())}


def dialect_named(name):
    """The adapter for `name`; KeyError for a dialect we do not speak."""
    return DIALECTS[name]
