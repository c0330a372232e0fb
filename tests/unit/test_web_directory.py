"""The registration and directory pages' own small functions, without services: what a posted
form hands to the RPCs, and the API's dates as the page's language writes them."""
from flask import Flask, g
from werkzeug.datastructures import MultiDict

from gateway.web.directory.views import day_filter
from gateway.web.registration.views import typed


def test_a_blank_choice_is_no_choice_and_unknown_fields_are_left_out():
    form = MultiDict({"title": "Турникет", "client_id": "c1", "site_id": "", "equipment_id": "  ",
                      "description": "  с пробелами  ", "is_admin": "yes"})
    assert typed(form) == {"title": "Турникет", "client_id": "c1", "description": "  с пробелами  "}


def test_dates_of_the_api_follow_the_locale():
    app = Flask(__name__)
    with app.test_request_context():
        g.locale = "ru"
        assert day_filter("2026-08-29") == "29 авг. 2026\u202fг."
        g.locale = "en"
        assert day_filter("2026-08-29") == "Aug 29, 2026"
        assert day_filter(None) == ""
