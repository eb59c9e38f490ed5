"""Normalise: turn a reader's verbatim Records into AgreementRows.

Countries go to ISO 3166-1 codes, zones and agreement kinds to concepts of the project's SKOS
schemes (with the manifest's own kind labels), places to a minimum and maximum, Erasmus codes to
their canonical form, OCR marks are stripped from names. A country no one can read is left for
resolution to find (resolve.locate): the row is rejected only if nothing tells where its partner is.
"""

from __future__ import annotations

from ..errors import Rejection, Warning_
from ..model import AgreementRow, Record
from ..reference import countries, erasmus, kinds, zones
from ..text import fold, fold_spaces
from . import names, places

PLACEHOLDERS = {"-", "–", "—", "n/a", "N/A", "na", "NA", "?", "º"}


def normalise_records(
    records: list[Record], kind_labels: tuple[tuple[str, str], ...] = (),
) -> tuple[list[AgreementRow], list[Rejection], list[Warning_]]:
    """Normalise every record; return the rows, the rejected records and the warnings."""
    rows: list[AgreementRow] = []
    rejections: list[Rejection] = []
    warnings: list[Warning_] = []
    for record in records:
        row, problem, notes = normalise_record(record, kind_labels)
        warnings.extend(Warning_(record.source, record.file, record.line, record.text, n, record.where) for n in notes)
        if row is None:
            rejections.append(Rejection(record.source, record.file, record.line, record.text, problem, record.where))
        else:
            rows.append(row)
    return rows, rejections, warnings


def normalise_record(record: Record, kind_labels: tuple = ()) -> tuple[AgreementRow | None, str, list[str]]:
    """One record to a row, or (None, reason); with notes worth a warning."""
    notes: list[str] = []
    partner, marked = names.clean(record.get("partner"))
    if not partner:
        return None, "no partner institution named", notes
    kind_texts = [t for t in (fold_spaces(record.get("kind")), fold_spaces(record.get("kind_detail"))) if t]
    country_text = _value(record.get("country"))
    country = countries.lookup(country_text) if country_text else None
    named = countries.several(country_text) if country_text and country is None else []
    if named:  # "FR y US": the first, unless what is known of the partner says another of them
        country = named[0]
        if len(named) > 1:
            notes.append(f"the row names several countries ({', '.join(named)}); one is taken")
    if country_text and country is None and kinds.exact(country_text, kind_labels):
        # a heading naming a programme where the others name countries ("Almeida Garrett")
        kind_texts.append(country_text)
        country_text = ""
    zone_text = fold_spaces(record.get("zone"))
    zone = zones.lookup(zone_text) if zone_text else None
    if zone_text and zone is None:
        notes.append(f"unknown zone {zone_text!r}; the country's standard zone is used")
    kind_ids: list[str] = []
    for text in kind_texts:
        found = kinds.lookup(text, kind_labels)
        if not found:
            notes.append(f"agreement kind {text!r} matches no concept of the scheme; kept verbatim")
        kind_ids.extend(k for k in found if k not in kind_ids)
    offered = places.parse(_value(record.get("places")))
    if offered.note and any(c.isdigit() for c in offered.note):  # "Auf Anfrage" (on request) needs no look
        notes.append(f"places {offered.note!r} is not a number or a range; kept as written")
    months_text = _value(record.get("months"))
    fee_waiver = True if marked else _yes_no(record.get("fee_waiver"))
    if fee_waiver is None and record.get("fee_waiver").strip():
        notes.append(f"fee waiver {record.get('fee_waiver').strip()!r} is neither yes nor no; left unstated")
    return (
        AgreementRow(
            source=record.source, file=record.file, line=record.line, index=record.index, text=record.text,
            partner=partner, country=country, country_verbatim=country_text, zone=zone,
            kinds=tuple(kind_ids), kinds_verbatim=tuple(kind_texts),
            places_min=offered.low, places_max=offered.high, fee_waiver=fee_waiver,
            city=_first_line(record.get("city")), address=fold_spaces(record.get("address")),
            referent=fold_spaces(record.get("referent")), home_unit=fold_spaces(record.get("home_unit")),
            date=_value(record.get("date")), locator=record.locator,
            partner_unit=fold_spaces(record.get("partner_unit")),
            erasmus_codes=tuple(erasmus.parse(record.get("erasmus_code"))),
            url=_value(record.get("url")), programme=_value(record.get("programme")),
            subject=_value(record.get("subject")), notes=fold_spaces(record.get("notes")),
            valid_until=_value(record.get("valid_until")),
            months=places.months(months_text) if months_text else None,
            email=_value(record.get("email")), places_note=offered.note,
            country_reliable=not (record.labels_may_slide or len(named) > 1), label_line=record.label_line,
            country_alternatives=tuple(named[1:]) or tuple(c for c in map(countries.lookup, record.label_alternatives)
                                                           if c),
        ),
        "",
        notes,
    )


_YES = frozenset({"*", "x", "true", "yes", "y", "1", "oui", "ja", "si", "sim", "tak", "sì"})
_NO = frozenset({"false", "no", "n", "0", "non", "nein", "nao", "nie", "nee", "nej"})


def _yes_no(text: str) -> bool | None:
    """A yes or a no in the languages of partner lists; None when the cell says neither (or nothing).

    >>> _yes_no("Oui"), _yes_no("no"), _yes_no(" Não "), _yes_no("on request"), _yes_no("")
    (True, False, False, None, None)
    """
    folded = fold(text).strip()
    return True if folded in _YES else False if folded in _NO else None


def _value(text: str) -> str:
    """A cell's value, with placeholder dashes read as empty."""
    text = fold_spaces(text)
    return "" if text in PLACEHOLDERS else text


def _first_line(text: str) -> str:
    """A city: the first line of its cell, without the remarks a list adds after it."""
    first = text.strip().split("\n")[0]
    return _value(first.split("(")[0] if first.count("(") > first.count(")") else first)
