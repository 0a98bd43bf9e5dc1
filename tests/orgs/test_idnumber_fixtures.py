"""GB 11643-1999 check characters from hand-worked numbers, one per check character.

Weights (GB 11643-1999, 8.2): 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; the sum mod 11,
remainder 0..10, gives 1 0 X 9 8 7 6 5 4 3 2. Two numbers are the standard's own
examples; the others share the first 14 digits 11010519491231 (weighted sum
1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 = 163,
163 mod 11 = 9) and a sequence abc weighted 8, 4, 2, so the remainder is
(9 + 8a + 4b + 2c) mod 11. Worked by hand, not by the function under test.
"""

import dataclasses
import datetime as dt

import pytest

from dangjian.orgs.idnumber import IdNumberError, check_char, make_id_number, parse_id_number

# (number, remainder worked by hand, sex from the sequence's parity)
NUMBERS = [
    ("11010519491231002X", 2, "F"),   # the standard's example: 163 + 2·2 = 167, 167 mod 11 = 2 -> X
    ("440524188001010014", 8, "M"),   # the standard's example: weighted sum 195, 195 mod 11 = 8 -> 4
    ("110105194912310003", 9, "F"),   # seq 000: 9 + 0 = 9 -> 3
    ("110105194912310011", 0, "M"),   # seq 001: 9 + 2 = 11 -> 0 -> 1
    ("110105194912310038", 4, "M"),   # seq 003: 9 + 6 = 15 -> 4 -> 8
    ("110105194912310046", 6, "F"),   # seq 004: 9 + 8 = 17 -> 6 -> 6
    ("110105194912310054", 8, "M"),   # seq 005: 9 + 10 = 19 -> 8 -> 4
    ("110105194912310062", 10, "F"),  # seq 006: 9 + 12 = 21 -> 10 -> 2
    ("110105194912310070", 1, "M"),   # seq 007: 9 + 14 = 23 -> 1 -> 0
    ("110105194912310089", 3, "F"),   # seq 008: 9 + 16 = 25 -> 3 -> 9
    ("110105194912310097", 5, "M"),   # seq 009: 9 + 18 = 27 -> 5 -> 7
    ("110105194912310185", 7, "F"),   # seq 018: 9 + 4 + 16 = 29 -> 7 -> 5
    # No zero digit, so every weight counts: 3·7 + 4·9 + 1·10 + 2·5 + 2·8 + 1·4 + 1·2 + 9·1 + 8·6 + 1·3
    # + 1·7 + 1·9 + 2·10 + 5·5 + 1·8 + 1·4 + 3·2 = 238, 238 mod 11 = 7 -> 5
    ("341221198111251135", 7, "M"),
]
MAPPING = "10X98765432"  # GB 11643-1999: remainder -> check character


def test_the_fixtures_cover_all_eleven_check_characters():
    assert {n[-1] for n, _, _ in NUMBERS} == set("0123456789X")
    assert any("0" not in n[:17] for n, _, _ in NUMBERS)  # a weight times zero tests nothing
    assert all(MAPPING[r] == n[-1] for n, r, _ in NUMBERS)


@pytest.mark.parametrize(("number", "remainder", "sex"), NUMBERS, ids=[n for n, _, _ in NUMBERS])
def test_hand_worked_numbers_are_accepted_with_their_check_character(number, remainder, sex):
    assert check_char(number[:17]) == number[17]
    parsed = parse_id_number(number)
    assert parsed.value == number and parsed.gender == sex


@pytest.mark.parametrize(("number", "remainder", "sex"), NUMBERS, ids=[n for n, _, _ in NUMBERS])
def test_every_other_check_character_is_refused(number, remainder, sex):
    for wrong in "0123456789X".replace(number[17], ""):
        with pytest.raises(IdNumberError):
            parse_id_number(number[:17] + wrong)


def test_a_lower_case_x_and_spaces_are_accepted():
    assert parse_id_number(" 110105 19491231 002x ").value == "11010519491231002X"


def test_a_parsed_number_cannot_be_changed_afterwards():
    parsed = parse_id_number("11010519491231002X")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.value = "110105194912310011"


@pytest.mark.parametrize(("raw", "message"), [
    ("1101051949123100", "18"),                 # too short
    ("11010519491231002X1", "18"),              # too long
    ("1101051949123100AX", "digits"),           # a letter among the first 17
    ("11010519491231002Y", "digits"),           # a last character neither digit nor X
    ("110105194913310011", "birth date"),       # month 13
    ("110105194902300011", "birth date"),       # 30 February
])
def test_malformed_numbers_are_refused_with_the_reason(raw, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(IdNumberError, match=message):
        parse_id_number(raw)


@pytest.mark.parametrize(("sequence", "sex", "expected"), [
    (2, "F", "11010519491231002X"),
    (2, "M", "110105194912310038"),    # even sequence for a man: the next odd one, 003
    (3, "M", "110105194912310038"),
    (999, "F", "110105194912310003"),  # 999 is odd: a woman gets 000 (wraps within three digits)
    (1001, "M", "110105194912310011"),  # the sequence is three digits: 1001 -> 001
])
def test_made_numbers_carry_the_sex_in_the_sequence_and_the_hand_worked_check(sequence, sex, expected):
    assert make_id_number(area="110105", birth_date=dt.date(1949, 12, 31), sequence=sequence, gender=sex) == expected
