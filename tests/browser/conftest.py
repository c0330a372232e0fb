"""The browser layer: the real suite (the integration layer's `suite` fixture) driven through
Debian's chromium and chromium-driver with Selenium (`suite`, `acme`, `globex` come from
tests/conftest.py, shared with the integration layer: one suite per test session).

Selenium is given the driver and the browser explicitly, so Selenium Manager never tries to
download either. One Chromium serves the whole session; each test starts signed out.
"""
import contextlib
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import (NoSuchElementException, StaleElementReferenceException,
                                        WebDriverException)
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DESKTOP = (1366, 768)
PHONE = (390, 844)
SCREENSHOTS = Path(__file__).parent / "screenshots"  # git-ignored: look at them, do not commit
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--lang=ru-RU")
WAIT_SECONDS = 10


def left(page):
    """Whether the browser has left the page whose <html> element this is. While the next page
    replaces it, Chrome may answer a question about the old element with "node does not belong
    to the document" instead of "stale": either means it is gone."""
    try:
        page.is_enabled()
    except (StaleElementReferenceException, WebDriverException):
        return True
    return False


class Browser:
    """The WebDriver, with the few moves every page test makes."""

    def __init__(self, driver, url):
        self.driver, self.url = driver, url

    def open(self, path):
        self.driver.get(self.url + path)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css="body"):
        return self.find(css).text

    def wait_for(self, css):
        return WebDriverWait(self.driver, WAIT_SECONDS).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))

    def wait_until(self, condition):
        # htmx may swap the element a condition reads between finding and reading it: ask again.
        return WebDriverWait(self.driver, WAIT_SECONDS, ignored_exceptions=(
            NoSuchElementException, StaleElementReferenceException)).until(lambda _: condition())

    def sign_in(self, account, login, password):
        """Fills the sign-in form: the one on screen (it may carry ?next=), else /login."""
        # The page on screen is the previous test's (cookies are cleared, the page stays): only a
        # sign-in form that is really there is used, else /login is opened.
        if "/login" not in self.driver.current_url or not self.find_all("input[name=account]"):
            self.open("/login")
        for name, value in (("account", account), ("login", login), ("password", password)):
            field = self.wait_for(f"input[name={name}]")
            field.clear()
            field.send_keys(value)
        self.click_through("form[action^='/login'] button[type=submit]")

    def click_through(self, css):
        """Clicks a link, or a button that sends a form the plain way, and waits for the next
        page (a wait for an element could find it on the old one)."""
        page = self.find("html")
        self.find(css).click()
        WebDriverWait(self.driver, WAIT_SECONDS).until(lambda _: left(page))

    def session_cookie(self):
        return self.driver.get_cookie("servicedesk_session")

    @contextlib.contextmanager
    def phone(self):
        """The page at a phone's size (390x844) for the block, then the desktop again."""
        self.driver.set_window_size(*PHONE)
        try:
            yield self
        finally:
            self.driver.set_window_size(*DESKTOP)


@pytest.fixture(scope="session")
def chromium(suite, tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(*DESKTOP)
    yield Browser(driver, suite.url)
    driver.quit()


@pytest.fixture
def browser(chromium):
    """The session's Chromium, signed out, at desktop size."""
    chromium.open("/static/css/web.css")  # cookies are deleted for the page's own site
    chromium.driver.delete_all_cookies()
    chromium.driver.set_window_size(*DESKTOP)
    return chromium


@pytest.fixture
def screenshot(chromium):
    """screenshot("queue-desktop") saves tests/browser/screenshots/queue-desktop.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def save(name):
        path = SCREENSHOTS / f"{name}.png"
        chromium.driver.save_screenshot(str(path))
        return path
    return save
