"""The directory: clients with their card, sites and equipment (the digital twin, QR label
sheets), employees and groups. Every page calls the RPCs behind the API's /api/v1/clients,
/sites, /equipment, /contracts, /service-levels, /employees and /groups with the same
arguments; the services decide who may see or change what (another account's id is a 404)."""
from datetime import date

from babel.dates import format_date
from flask import Blueprint, redirect, render_template, request, session, url_for

from gateway.calls import call, first_page
from gateway.i18n import current_locale, gettext
from gateway.labels import inline_svg, intake_link
from gateway.web.directory.records import (BadParameters, client_errors, client_record,
                                           client_values, equipment_record, equipment_values,
                                           errors_by_field, site_record, site_values)
from gateway.web.forms import field_errors
from services.shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.tickets.permissions import EMPLOYEE_PERMISSIONS, ROLES

blp = Blueprint("directory", __name__, template_folder="templates")
STAFF = ("admin", "dispatcher", "agent", "field_engineer")
NAVIGATION = [("web.directory.clients", "Clients", STAFF),
              ("web.directory.equipment", "Equipment", STAFF),
              ("web.directory.employees", "Employees", STAFF),
              ("web.directory.groups", "Groups", STAFF)]
PAGE = 50
ALL = 100  # the RPCs' largest page: a client's contacts, sites, equipment; names for ids
EMPLOYEE_FIELDS = ("name", "email", "phone")


@blp.app_template_filter("day")
def day_filter(value):
    """An ISO date of the API (a contract's validity, a warranty) as the page's language writes
    it: `7 дек. 2026 г.`."""
    return format_date(date.fromisoformat(value), format="medium", locale=current_locale()) if value else ""


def listed(args, *names):
    """The list RPCs' query from the page's query string (blank values are no filter)."""
    return {"limit": PAGE, **{name: args[name] for name in (*names, "cursor") if args.get(name)}}


def searched(template, fragment, **context):
    """A list page, or only its results when htmx asks (the search box types into it)."""
    return render_template(fragment if request.headers.get("HX-Request") else template, **context)


def names_of(people):
    return {person["id"]: person["name"] for person in people}


# -- clients ------------------------------------------------------------------------------------

@blp.get("/clients")
def clients():
    query = listed(request.args, "q")
    return searched("directory/clients.html", "directory/client_rows.html", query=query,
                    page=call("tickets", "list_clients", query))


@blp.get("/clients/<string:client_id>")
def client(client_id):
    return client_card(client_id)


def client_card(client_id, contact_form=None, errors=None, status=200):
    """The client's card: one call (tickets.client_card) whatever it holds."""
    card = call("tickets", "client_card", client_id)
    return render_template(
        "directory/client.html", client=card["client"], contracts=card["contracts"],
        levels=card["service_levels"], names=card["managers"], contacts=card["contacts"],
        sites=card["sites"], equipment=card["equipment"], tickets=card["open_tickets"],
        contact_form=contact_form or {}, errors=errors or {}), status


CONTACT_FIELDS = ("name", "position")
LIST_FIELDS = {"phones": "phone", "emails": "email"}  # the API's list -> the form's one field
SITE_FIELDS = {"coordinates.lat": "lat", "coordinates.lon": "lon", "coordinates": "lat"}


def manages_clients():
    """Whether the person's roles hold the permission the RPCs that change clients, sites and
    equipment require (the services' own matrix; those RPCs still decide when a form is posted)."""
    return bool(EMPLOYEE_PERMISSIONS["clients.manage"] & set(session.get("roles", ())))


@blp.context_processor
def managing_context():
    return {"manages_clients": manages_clients()}


def managing():
    """A form page is the 403 page for a role its RPC would refuse (the API's matrix)."""
    if not manages_clients():
        raise Forbidden("This needs the permission 'clients.manage'.", {"permission": "clients.manage"})


def filled(*names):
    """The posted fields that are not blank (a blank optional field is left to the schema's
    default, as the API's JSON would leave it out)."""
    return {name: request.form[name].strip() for name in names if request.form.get(name, "").strip()}


