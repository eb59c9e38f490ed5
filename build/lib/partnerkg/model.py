"""Plain frozen dataclasses passed from one stage to the next."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Rejection, Skip, Warning_

# The roles a reader can fill in a Record. A manifest maps a document's columns onto these.
ROLES = (
    "country", "partner", "partner_unit", "city", "address", "kind", "kind_detail", "places", "months",
    "referent", "email", "zone", "home_unit", "home_unit_count", "fee_waiver", "date", "valid_until",
    "erasmus_code", "url", "programme", "subject", "notes",
)

# Roles that hold personal data (a person's name, an e-mail address): kept out of the dump unless
# the manifest opts in with ``[project] personal_data = true``.
PERSONAL_ROLES = frozenset({"referent", "email"})

# How the cells of a role mapped to several columns are put together: places add up (places per
# degree programme), notes and links are listed, anything else is one text ("W9" + "Mechaniczny").
JOINERS = {"places": "sum", "notes": "; ", "url": " ", "programme": "; ", "subject": "; "}


@dataclass(frozen=True)
class Record:
    """One agreement as a reader found it: verbatim values by role, and where it was found."""

    source: str
    file: str
    line: int
    text: str
    fields: dict[str, str]
    index: int = 0  # the n-th agreement on one line (002 runs several into one cell)
    locator: str = ""  # where, when a line is not enough: "/results/17", "sheet:Hoja1/12", "page:3/5"
    labels_may_slide: bool = False  # the reader placed labels by content, not by column (a misaligned PDF)
    label_line: int = 0  # where labels may slide: the line the country label was written on
    label_alternatives: tuple[str, ...] = ()  # ... and the labels written just before and after it

    def get(self, role: str) -> str:
        return self.fields.get(role, "")

    @property
    def where(self) -> str:
        return describe(self.line, self.locator)


def describe(line: int, locator: str) -> str:
    """Where a record sits, for people: "line 12", "#/results/17", "sheet Hoja1 row 12", "page 3 row 5"."""
    if not locator:
        return f"line {line}"
    if locator.startswith("/"):
        return f"#{locator}"
    kind, _, rest = locator.partition(":")
    return f"{kind} {rest.replace('/', ' row ')}" if rest else locator


def location_key(line: int, locator: str, index: int = 0) -> str:
    """A record's key, unique and stable within a source, for its agreement IRI.

    >>> location_key(12, ""), location_key(12, "", 1), location_key(3, "/results/17")
    ('L12', 'L12-1', 'results/17')
    >>> location_key(51, "sheet:Original/51"), location_key(2, "page:3/5", 1)
    ('sheet/Original/51', 'page/3/5-1')
    """
    if locator:
        base = "/".join(_segment(s) for s in locator.replace(":", "/").strip("/").split("/"))
    else:
        base = f"L{line}"
    return base if index == 0 else f"{base}-{index}"


def _segment(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="-._~") or "_"


@dataclass(frozen=True)
class UnitCount:
    """A home unit's stated number of agreements (002's "(58)"), to check against what was read."""

    unit: str
    stated: int
    line: int


@dataclass(frozen=True)
class ReadResult:
    records: list[Record] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    unit_counts: list[UnitCount] = field(default_factory=list)
    lines_read: int = 0
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    labels: dict[str, str]  # language -> name


@dataclass(frozen=True)
class AgreementRow:
    """A normalised agreement: what map needs, still free of IRIs."""

    source: str
    file: str
    line: int
    index: int
    text: str
    partner: str  # verbatim name, line breaks folded, OCR marks stripped
    country: str | None  # ISO alpha-2
    country_verbatim: str
    zone: str | None  # zone id stated by the source
    kinds: tuple[str, ...]  # concept ids of the agreement-kind scheme
    kinds_verbatim: tuple[str, ...]
    places_min: int | None
    places_max: int | None
    fee_waiver: bool | None
    city: str
    address: str
    referent: str
    home_unit: str
    date: str
    locator: str = ""
    partner_unit: str = ""
    erasmus_codes: tuple[str, ...] = ()  # canonical Erasmus institution codes ("D  MUNCHEN02")
    url: str = ""
    programme: str = ""
    subject: str = ""
    notes: str = ""
    valid_until: str = ""
    months: int | None = None
    email: str = ""
    places_note: str = ""  # places written as text that is not a number ("Auf Anfrage")
    country_evidence: str = ""  # how the country was known when the row did not say it
    country_reliable: bool = True  # False where labels may have slid against names (a misaligned PDF)
    label_line: int = 0  # the line the country label was written on (where labels may slide)
    country_alternatives: tuple[str, ...] = ()  # the countries of the labels written next to it

    @property
    def key(self) -> str:
        """Unique and stable within a source: the line (or pointer), and the position on it."""
        return location_key(self.line, self.locator, self.index)

    @property
    def where(self) -> str:
        return describe(self.line, self.locator)
