"""Moves the knowledge base and settings tests share: signing in as an account's first admin
and typing a new value into a field."""
from tests.integration.suite_process import ADMIN_PASSWORD


def sign_in_admin(browser, slug):
    """Signs in as admin@<slug>.example (suite.admin(slug) made the account), signed out first."""
    browser.driver.delete_all_cookies()
    browser.sign_in(slug, f"admin@{slug}.example", ADMIN_PASSWORD)
    browser.wait_for("header.topbar")


def fill(browser, name, text):
    box = browser.find(f"[name='{name}']")
    box.clear()
    box.send_keys(text)
