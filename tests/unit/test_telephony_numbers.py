"""Phone numbers as PBXs send them -> E.164, extensions kept, hidden numbers None."""
import pytest

from services.telephony.numbers import Numbering, is_extension

RU = Numbering()


@pytest.mark.parametrize("raw", ["74991102914", "+7 499 110-29-14", "8 (499) 110-29-14",
                                 "84991102914", "4991102914", "+7(499)1102914",
                                 "sip:74991102914@pbx.example.ru", "tel:+74991102914"])
def test_the_ways_a_russian_number_arrives_give_one_e164(raw):
    assert RU.normalize(raw) == "+74991102914"


@pytest.mark.parametrize("raw, expected", [("89161234567", "+79161234567"),
                                           ("88001234567", "+78001234567"),
                                           ("+375 29 123-45-67", "+375291234567"),
                                           (79031112233, "+79031112233")])
def test_mobiles_toll_free_and_foreign_numbers(raw, expected):
    assert RU.normalize(raw) == expected


@pytest.mark.parametrize("raw, expected", [("101", "101"), (" 2045 ", "2045"),
                                           ("sip:101@vpbx400123456.mangosip.ru", "101")])
def test_extensions_stay_extensions(raw, expected):
    assert RU.normalize(raw) == expected
    assert is_extension(expected)


@pytest.mark.parametrize("raw", [None, "", "  ", "anonymous", "Unknown", "<unknown>",
                                 "sip:ivanov@vpbx400123456.mangosip.ru", "1102914",
                                 "+7 000 000-00-00"])
def test_hidden_and_unreadable_numbers_are_none(raw):
    assert RU.normalize(raw) is None


def test_local_numbers_take_the_integrations_area_code():
    yaroslavl = Numbering(area_code="4852")
    assert yaroslavl.normalize("30-11-22") == "+74852301122"
    assert yaroslavl.normalize("101") == "101"
    assert yaroslavl.normalize("8 (495) 123-45-67") == "+74951234567"
    assert Numbering(area_code="499").normalize("110-29-14") == "+74991102914"


def test_another_region_reads_national_numbers_as_its_own():
    assert Numbering(region="KZ").normalize("8 (727) 250-00-00") == "+77272500000"


def test_our_persons_reference_keeps_a_login_that_is_no_number():
    assert RU.employee_reference("ivanov") == "ivanov"
    assert RU.employee_reference("101") == "101"
    assert RU.employee_reference("8 916 123 45 67") == "+79161234567"
    assert RU.employee_reference(" ") is None
    assert not is_extension("+74951234567") and not is_extension(None)
