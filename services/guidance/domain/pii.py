"""Personal information: NHS numbers, phone numbers, emails, postcodes, dates of birth.

The guidance: "never post information that could identify someone using the organisation's
services or a colleague, and nothing personal or protectively marked". Every hit blocks,
except the organisation's own published phone numbers and team addresses.
"""

from __future__ import annotations

import re

import phonenumbers

from schemas.guidance import Finding, Severity
from services.guidance.domain.draft import Draft, capped, finding
from services.guidance.domain.rules import Rules

_NHS = re.compile(r"(?<![\d+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d])")
_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# BS 7666 postcode shapes: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA, and GIR 0AA.
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR ?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRV-Y]) ?[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-2]?[0-9]|3[01])(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH},?(?:\s+\d{{4}})?|{_MONTH}\s+{_DAY},?(?:\s+\d{{4}})?)"
)
# A date only counts when it is given as a birth date: "DOB 01/02/1990", "born on 3 May".
_DOB = re.compile(
    r"\b(?:d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|born)"
    rf"(?:\s*(?:[:,\-\u2013]|is\b|was\b|on\b|the\b)){{0,4}}\s*{_DATE}(?![\w/.\-]\d)",
    re.IGNORECASE,
)


def nhs_check_digit_ok(digits: str) -> bool:
    """Modulus 11: weights 10..2 on the first nine digits; 11 - remainder; 11 -> 0; 10 invalid."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_number(draft: Draft, _rules: Rules) -> list[Finding]:
    """10-digit NHS numbers (spaced, hyphenated or plain) with a valid check digit."""
    return capped(
        finding(
            "pii.nhs_number",
            Severity.BLOCK,
            draft,
            m.span(),
            "remove the NHS number: never post details that could identify a patient",
        )
        for m in _NHS.finditer(draft.text)
        if nhs_check_digit_ok(m.group(1) + m.group(3) + m.group(4))
    )


def phone(draft: Draft, rules: Rules) -> list[Finding]:
    """UK and international phone numbers (libphonenumber, region GB), except our own."""
    found = []
    for m in phonenumbers.PhoneNumberMatcher(draft.text, "GB"):
        e164 = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 in rules.phone_allowlist:
            continue
        found.append(
            finding(
                "pii.phone",
                Severity.BLOCK,
                draft,
                (m.start, m.end),
                "remove the phone number: only the organisation's published numbers may be "
                f"posted; otherwise point people to {rules.contact_route}",
            )
        )
    return capped(found)


def email(draft: Draft, rules: Rules) -> list[Finding]:
    """Email addresses, except the organisation's public team addresses."""
    return capped(
        finding(
            "pii.email",
            Severity.BLOCK,
            draft,
            m.span(),
            "remove the email address: only the organisation's public team addresses may be "
            f"posted; otherwise point people to {rules.contact_route}",
        )
        for m in _EMAIL.finditer(draft.text)
        if m.group().lower() not in rules.email_allowlist
    )


def postcode(draft: Draft, _rules: Rules) -> list[Finding]:
    """UK postcodes in the full BS 7666 shape, GIR 0AA included."""
    return capped(
        finding(
            "pii.postcode",
            Severity.BLOCK,
            draft,
            m.span(),
            "remove the postcode: an address can identify someone",
        )
        for m in _POSTCODE.finditer(draft.text)
    )


def date_of_birth(draft: Draft, _rules: Rules) -> list[Finding]:
    """Dates given as someone's birth date (DOB, born on, date of birth)."""
    return capped(
        finding(
            "pii.date_of_birth",
            Severity.BLOCK,
            draft,
            m.span(),
            "remove the date of birth: never post details that could identify someone",
        )
        for m in _DOB.finditer(draft.text)
    )
