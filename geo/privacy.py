"""Removal of direct identifiers from free text, and detection of nationality columns.

PRODUCT.md §6: the people in this data are very vulnerable, so no direct identifier may
reach the database, the rejects or a log. Every text field goes through `scrub()` at
import; the import summary reports `ScrubCounts` per kind. Nationality or citizenship
columns are dropped at import (`is_nationality_column()`), because outreach data mapped
by nationality has been used for removals.

What is removed (each occurrence becomes `REDACTED`):

* Matching runs on a normalised copy of the text (`normalise`): Unicode NFKC (fullwidth
  digits, '＠', NBSP and other compatibility forms), every decimal digit as ASCII, every
  dash or minus (en dash, em dash, U+2212…) as '-', every space (NBSP, thin, narrow,
  ideographic, tab) as ' ', curly double quotes as '"', the division and fraction slashes
  as '/', invisible format characters (zero width space, soft hyphen) dropped. What is removed is mapped back to the original
  characters, so the stored text keeps the rest exactly as written.
* e-mail addresses: `local@domain.tld` (Unicode letters allowed, a dotted domain with a
  letters-only top-level label required); also "anna @ example.se", "anna[at]example.se",
  "anna (at) example(dot)se", "anna at example.se" and quoted local parts
  ('"anna b"@example.se', also with the quotes doubled as in a CSV cell).
* Swedish personal identity numbers: personnummer and samordningsnummer (day + 60),
  `YYYYMMDD-NNNN`, `YYMMDD-NNNN`, `YYMMDDNNNN`, `YYYYMMDDNNNN`, separator `-`, `+`, a
  space or none, with a space allowed around the separator ("850709 9805",
  "850709 - 9805"), and the date written as a date ("1985-07-09-9805", "85.07.09 9805").
  The date must be plausible and the Luhn digit must be right; a number that fails either
  is *not* counted as an identity number. One that passes both is removed even where it
  could be a timestamp ("202601151230"): privacy wins.
* phone numbers: Swedish national form (trunk `0`, 8–10 digits, e.g. "070-123 45 67",
  "0701234567", "08-123 456 78", "(08) 123 45 67", "070/123 45 67", "070.123.45.67") and
  international form (`+` or `00` and a country code; 7–15 digits after the prefix,
  "+46 (0)70-123 45 67"; for +46 the national part must have 7–9 digits), and a Swedish
  mobile number with the country code but no '+' ("46701234567"). Groups may be separated
  by one space, a hyphen or slash (optionally spaced) or parentheses, or dots throughout
  after a first group of three or more digits; every group after the area code has at
  least two digits, so counts such as "3 personer" next to a number are not swallowed.

Decisions worth knowing:

* Order: e-mail, then identity number, then phone. A bare ten-digit number such as
  "0701234567" that is a plausible date *and* passes Luhn is counted as an identity
  number (about 1 in 10 Swedish mobile numbers written without separators do); one that
  fails Luhn is still removed, as a phone number, when it has a phone shape (leading 0).
* A Luhn-failing "personnummer" that does not start with 0 (e.g. a typo such as
  "850709-9806") is left in the text: the brief says such numbers are not identity
  numbers, and numbers of that shape also occur legitimately.
* Kept, because they are not a person's phone number: Stockholm stad's own series
  08-508… (the switchboard 08-508 000 00, Socialjouren and the other city services are
  public numbers the team writes down all the time); a short area code followed by 0
  ("0180-12345" is 018 + a subscriber number starting with 0, which does not exist, as
  is "0100 2000 3000" on an SL card); equal groups of three or more digits longer than a
  phone number ("0123 4567 8901", card and account numbers); other bare numbers starting
  with 46 (invoice and case numbers).
* Dates ("01-02-2026", "01/02/2026") and clock ranges ("08-10 12-14", "08.00-10.00")
  that happen to have a phone shape are kept.
* One matcher: `PREFILTER_SQL`, the pattern ingest runs in DuckDB to pick the cells that
  go through `scrub`, is derived here and is a superset of what `scrub` removes (any
  character that normalisation could change, or an ASCII hint); tests check it with
  DuckDB's own engine.
* Not caught: "anna at gmail dot com" (" dot " spelled with spaces), an address without a
  dot in the domain, a country code in parentheses ("(+46) 70…"), and digits glued to a
  preceding digit or decimal point. Names and street addresses are not identifiers in
  this sense and are not touched.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

REDACTED = "[borttaget]"
# Bumped whenever the matcher learns a form: a database opened by a newer matcher has its
# stored text scrubbed again once (geo.rescrub, run by geo.store).
MATCHER_VERSION = "2"


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

# ----------------------------------------------------------------------- normalisation
# Matching runs on a normalised copy of the text; what is removed is mapped back to the
# original's characters, so the stored text keeps everything that is not an identifier
# exactly as written.

# Dashes that are not in Unicode's "Pd" class but are typed or pasted as one.
_EXTRA_DASHES = frozenset("\u2212\u2043\u02d7\u2796\u207b\u208b\ufe63")
# Curly and other double quotes, for quoted e-mail local parts.
_QUOTES = frozenset("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u275d\u275e\u301d\u301e")
_LINE_BREAKS = frozenset("\n\r\u0085\u2028\u2029")
# Slashes that NFKC leaves alone: a file name cannot hold '/', so "070∕123 45 67" is how a
# phone number with a slash gets into one (the division slash looks the same).
_SLASHES = frozenset("\u2215\u2044\u29f8")


@functools.lru_cache(maxsize=65536)  # bounded: a hostile file may hold every code point
def _norm_char(ch: str) -> str:
    """One character as the matchers see it: NFKC (fullwidth digits, '＠', NBSP…), every
    decimal digit as ASCII, every dash or minus as '-', every space as ' ', every double
    quote as '"', invisible format characters (zero-width space, soft hyphen) dropped."""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c in _LINE_BREAKS:
            out.append("\n" if c not in "\n\r" else c)
        elif c.isspace():
            out.append(" ")
        elif c.isdecimal():
            out.append(str(unicodedata.decimal(c)))
        elif c in _EXTRA_DASHES or unicodedata.category(c) == "Pd":
            out.append("-")
        elif c in _QUOTES:
            out.append('"')
        elif c in _SLASHES:
            out.append("/")
        elif unicodedata.category(c) == "Cf":
            continue
        else:
            out.append(c)
    return "".join(out)


_ASCII_SPACES = str.maketrans({"\t": " ", "\v": " ", "\f": " ", "\x1c": " ", "\x1d": " ", "\x1e": " ",
                               "\x1f": " ", "\x85": "\n"})


def normalise(text: str) -> tuple[str, list[int], list[int]]:
    """The text the matchers see, and for each of its characters the span [start, end) of
    the original characters it came from (one original character may become several)."""
    if text.isascii():
        n = len(text)
        return text.translate(_ASCII_SPACES), list(range(n)), list(range(1, n + 1))
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        piece = ch if ("a" <= ch <= "z" or "A" <= ch <= "Z") else _norm_char(ch)
        parts.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([i + 1] * len(piece))
    return "".join(parts), starts, ends


# Characters that normalisation leaves as they are, so a cell made only of them is its own
# normalised form: printable ASCII, line breaks, and the letters of the Latin, Greek and
# Cyrillic blocks (Swedish, Romanian, Bulgarian… names and notes), each one checked here.
_SAFE_BLOCKS = ((0x00A0, 0x052F), (0x1E00, 0x1EFF))


def _safe_ranges() -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = [(0x0A, 0x0A), (0x0D, 0x0D), (0x20, 0x7E)]
    for lo, hi in _SAFE_BLOCKS:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if not ch.isalpha() or _norm_char(ch) != ch:
                continue
            if ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return ranges


_SAFE = _safe_ranges()

# Every identifier the finders below accept contains one of: an '@'; an "at" between
# '[', '(' or a space and ']', ')' or a space; or seven ASCII digits, each next to the
# following one or at most five characters of ' ()./+-' apart (") - (" between a
# parenthesised trunk zero and area code is the widest gap a phone group allows). The
# finders run on normalised text, and a text of safe characters only is its own
# normalised form. So "a character outside `_SAFE`, OR one of those ASCII hints" is a
# superset of what `scrub` removes. tests/test_privacy_forms.py checks it with DuckDB.
_ASCII_HINT = r"@|[\[( ][Aa][Tt][\]) ]|[0-9](?:[ ()./+-]{0,5}[0-9]){6}"


def _char_class(code: Callable[[int], str]) -> str:
    return "".join(code(a) if a == b else f"{code(a)}-{code(b)}" for a, b in _SAFE)


PREFILTER_SQL = "[^" + _char_class(lambda cp: f"\\x{{{cp:x}}}") + "]|" + _ASCII_HINT
"""RE2 pattern (DuckDB's regexp_matches) for cells that might hold an identifier.

Import sends only matching cells through `scrub`, so a million clean rows cost one SQL
pass; the pattern is derived from the normalisation and the finders here, so the
prefilter and the scrubber cannot disagree."""

_PREFILTER_PY = re.compile("[^" + _char_class(lambda cp: f"\\U{cp:08x}") + "]|" + _ASCII_HINT)


def might_contain_identifier(text: str) -> bool:
    """The prefilter in Python (the same rule as `PREFILTER_SQL`): False means `scrub`
    would leave the text as it is."""
    return bool(text) and _PREFILTER_PY.search(text) is not None


# --------------------------------------------------------------------------- e-mail
# "anna@example.se", "anna @ example.se", "anna[at]example.se", "anna (at) example(dot)se",
# "anna at example.se", '"anna b"@example.se'. The spelled-out forms are only accepted
# with a dotted domain ending in letters, so "kom at 8" or "titta at Centralen" stay.

_AT = r"(?:[ ]?@[ ]?|[ ]?[\[(][ ]?(?i:at)[ ]?[\])][ ]?|[ ](?i:at)[ ])"
_DOT = r"(?:\.|[ ]?[\[(][ ]?(?i:dot)[ ]?[\])][ ]?)"
_EMAIL = re.compile(
    rf"""
    (?:(?<![\w.+%-])\w[\w.+%-]*        # local part, starting with a letter or digit (Unicode allowed)
      | "{{1,2}}[^"\n]{{1,64}}"{{1,2}}   # or a quoted local part (quotes doubled inside a CSV cell)
    )
    {_AT}
    [\w-]+(?:{_DOT}[\w-]+)*            # domain labels
    {_DOT}[^\W\d_]{{2,}}               # a letters-only top-level label: .se, .com, .org
    (?![\w-])                          # not cut in the middle of a longer label
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
    (?:
        (?P<date>\d{6})                # YYMMDD (day + 60 for samordningsnummer)
        (?:[ ]?[-+][ ]?|[ ])?          # '-', '+' (over 100), spaced or not; or a space; or nothing
      |                                # or the date written as a date: "1985-07-09-9805",
        (?P<yy>\d{2})(?P<ds>[-./])(?P<mm>\d{2})(?P=ds)(?P<dd>\d{2})   # "85.07.09 9805"
        (?:[ ]?[-+][ ]?|[ ])
    )
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
        date = m.group("date") or f"{m.group('yy')}{m.group('mm')}{m.group('dd')}"
        # A valid number wins even where it could be a timestamp ("202601151230"):
        # privacy before tidiness.
        if _plausible_date(m.group("century"), date) and _luhn_ok(date + m.group("serial")):
            return m.start(), m.end()
    return None


