"""Form handling the pages share: the fields of a posted form as the RPC expects them, and a
service's 422 turned into translated reasons keyed by field name (templates/web/forms.html shows
each beside its field)."""
import re

from flask import request

from gateway.i18n import gettext

# Reasons that carry numbers or choices, as marshmallow and the services word them; the catalog
# translates the pattern, the numbers are put back in.
PATTERNS = [
    "Length must be between {min} and {max}.",
    "Shorter than minimum length {min}.",
    "Longer than maximum length {max}.",
    "Must be greater than or equal to {min} and less than or equal to {max}.",
    "Must be one of: {choices}.",
    # what the 1C connection check says of sale settings (services/billing_sync/sale.py)
    "Required: the Ref_Key of a {entity} item.",
    "1C has no {entity}(guid'{value}').",
    "No account {code} in {chart}.",
]
COMPILED = [(pattern, re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(pattern)) + "$"))
            for pattern in PATTERNS]


def translate_reason(reason):
    for pattern, regex in COMPILED:
        found = regex.match(reason)
        if found:
            return gettext(pattern).format(**found.groupdict())
    return gettext(reason)


def field_errors(error):
    """{field: [reason, ...]} from a ValidationFailed, in the page's language."""
    return {field: [translate_reason(reason) for reason in reasons]
            for field, reasons in error.fields.items()}


def posted(*names):
    """The named fields of the posted form, as strings (absent ones left out, so the service
    names them as missing)."""
    return {name: request.form[name] for name in names if name in request.form}
