"""The build report: per-source counts, stated against found unit counts, rejections, warnings."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..errors import PartnerkgError, Rejection, Skip, Warning_


@dataclass(frozen=True)
class SourceSummary:
    source: str
    file: str
    encoding: str
    lines_read: int
    rows_read: int  # agreements + skipped + rejected
    agreements: int
    rejected: int
    warnings: int
    skipped: int = 0
    withheld: bool = False  # its rows failed SHACL: left out of the published graph
    title: str = ""  # the manifest's title of the document
    home: str = ""  # the manifest's name of the home institution ('' when the document does not say)
    date: str = ""  # the document's date, from the manifest


@dataclass(frozen=True)
class UnitCheck:
    source: str
    unit: str
    line: int
    stated: int
    found: int
    fault: str = ""  # where they differ: whether the build or the document is likely at fault, and why

    @property
    def differs(self) -> bool:
        return self.stated != self.found


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _problems_csv(problems) -> str:
    """Problems of one severity as CSV: where each is, why, and the row's text."""
    return _csv(["source", "file", "line", "where", "reason", "text"],
                [[p.source, p.file, p.line, p.where, p.reason, p.text] for p in problems])


def write_report(folder: Path, summaries: list[SourceSummary], checks: list[UnitCheck],
                 rejections: list[Rejection], warnings: list[Warning_], validation: str,
                 country_zone: dict[str, str], resolution: dict, skipped: list[Skip] = (),
                 quads: int = 0, title: str = "") -> dict[str, Path]:
    """Write the report files under ``folder`` (CSV for tables, JSON for the whole).

    ``quads``: how many the published dump holds (0: nothing was published); ``title``: the
    manifest's title of the whole.
    """
    files = {
        "summary.json": json.dumps({
            "title": title,
            "quads": quads,
            "withheld": [s.source for s in summaries if s.withheld],
            "sources": [asdict(s) for s in summaries],
            "unit_counts": [asdict(c) | {"differs": c.differs} for c in checks],
            "rejected": len(rejections),
            "skipped": len(skipped),
            "warnings": len(warnings),
            "country_zones": country_zone,
        }, ensure_ascii=False, indent=1) + "\n",
        "rejections.csv": _problems_csv(rejections),
        "skipped.csv": _problems_csv(skipped),
        "warnings.csv": _problems_csv(warnings),
        "unit-counts.csv": _csv(["source", "unit", "line", "stated", "found", "differs", "fault"],
                                [[c.source, c.unit, c.line, c.stated, c.found, c.differs, c.fault] for c in checks]),
        "validation.txt": validation + "\n",
        "resolution.json": json.dumps(resolution, ensure_ascii=False, indent=1) + "\n",
        "review.csv": _csv(["country", "name", "candidate", "score", "evidence"],
                           [[m["country"], m["name"], m["candidate"], m["score"], m["evidence"]]
                            for m in resolution["near_misses"]]),
    }
    paths = {}
    for name, text in files.items():
        write_atomic(folder / name, text)
        paths[name] = folder / name
    return paths


def sources_markdown(folder: Path) -> str:
    """Per document of a build: rows read, agreements, and the rows skipped and rejected, each
    reason with its count, as Markdown (the README's tables are this text).

    ``folder`` is a build's report folder (output/report).
    """
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        skipped = _read_csv(folder / "skipped.csv")
        rejected = _read_csv(folder / "rejections.csv")
    except FileNotFoundError as exc:
        raise PartnerkgError(f"{exc.filename}: no build report here; run 'partnerkg build' first") from None
    parts = []
    for source in summary["sources"]:
        lines = [f"**{source['file']}** (`{source['source']}`): {source['rows_read']} rows read, "
                 f"{source['agreements']} agreements, {source['skipped']} skipped, {source['rejected']} rejected",
                 "", "| outcome | why | rows |", "|---|---|---:|",
                 f"| agreement | | {source['agreements']} |"]
        for outcome, rows in (("skipped", skipped), ("rejected", rejected)):
            mine = [r for r in rows if r["source"] == source["source"]]
            if outcome == "rejected" and len(mine) <= 10:  # few: each one, to be checked against the document
                reasons = Counter(f"{r['where'] or 'line ' + r['line']}: {r['reason']}".replace("|", "/") for r in mine)
            else:
                reasons = Counter(_reason(r["reason"]) for r in mine)
            lines += [f"| {outcome} | {reason} | {n} |" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _reason(text: str) -> str:
    """A reason with the row's own words left out (not the manifest's), so that like reasons count together."""
    if "manifest" in text or "listed under" in text:
        return text.replace("|", "/")
    return re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text).replace("|", "/")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
