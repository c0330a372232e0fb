"""Form handling the pages share: the fields of a posted form as the RPC expects them, and a
service's 422 turned into translated reasons keyed by field name (templates/web/forms.html shows
each beside its field)."""
from flask import request

from gateway.i18n import translate_reason


def field_errors(error):
    """{field: [reason, ...]} from a ValidationFailed, in the page's language."""
    return {field: [translate_reason(reason) for reason in reasons]
            for field, reasons in error.fields.items()}


def posted(*names):
    """The named fields of the posted form, as strings (absent ones left out, so the service
    names them as missing)."""
    return {name: request.form[name] for name in names if name in request.form}
