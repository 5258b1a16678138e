"""Form definitions (XLSForm .xlsx or XForm XML): field names, labels and choice labels.

Why: KoboToolbox's default download has the form's *labels* as headers and choice labels
as values (in any of the form's languages), and group prefixes only when the user asked
for them. Headers alone cannot be matched to Uppsök's columns; the form that wrote the
file can. A `FormDef` maps every spelling of a header (name or label in every language,
with or without `group/` or `group-` prefixes, Kobo's `_NAME_latitude` split columns) back
to the field name, and every choice label back to the choice name. Uppsök's own visit
form (forms/uppsok_besok.xlsx) is built in.

An XLSForm is read with calamine (`survey`, `choices`, `settings` sheets; label columns
`label` or `label::LANG`); an XForm is read the way ODK Central and KoboToolbox serve it
(pyxform output: `itext` translations, `select1` items or secondary-instance itemsets).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from geo.columns import normalise_header

ROOT = Path(__file__).resolve().parents[1]
BUILTIN_FORM_PATH = ROOT / "forms" / "uppsok_besok.xlsx"
MAX_FORM_BYTES = 5 * 1024 * 1024  # a form definition is kilobytes; anything bigger is not one


class UnreadableFormError(ValueError):
    """The file is not a form definition Uppsök can read; the message is one sentence."""


@dataclass(frozen=True)
class FormField:
    """One question: its name, the groups it sits in, its type, its labels per language."""

    name: str
    type: str                                  # "geopoint", "select_one", "integer", …
    groups: tuple[str, ...] = ()               # enclosing group/repeat names, outermost first
    labels: tuple[tuple[str, str], ...] = ()   # (language, label)
    list_name: str | None = None               # the choice list of a select_one


@dataclass(frozen=True)
class FormDef:
    """What Uppsök needs of a form: fields and choices (name → labels in every language)."""

    form_id: str
    title: str
    version: str
    fields: tuple[FormField, ...]
    choices: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # list → name → labels

    @property
    def label(self) -> str:
        """How the summary names the form: id and version."""
        return f"{self.form_id} ({self.version})" if self.version else self.form_id

    def header_names(self) -> dict[str, str]:
        """{normalised header spelling: field name} for every spelling an export can use.

        Names and labels, bare or behind every suffix of the group path (`/` Kobo, `-` ODK);
        for a geopoint also Kobo's `_NAME_latitude`/`_longitude` split columns (label in
        place of NAME in a label export), mapped to `NAME#latitude`/`NAME#longitude`. A
        spelling two fields share is ambiguous and left out.
        """
        seen: dict[str, set[str]] = {}

        def add(spelling: str, target: str) -> None:
            seen.setdefault(normalise_header(spelling), set()).add(target)

        for f in self.fields:
            bases = [f.name] + [label for _, label in f.labels if label]
            for base in bases:
                for i in range(len(f.groups) + 1):
                    for sep in ("/", "-"):
                        prefix = sep.join(f.groups[i:])
                        full = f"{prefix}{sep}{base}" if prefix else base
                        add(full, f.name)
                        if f.type == "geopoint":
                            for part in ("latitude", "longitude"):
                                stem = f"_{base}_{part}"
                                add(f"{prefix}{sep}{stem}" if prefix else stem, f"{f.name}#{part}")
        return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and k}

    def to_json(self) -> str:
        """The definition as JSON, for the `profile_forms` table."""
        return json.dumps({
            "form_id": self.form_id, "title": self.title, "version": self.version,
            "fields": [{"name": f.name, "type": f.type, "groups": list(f.groups),
                        "labels": [list(pair) for pair in f.labels], "list_name": f.list_name} for f in self.fields],
            "choices": {k: {n: list(v) for n, v in c.items()} for k, c in self.choices.items()},
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> FormDef:
        """The inverse of `to_json`."""
        data = json.loads(text)
        return cls(
            form_id=data["form_id"], title=data.get("title", ""), version=data.get("version", ""),
            fields=tuple(FormField(f["name"], f["type"], tuple(f["groups"]), tuple((lang, label) for lang, label in f["labels"]),
                                   f.get("list_name")) for f in data["fields"]),
            choices={k: {n: tuple(v) for n, v in c.items()} for k, c in data.get("choices", {}).items()},
        )

    def choice_values(self, field_name: str) -> dict[str, str]:
        """{choice label (any language, lower case): choice name} for a select_one field."""
        f = next((f for f in self.fields if f.name == field_name), None)
        if f is None or not f.list_name:
            return {}
        out: dict[str, str] = {}
        for name, labels in self.choices.get(f.list_name, {}).items():
            for label in labels:
                if label and label.strip().lower() != name.lower():
                    out.setdefault(label.strip().lower(), name)
        return out


# ----------------------------------------------------------------------------- XLSForm

def _label_columns(header: list[str], kind: str) -> list[tuple[int, str]]:
    """(column index, language) of `label` / `label::LANG` columns ("" = no language)."""
    out = []
    for i, h in enumerate(header):
        h = h.strip()
        if h.lower() == kind:
            out.append((i, ""))
        elif h.lower().startswith(kind + "::"):
            out.append((i, h.split("::", 1)[1].strip()))
    return out


def read_xlsform(path: Path) -> FormDef:
    """An XLSForm workbook's survey, choices and settings sheets."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {name.lower(): book.get_sheet_by_name(name).to_python(skip_empty_area=True)
                  for name in book.sheet_names}
    except Exception:  # calamine raises its own error types for broken workbooks
        raise _unreadable(path.name) from None
    if "survey" not in sheets or not sheets["survey"]:
        raise _unreadable(path.name)

    def table(rows: list[list[object]]) -> tuple[list[str], list[list[str]]]:
        if not rows:
            return [], []
        head = [str(h or "").strip() for h in rows[0]]
        body = [[("" if v is None else str(v)).strip() for v in r] + [""] * len(head) for r in rows[1:]]
        return head, body

    head, body = table(sheets["survey"])
    col = {h.lower(): i for i, h in enumerate(head)}
    if "type" not in col or "name" not in col:
        raise _unreadable(path.name)
    labels = _label_columns(head, "label")
    fields: list[FormField] = []
    groups: list[str] = []
    for row in body:
        kind, name = row[col["type"]].strip(), row[col["name"]].strip()
        word = kind.lower().replace("_", " ")
        if word in ("begin group", "begin repeat"):
            groups.append(name)
            continue
        if word in ("end group", "end repeat"):
            if groups:
                groups.pop()
            continue
        if not name:
            continue
        base, _, list_name = kind.partition(" ")
        fields.append(FormField(
            name=name, type=base, groups=tuple(groups),
            labels=tuple((lang, row[i]) for i, lang in labels if row[i]),
            list_name=list_name.strip().split(" ")[0] if base in ("select_one", "select_multiple") else None,
        ))
    choices: dict[str, dict[str, tuple[str, ...]]] = {}
    c_head, c_body = table(sheets.get("choices", []))
    c_col = {h.lower(): i for i, h in enumerate(c_head)}
    if "list_name" in c_col and "name" in c_col:
        c_labels = _label_columns(c_head, "label")
        for row in c_body:
            if row[c_col["list_name"]] and row[c_col["name"]]:
                choices.setdefault(row[c_col["list_name"]], {})[row[c_col["name"]]] = tuple(
                    row[i] for i, _ in c_labels if row[i])
    s_head, s_body = table(sheets.get("settings", []))
    settings = dict(zip([h.lower() for h in s_head], s_body[0])) if s_body else {}
    return FormDef(form_id=settings.get("form_id") or path.stem, title=settings.get("form_title", ""),
                   version=settings.get("version", ""), fields=tuple(fields), choices=choices)


