"""The project's one exception base class, and the typed problems collected during a build."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class PartnerkgError(Exception):
    """Base class of every error partnerkg raises on purpose; the CLI prints it cleanly."""


class ManifestError(PartnerkgError):
    """The manifest (or a setting in it) is missing, malformed or names something unknown."""


class SourceError(PartnerkgError):
    """A whole source document cannot be read (missing file, undecodable bytes, unknown form)."""


class ValidationFailed(PartnerkgError):
    """SHACL validation found violations."""


@dataclass(frozen=True)
class Problem:
    """Something about one row (or a whole document) a person should be able to see: where it is,
    its text, and why. Its kind says what became of the row (``severity``)."""

    source: str
    file: str
    line: int  # 0: the whole document
    text: str
    reason: str
    where: str = ""  # "line 12", "#/results/17", "sheet Hoja1 row 12" (empty: the line)
    severity: ClassVar[str] = "problem"

    def __str__(self) -> str:
        if not (self.where or self.line):  # the whole document
            return self.reason if self.reason.startswith(self.file) else f"{self.file}: {self.reason}"
        label = "" if self.severity == "rejected" else f"{self.severity}: "
        quoted = f": {self.text!r}" if self.text else ""
        return f"{self.file}:{self.where or self.line}: {label}{self.reason}{quoted}"


class Rejection(Problem):
    """A row that did not become an agreement: it is reported, with why, and the build goes on."""

    severity = "rejected"


class Skip(Problem):
    """A row that is not an agreement, passed over on purpose (a legend, a total, a page footer, an
    entry the document itself says holds no agreement)."""

    severity = "skipped"


class Warning_(Problem):
    """A row kept, with something worth a look (an unmapped kind, a country put back, a byte replaced)."""

    severity = "warning"