def client_form_page(form, client=None, errors=None, status=200):
    """The client's form: a new client's (`client` None) or the edit of `client`. The manager
    picker offers active staff and the current manager even when no longer active (the service
    then names the field rather than the form dropping the manager unasked)."""
    staff = [person for person in call("tickets", "list_employees", {"limit": ALL})["items"]
             if person["active"] or person["id"] == form.get("manager_id")]
    return render_template("directory/client_form.html", form=form, client=client, staff=staff,
                           calendars=first_page("tickets", "list_calendars"), errors=errors or {}), status


def saved_client(method, *args, refused):
    """create_client or replace_client with the whole record of the posted form; refused(form,
    errors, status) shows the form again."""
    try:
        saved = call("tickets", method, *args, client_record(request.form))
    except ValidationFailed as error:
        return refused(request.form.to_dict(), errors=client_errors(field_errors(error)), status=422)
    return redirect(url_for("web.directory.client", client_id=saved["id"]), 303)


@blp.get("/clients/new")
def new_client():
    managing()
    return client_form_page({})


@blp.post("/clients/new")
def create_client():
    return saved_client("create_client", refused=client_form_page)


@blp.get("/clients/<string:client_id>/edit")
def edit_client(client_id):
    managing()
    client = call("tickets", "get_client", client_id)
    return client_form_page(client_values(client), client)


@blp.post("/clients/<string:client_id>/edit")
def replace_client(client_id):
    return saved_client("replace_client", client_id, refused=lambda form, errors, status: client_form_page(
        form, call("tickets", "get_client", client_id), errors, status))


@blp.post("/clients/<string:client_id>/contacts")
def create_contact(client_id):
    """A contact from the card's form: one phone and one e-mail (the API takes lists)."""
    form = filled(*CONTACT_FIELDS, "phone", "email")
    data = {name: form[name] for name in CONTACT_FIELDS if name in form}
    data.update(phones=[form["phone"]] if "phone" in form else [],
                emails=[form["email"]] if "email" in form else [])
    try:
        call("tickets", "create_contact", client_id, data)
    except ValidationFailed as error:
        errors = errors_by_field(field_errors(error), LIST_FIELDS)
        return client_card(client_id, contact_form=form, errors=errors, status=422)
    return redirect(url_for("web.directory.client", client_id=client_id), 303)


# -- sites and equipment (the digital twin) -----------------------------------------------------

def site_with_equipment(client_id, site_id):
    site = call("tickets", "get_site", client_id, site_id)
    items = call("tickets", "list_equipment", {"site_id": site["id"], "limit": ALL})["items"]
    return site, items


@blp.get("/clients/<string:client_id>/sites/<string:site_id>")
def site(client_id, site_id):
    site, items = site_with_equipment(client_id, site_id)
    return render_template("directory/site.html", site=site, equipment=items)


@blp.get("/clients/<string:client_id>/sites/<string:site_id>/labels")
def labels(client_id, site_id):
    """A printable sheet of the QR labels of the site's equipment (as GET .../label.svg draws
    each), drawn inline so that printing needs no request per label."""
    site, items = site_with_equipment(client_id, site_id)
    return render_template("directory/labels.html", site=site, labels=[
        (item, inline_svg(intake_link(item["public_code"]))) for item in items])


@blp.get("/equipment")
def equipment():
    query = listed(request.args, "q", "status")
    return searched("directory/equipment_list.html", "directory/equipment_rows.html", query=query,
                    page=call("tickets", "list_equipment", query))


@blp.get("/equipment/<string:equipment_id>")
def item(equipment_id):
    item = call("tickets", "get_equipment", equipment_id)
    history = call("tickets", "equipment_history", item["id"], {"limit": PAGE})
    return render_template("directory/item.html", item=item, history=history,
                           label=inline_svg(intake_link(item["public_code"])))


# -- the forms of sites and equipment -----------------------------------------------------------