# ----------------------------------------------------------------------------- XForm

_XF = "{http://www.w3.org/2002/xforms}"
_ITEXT = re.compile(r"jr:itext\('([^']+)'\)")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_xform(text: str, name: str = "form.xml") -> FormDef:
    """An XForm as ODK Central (`/forms/ID.xml`) and KoboToolbox serve it."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        raise _unreadable(name) from None
    model = next((e for e in root.iter() if _local(e.tag) == "model"), None)
    if model is None:
        raise _unreadable(name)
    translations: dict[str, dict[str, str]] = {}  # itext id → lang → text
    for tr in model.iter(f"{_XF}translation"):
        lang = tr.get("lang", "")
        for t in tr.iter(f"{_XF}text"):
            value = next((v for v in t.iter(f"{_XF}value") if not v.get("form")), None)
            if value is not None:
                translations.setdefault(t.get("id", ""), {})[lang] = "".join(value.itertext()).strip()
    instances = [e for e in model if _local(e.tag) == "instance"]
    main = next((i for i in instances if not i.get("id")), None)
    if main is None or len(main) == 0:
        raise _unreadable(name)
    data = main[0]
    secondary = {i.get("id"): i for i in instances if i.get("id")}
    types = {b.get("nodeset", ""): (b.get("type") or "string") for b in model.iter(f"{_XF}bind")}

    def labels_of(element: ET.Element | None) -> tuple[tuple[str, str], ...]:
        if element is None:
            return ()
        ref = _ITEXT.search(element.get("ref", ""))
        if ref:
            return tuple((lang, text) for lang, text in translations.get(ref.group(1), {}).items() if text)
        text = "".join(element.itertext()).strip()
        return (("", text),) if text else ()

    body_of: dict[str, ET.Element] = {}
    for e in root.iter():
        if e.get("ref") and _local(e.tag) in ("input", "select1", "select", "upload", "range", "trigger"):
            body_of[e.get("ref", "")] = e
    choices: dict[str, dict[str, tuple[str, ...]]] = {}
    fields: list[FormField] = []

    def walk(node: ET.Element, path: tuple[str, ...]) -> None:
        for child in node:
            tag = _local(child.tag)
            if tag == "meta" and not path:
                continue
            ref = "/" + "/".join((_local(data.tag), *path, tag))
            if len(child):
                walk(child, (*path, tag))
                continue
            control = body_of.get(ref)
            kind = types.get(ref, "string").split(":")[-1]
            list_name = None
            if control is not None and _local(control.tag) == "select1":
                kind, list_name = "select_one", tag
                items = choices.setdefault(list_name, {})
                for item in control.iter(f"{_XF}item"):
                    value = item.find(f"{_XF}value")
                    if value is not None and value.text:
                        items[value.text.strip()] = tuple(t for _, t in labels_of(item.find(f"{_XF}label")))
                itemset = control.find(f"{_XF}itemset")
                if itemset is not None:
                    m = re.match(r"instance\('([^']+)'\)", itemset.get("nodeset", ""))
                    inst = secondary.get(m.group(1)) if m else None
                    for item in (inst.iter(f"{_XF}item") if inst is not None else ()):
                        cname = (item.findtext(f"{_XF}name") or "").strip()
                        itext = (item.findtext(f"{_XF}itextId") or "").strip()
                        label = (item.findtext(f"{_XF}label") or "").strip()
                        texts = tuple(translations.get(itext, {}).values()) if itext else (label,)
                        if cname:
                            items[cname] = tuple(t for t in texts if t)
            label_el = control.find(f"{_XF}label") if control is not None else None
            fields.append(FormField(name=tag, type=kind, groups=path, labels=labels_of(label_el),
                                    list_name=list_name))

    walk(data, ())
    title = next(("".join(e.itertext()).strip() for e in root.iter() if _local(e.tag) == "title"), "")
    return FormDef(form_id=data.get("id", name), title=title, version=data.get("version", ""),
                   fields=tuple(fields), choices=choices)


def _unreadable(name: str) -> UnreadableFormError:
    return UnreadableFormError(
        f"{name} är ingen formulärdefinition (XLSForm .xlsx eller XForm .xml). / "
        f"{name} is not a form definition (XLSForm .xlsx or XForm .xml)."
    )


def read_form(path: Path) -> FormDef:
    """A form definition file, XLSForm or XForm by its suffix."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size > MAX_FORM_BYTES:
        raise _unreadable(path.name)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return read_xlsform(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable(path.name) from None
    return read_xform(text, path.name)


@cache
def builtin_form() -> FormDef:
    """Uppsök's own visit form, read once from forms/uppsok_besok.xlsx."""
    return read_xlsform(BUILTIN_FORM_PATH)
