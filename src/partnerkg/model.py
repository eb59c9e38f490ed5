"""Plain frozen dataclasses passed from one stage to the next."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Rejection, Warning_

# The roles a reader can fill in a Record. A manifest maps a document's columns onto these.
ROLES = (
    "country", "partner", "city", "address", "kind", "kind_detail", "places", "referent",
    "zone", "home_unit", "home_unit_count", "fee_waiver", "date",
)


@dataclass(frozen=True)
class Record:
    """One agreement as a reader found it: verbatim values by role, and where it was found."""

    source: str
    file: str
    line: int
    text: str
    fields: dict[str, str]
    index: int = 0  # the n-th agreement on one line (002 runs several into one cell)

    def get(self, role: str) -> str:
        return self.fields.get(role, "")


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

    @property
    def key(self) -> str:
        """Unique and stable within a source: the line, and the position on the line."""
        return f"L{self.line}" if self.index == 0 else f"L{self.line}-{self.index}"
