"""The price list (settings): /settings/price-list (items with their default and per-category
prices), new and edit, through the RPCs behind /api/v1/price-items."""
from flask import Blueprint, render_template, request, url_for

from gateway.calls import call
from gateway.web.settings.form_input import attempt, checked, form_page, lines, money, saved, typed
from services.shared.errors import NotFound

blp = Blueprint("price_list", __name__, template_folder="templates")
ITEM_FIELDS = ("code", "name", "unit", "price", "category_prices")


@blp.get("/settings/price-list")
def items():
    listed = call("tickets", "list_price_items")
    categories = sorted({name for item in listed for name in item.get("category_prices", {})})
    return render_template("price_list/items.html", items=listed, categories=categories)


def item_form(item):
    return {"code": item["code"], "name": item["name"], "unit": item["unit"],
            "price": item["price"]["amount"], "active": item.get("active"),
            "category_prices": "\n".join(f"{category}: {price['amount']}"
                                         for category, price in item.get("category_prices", {}).items())}


def category_prices(text):
    """Lines "category: amount" as {category: money}; a line without an amount gets an empty one,
    which the service refuses naming that category."""
    prices = {}
    for line in lines(text):
        category, _, amount = line.rpartition(":") if ":" in line else (line, "", "")
        prices[category.strip()] = money(amount)
    return prices


def posted_item():
    form = typed(ITEM_FIELDS)
    form["active"] = checked("active")
    data = dict(code=form["code"].strip(), name=form["name"], unit=form["unit"],
                price=money(form["price"]), category_prices=category_prices(form["category_prices"]),
                active=form["active"])
    return form, data


def item_page(form, errors, item_id=None, status=200):
    return form_page("price_list/item.html", "price_list/item_form.html", status,
                     form=form, errors=errors, item_id=item_id)


@blp.route("/settings/price-list/new", methods=("GET", "POST"))
def new_item():
    if request.method == "GET":
        return item_page({"active": True}, {})
    form, data = posted_item()
    _, errors = attempt(lambda: call("tickets", "create_price_item", data), ITEM_FIELDS)
    if errors:
        return item_page(form, errors, status=422)
    return saved(url_for("web.price_list.items"))


@blp.route("/settings/price-list/<string:item_id>", methods=("GET", "POST"))
def edit_item(item_id):
    if request.method == "GET":
        # The API has no GET of one item: the account's list is where it is (or is not).
        found = [item for item in call("tickets", "list_price_items") if item["id"] == item_id]
        if not found:
            raise NotFound(f"No price item {item_id}.")
        return item_page(item_form(found[0]), {}, item_id)
    form, data = posted_item()
    _, errors = attempt(lambda: call("tickets", "replace_price_item", item_id, data), ITEM_FIELDS)
    if errors:
        return item_page(form, errors, item_id, 422)
    return saved(url_for("web.price_list.items"))
