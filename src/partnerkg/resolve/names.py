"""Names as written: which part names the institution, which a unit of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..reference.lexicon import (
    has_discipline_word,
    has_head_word,
    has_institution_word,
    has_unit_word,
    is_generic,
    starts_with_head,
    starts_with_unit_word,
)
from ..text import fold, words


@dataclass(frozen=True)
class NameParts:
    institution: str
    unit: str | None


@lru_cache(maxsize=1 << 18)  # the same names recur across rows and documents; NameParts is immutable
def split_name(name: str) -> NameParts:
    """The institution a name refers to, and the unit of it the name names, if any.

    >>> split_name("Faculté d'Ingénierie, Université de Waterloo")
    NameParts(institution='Université de Waterloo', unit="Faculté d'Ingénierie")
    >>> split_name("Gembloux Agro Bio Tech / Université de Liège")
    NameParts(institution='Université de Liège', unit='Gembloux Agro Bio Tech')
    >>> split_name("UPC - Castelldefels School of Telecommunications and Aerospace Engineering")
    NameParts(institution='UPC', unit='Castelldefels School of Telecommunications and Aerospace Engineering')
    >>> split_name("Université de Californie, Berkeley")
    NameParts(institution='Université de Californie, Berkeley', unit=None)
    >>> split_name("Technion - Israel Institute of Technology")
    NameParts(institution='Technion - Israel Institute of Technology', unit=None)
    """
    trailing = _trailing_unit(name)
    if trailing.unit:
        inner = split_name(trailing.institution)
        return NameParts(inner.institution, ", ".join(u for u in (inner.unit, trailing.unit) if u))
    parts = _split_outside_brackets(name, ",")
    if len(parts) == 1:
        genitive = _split_genitive(name)
        return genitive if genitive.unit else _split_alternatives(name)
    if any(has_institution_word(p) for p in parts):
        k = max(i for i, p in enumerate(parts) if has_institution_word(p))
    elif starts_with_unit_word(parts[0]):
        k = len(parts) - 1
    else:
        heads = [i for i, p in enumerate(parts) if has_head_word(p)]
        k = heads[-1] if heads else 0
    units = parts[:k]
    institution = [parts[k]]
    for part in parts[k + 1:]:
        (units if has_unit_word(part) or has_discipline_word(part) or has_institution_word(part)
         else institution).append(part)
    inner = _split_alternatives(", ".join(institution))
    if inner.unit:
        units.append(inner.unit)
    return NameParts(inner.institution, ", ".join(units) or None)


_TRAILING_BRACKET = re.compile(r"^(?P<name>.+?)\s*\((?P<inner>[^()]+)\)\s*$")
_GLUED_UNIT = re.compile(r"^(?P<name>.+?)\s*-\s*(?P<unit>(?:faculty|faculté|fakultät|facultad|school|department|"
                         r"département|departamento|college|institute|division)\b.*)$", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^(?P<name>.*\S)\s+(?P<unit>(?:school|faculty|college|fakultät|faculté|facultad|"
                         r"department|département)\s+(?:of|de|des|du|für|fur|d')\b.*)$", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")


def _trailing_unit(name: str) -> NameParts:
    """A unit written after the institution's name: in brackets, after a hyphen, or straight after it.

    >>> _trailing_unit("University of Tokyo (College of Arts and Sciences)")
    NameParts(institution='University of Tokyo', unit='College of Arts and Sciences')
    >>> _trailing_unit("Aarhus University (정치외교)")
    NameParts(institution='Aarhus University', unit='정치외교')
    >>> _trailing_unit("University of Iceland-Faculty of Electrical and Computer Engineering")
    NameParts(institution='University of Iceland', unit='Faculty of Electrical and Computer Engineering')
    >>> _trailing_unit("Aalto University School of Business")
    NameParts(institution='Aalto University', unit='School of Business')
    >>> _trailing_unit("London School of Economics"), _trailing_unit("Kungliga Tekniska Högskolan (KTH)")
    (NameParts(institution='London School of Economics', unit=None), \
NameParts(institution='Kungliga Tekniska Högskolan (KTH)', unit=None))
    >>> _trailing_unit("University College of Southeast Norway")
    NameParts(institution='University College of Southeast Norway', unit=None)
    >>> _trailing_unit("University College London"), _trailing_unit("NEOMA Business School (Rouen/Reims/Paris)")
    (NameParts(institution='University College London', unit=None), \
NameParts(institution='NEOMA Business School (Rouen/Reims/Paris)', unit=None))
    """
    if match := _TRAILING_BRACKET.match(name):
        inner = match["inner"].strip()
        foreign = _LATIN.search(match["name"]) and not _LATIN.search(inner)  # a note in another script
        is_unit = foreign or starts_with_unit_word(inner) or starts_with_head(inner)
        if is_unit and has_institution_word(match["name"]) and not has_institution_word(inner):
            return NameParts(match["name"].strip(), inner)
    for pattern in (_GLUED_UNIT, _UNIT_AFTER):
        match = pattern.match(name)
        if match and has_institution_word(match["name"]) and not has_institution_word(match["unit"]) \
                and "(" not in match["name"] and _names_something(match["name"]):
            return NameParts(match["name"].strip(), match["unit"].strip())
    return NameParts(name, None)


def _names_something(name: str) -> bool:
    """Whether a name holds a word of its own, not only generic ones ("University" alone does not)."""
    return any(not is_generic(w) for w in words(name))


_GENITIVE = re.compile(r"\s+(?:der|des|de la|de l'|du|of the|of|de|della|del|di)\s+(?=\S)", re.IGNORECASE)


def _split_genitive(name: str) -> NameParts:
    """A unit named in the genitive of its institution: "Juristische Fakultät der Georg-August
    Universität Göttingen", "Graduate School of Science of the University of Tokyo".

    >>> _split_genitive("Juristischen Fakultät der Georg-August Universität Göttingen")
    NameParts(institution='Georg-August Universität Göttingen', unit='Juristischen Fakultät')
    >>> _split_genitive("Faculté de Droit")
    NameParts(institution='Faculté de Droit', unit=None)
    """
    if not has_unit_word(name):
        return NameParts(name, None)
    for match in _GENITIVE.finditer(name):
        unit, institution = name[:match.start()], name[match.end():]
        if has_unit_word(unit) and has_institution_word(institution) and not has_unit_word(institution) \
                and institution[:1].isupper():
            return NameParts(institution, unit)
    return NameParts(name, None)


def _split_alternatives(name: str) -> NameParts:
    """Split at " / " or " - " where one side is a unit of the other."""
    for separator in ("/", " - "):
        parts = [p.strip() for p in _split_outside_brackets(name, separator)]
        if len(parts) < 2:
            continue
        strong = [p for p in parts if has_institution_word(p)]
        if separator == "/" and len(strong) == 1:
            return NameParts(strong[0], ", ".join(p for p in parts if p != strong[0]))
        units = [p for p in parts if has_unit_word(p) and not has_institution_word(p)]
        if units and len(units) < len(parts):
            return NameParts(" ".join(p for p in parts if p not in units), ", ".join(units))
    return NameParts(name, None)


def _split_outside_brackets(text: str, separator: str) -> list[str]:
    parts, depth, quote, start = [], 0, False, 0
    i = 0
    while i < len(text):
        char = text[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == '"':
            quote = not quote
        elif text.startswith(separator, i) and depth == 0 and not quote:
            parts.append(text[start:i].strip())
            start = i + len(separator)
            i = start
            continue
        i += 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z0-9&.\- ]{1,11})\)\s*$")
_DASHED_ACRONYM = re.compile(r"\s+[-–]\s+[A-Z][A-Z0-9&.]{1,9}\s*$")


@lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """What two spellings of one name share: folded, a trailing "(ACRONYM)" or " - ACRONYM" dropped.

    >>> name_key("Kungliga Tekniska Högskolan (KTH)") == name_key("Kungliga tekniska högskolan")
    True
    >>> name_key("Technical University of Denmark - DTU"), name_key("RWTH - Aachen")
    ('technical university of denmark', 'rwth aachen')
    """
    if any(c.islower() for c in name):  # in a name of capitals, a last word is no acronym
        name = _DASHED_ACRONYM.sub("", name)
    return fold(_ACRONYM.sub("", name)) or fold(name)


_BRACKETED = re.compile(r"\(([^()]+)\)")


def bracketed_names(name: str) -> list[str]:
    """Other names of an institution written in brackets after its name.

    >>> bracketed_names("Université Nationale de la Pêche de Pusan (Université Nationale de Pukyong)")
    ['Université Nationale de Pukyong']
    >>> bracketed_names("Kungliga Tekniska Högskolan (KTH)"), bracketed_names("Université Océanique de Chine (Qingdao)")
    ([], [])
    """
    return [inner.strip() for inner in _BRACKETED.findall(name)
            if has_institution_word(inner) and len(inner.split()) >= 2]
