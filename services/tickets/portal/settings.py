"""The portal's account settings, kept in the account's flat `settings` bag:

- `portal_logo_url`: an https address of the logo the portal shows beside the account's name
  (absent or empty: the name alone). Only https, so that a portal page served over https never
  loads mixed content, and only an address: the portal stores no files.
- `portal_reopen_days`: how many days after a ticket is resolved its client may confirm the
  resolution or reopen it (default 7, 1 to 90).
"""
from urllib.parse import urlsplit

LOGO_URL, REOPEN_DAYS = "portal_logo_url", "portal_reopen_days"
DEFAULT_REOPEN_DAYS = 7
MAX_REOPEN_DAYS = 90
MAX_URL = 500


def _valid_logo(value):
    if not isinstance(value, str) or len(value) > MAX_URL:
        return False
    parts = urlsplit(value)
    return parts.scheme == "https" and bool(parts.netloc) and " " not in value


def settings_errors(settings):
    """{key: [reason]} for the portal keys of account settings (empty: nothing wrong)."""
    errors = {}
    logo = settings.get(LOGO_URL)
    if logo not in (None, "") and not _valid_logo(logo):
        errors[LOGO_URL] = ["An https:// address of an image, or empty for none."]
    days = settings.get(REOPEN_DAYS)
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)
                             or not 1 <= days <= MAX_REOPEN_DAYS):
        errors[REOPEN_DAYS] = [f"A whole number of days from 1 to {MAX_REOPEN_DAYS}."]
    return errors


def logo_url(settings):
    return (settings or {}).get(LOGO_URL) or None


def reopen_days(settings):
    return (settings or {}).get(REOPEN_DAYS) or DEFAULT_REOPEN_DAYS
