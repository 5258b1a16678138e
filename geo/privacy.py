"""Removal of direct identifiers from free text, and detection of nationality columns.

PRODUCT.md §6: the people in this data are very vulnerable, so no direct identifier may
reach the database, the rejects or a log. Every text field goes through `scrub()` at
import; the import summary reports `ScrubCounts` per kind. Nationality or citizenship
columns are dropped at import (`is_nationality_column()`), because outreach data mapped
by nationality has been used for removals.

What is removed (each occurrence becomes `REDACTED`):

* e-mail addresses: `local@domain.tld` (Unicode letters allowed, a dotted domain with a
  letters-only top-level label required).
* Swedish personal identity numbers: personnummer and samordningsnummer (day + 60),
  `YYYYMMDD-NNNN`, `YYMMDD-NNNN`, `YYMMDDNNNN`, `YYYYMMDDNNNN`, separator `-`, `+`, a
  space or none, with a space allowed around the separator ("850709 9805",
  "850709 - 9805"). The date must be plausible and the Luhn digit must be right; a
  number that fails either is *not* counted as an identity number.
* phone numbers: Swedish national form (trunk `0`, 8–10 digits, e.g. "070-123 45 67",
  "0701234567", "08-123 456 78", "(08) 123 45 67") and international form (`+` or `00`
  and a country code; 7–15 digits after the prefix, "+46 (0)70-123 45 67"; for +46 the
  national part must have 7–9 digits). Groups may be separated by one space, a hyphen
  (optionally spaced) or parentheses; every group after the area code has at least two
  digits, so counts such as "3 personer" next to a number are not swallowed.

Decisions worth knowing:

* Order: e-mail, then identity number, then phone. A bare ten-digit number such as
  "0701234567" that is a plausible date *and* passes Luhn is counted as an identity
  number (about 1 in 10 Swedish mobile numbers written without separators do); one that
  fails Luhn is still removed, as a phone number, when it has a phone shape (leading 0).
* A Luhn-failing "personnummer" that does not start with 0 (e.g. a typo such as
  "850709-9806") is left in the text: the brief says such numbers are not identity
  numbers, and numbers of that shape also occur legitimately.
* Dates ("01-02-2026") and clock ranges ("08-10 12-14") that happen to have a phone
  shape are kept.
* Not caught: obfuscated e-mail ("anna at gmail dot com", "anna @ gmail.com"), an
  address without a dot in the domain, phone numbers written with dots ("070.123.45.67")
  or with a country code in parentheses ("(+46) 70…"), and digits glued to a preceding
  digit or decimal point. Names and street addresses are not identifiers in this sense
  and are not touched.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

REDACTED = "[borttaget]"


@dataclass
class ScrubCounts:
    """How many identifiers of each kind were removed; summed over a whole import."""

    personal_ids: int = 0
    phones: int = 0
    emails: int = 0

    def total(self) -> int:
        return self.personal_ids + self.phones + self.emails

    def add(self, other: ScrubCounts) -> None:
        """Add `other` into this one (in place), so an importer can keep one running sum."""
        self.personal_ids += other.personal_ids
        self.phones += other.phones
        self.emails += other.emails


# A span finder returns the next accepted (start, end) at or after `pos`, or None.
_Finder = Callable[[str, int], "tuple[int, int] | None"]

# --------------------------------------------------------------------------- e-mail

_EMAIL = re.compile(
    r"""
    (?<!\w)                  # start of a word: keeps the search linear on long words
    \w[\w.+%-]*              # local part, starting with a letter or digit (Unicode allowed)
    @
    [\w-]+(?:\.[\w-]+)*      # domain labels
    \.[^\W\d_]{2,}           # a letters-only top-level label: .se, .com, .org
    (?![\w-])                # not cut in the middle of a longer label
    """,
    re.VERBOSE,
)


def _find_email(text: str, pos: int) -> tuple[int, int] | None:
    m = _EMAIL.search(text, pos)
    return (m.start(), m.end()) if m else None


# ----------------------------------------------------------- personnummer / samordningsnummer

_PERSONAL_ID = re.compile(
    r"""
    (?<!\d)(?<!\d[.,])                 # not the tail of a longer number or a decimal
    (?P<century>1[89]|20)?             # optional century: 18, 19, 20
    (?P<date>\d{6})                    # YYMMDD (day + 60 for samordningsnummer)
    (?:[ \u00a0]?[-+][ \u00a0]?|[ \u00a0])?  # '-', '+' (over 100), spaced or not; or a space; or nothing
    (?P<serial>\d{4})                  # three serial digits and the Luhn check digit
    (?!\d)                             # not the head of a longer number
    """,
    re.VERBOSE,
)


def _luhn_ok(digits: str) -> bool:
    """Luhn check over the ten digits YYMMDDNNNN, weights 2,1,2,1… from the left."""
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _plausible_date(century: str | None, yymmdd: str) -> bool:
    """Month 01–12 and a day that exists in that month (day − 60 for samordningsnummer)."""
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:
        day -= 60
    if not (1 <= month <= 12 and day >= 1):
        return False
    # Without a century, allow 29 February (year 2000 stands in for "some leap year").
    year = int(century) * 100 + yy if century else 2000
    return day <= calendar.monthrange(year, month)[1]


def _find_personal_id(text: str, pos: int) -> tuple[int, int] | None:
    for m in _PERSONAL_ID.finditer(text, pos):
        date, serial = m.group("date"), m.group("serial")
        if _plausible_date(m.group("century"), date) and _luhn_ok(date + serial):
            return m.start(), m.end()
    return None


# -------------------------------------------------------------------------- phones

_PHONE_START = re.compile(
    r"""
    (?<![\d+])(?<!\d[.,:/-])           # not inside a number, decimal, time, date or range
    (?:
        (?P<intl>\+|00)(?=\(?[1-9])    # international prefix, then a country code
      | (?=\(?0[1-9])                  # or a Swedish trunk zero (area code maybe in parentheses)
    )
    """,
    re.VERBOSE,
)

_PHONE_GROUP = re.compile(
    r"""
    (?P<sep>[ \u00a0]?[-\u2013][ \u00a0]?|[ \u00a0]|)   # one (spaced) hyphen, one space, or nothing
    (?:\((?P<paren>\d{1,4})\)|(?P<digits>\d+))          # "(08)", "(0)" or a run of digits
    """,
    re.VERBOSE,
)

# Dates written with one repeated separator, "01-02-2026", "05 11 26": not phone numbers.
_DATE_SHAPE = re.compile(r"(\d{1,2})([- ])(\d{1,2})\2(\d{2}|\d{4})")
# Clock ranges, "08-10 12-14": two-digit groups only.
_CLOCK_RANGES = re.compile(r"\d{2}[ ]?[-\u2013][ ]?\d{2}(?:[ ,]+\d{2}[ ]?[-\u2013][ ]?\d{2})+")

_DOMESTIC_DIGITS = (8, 10)  # Swedish numbers with the trunk 0
_INTL_DIGITS = (7, 15)  # after + or 00; 15 is the E.164 maximum
_SWEDISH_NATIONAL_DIGITS = (7, 9)  # after +46, without a trunk 0
_MAX_GROUPS = 9  # 15 digits at most, and only the first two groups may be one digit


@dataclass(frozen=True)
class _Group:
    digits: str
    end: int
    paren: bool
    sep: str


def _phone_groups(text: str, pos: int) -> Iterator[_Group]:
    """The digit groups of a phone-like run, as far as the separators allow.

    Stops after `_MAX_GROUPS`: no real number has more, and it keeps long runs of
    numbers ("01 01 01 …") from costing quadratic time.
    """
    first = True
    for _ in range(_MAX_GROUPS):
        m = _PHONE_GROUP.match(text, pos)
        if not m:
            return
        sep = m.group("sep")
        if first and sep:  # "+ 46", "00 46": the prefix must touch the country code
            return
        paren = m.group("paren") is not None
        yield _Group(m.group("paren") or m.group("digits"), m.end(), paren, sep)
        pos, first = m.end(), False


def _looks_like_date_or_clock(span: str) -> bool:
    m = _DATE_SHAPE.fullmatch(span)
    if m:
        a, b = int(m.group(1)), int(m.group(3))
        if (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31):
            return True
    if _CLOCK_RANGES.fullmatch(span):
        return all(int(n) <= 24 for n in re.findall(r"\d+", span))
    return False


def _domestic_ok(groups: list[_Group]) -> bool:
    head, rest = groups[0], groups[1:]
    if head.paren and not (2 <= len(head.digits) <= 4):  # "(08)", "(070)", "(0910)"
        return False
    if any(g.paren or len(g.digits) < 2 for g in rest):
        return False
    n = sum(len(g.digits) for g in groups)
    return _DOMESTIC_DIGITS[0] <= n <= _DOMESTIC_DIGITS[1]


def _international_ok(groups: list[_Group]) -> bool:
    if groups[0].paren:
        return False
    # "(0)" after the country code is the optional trunk zero: not dialled, not counted.
    counted = [g for g in groups if not (g.paren and g.digits == "0")]
    # Country code and area code may be one digit ("+1", "+46 8"); later groups may not.
    if any(len(g.digits) < 2 for g in counted[2:]):
        return False
    digits = "".join(g.digits for g in counted)
    if not _INTL_DIGITS[0] <= len(digits) <= _INTL_DIGITS[1]:
        return False
    if digits.startswith("46"):  # Sweden: check the national part more strictly
        national = digits[2:].removeprefix("0")  # "+46 070…" is a common slip
        lo, hi = _SWEDISH_NATIONAL_DIGITS
        return lo <= len(national) <= hi
    return True


def _find_phone(text: str, pos: int) -> tuple[int, int] | None:
    for m in _PHONE_START.finditer(text, pos):
        groups = list(_phone_groups(text, m.end()))
        check = _international_ok if m.group("intl") else _domestic_ok
        # The longest run of groups that is a plausible number: a trailing "12 tält"
        # after a complete number is left alone.
        for k in range(len(groups), 0, -1):
            end = groups[k - 1].end
            if check(groups[:k]) and not _looks_like_date_or_clock(text[m.start() : end]):
                return m.start(), end
    return None


# --------------------------------------------------------------------------- scrub

# Order matters: an e-mail may contain digits, and an identity number may look like a
# bare phone number; the more specific kind goes first.
_FINDERS: tuple[tuple[str, _Finder], ...] = (
    ("emails", _find_email),
    ("personal_ids", _find_personal_id),
    ("phones", _find_phone),
)


def _replace_all(text: str, finder: _Finder) -> tuple[str, int]:
    """Replace what `finder` accepts, left to right.

    The text is rebuilt after each replacement so that the next search's look-behind
    sees `REDACTED`, as a second pass would; otherwise "01-01-01-…" would need one
    pass per number.
    """
    pos = 0
    count = 0
    while span := finder(text, pos):
        start, end = span
        text = text[:start] + REDACTED + text[end:]
        pos = start + len(REDACTED)
        count += 1
    return text, count


def scrub(text: str) -> tuple[str, ScrubCounts]:
    """Replace every e-mail address, identity number and phone number with `REDACTED`.

    Repeats until nothing more is found, so the result never contains an identifier that
    `contains_identifier` would see, and scrubbing twice changes nothing.
    """
    counts = ScrubCounts()
    if not text or not any(ch.isdigit() or ch == "@" for ch in text):
        return text, counts
    while True:
        found = 0
        for kind, finder in _FINDERS:
            text, n = _replace_all(text, finder)
            setattr(counts, kind, getattr(counts, kind) + n)
            found += n
        if not found:  # each pass removes digits or '@', so this ends
            return text, counts


def contains_identifier(text: str) -> bool:
    """True if `text` holds anything `scrub` would remove; a last-line guard before storage."""
    if not text:
        return False
    return any(finder(text, 0) is not None for _, finder in _FINDERS)


# -------------------------------------------------------------- nationality columns

NATIONALITY_COLUMN_WORDS: frozenset[str] = frozenset(
    {
        # English
        "nationality",
        "nationalities",
        "nation",
        "citizenship",
        "citizen",
        "country",
        "country_of_origin",
        "origin_country",
        "country_of_birth",
        "birth_country",
        "home_country",
        "ethnicity",
        # Swedish
        "nationalitet",
        "nationaliteter",
        "medborgarskap",
        "medborgare",
        "ursprungsland",
        "ursprung",
        "hemland",
        "fodelseland",
        "land",
        "etnicitet",
    }
)

# Stems that mark a nationality column inside a longer compound ("nationalitetskod",
# "medborgarskapsland", "citizenships").
_NATIONALITY_STEMS: tuple[str, ...] = (
    "nationalit",
    "medborgar",
    "citizen",
    "ursprungsland",
    "hemland",
    "fodelseland",
    "etnicit",
    "ethnicit",
)

_COMPACT_WORDS = frozenset(w.replace("_", "") for w in NATIONALITY_COLUMN_WORDS)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s\-]+")
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def _normalise_header(header: str) -> str:
    """Lower case, accents folded, camelCase, spaces and hyphens → underscores."""
    text = _CAMEL_BOUNDARY.sub("_", header.strip().lstrip("\ufeff"))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _SEPARATORS.sub("_", text).strip("_")


def is_nationality_column(header: str) -> bool:
    """True for a header that means nationality, citizenship or origin of a person.

    Errs on the side of dropping: the data contract has no column that could be confused
    with these words, and a dropped column is only reported, never stored.
    """
    name = _normalise_header(header)
    if not name:
        return False
    if name in NATIONALITY_COLUMN_WORDS or name.replace("_", "") in _COMPACT_WORDS:
        return True
    tokens = [t for t in _TOKEN_SPLIT.split(name) if t]
    return any(t in NATIONALITY_COLUMN_WORDS or t.startswith(_NATIONALITY_STEMS) for t in tokens)