def site_form_page(client, form, site=None, errors=None, status=200):
    """A new site's form (`site` None) or the edit of `site`; the contacts are the client's."""
    contacts = call("tickets", "list_contacts", client["id"], {"limit": ALL})["items"]
    return render_template("directory/site_form.html", client=client, site=site, form=form,
                           contacts=contacts, calendars=first_page("tickets", "list_calendars"),
                           errors=errors or {}), status


def saved_site(client_id, method, *args):
    """create_site or replace_site with the whole record of the posted form; the RPC finds the
    client (and the site among the client's), the form shown again reads them."""
    try:
        saved = call("tickets", method, client_id, *args, site_record(request.form))
    except ValidationFailed as error:
        form = dict(request.form.to_dict(), contact_ids=request.form.getlist("contact_ids"))
        site = call("tickets", "get_site", client_id, *args) if args else None
        return site_form_page(call("tickets", "get_client", client_id), form, site,
                              errors_by_field(field_errors(error), SITE_FIELDS), 422)
    return redirect(url_for("web.directory.site", client_id=saved["client_id"], site_id=saved["id"]), 303)


@blp.get("/clients/<string:client_id>/sites/new")
def new_site(client_id):
    managing()
    return site_form_page(call("tickets", "get_client", client_id), {})


@blp.post("/clients/<string:client_id>/sites/new")
def create_site(client_id):
    return saved_site(client_id, "create_site")


@blp.get("/clients/<string:client_id>/sites/<string:site_id>/edit")
def edit_site(client_id, site_id):
    managing()
    site = call("tickets", "get_site", client_id, site_id)
    return site_form_page(call("tickets", "get_client", site["client_id"]), site_values(site), site)


@blp.post("/clients/<string:client_id>/sites/<string:site_id>/edit")
def replace_site(client_id, site_id):
    return saved_site(client_id, "replace_site", site_id)


def equipment_form_page(form, site=None, item=None, errors=None, status=200):
    """A new item's form on `site`, or the edit of `item`, whose site may be any of its
    client's. Kinds: the account's catalog."""
    sites = [] if site else call("tickets", "list_sites", item["client_id"], {"limit": ALL})["items"]
    return render_template("directory/equipment_form.html", form=form, site=site, item=item,
                           sites=sites, kinds=first_page("tickets", "list_equipment_kinds"),
                           errors=errors or {}), status


def saved_equipment(method, *args, site=None, item=None):
    """create_equipment or replace_equipment with the whole record of the posted form (a new
    item's site is the page's)."""
    form = request.form.to_dict()
    if site:
        form["site_id"] = site["id"]
    try:
        saved = call("tickets", method, *args, equipment_record(form))
    except BadParameters as line:
        errors = {"parameters": [gettext("Write each parameter as “name: value” on a line of its own: %(line)s",
                                         line=str(line))]}
        return equipment_form_page(form, site, item, errors, 422)
    except ValidationFailed as error:
        return equipment_form_page(form, site, item, errors_by_field(field_errors(error)), 422)
    except Conflict as error:  # a serial number the manufacturer's other item has
        return equipment_form_page(form, site, item, {error.extra.get("field", ""): [gettext(error.detail)]}, 409)
    return redirect(url_for("web.directory.item", equipment_id=saved["id"]), 303)


@blp.get("/clients/<string:client_id>/sites/<string:site_id>/equipment/new")
def new_equipment(client_id, site_id):
    managing()
    return equipment_form_page({"status": "in_service"}, site=call("tickets", "get_site", client_id, site_id))


@blp.post("/clients/<string:client_id>/sites/<string:site_id>/equipment/new")
def create_equipment(client_id, site_id):
    return saved_equipment("create_equipment", site=call("tickets", "get_site", client_id, site_id))


@blp.get("/equipment/<string:equipment_id>/edit")
def edit_equipment(equipment_id):
    managing()
    item = call("tickets", "get_equipment", equipment_id)
    return equipment_form_page(equipment_values(item), item=item)


@blp.post("/equipment/<string:equipment_id>/edit")
def replace_equipment(equipment_id):
    item = call("tickets", "get_equipment", equipment_id)
    return saved_equipment("replace_equipment", item["id"], item=item)


