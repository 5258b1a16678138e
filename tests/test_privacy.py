"""Identifier removal (PRODUCT.md §6): what must go, what must stay, and the counts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.privacy import (
    NATIONALITY_COLUMN_WORDS,
    REDACTED,
    ScrubCounts,
    contains_identifier,
    is_nationality_column,
    scrub,
)


def luhn_digit(nine: str) -> str:
    """Check digit for YYMMDDNNN, computed here rather than trusted from memory."""
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def pnr(yymmdd: str, serial3: str) -> str:
    """Ten digits YYMMDDNNNC with a valid Luhn digit."""
    return yymmdd + serial3 + luhn_digit(yymmdd + serial3)


def bad_luhn(ten: str) -> str:
    """The same number with a wrong check digit."""
    return ten[:9] + str((int(ten[9]) + 1) % 10)


VALID = pnr("850709", "980")  # 8507099805
SAMORD = pnr("850769", "123")  # day 09 + 60
INVALID = bad_luhn(VALID)


def test_helper_matches_a_known_number() -> None:
    # The brief's example; confirms the helper and the module agree on Luhn.
    assert VALID == "8507099805"


# ----------------------------------------------------------------- personal ids

PERSONAL_ID_FORMS = [
    f"19{VALID[:6]}-{VALID[6:]}",  # 19850709-9805
    f"{VALID[:6]}-{VALID[6:]}",  # 850709-9805
    VALID,  # 8507099805
    f"19{VALID}",  # 198507099805
    f"{VALID[:6]}+{VALID[6:]}",  # over 100 years old
    f"{VALID[:6]} {VALID[6:]}",  # 850709 9805
    f"{VALID[:6]} - {VALID[6:]}",  # 850709 - 9805
    f"19{VALID[:6]} {VALID[6:]}",  # 19850709 9805
    f"{SAMORD[:6]}-{SAMORD[6:]}",  # samordningsnummer 850769-xxxx
    f"19{SAMORD}",
    f"20{pnr('080229', '123')}",  # 29 Feb in a leap year, with century
    pnr("000229", "456"),  # 29 Feb without century
]


@pytest.mark.parametrize("ident", PERSONAL_ID_FORMS)
def test_personal_id_removed_inside_sentence(ident: str) -> None:
    text = f"Mötte man vid bron, pnr {ident}, sov under presenning."
    out, counts = scrub(text)
    assert out == f"Mötte man vid bron, pnr {REDACTED}, sov under presenning."
    assert counts == ScrubCounts(personal_ids=1)
    assert contains_identifier(text)
    assert not contains_identifier(out)


NOT_PERSONAL_IDS = [
    f"{INVALID[:6]}-{INVALID[6:]}",  # wrong Luhn digit
    f"19{INVALID}",
    INVALID,
    "851309-" + pnr("851309", "123")[6:],  # month 13 (check digit valid, date not)
    "850700-" + pnr("850700", "123")[6:],  # day 00
    "850732-" + pnr("850732", "123")[6:],  # day 32
    "850792-" + pnr("850792", "123")[6:],  # day 92 (samordning max 91)
    "19" + pnr("010229", "123"),  # 29 Feb 1901: not a leap year
]


@pytest.mark.parametrize("number", NOT_PERSONAL_IDS)
def test_implausible_personal_id_is_kept(number: str) -> None:
    text = f"Nummer {number} på lappen."
    out, counts = scrub(text)
    assert out == text
    assert counts.personal_ids == 0


def test_bare_ten_digits_failing_luhn_with_phone_shape_is_a_phone() -> None:
    # 070… with a wrong check digit: not an identity number, but a mobile number.
    ten = "0701234567"
    if luhn_digit(ten[:9]) == ten[9]:  # pragma: no cover - guard for the chosen example
        ten = bad_luhn(ten)
    out, counts = scrub(f"ring {ten} ikväll")
    assert out == f"ring {REDACTED} ikväll"
    assert counts == ScrubCounts(phones=1)


def test_bare_ten_digits_passing_luhn_counts_as_personal_id() -> None:
    ten = pnr("070123", "456")  # also a mobile-number shape; documented choice
    out, counts = scrub(f"nr {ten}.")
    assert out == f"nr {REDACTED}."
    assert counts == ScrubCounts(personal_ids=1)


# ------------------------------------------------------------------------ phones

PHONES = [
    "070-123 45 67",
    "0701234567",
    "070 123 45 67",
    "070-1234567",
    "+46 70 123 45 67",
    "+46701234567",
    "+46 (0)70-123 45 67",
    "0046 70 123 45 67",
    "0046701234567",
    "08-123 456 78",
    "08-12345678",
    "08-123 45 67",
    "(08) 123 45 67",
    "+46 8 123 45 67",
    "0910-123 45",
    "+44 20 7946 0958",
    "+1 (212) 555-0123",
    "+358 40 1234567",
    "0049 30 1234567",
]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_removed_inside_sentence(phone: str) -> None:
    text = f"Hon bad oss ringa {phone} imorgon efter kl 10."
    out, counts = scrub(text)
    assert out == f"Hon bad oss ringa {REDACTED} imorgon efter kl 10."
    assert counts == ScrubCounts(phones=1)


@pytest.mark.parametrize("phone", ["070-123 45 67", "+46 70 123 45 67", "08-123 45 67"])
def test_count_after_phone_is_kept(phone: str) -> None:
    out, counts = scrub(f"Kontakt {phone} 12 tält vid kajen, 3 personer")
    assert out == f"Kontakt {REDACTED} 12 tält vid kajen, 3 personer"
    assert counts.phones == 1


# ------------------------------------------------------------------------ e-mail

EMAILS = [
    "anna.svensson@example.se",
    "kalle+jour@stockholm.se",
    "jörgen_åberg@exempel.nu",
    "a.b-c@mail.sub.example.com",
    "8507099805@gmail.com",  # digits inside an address count once, as an e-mail
]


@pytest.mark.parametrize("email", EMAILS)
def test_email_removed_inside_sentence(email: str) -> None:
    text = f"Skickade uppgifter till {email}. Inget svar."
    out, counts = scrub(text)
    assert out == f"Skickade uppgifter till {REDACTED}. Inget svar."
    assert counts == ScrubCounts(emails=1)


def test_at_sign_alone_is_not_an_email() -> None:
    text = "Träffade gruppen @ T-Centralen, skriv till anna@ sen"
    assert scrub(text) == (text, ScrubCounts())


# ------------------------------------------------------------ numbers that stay

KEPT = [
    "3 personer",
    "12 tält",
    "0 personer, 0 barn",
    "kl 22:30",
    "kl 22.30",
    "kl 08.00-10.00",
    "pass 08-10 12-14",
    "2026-11-24",
    "2026-11-24 22:30",
    "24/11",
    "24/11/2026",
    "01-02-2026",
    "24.11.2026",
    "år 2026",
    "1998 och 2004",
    "59.3293, 18.0686",
    "59,3293 18,0686",
    "59.32931234, 18.06861234",
    "6580000 674000",
    "N 6580123 E 674321",
    "118 20 Stockholm",
    "Hornsgatan 124",
    "Hornsgatan 124, 118 20",
    "+5 grader",
    "-3 grader",
    "temp 0.5",
    "nr 1 2 3 4 5 6 7 8",
    "bussar 4 och 94",
    "loggade 00:30",
    "20 kr",
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_numbers_survive(text: str) -> None:
    sentence = f"Noterat: {text}. Allt lugnt."
    assert scrub(sentence) == (sentence, ScrubCounts())
    assert not contains_identifier(sentence)


# ---------------------------------------------------------------- counts, mixing


def test_mixed_note_counts_each_kind_and_keeps_the_rest() -> None:
    text = (
        f"19{VALID[:6]}-{VALID[6:]} sov vid Hornsgatan 124 (59.3181, 18.0600) kl 22:30, "
        "3 personer. Ring 070-123 45 67 eller 08-123 456 78, "
        f"mejla anna@example.se. Kompis {SAMORD[:6]}-{SAMORD[6:]}."
    )
    out, counts = scrub(text)
    assert counts == ScrubCounts(personal_ids=2, phones=2, emails=1)
    assert counts.total() == 5
    assert out == (
        f"{REDACTED} sov vid Hornsgatan 124 (59.3181, 18.0600) kl 22:30, "
        f"3 personer. Ring {REDACTED} eller {REDACTED}, "
        f"mejla {REDACTED}. Kompis {REDACTED}."
    )


def test_counts_add_in_place() -> None:
    total = ScrubCounts()
    total.add(ScrubCounts(personal_ids=1, phones=2))
    total.add(ScrubCounts(emails=3, phones=1))
    assert total == ScrubCounts(personal_ids=1, phones=3, emails=3)
    assert total.total() == 7


def test_empty_and_plain_text() -> None:
    assert scrub("") == ("", ScrubCounts())
    assert scrub("Inga siffror här.") == ("Inga siffror här.", ScrubCounts())
    assert not contains_identifier("")


def test_two_identifiers_back_to_back() -> None:
    out, counts = scrub(f"{VALID}, 0701234566 och a@b.se")
    assert counts.total() == 3
    assert out == f"{REDACTED}, {REDACTED} och {REDACTED}"


# --------------------------------------------------------------- nationality


@pytest.mark.parametrize(
    "header",
    [
        "nationality",
        "Nationality",
        "Nationalitet",
        "medborgarskap",
        "Medborgarskap ",
        "citizenship",
        "country_of_origin",
        "Country of origin",
        "country-of-origin",
        "countryOfOrigin",
        "ursprungsland",
        "Ursprungsland",
        "hemland",
        "land",
        "LAND",
        "nation",
        "Födelseland",
        "fodelseland",
        "nationalitetskod",
        "person_nationality",
        "\ufeffnationalitet",
    ],
)
def test_nationality_headers(header: str) -> None:
    assert is_nationality_column(header)


@pytest.mark.parametrize(
    "header",
    [
        "visit_id",
        "besöks_id",
        "visited_at",
        "datum",
        "tid",
        "lat",
        "lon",
        "latitud",
        "longitud",
        "northing",
        "easting",
        "N",
        "E",
        "nord",
        "öst",
        "place_name",
        "platsnamn",
        "place_type",
        "antal_personer",
        "barn",
        "akut",
        "hänvisad",
        "team",
        "lag",
        "anteckning",
        "kommentar",
        "landmark",
        "stadsdel",
        "",
    ],
)
def test_contract_headers_are_not_nationality(header: str) -> None:
    assert not is_nationality_column(header)


def test_word_list_is_normalised() -> None:
    for word in NATIONALITY_COLUMN_WORDS:
        assert word == word.lower().strip() and " " not in word and "-" not in word


# ------------------------------------------------------------------ properties

# Text that may hold digits and punctuation, so that the surroundings are realistic.
_noise = st.text(
    alphabet=st.sampled_from(list("abcdeåäö ÅÄÖXYZ.,;:!?()-/\n\t0123456789")), max_size=40
)
_plain = st.text(
    alphabet=st.characters(
        blacklist_categories=("Nd", "No", "Nl", "Cs"), blacklist_characters="@\uff20\ufe6b"  # '＠', '﹫' are '@' after NFKC
    ),
    max_size=80,
)


@st.composite
def _personal_id(draw: st.DrawFn) -> str:
    year = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28)) + draw(st.sampled_from([0, 60]))
    serial = draw(st.integers(0, 999))
    ten = pnr(f"{year:02d}{month:02d}{day:02d}", f"{serial:03d}")
    form = draw(st.sampled_from(["plain", "dash", "plus", "space", "century", "century_dash"]))
    century = "19" if year > 26 else "20"
    return {
        "plain": ten,
        "dash": f"{ten[:6]}-{ten[6:]}",
        "plus": f"{ten[:6]}+{ten[6:]}",
        "space": f"{ten[:6]} {ten[6:]}",
        "century": century + ten,
        "century_dash": f"{century}{ten[:6]}-{ten[6:]}",
    }[form]


@st.composite
def _phone(draw: st.DrawFn) -> str:
    sub = draw(st.from_regex(r"[1-9][0-9]{6}", fullmatch=True))
    mobile = draw(st.sampled_from(["70", "72", "73", "76", "79"]))
    form = draw(st.sampled_from(["dash", "plain", "intl", "intl_plain", "00", "stockholm"]))
    return {
        "dash": f"0{mobile}-{sub[:3]} {sub[3:5]} {sub[5:]}",
        "plain": f"0{mobile}{sub}",
        "intl": f"+46 {mobile} {sub[:3]} {sub[3:5]} {sub[5:]}",
        "intl_plain": f"+46{mobile}{sub}",
        "00": f"0046 {mobile} {sub[:3]} {sub[3:5]} {sub[5:]}",
        "stockholm": f"08-{sub[:3]} {sub[3:5]} {sub[5:]}",
    }[form]


_email = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.from_regex(r"[a-zåäö][a-z0-9._]{0,10}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z]", fullmatch=True),
    st.sampled_from(["se", "com", "nu", "org"]),
)

_identifier = st.one_of(_personal_id(), _phone(), _email)
_fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fast
@given(before=_noise, ident=_identifier, after=_noise)
def test_injected_identifier_is_removed(before: str, ident: str, after: str) -> None:
    text = f"{before} {ident} {after}"
    assert contains_identifier(text)
    out, counts = scrub(text)
    assert counts.total() >= 1
    assert ident not in out
    assert not contains_identifier(out)


@_fast
@given(text=st.one_of(_noise, st.builds(lambda a, i, b: f"{a} {i} {b}", _noise, _identifier, _noise)))
def test_scrub_is_idempotent(text: str) -> None:
    once, _ = scrub(text)
    twice, counts = scrub(once)
    assert twice == once
    assert counts.total() == 0


@_fast
@given(text=_plain)
def test_text_without_digits_or_at_is_unchanged(text: str) -> None:
    assert scrub(text) == (text, ScrubCounts())
    assert not contains_identifier(text)
