"""The query catalogue: one .rq file per question in queries/, each with a header comment.

    # title: Agreements by zone for a home institution
    # answers: How a home institution's agreements spread over the world zones.
    # parameters: home (part of the home institution's name; optional)

A parameter ``home`` is the SPARQL variable ``?param_home``, declared in the query's WHERE clause
as ``VALUES ?param_home { UNDEF }``; ``partnerkg query NAME --param home=Grenoble`` fills that
block in, and a query reads an unbound parameter as "any". A query may have a form written for
one home (``queries/for-one-home/NAME.rq``: the same question, planned from the home rather than
from all of them), taken when ``home`` is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import PartnerkgError
from ..paths import QUERIES

ONE_HOME = "for-one-home"  # the folder, beside a query, of its forms for one home
_HEADER = re.compile(r"^#\s*(title|answers|parameters):\s*(.*)$")
_PARAMETER = re.compile(r"(\w+)\s*(?:\(([^)]*)\))?")  # "home (part of a name; optional)": a name, then its note


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    path: Path
    title: str
    answers: str
    parameters: dict[str, str]  # name -> what it is
    text: str
    one_home_text: str = ""  # the form taken when a home is given (for-one-home/NAME.rq), if any

    def sparql(self, values: dict[str, str] | None = None) -> str:
        """The query text with the given parameter values bound; an unknown parameter is an error."""
        values = values or {}
        unknown = sorted(set(values) - set(self.parameters))
        if unknown:
            allowed = ", ".join(self.parameters) or "none"
            raise PartnerkgError(f"query {self.name!r}: unknown parameter(s) {unknown}; allowed: {allowed}")
        text = self.one_home_text if values.get("home") and self.one_home_text else self.text
        for name, value in values.items():
            block = re.compile(rf"VALUES\s+\?param_{name}\s*\{{\s*UNDEF\s*\}}")
            if not block.search(text):
                raise PartnerkgError(f"{self.path}: parameter {name!r} has no 'VALUES ?param_{name} {{ UNDEF }}'")
            bound = f"VALUES ?param_{name} {{ {ox.Literal(value)} }}"
            text = block.sub(lambda _, bound=bound: bound, text)
        return text


def parse_query(path: Path) -> CatalogueQuery:
    """A catalogue query and its header."""
    text = path.read_text(encoding="utf-8")
    header = {}
    for line in text.split("\n"):
        if not line.startswith("#"):
            break
        if match := _HEADER.match(line):
            header[match[1]] = match[2].strip()
    missing = {"title", "answers", "parameters"} - set(header)
    if missing:
        raise PartnerkgError(f"{path}: header comment lacks {sorted(missing)} (see queries/README.md)")
    parameters = {}
    if header["parameters"].lower() != "none":  # "a (what a is; optional), b": split outside the brackets
        for match in _PARAMETER.finditer(header["parameters"]):
            parameters[match[1]] = (match[2] or "").strip()
    one_home = path.parent / ONE_HOME / path.name
    one_home_text = one_home.read_text(encoding="utf-8") if "home" in parameters and one_home.exists() else ""
    return CatalogueQuery(path.stem, path, header["title"], header["answers"], parameters, text, one_home_text)


def catalogue(folder: Path = QUERIES) -> list[CatalogueQuery]:
    """Every query of the catalogue, by name."""
    return [parse_query(path) for path in sorted(folder.glob("*.rq"))]


def find_query(name_or_path: str) -> CatalogueQuery:
    """A query given as the name of a catalogue file, or as a path to any .rq file."""
    path = Path(name_or_path)
    if not path.exists():
        path = QUERIES / (name_or_path if name_or_path.endswith(".rq") else f"{name_or_path}.rq")
    if not path.exists():
        names = ", ".join(q.name for q in catalogue())
        raise PartnerkgError(f"{name_or_path}: no such query; the catalogue has: {names}")
    return parse_query(path) if _HEADER.match(path.read_text(encoding="utf-8").split("\n", 1)[0]) \
        else CatalogueQuery(path.stem, path, path.stem, "", {}, path.read_text(encoding="utf-8"))


def unmatched_parameters(values: dict[str, str], store: Path) -> list[str]:
    """For a query that found nothing: each parameter value that matches none of the values its
    parameter is matched against (``queries/parameters/<name>.rq`` lists them), with those values.
    """
    from .query import query  # the catalogue itself needs no store

    hints = []
    for name, value in sorted(values.items()):
        listing = QUERIES / "parameters" / f"{name}.rq"
        if not listing.exists():
            continue
        known = [row[0] for row in query(listing.read_text(encoding="utf-8"), store).rows]
        if not any(value.lower() in k.lower() for k in known):
            hints.append(f"{name}={value!r} matches nothing; it may be part of any of: {'; '.join(known)}")
    return hints