# -------------------------------------------------------------------------- phones

_PHONE_START = re.compile(
    r"""
    (?<![\d+])(?<!\d[.,:/-])           # not inside a number, decimal, time, date or range
    (?:
        (?P<intl>\+|00)(?=\(?[1-9])    # international prefix, then a country code
      | (?P<bare>(?=46[ -]?(?:\(0\)[ -]?)?7))  # Swedish mobile with the country code, no '+'
      | (?=\(?0[1-9])                  # or a Swedish trunk zero (area code maybe in parentheses)
    )
    """,
    re.VERBOSE,
)

_PHONE_GROUP = re.compile(
    r"""
    (?P<sep>[ ]?[-/][ ]?|[ ]|\.|)       # one (spaced) hyphen or slash, one space, a dot, or nothing
    (?:\((?P<paren>\d{1,4})\)|(?P<digits>\d+))          # "(08)", "(0)" or a run of digits
    """,
    re.VERBOSE,
)

# Dates written with one repeated separator, "01-02-2026", "05 11 26", "01/02/2026": not phone numbers.
_DATE_SHAPE = re.compile(r"(\d{1,2})([- /])(\d{1,2})\2(\d{2}|\d{4})")
# Clock ranges, "08-10 12-14": two-digit groups only.
_CLOCK_RANGES = re.compile(r"\d{2}[ ]?-[ ]?\d{2}(?:[ ,]+\d{2}[ ]?-[ ]?\d{2})+")

