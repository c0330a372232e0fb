"""Phone numbers as PBXs send them, turned into E.164 or kept as internal extensions.

A party of a call is one string: E.164 (`+74991102914`) when it is a phone number, bare digits
(`101`) when it is an extension of the PBX, None when hidden or unreadable. The raw event keeps
what the PBX actually sent.
"""
import functools
import re
from dataclasses import dataclass

import phonenumbers

DEFAULT_REGION = "RU"
MAX_EXTENSION_DIGITS = 6
NATIONAL_DIGITS = 10  # a Russian number without the country code: area code + local number
FORMATTING = re.compile(r"[\s()\-.]")
DIGITS = re.compile(r"^\d+$")
HIDDEN = {"anonymous", "unknown", "private", "restricted", "unavailable", "hidden"}


@dataclass(frozen=True)
class Numbering:
    """How one integration's numbers are read: the account's region and, for PBXs that send
    local numbers without the area code, that code (for example "4852" for Yaroslavl)."""
    region: str = DEFAULT_REGION
    area_code: str | None = None

    def normalize(self, raw):
        """'8 (499) 110-29-14', '74991102914', '+7 499 110-29-14' -> '+74991102914';
        '101' -> '101' (an extension); '' or 'anonymous' -> None."""
        return None if raw is None else _normalized(self.region, self.area_code, str(raw))

    def employee_reference(self, raw):
        """What identifies our side's person: an extension or number when it reads as one, else
        the text as sent (the generic dialect may send a login there)."""
        if raw is None or not str(raw).strip():
            return None
        return self.normalize(raw) or str(raw).strip()


def is_extension(party):
    return party is not None and not party.startswith("+")


# A call's numbers come again in each of its events, on the edge and in the consumer, and
# phonenumbers' parse is the costliest step of reading an event: remember recent answers.
@functools.lru_cache(maxsize=8192)
def _normalized(region, area_code, raw):
    text = raw.strip()
    if text.lower().startswith(("sip:", "sips:", "tel:")):
        # SIP URIs carry the number or extension as the user part: sip:101@pbx.example.
        text = text.split(":", 1)[1].split("@", 1)[0].split(";", 1)[0]
    text = FORMATTING.sub("", text)
    if not text or text.lower() in HIDDEN:
        return None
    if DIGITS.match(text):
        if area_code and len(text) == NATIONAL_DIGITS - len(area_code):
            text = area_code + text
        elif len(text) <= MAX_EXTENSION_DIGITS:
            return text
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
