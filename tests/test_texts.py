"""geo/texts.py: every key once, every text in Swedish and English.

A key written twice in the TEXTS literal is not an error in Python: the later one silently
wins, and a page shows another page's label. Several people add texts at the same time,
so the source itself is checked.
"""

from __future__ import annotations

import ast
import collections
import string

from conftest import ROOT
from geo.texts import LANGUAGES, TEXTS


def test_no_key_is_defined_twice():
    tree = ast.parse((ROOT / "geo" / "texts.py").read_text(encoding="utf-8"))
    (texts,) = [n.value for n in ast.walk(tree)
                if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", None) == "TEXTS"]
    keys = [k.value for k in texts.keys]
    assert [k for k, n in collections.Counter(keys).items() if n > 1] == []


def test_every_text_has_both_languages_with_the_same_placeholders():
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    for key, texts in TEXTS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert fields(texts["sv"]) == fields(texts["en"]), key
