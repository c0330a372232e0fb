"""The new and edit pages of a kind of record the API adds with POST and replaces with PUT
(service levels, calendars, price items): GET shows the form, POST sends the posted data through
the RPC and goes back to the list, or shows the form again with its reasons beside the fields
(422). Whether the person may is the RPC's answer (403), and whose record it is too (404)."""
from flask import request, url_for

from gateway.calls import call
from gateway.web.settings_forms.form_input import attempt, form_page, saved
from services.shared.errors import NotFound


class RecordPages:
    def __init__(self, page, fragment, fields, posted, listing):
        """`page` includes `fragment` (the form, which htmx replaces); `fields` are the form's
        field names; `posted()` answers (the form as typed, the RPC's data); `listing` is the
        endpoint of the list to go back to."""
        self.templates, self.fields, self.posted, self.listing = (page, fragment), fields, posted, listing

    def page(self, form, errors, status=200, **context):
        return form_page(*self.templates, status, form=form, errors=errors, **context)

    def new(self, create, blank):
        if request.method == "GET":
            return self.page(blank, {})
        return self.send(lambda data: call("tickets", create, data))

    def edit(self, replace, record_id, shown, **context):
        """`shown()` is the stored record as the form shows it (read only for GET)."""
        if request.method == "GET":
            return self.page(shown(), {}, **context)
        return self.send(lambda data: call("tickets", replace, record_id, data), **context)

    def send(self, rpc, **context):
        form, data = self.posted()
        _, errors = attempt(lambda: rpc(data), self.fields)
        if errors:
            return self.page(form, errors, 422, **context)
        return saved(url_for(self.listing))


def listed(records, record_id):
    """The record with this id in the account's list (for the records the API has no GET of one
    for); another account's is not there, hence not found."""
    for record in records:
        if record["id"] == record_id:
            return record
    raise NotFound(f"No {record_id} here.")
