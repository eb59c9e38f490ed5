"""The project's one exception base class, and the typed problems collected during a build."""

from __future__ import annotations

from dataclasses import dataclass


class PartnerkgError(Exception):
    """Base class of every error partnerkg raises on purpose; the CLI prints it cleanly."""


class ManifestError(PartnerkgError):
    """The manifest (or a setting in it) is missing, malformed or names something unknown."""


class SourceError(PartnerkgError):
    """A whole source document cannot be read (missing file, undecodable bytes, unknown form)."""


class ValidationFailed(PartnerkgError):
    """SHACL validation found violations."""


@dataclass(frozen=True)
class Rejection:
    """A row of a source that did not become an agreement, and why."""

    source: str
    file: str
    line: int
    text: str
    reason: str
    where: str = ""  # "line 12", "#/results/17", "sheet Hoja1 row 12" (empty: the line)

    def __str__(self) -> str:
        if not (self.where or self.line):  # the whole document
            return self.reason if self.reason.startswith(self.file) else f"{self.file}: {self.reason}"
        return f"{self.file}:{self.where or self.line}: {self.reason}" + (f": {self.text!r}" if self.text else "")


@dataclass(frozen=True)
class Skip:
    """A row that is not an agreement and was passed over on purpose (a legend, a total, a page
    footer, an entry the document itself says holds no agreement), and why."""

    source: str
    file: str
    line: int
    text: str
    reason: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.where or self.line}: skipped: {self.reason}: {self.text!r}"


@dataclass(frozen=True)
class Warning_:
    """Something worth a look that did not stop a row (an unmapped kind, a country conflict)."""

    source: str
    file: str
    line: int
    text: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.where or self.line}: {self.message}"
