"""Markdown pages that list partners: headings, bullets and bold names, as universities publish them.

Headings name a country, in one language or several (``#### Allemagne / Deutschland / Germany``),
or a kind of agreement; anything else is a section title. An entry is a bullet (indented relative
to its list, not to the page) or a paragraph that opens with a bold name. In an entry, a link's text
is the name and its URL the partner's address; a trailing ``(Country)`` or a country after a dash
gives the country, ``(Erasmus+)`` or ``– Erasmus`` the kind; a unit or city may follow the name
after a comma. Bullets nested under a partner are its faculties: each is an agreement of its own,
and the partner is then read through them. Front matter and prose are not entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Skip
from ..model import ReadResult, Record
from ..reference import countries, kinds
from ..reference.lexicon import has_unit_word
from ..text import fold_spaces
from .base import Origin, read_text, skip_rules

SETTINGS = frozenset({"skip"})

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^(\s*)(?:[-+*]|\d+[.)])\s+(.*)$")
_BOLD_LEAD = re.compile(r"^\s*(\*\*|__)(.+?)\1(.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_TRAILING_BRACKET = re.compile(r"\s*\(([^()]*)\)\s*$")
_DASH = re.compile(r"\s+[–—-]\s+|\s*[–—]\s*")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")


@dataclass
class _Entry:
    line: int
    text: str
    fields: dict[str, str]
    indent: int
    children: list = field(default_factory=list)


def parse_markdown_list(text: str, part, origin: Origin) -> ReadResult:
    """Records (partner, and what its entry says of country, kind, unit, city, address) from a page."""
    result = ReadResult(lines_read=text.count("\n") + 1)
    rules = skip_rules(part)
    heading: dict[str, str] = {}
    entries: list[_Entry] = []
    base: int | None = None  # the indent of the current list's top-level bullets
    in_front_matter = text.startswith("---")
    for number, line in enumerate(text.split("\n"), origin.first_line):
        if in_front_matter:
            in_front_matter = not (number > origin.first_line and line.strip() in ("---", "..."))
            continue
        if not line.strip():
            continue
        if rule := next((r for r in rules if r.matches_text(line)), None):
            result.skipped.append(Skip(origin.source, origin.file, number, line, rule.reason))
            continue
        if match := _HEADING.match(line):
            heading, base = _heading(match[2], part), None
            continue
        item, bold = _ITEM.match(line), _BOLD_LEAD.match(line)
        if bold and not item and bold[3].strip() == ":":
            continue  # a lead-in, not an entry: "**The institute has agreements with**:"
        if not item and not bold:
            continue  # prose
        indent = len(item[1].expandtabs(4)) if item else 0
        body = item[2] if item else line.strip()
        base = indent if base is None or indent < base else base
        entry = _Entry(number, line, {**heading, **_entry_fields(body, part)}, indent)
        if entry.indent > base and entries and entries[-1].indent < entry.indent:
            entries[-1].children.append(entry)
        elif entry.indent > base and entries and entries[-1].children:
            entries[-1].children.append(entry)
        else:
            entries.append(entry)
    for entry in entries:
        _emit(result, entry, origin)
    return result


def _emit(result: ReadResult, entry: _Entry, origin: Origin) -> None:
    name = entry.fields.get("partner", "")
    if _EMAIL.match(name) or not name:
        result.skipped.append(Skip(origin.source, origin.file, entry.line, entry.text,
                                   "an e-mail address or an empty entry, not a partner"))
        return
    if not entry.children:
        names = [n.strip() for n in name.split(" | ") if n.strip()]
        for index, one in enumerate(names):
            result.records.append(Record(origin.source, origin.file, entry.line, entry.text,
                                         {**entry.fields, "partner": one}, index if len(names) > 1 else 0))
        return
    for child in entry.children:  # a faculty under its institution: the agreement is the faculty's
        unit = child.fields.get("partner", "")
        fields = {**entry.fields, **{k: v for k, v in child.fields.items() if v}, "partner": name,
                  "partner_unit": unit}
        result.records.append(Record(origin.source, origin.file, child.line, f"{entry.text}\n{child.text}", fields))


def _heading(text: str, part) -> dict[str, str]:
    """What a heading sets for the entries under it: a country (in one language or several), or a kind."""
    text = fold_spaces(_LINK.sub(r"\1", text).replace("*", ""))
    if countries.lookup(text) or len(countries.several(text)) == 1:
        return {"country": text}
    if kinds.exact(text, part.kind_labels):
        return {"kind": text}
    return {}


def _entry_fields(body: str, part) -> dict[str, str]:
    """The roles an entry's text gives: partner, url, country, kind, partner unit or city."""
    fields: dict[str, str] = {}
    links = _LINK.findall(body)
    if links:
        fields["url"] = links[0][1]
    body = fold_spaces(_LINK.sub(r"\1", body))
    bold = _BOLD_LEAD.match(body)
    name, rest = (bold[2].strip(), bold[3]) if bold else (body, "")
    if not bold:
        name, rest = _split_tail(name, part)
    for _ in range(3):  # "(Kind) (Country)", "— City (Country)"
        match = _TRAILING_BRACKET.search(rest)
        if not match:
            break
        inner = match[1].strip()
        if countries.lookup(inner) and "country" not in fields:
            fields["country"] = inner
        elif kinds.lookup(inner, part.kind_labels) and "kind" not in fields:
            fields["kind"] = inner
        else:
            break
        rest = rest[:match.start()]
    for piece in [p.strip(" ,;:") for p in re.split(r"\s*,\s*|\s+[–—-]\s+|\s*[–—]\s*", rest) if p.strip(" ,;:")]:
        if countries.lookup(piece) and "country" not in fields:
            fields["country"] = piece
        elif kinds.exact(piece, part.kind_labels) and "kind" not in fields:
            fields["kind"] = piece
        elif has_unit_word(piece):
            fields["partner_unit"] = piece
        elif "city" not in fields and len(piece.split()) <= 4:
            fields["city"] = piece
    fields["partner"] = name.strip(" *_")
    return fields


def _split_tail(text: str, part) -> tuple[str, str]:
    """A plain entry's name and what follows it: "(Erasmus+)" or "– Erasmus" at the end, a country."""
    rest = ""
    while match := _TRAILING_BRACKET.search(text):
        inner = match[1].strip()
        if countries.lookup(inner) or kinds.lookup(inner, part.kind_labels):
            rest = f" ({inner}){rest}"
            text = text[:match.start()]
        else:
            break
    while dashes := list(_DASH.finditer(text)):
        tail = text[dashes[-1].end():].strip()
        if not (kinds.exact(tail, part.kind_labels) or countries.lookup(tail)):
            break
        rest = f", {tail}{rest}"
        text = text[:dashes[-1].start()]
    return text, rest


def read_markdown_list(path: str | Path, part) -> ReadResult:
    text, origin = read_text(path)
    return parse_markdown_list(text, part, origin)
