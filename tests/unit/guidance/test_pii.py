"""PII checks: NHS numbers by modulus 11, phones, emails, postcodes, dates of birth."""

from __future__ import annotations

import pytest

from schemas.guidance import Severity
from services.guidance.domain.pii import nhs_check_digit_ok
from services.guidance.domain.rules import Rules
from tests.unit.guidance.conftest import of


@pytest.mark.parametrize(
    ("digits", "ok"),
    [
        ("9434765919", True),  # the example: sum 299, remainder 2, check 9
        ("9434765918", False),  # wrong check digit
        ("4010232137", True),  # sum 92, remainder 4, check 7
        ("4010232138", False),
        ("0000000000", True),  # remainder 0: 11 - 0 = 11, which means check digit 0
        ("1000000001", True),  # sum 10, remainder 10, check 1
        ("1000000002", False),
        ("1234567881", True),  # sum 208, remainder 10, check 1
        ("1000000010", False),  # sum 12, remainder 1: check would be 10, never valid
        ("1000000019", False),
    ],
)
def test_nhs_modulus_11(digits: str, ok: bool) -> None:
    assert nhs_check_digit_ok(digits) is ok


def test_nhs_check_digit_ten_is_never_valid() -> None:
    # A stem whose weighted sum leaves remainder 1 needs check digit 10: no digit fits.
    stem = next(
        f"{n:09d}"
        for n in range(100_000_000, 100_001_000)
        if sum(int(d) * w for d, w in zip(f"{n:09d}", range(10, 1, -1), strict=True)) % 11 == 1
    )
    assert not any(nhs_check_digit_ok(stem + str(d)) for d in range(10))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Your NHS number 943 476 5919 is on file", "943 476 5919"),
        ("ref 943-476-5919.", "943-476-5919"),
        ("9434765919", "9434765919"),
        ("(401 023 2137)", "401 023 2137"),
    ],
)
def test_nhs_number_found(rules: Rules, text: str, match: str) -> None:
    [f] = of(rules, "pii.nhs_number", text)
    assert (f.match, f.severity) == (match, Severity.BLOCK)
    assert text[f.start : f.end] == match


@pytest.mark.parametrize(
    "text",
    [
        "943 476 5918",  # invalid check digit
        "943 476 5917",
        "Call NHS 111 any time",
        "943-476 5919",  # mixed separators: not an NHS number's shape
        "19434765919",  # eleven digits
        "94347659190",
        "+9434765919",
        "1,234,567,890 people",
    ],
)
def test_nhs_number_false_positives(rules: Rules, text: str) -> None:
    assert of(rules, "pii.nhs_number", text) == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Ring me on 020 7946 0958 today", "020 7946 0958"),
        ("mobile +44 7911 123456", "+44 7911 123456"),
        ("US office +1 202 555 0143", "+1 202 555 0143"),
        ("freephone 0800 123 4567.", "0800 123 4567"),
        ("London +44 (0) 20 7946 0958", "+44 (0) 20 7946 0958"),
        ("Childline 0800 1111", "0800 1111"),
        ("dots 020.7946.0958", "020.7946.0958"),
    ],
)
def test_phone_found(rules: Rules, text: str, match: str) -> None:
    [f] = of(rules, "pii.phone", text)
    assert (f.match, f.severity) == (match, Severity.BLOCK)


@pytest.mark.parametrize(
    "text",
    [
        "Call NHS 111 or 999 in an emergency",
        "deadline 01/02/2027",
        "943 476 5919",
        "2,000 trainees in 2026",
        "Room 1234, ext 5678",
    ],
)
def test_phone_false_positives(rules: Rules, text: str) -> None:
    assert of(rules, "pii.phone", text) == []


def test_phone_allowlist(rules: Rules) -> None:
    from dataclasses import replace

    ours = replace(rules, phone_allowlist=frozenset({"+442079460958"}))
    assert of(ours, "pii.phone", "Call us on 020 7946 0958") == []
    assert of(ours, "pii.phone", "Call us on +44 (0)20 7946 0958 or 020 7946 0959") != []


@pytest.mark.parametrize(
    "address",
    [
        "communications@hee.nhs.uk",
        "digital.communications@hee.nhs.uk",
        "digital.communication@hee.nhs.uk",
        "Communications@HEE.nhs.uk",
    ],
)
def test_email_allowlist(rules: Rules, address: str) -> None:
    assert of(rules, "pii.email", f"Please email {address}.") == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("email jo.bloggs@nhs.net please", "jo.bloggs@nhs.net"),
        ("write to someone+tag@example.co.uk.", "someone+tag@example.co.uk"),
        ("comms@hee.nhs.uk", "comms@hee.nhs.uk"),  # not one of the published addresses
    ],
)
def test_email_found(rules: Rules, text: str, match: str) -> None:
    [f] = of(rules, "pii.email", text)
    assert f.match == match


def test_handle_is_not_an_email(rules: Rules) -> None:
    assert of(rules, "pii.email", "Thanks @HEE_KSS, see you there") == []


@pytest.mark.parametrize(
    "postcode",
    [
        "M1 1AE",  # A9 9AA
        "B33 8TH",  # A99 9AA
        "CR2 6XH",  # AA9 9AA
        "DN55 1PT",  # AA99 9AA
        "W1A 0AX",  # A9A 9AA
        "EC1A 1BB",  # AA9A 9AA
        "GIR 0AA",
        "ls1 4pl",
        "SW1A1AA",
    ],
)
def test_postcode_found(rules: Rules, postcode: str) -> None:
    [f] = of(rules, "pii.postcode", f"We are at {postcode}, come in")
    assert f.match == postcode


@pytest.mark.parametrize(
    "text",
    [
        "QA1 1AA",  # Q never starts a postcode
        "M1 1CA",  # C never in the inward letters
        "AB1 1AI",
        "NHS 111",
        "FY1 doctors",
        "COVID19 vaccine",
        "Scunthorpe DN15",  # an outward code alone is not a full postcode
    ],
)
def test_postcode_false_positives(rules: Rules, text: str) -> None:
    assert of(rules, "pii.postcode", text) == []


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Her DOB 01/02/1990 is wrong", "DOB 01/02/1990"),
        ("D.O.B.: 1990-02-01", "D.O.B.: 1990-02-01"),
        ("date of birth is 3rd May 1990.", "date of birth is 3rd May 1990"),
        ("he was born on 3 May 1990", "born on 3 May 1990"),
        ("born on the 12th of June", "born on the 12th of June"),
        ("birthday: March 3, 1985", "birthday: March 3, 1985"),
    ],
)
def test_date_of_birth_found(rules: Rules, text: str, match: str) -> None:
    [f] = of(rules, "pii.date_of_birth", text)
    assert f.match == match


@pytest.mark.parametrize(
    "text",
    [
        "Applications close on 01/02/2027",
        "The ARCP panel meets on 3 May 2027",
        "born in 1990",  # a year is not a birth date
        "DOB checks happen at interview",
        "Newborn screening from 2 weeks",
    ],
)
def test_dates_that_are_not_birth_dates(rules: Rules, text: str) -> None:
    assert of(rules, "pii.date_of_birth", text) == []