_DOMESTIC_DIGITS = (8, 10)  # Swedish numbers with the trunk 0
_INTL_DIGITS = (7, 15)  # after + or 00; 15 is the E.164 maximum
_SWEDISH_NATIONAL_DIGITS = (7, 9)  # after +46, without a trunk 0
_MAX_GROUPS = 9  # 15 digits at most, and only the first two groups may be one digit
# Area codes (with the trunk 0) that are complete at two or three digits: a subscriber
# number never starts with 0, so "0180-12345" (018 + 0…) or "0100 2000 3000" (010 + 0…)
# is not a phone number (a reference, a card or an account number).
_SHORT_AREA_CODES = ("08", "010", "011", "013", "016", "018", "019", "021", "023", "026", "031", "033",
                     "035", "036", "040", "042", "044", "046", "054", "060", "063", "090")
# Stockholm stad's own number series (the switchboard 08-508 000 00, Socialjouren and the
# other city services): public numbers of the service, not of a person, so they stay.
_PUBLIC_SERIES = ("08508",)


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


def _dots_ok(groups: list[_Group]) -> bool:
    """Dots only as in "070.123.45.67": a first group of three or more digits and dots
    throughout, so clock times ("08.30-10.00") and decimals are not phone numbers."""
    seps = [g.sep for g in groups[1:]]
    if "." not in seps:
        return True
    return len(groups[0].digits) >= 3 and all(s == "." for s in seps)


