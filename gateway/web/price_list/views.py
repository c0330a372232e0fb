"""The price list (settings): /settings/price-list (items with their default and per-category
prices), new and edit, through the RPCs behind /api/v1/price-items."""
from flask import Blueprint, render_template

from gateway.calls import first_page
from gateway.web.settings_forms.form_input import checked, lines, money, typed
from gateway.web.settings_forms.record_pages import RecordPages, listed

blp = Blueprint("price_list", __name__, template_folder="templates")
SETTINGS = [("web.price_list.items", "Price list",
             "Paid works and services, with prices per client category.", ("admin",))]
ITEM_FIELDS = ("code", "name", "unit", "price", "category_prices")


@blp.get("/settings/price-list")
def items():
    listed = first_page("tickets", "list_price_items")
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


ITEMS = RecordPages("price_list/item.html", "price_list/item_form.html", ITEM_FIELDS, posted_item,
                    "web.price_list.items")


@blp.route("/settings/price-list/new", methods=("GET", "POST"))
def new_item():
    return ITEMS.new("create_price_item", {"active": True})


@blp.route("/settings/price-list/<string:item_id>", methods=("GET", "POST"))
def edit_item(item_id):
    return ITEMS.edit("replace_price_item", item_id, lambda: item_form(
        listed(first_page("tickets", "list_price_items"), item_id)), item_id=item_id)
