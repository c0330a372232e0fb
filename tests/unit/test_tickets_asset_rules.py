"""Rules of assets/ tested without a store: the QR intake limits (assets/intake_limits.py) and
the equipment keys (assets/equipment.py), and the name key (names.py) they build on."""
from datetime import datetime, timedelta

import pytest

from services.shared.errors import Throttled
from services.tickets.assets.equipment import new_public_code, serial_key
from services.tickets.assets.intake_limits import WINDOW, check, counter_key, window_of
from services.tickets.names import name_key

AT = datetime(2026, 12, 7, 14, 37, 12, 345000)


def test_a_window_is_the_hour_a_moment_falls_in():
    assert window_of(AT) == datetime(2026, 12, 7, 14, 0)
    assert window_of(datetime(2026, 12, 7, 14, 0)) == datetime(2026, 12, 7, 14, 0)
    assert window_of(AT + WINDOW) == window_of(AT) + timedelta(hours=1)


def test_each_key_and_window_counts_apart():
    window = window_of(AT)
    keys = {counter_key("address:10.0.0.1", window), counter_key("code:e-1", window),
            counter_key("address:10.0.0.1", window + WINDOW)}
    assert len(keys) == 3
    assert counter_key("code:e-1", window) == "code:e-1|2026-12-07T14:00:00"


@pytest.mark.parametrize("count", [1, 19, 20])
def test_up_to_the_limit_passes(count):
    assert check(count, 20, window_of(AT), AT) is None


def test_past_the_limit_says_when_the_next_window_opens():
    with pytest.raises(Throttled) as caught:
        check(21, 20, window_of(AT), AT)
    # 22 min 47.655 s are left of the window; the client waits the whole last second too.
    assert caught.value.extra == {"retry_after": str(22 * 60 + 48)}


def test_a_serial_key_ignores_case_spacing_and_the_letter_yo():
    assert (serial_key("a-1", "Ёлка Tech ", "ab 12 c") == serial_key("a-1", "елка tech", "AB12C")
            == "a-1|елка tech|AB12C")
    assert serial_key("a-1", "HP", "X1") != serial_key("a-2", "HP", "X1")
    assert serial_key("a-1", "HP", "X1") != serial_key("a-1", "Canon", "X1")


def test_name_keys_sort_yo_with_ye_and_ignore_case():
    # Without the key, "ё" (U+0451) would sort after every other Cyrillic letter.
    assert sorted(["Жук", "ёлка", "Ель"], key=name_key) == ["ёлка", "Ель", "Жук"]


def test_label_codes_are_url_safe_and_unguessable():
    codes = {new_public_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(code) == 22 and code.replace("-", "").replace("_", "").isalnum()
               for code in codes)