def _card_like(groups: list[_Group], most: int) -> bool:
    """"0123 4567 8901": equal groups of three or more digits, more digits than a phone
    number has: a card or account number, not a phone number with something after it."""
    if len(groups) < 3 or any(g.paren for g in groups):
        return False
    size = len(groups[0].digits)
    return (size >= 3 and all(len(g.digits) == size and g.sep == " " for g in groups[1:])
            and size * len(groups) > most)


def _swedish_national_ok(national: str) -> bool:
    """A Swedish number without its trunk 0: the public series and impossible subscriber
    numbers (an area code followed by 0) are not a person's phone number."""
    with_trunk = "0" + national
    if with_trunk.startswith(_PUBLIC_SERIES):
        return False
    return not any(with_trunk.startswith(code) and with_trunk[len(code)] == "0" for code in _SHORT_AREA_CODES)


def _domestic_ok(groups: list[_Group]) -> bool:
    head, rest = groups[0], groups[1:]
    if head.paren and not (2 <= len(head.digits) <= 4):  # "(08)", "(070)", "(0910)"
        return False
    if any(g.paren or len(g.digits) < 2 for g in rest):
        return False
    digits = "".join(g.digits for g in groups)
    if not _DOMESTIC_DIGITS[0] <= len(digits) <= _DOMESTIC_DIGITS[1]:
        return False
    return _swedish_national_ok(digits[1:])


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
        return lo <= len(national) <= hi and _swedish_national_ok(national)
    return True


