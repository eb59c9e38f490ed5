"""Generate: a realistic corpus of any size, to measure speed and identity resolution.

Partners are drawn from the ROR extract with Zipf popularity (a few institutions in many lists,
most in one or two), named as partner lists name them: ROR's display name, its label in the
document's language, an alias, the name with its acronym, a faculty of it, in capitals. Each
document (500 agreements by default) has a home institution, a language (headers, country names,
agreement kinds in that language) and a form (Markdown table, CSV, TSV, JSON under a key, JSON
Lines); about one row in 300 is bad (an unknown country, no partner). Beside the documents: a
manifest, a copy of the ROR extract and ``labels.json``, the identity labels
``partnerkg eval-resolution`` scores a build against (``same``: names of one institution;
``different``: look-alikes, two institutions of one city; ``ror``: each group's ROR id).
Same arguments, same bytes.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import io
import json
import random
import shutil
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from babel import Locale

from .atomic import write_atomic
from .errors import PartnerkgError
from .paths import EXAMPLE

ROR_EXTRACT = EXAMPLE / "ror" / "ror-v2-education.json.gz"
FORMS = ("markdown-table", "csv", "tsv", "json", "jsonl")
ROLES = ("country", "partner", "kind", "places", "home_unit")
LANGUAGES = {  # headers in the order of ROLES, faculties, agreement kinds
    "fr": (("Pays", "Établissement partenaire", "Type d'accord", "Places", "Composante"),
           ("Faculté des sciences", "Faculté de médecine", "École d'ingénieurs"),
           ("Accord bilatéral", "Double diplôme", "Erasmus+", "Accord-cadre")),
    "de": (("Land", "Partnerhochschule", "Art der Vereinbarung", "Plätze", "Fakultät"),
           ("Fakultät für Informatik", "Medizinische Fakultät", "Fakultät für Maschinenbau"),
           ("Bilaterale Vereinbarung", "Erasmus+", "Doppelabschluss")),
    "es": (("País", "Universidad socia", "Tipo de convenio", "Plazas", "Centro"),
           ("Facultad de Ciencias", "Facultad de Medicina", "Escuela de Ingeniería"),
           ("Convenio bilateral", "Erasmus+", "Doble titulación")),
    "it": (("Paese", "Università partner", "Tipo di accordo", "Posti", "Dipartimento"),
           ("Dipartimento di Ingegneria", "Dipartimento di Fisica", "Scuola di Medicina"),
           ("Accordo bilaterale", "Erasmus+", "Doppio titolo")),
    "pt": (("País", "Instituição parceira", "Tipo de acordo", "Vagas", "Unidade"),
           ("Faculdade de Ciências", "Faculdade de Medicina", "Escola de Engenharia"),
           ("Acordo bilateral", "Erasmus+", "Dupla titulação")),
    "pl": (("Kraj", "Uczelnia partnerska", "Rodzaj umowy", "Miejsca", "Wydział"),
           ("Wydział Chemiczny", "Wydział Lekarski", "Wydział Mechaniczny"),
           ("Umowa bilateralna", "Erasmus+")),
    "en": (("Country", "Partner institution", "Agreement type", "Places", "Faculty"),
           ("School of Engineering", "Faculty of Medicine", "Faculty of Science"),
           ("Bilateral agreement", "Erasmus+", "Double degree")),
}
BAD_ROW_EVERY = 300  # about one row in this many is bad


@dataclass(frozen=True)
class Institution:
    ror: str
    display: str
    country: str
    city: str
    labels: dict[str, str]  # language -> label
    aliases: tuple[str, ...]
    acronym: str


@dataclass(frozen=True)
class Generated:
    folder: Path
    documents: int
    agreements: int  # rows written, bad ones included
    bad_rows: int


def generate(agreements: int, folder: str | Path, seed: int = 1, per_document: int = 500) -> Generated:
    """Write a corpus of ``agreements`` rows under ``folder`` (its manifest, documents, labels).

    >>> import tempfile
    >>> corpus = generate(1200, Path(tempfile.mkdtemp()) / "corpus")
    >>> corpus.documents, corpus.agreements, sorted(p.name for p in corpus.folder.iterdir())
    (3, 1200, ['labels.json', 'manifest.toml', 'ror.json.gz', 'sources'])
    """
    if agreements < 1 or per_document < 1:
        raise PartnerkgError("generate: the number of agreements and agreements per document must be at least 1")
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise PartnerkgError(f"{folder}: not empty; generate writes into a new folder")
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    pool = _institutions()
    rng = random.Random(seed)
    rng.shuffle(pool)
    popularity = list(accumulate(1 / rank for rank in range(1, len(pool) + 1)))  # Zipf, s = 1
    names: dict[str, set[str]] = defaultdict(set)  # ROR id -> names written
    entries, bad = [], 0
    languages = sorted(LANGUAGES)
    for number, start in enumerate(range(0, agreements, per_document), 1):
        count = min(per_document, agreements - start)
        home = pool[rng.randrange(len(pool))]
        language, form = languages[number % len(languages)], FORMS[number % len(FORMS)]
        rows = []
        for _ in range(count):
            partner = pool[bisect.bisect_left(popularity, rng.random() * popularity[-1])]
            row, name = _row(partner, language, rng)
            if rng.randrange(BAD_ROW_EVERY) == 0:  # no partner, or a country no one knows and a garbled name
                row[:2] = ["Atlantide", "???"] if rng.random() < 0.5 else [row[0], ""]
                bad += 1
            elif partner.ror != home.ror:
                names[partner.ror].add(name)
            rows.append(row)
        path = f"sources/doc-{number:05d}.{_extension(form)}"
        write_atomic(folder / path, _document(rows, form, LANGUAGES[language][0]))
        entries.append(_entry(number, path, language, form, home))
    shutil.copyfile(ROR_EXTRACT, folder / "ror.json.gz")
    write_atomic(folder / "manifest.toml", _manifest(agreements, seed, entries))
    write_atomic(folder / "labels.json", _labels(pool, names))
    return Generated(folder, len(entries), agreements, bad)


def _institutions() -> list[Institution]:
    """Active ROR records with a country and a city, in id order (shuffled by the caller's seed)."""
    with gzip.open(ROR_EXTRACT, "rt", encoding="utf-8") as file:
        records = json.load(file)
    pool = []
    for record in sorted(records, key=lambda r: r["id"]):
        place = (record.get("locations") or [{}])[0].get("geonames_details", {})
        display = next((n["value"] for n in record["names"] if "ror_display" in n.get("types", ())), "")
        if record.get("status") != "active" or not place.get("country_code") or not place.get("name") or not display:
            continue
        labels = {n["lang"]: n["value"] for n in record["names"] if "label" in n.get("types", ()) and n.get("lang")}
        aliases = tuple(n["value"] for n in record["names"] if "alias" in n.get("types", ()))
        acronym = next((n["value"] for n in record["names"] if "acronym" in n.get("types", ())), "")
        pool.append(Institution(record["id"], display, place["country_code"], place["name"], labels, aliases,
                                acronym))
    return pool


def _row(partner: Institution, language: str, rng: random.Random) -> tuple[list[str], str]:
    """A row naming ``partner`` as lists do; returns the row and the partner's name as written."""
    faculties, kinds = LANGUAGES[language][1], LANGUAGES[language][2]
    name = _name(partner, language, rng)
    country = Locale.parse(language).territories.get(partner.country, partner.country)
    if rng.random() < 0.1:
        country = country.upper()
    written = f"{rng.choice(faculties)}, {name}" if rng.random() < 0.08 else name
    places = rng.choice(("", "1", "2", "2-4", "3", "5"))
    home_unit = rng.choice(faculties) if rng.random() < 0.5 else ""
    return [country, written, rng.choice(kinds), places, home_unit], written


def _name(partner: Institution, language: str, rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.2 and language in partner.labels:
        return partner.labels[language]
    if choice < 0.27 and partner.aliases:
        return rng.choice(partner.aliases)
    if choice < 0.34 and partner.acronym:
        return f"{partner.display} ({partner.acronym})"
    if choice < 0.39:
        return partner.display.upper()
    return partner.display


def _extension(form: str) -> str:
    return {"markdown-table": "md", "csv": "csv", "tsv": "tsv", "json": "json", "jsonl": "jsonl"}[form]


def _document(rows: list[list[str]], form: str, headers: tuple[str, ...]) -> bytes:
    if form == "markdown-table":
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if form in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";" if form == "csv" else "\t", lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")
    records = [dict(zip(headers, row, strict=True)) for row in rows]
    if form == "json":
        return json.dumps({"count": len(records), "results": records}, ensure_ascii=False, indent=1).encode("utf-8")
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def _entry(number: int, path: str, language: str, form: str, home: Institution) -> str:
    headers = LANGUAGES[language][0]
    reader = {"csv": "delimited", "tsv": "delimited"}.get(form, form)
    settings = {"csv": 'settings = { separator = ";" }\n', "tsv": 'settings = { separator = "\\t" }\n',
                "json": 'settings = { records = "results" }\n'}.get(form, "")
    columns = "".join(f"{role} = {json.dumps(header, ensure_ascii=False)}\n" for role, header in zip(ROLES, headers,
                                                                                                     strict=True))
    return (f'[[source]]\nid = "doc-{number:05d}"\npath = "{path}"\nlanguage = "{language}"\n'
            f"home = {{ name = {json.dumps(home.display, ensure_ascii=False)}, country = \"{home.country}\", "
            f'ror = "{home.ror}" }}\nform = "{reader}"\n{settings}[source.columns]\n{columns}')


def _manifest(agreements: int, seed: int, entries: list[str]) -> bytes:
    head = (f"# Generated by `partnerkg generate --agreements {agreements} --seed {seed}`: partners drawn from\n"
            "# the ROR extract with Zipf popularity; labels.json holds the identity labels.\n\n"
            f'[project]\ntitle = "Generated corpus of {agreements} agreements"\nror = "ror.json.gz"\n\n')
    return (head + "\n".join(entries)).encode("utf-8")


def _labels(pool: list[Institution], names: dict[str, set[str]]) -> bytes:
    """Groups of names of one institution (two names at least), their ROR ids, and look-alikes:
    institutions of one city that both appear."""
    by_id = {i.ror: i for i in pool}
    writers: dict[str, int] = defaultdict(int)
    for written in names.values():
        for name in written:
            writers[name] += 1
    names = {r: {n for n in written if writers[n] == 1} for r, written in names.items()}  # no name of two
    names = {r: written for r, written in names.items() if written}
    same, ror = {}, {}
    for record_id in sorted(names):
        if len(names[record_id]) > 1:
            group = by_id[record_id].display
            same[group] = sorted(names[record_id])
            ror[group] = record_id
    by_city: dict[tuple[str, str], list[Institution]] = defaultdict(list)
    for record_id in sorted(names):
        by_city[(by_id[record_id].country, by_id[record_id].city)].append(by_id[record_id])
    different = []
    for together in by_city.values():
        for a, b in zip(together, together[1:], strict=False):
            different.append([sorted(names[a.ror])[0], sorted(names[b.ror])[0]])
    about = ("Generated by partnerkg generate: 'same' are the names one ROR record was written as; 'different' "
             "pairs name two institutions of one city; 'ror' is each group's record.")
    document = {"about": about, "same": same, "different": different[:1000], "ror": ror}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