# -- employees and groups -----------------------------------------------------------------------

@blp.get("/employees")
def employees():
    query = listed(request.args, "q")
    groups = names_of(first_page("tickets", "list_groups"))
    return searched("directory/employees.html", "directory/employee_rows.html", query=query,
                    page=call("tickets", "list_employees", query), groups=groups)


def employee_form():
    """The employee form as the RPCs take it; a blank phone is no phone."""
    form = {name: request.form.get(name, "").strip() for name in EMPLOYEE_FIELDS}
    form["phone"] = form["phone"] or None
    form["roles"] = request.form.getlist("roles")
    if "active" in request.form:
        form["active"] = request.form["active"] == "true"
    return form


def employee_page(person, errors=None, status=200):
    return render_template("directory/employee.html", person=person, roles=ROLES,
                           groups=first_page("tickets", "list_groups"), errors=errors or {}), status


@blp.get("/employees/new")
def new_employee():
    return employee_page({"roles": ["agent"], "active": True})


@blp.post("/employees/new")
def create_employee():
    form = employee_form()
    form.pop("active", None)
    try:
        person = call("tickets", "create_employee", form)
    except ValidationFailed as error:
        return employee_page(form, field_errors(error), 422)
    except Conflict as error:
        return employee_page(form, {"": [gettext(error.detail)]}, 409)
    return redirect(url_for("web.directory.employee", employee_id=person["id"]), 303)


@blp.get("/employees/<string:employee_id>")
def employee(employee_id):
    return employee_page(call("tickets", "get_employee", employee_id))


@blp.post("/employees/<string:employee_id>")
def update_employee(employee_id):
    form = employee_form()
    try:
        person = call("tickets", "update_employee", employee_id, form)
    except ValidationFailed as error:
        return employee_page(dict(form, id=employee_id), field_errors(error), 422)
    except Conflict as error:  # the last admin keeps the admin role
        return employee_page(dict(form, id=employee_id), {"": [gettext(error.detail)]}, 409)
    return redirect(url_for("web.directory.employee", employee_id=person["id"]), 303)


def group_form():
    return {"name": request.form.get("name", "").strip(), "member_ids": request.form.getlist("member_ids")}


def staff_names():
    staff = call("tickets", "list_employees", {"limit": ALL})["items"]
    return staff, names_of(staff)


def group_page(group_id, form, errors=None, status=200):
    """One group's form (admins change it through replace_group)."""
    staff, _ = staff_names()
    return render_template("directory/group.html", group_id=group_id, form=form, staff=staff,
                           errors=errors or {}), status


def groups_page(form=None, errors=None, status=200):
    staff, names = staff_names()
    return render_template("directory/groups.html", groups=first_page("tickets", "list_groups"),
                           staff=staff, names=names, form=form or {}, errors=errors or {}), status


def saved_group(method, *args, refused):
    """create_group or replace_group with the posted form; refused(form, errors, status) shows
    the form again with the service's reasons."""
    form = group_form()
    try:
        call("tickets", method, *args, form)
    except ValidationFailed as error:
        return refused(form, field_errors(error), 422)
    except Conflict as error:
        return refused(form, {error.extra.get("field", ""): [gettext(error.detail)]}, 409)
    return redirect(url_for("web.directory.groups"), 303)


@blp.get("/groups")
def groups():
    return groups_page()


@blp.post("/groups")
def create_group():
    return saved_group("create_group", refused=groups_page)


@blp.get("/groups/<string:group_id>")
def group(group_id):
    # No RPC reads one group (nor does the API): it is the account's list's.
    found = [item for item in first_page("tickets", "list_groups") if item["id"] == group_id]
    if not found:
        raise NotFound(f"No group {group_id}.")
    return group_page(group_id, found[0])


@blp.post("/groups/<string:group_id>")
def replace_group(group_id):
    return saved_group("replace_group", group_id,
                       refused=lambda form, errors, status: group_page(group_id, form, errors, status))
