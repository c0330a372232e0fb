"""What the settings pages' browser tests share: signing in as an account's admin or as a new
employee of a role, filling a form, reading the reasons shown beside its fields."""
import re
import uuid

import requests
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_console import STAFF_PASSWORD, sign_in_as_new
from tests.integration.suite_process import ADMIN_PASSWORD, Api

LATIN = re.compile("[A-Za-z]")


def sign_in_admin(browser, slug="acme"):
    browser.sign_in(slug, f"admin@{slug}.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")


def sign_in_staff(browser, admin, role, slug="acme"):
    """A new employee of `role` signed in; answers their login and an API client acting as them."""
    email = sign_in_as_new(browser, admin, slug, role)
    token = Api(admin.url).post("/api/v1/auth/login", json={
        "account": slug, "login": email, "password": STAFF_PASSWORD}).json()["token"]
    return email, Api(admin.url, token)


def fill(browser, values, form="form.settings-form"):
    """Types each value into the named field of the form (a checkbox takes True or False)."""
    for name, value in values.items():
        field = browser.find(f"{form} [name='{name}']")
        if field.get_attribute("type") == "checkbox":
            if field.is_selected() != value:
                field.click()
        elif field.tag_name == "select":
            browser.find(f"{form} select[name='{name}'] option[value='{value}']").click()
        else:
            field.clear()
            field.send_keys(value)


def send_refused(browser, form="form.settings-form"):
    """Sends a form that htmx replaces in place (a refused one comes back with its reasons) and
    waits until the old form is gone."""
    old = browser.find(form)
    browser.find(f"{form} button[type=submit]").click()
    wait_replaced(browser, old)
    return browser.find(form)


def wait_replaced(browser, element):
    """Waits until htmx has swapped `element` out (reading it meanwhile could meet it half gone)."""
    WebDriverWait(browser.driver, 10).until(expected_conditions.staleness_of(element))


def reasons(browser):
    """{field name: the reason shown beside it} on the page."""
    return {p.get_attribute("data-field"): p.text for p in browser.find_all(".reason")}


def text(element_text):
    """Page text with the no-break spaces of formatted numbers as plain spaces."""
    return element_text.replace("\xa0", " ").replace("\u202f", " ")


def tag():
    return uuid.uuid4().hex[:6]


def csrf_of(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def page_session(url, slug, login, password):
    """A plain HTTP client signed in through the sign-in form, as a browser without JavaScript."""
    http = requests.Session()
    token = csrf_of(http.get(f"{url}/login", timeout=10).text)
    signed = http.post(f"{url}/login", timeout=10, allow_redirects=False, data={
        "csrf_token": token, "account": slug, "login": login, "password": password})
    assert signed.status_code == 302, signed.text
    return http


def post_form(http, url, path, data):
    """Posts a page's form the plain way, with the CSRF token of the page at `path`."""
    token = csrf_of(http.get(f"{url}/settings/api-tokens", timeout=10).text)
    return http.post(f"{url}{path}", data={"csrf_token": token, **data}, timeout=10,
                     allow_redirects=False)


def error_status(html):
    found = re.search(r'<section class="error" data-status="(\d+)"', html)
    return int(found[1]) if found else None
