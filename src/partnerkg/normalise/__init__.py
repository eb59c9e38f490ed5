"""Normalise: turn a reader's verbatim Records into AgreementRows.

Countries go to ISO 3166-1 codes, zones and agreement kinds to concepts of the project's SKOS
schemes, places to a minimum and maximum, OCR marks are stripped from names. A row that cannot
be normalised (no partner, an unknown country) is rejected with a reason.
"""

from __future__ import annotations

from ..errors import Rejection, Warning_
from ..model import AgreementRow, Record
from ..text import fold_spaces
from . import countries, kinds, names, places, zones


def normalise_records(
    records: list[Record],
) -> tuple[list[AgreementRow], list[Rejection], list[Warning_]]:
    """Normalise every record; return the rows, the rejected records and the warnings."""
    rows: list[AgreementRow] = []
    rejections: list[Rejection] = []
    warnings: list[Warning_] = []
    for record in records:
        row, problem, notes = normalise_record(record)
        warnings.extend(Warning_(record.source, record.file, record.line, record.text, n) for n in notes)
        if row is None:
            rejections.append(Rejection(record.source, record.file, record.line, record.text, problem))
        else:
            rows.append(row)
    return rows, rejections, warnings


def normalise_record(record: Record) -> tuple[AgreementRow | None, str, list[str]]:
    """One record to a row, or (None, reason); with notes worth a warning."""
    notes: list[str] = []
    partner, marked = names.clean(record.get("partner"))
    if not partner:
        return None, "no partner institution named", notes
    country_text = fold_spaces(record.get("country"))
    country = countries.lookup(country_text) if country_text else None
    if country_text and country is None:
        return None, f"unknown country {country_text!r} (expected a country name in any language or an ISO code)", notes
    zone_text = fold_spaces(record.get("zone"))
    zone = zones.lookup(zone_text) if zone_text else None
    if zone_text and zone is None:
        notes.append(f"unknown zone {zone_text!r}; the country's standard zone is used")
    kind_texts = tuple(t for t in (fold_spaces(record.get("kind")), fold_spaces(record.get("kind_detail"))) if t)
    kind_ids: list[str] = []
    for text in kind_texts:
        found = kinds.lookup(text)
        if not found:
            notes.append(f"agreement kind {text!r} matches no concept of the scheme; kept verbatim")
        kind_ids.extend(k for k in found if k not in kind_ids)
    try:
        low, high = places.parse(record.get("places"))
    except ValueError as exc:
        return None, str(exc), notes
    waiver_text = record.get("fee_waiver")
    fee_waiver = True if marked or waiver_text.strip() in {"*", "true", "yes", "1"} else None
    return (
        AgreementRow(
            source=record.source,
            file=record.file,
            line=record.line,
            index=record.index,
            text=record.text,
            partner=partner,
            country=country,
            country_verbatim=country_text,
            zone=zone,
            kinds=tuple(kind_ids),
            kinds_verbatim=kind_texts,
            places_min=low,
            places_max=high,
            fee_waiver=fee_waiver,
            city=_value(record.get("city")),
            address=fold_spaces(record.get("address")),
            referent=fold_spaces(record.get("referent")),
            home_unit=fold_spaces(record.get("home_unit")),
            date=fold_spaces(record.get("date")),
        ),
        "",
        notes,
    )


def _value(text: str) -> str:
    """A cell's value, with placeholder dashes read as empty."""
    text = fold_spaces(text)
    return "" if text in {"-", "–", "—", "n/a", "N/A"} else text