def _bare_ok(groups: list[_Group]) -> bool:
    """"46701234567", "46 70 123 45 67": a Swedish mobile number with the country code and
    no '+' (nine national digits starting 70, 72, 73, 76 or 79); other bare numbers
    starting with 46 are too often invoice or case numbers to remove."""
    counted = [g for g in groups if not (g.paren and g.digits == "0")]
    digits = "".join(g.digits for g in counted)
    return (len(digits) == 11 and digits[:2] == "46" and digits[2:4] in ("70", "72", "73", "76", "79")
            and not any(g.paren for g in counted))


def _find_phone(text: str, pos: int) -> tuple[int, int] | None:
    while m := _PHONE_START.search(text, pos):
        pos = m.start() + 1
        groups = list(_phone_groups(text, m.end()))
        if m.group("intl"):
            check, most = _international_ok, _INTL_DIGITS[1]
        elif m.group("bare") is not None:
            check, most = _bare_ok, 11
        else:
            check, most = _domestic_ok, _DOMESTIC_DIGITS[1]
        if _card_like(groups, most):
            pos = groups[-1].end  # the whole run is one card number: no start inside it
            continue
        # The longest run of groups that is a plausible number: a trailing "12 tält"
        # after a complete number is left alone.
        for k in range(len(groups), 0, -1):
            end = groups[k - 1].end
            if (check(groups[:k]) and _dots_ok(groups[:k])
                    and not _looks_like_date_or_clock(text[m.start() : end])):
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


def _replace_all(
    norm: str, starts: list[int], ends: list[int], finder: _Finder, removed: list[tuple[int, int]],
) -> tuple[str, int]:
    """Replace what `finder` accepts in the normalised text, left to right, and note the
    original span each replacement covers in `removed`.

    The normalised text is rebuilt after each replacement so that the next search's
    look-behind sees `REDACTED`, as a second pass would; otherwise "01-01-01-…" would need
    one pass per number. `starts`/`ends` are kept in step (edited in place).
    """
    pos = 0
    count = 0
    size = len(REDACTED)
    while span := finder(norm, pos):
        s, e = span
        a, b = starts[s], ends[e - 1]
        norm = norm[:s] + REDACTED + norm[e:]
        starts[s:e] = [a] * size
        ends[s:e] = [b] * size
        removed.append((a, b))
        pos = s + size
        count += 1
    return norm, count


def _cut(text: str, removed: list[tuple[int, int]]) -> str:
    """The original text with each removed span (merged where they overlap) as `REDACTED`."""
    out: list[str] = []
    pos = 0
    merged: list[list[int]] = []
    for a, b in sorted(removed):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    for a, b in merged:
        out.append(text[pos:a])
        out.append(REDACTED)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def scrub(text: str) -> tuple[str, ScrubCounts]:
    """Replace every e-mail address, identity number and phone number with `REDACTED`.

    Matching runs on the normalised text (`normalise`), the replacement on the original.
    Repeats until nothing more is found, so the result never contains an identifier that
    `contains_identifier` would see, and scrubbing twice changes nothing.
    """
    counts = ScrubCounts()
    if not might_contain_identifier(text):
        return text, counts
    norm, starts, ends = normalise(text)
    removed: list[tuple[int, int]] = []
    while True:
        found = 0
        for kind, finder in _FINDERS:
            norm, n = _replace_all(norm, starts, ends, finder, removed)
            setattr(counts, kind, getattr(counts, kind) + n)
            found += n
        if not found:  # each pass removes digits or '@', so this ends
            break
    return (_cut(text, removed) if removed else text), counts


def contains_identifier(text: str) -> bool:
    """True if `text` holds anything `scrub` would remove; a last-line guard before storage."""
    if not might_contain_identifier(text):
        return False
    norm = normalise(text)[0]
    return any(finder(norm, 0) is not None for _, finder in _FINDERS)


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
