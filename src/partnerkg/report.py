"""The build report: per-source counts, stated against found unit counts, rejections, warnings."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .atomic import write_atomic
from .errors import Rejection, Skip, Warning_


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


@dataclass(frozen=True)
class UnitCheck:
    source: str
    unit: str
    line: int
    stated: int
    found: int

    @property
    def differs(self) -> bool:
        return self.stated != self.found


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_report(folder: Path, summaries: list[SourceSummary], checks: list[UnitCheck],
                 rejections: list[Rejection], warnings: list[Warning_], validation: str,
                 country_zone: dict[str, str], resolution: dict, skipped: list[Skip] = ()) -> dict[str, Path]:
    """Write the report files under ``folder`` (CSV for tables, JSON for the whole)."""
    files = {
        "summary.json": json.dumps({
            "sources": [asdict(s) for s in summaries],
            "unit_counts": [asdict(c) | {"differs": c.differs} for c in checks],
            "rejected": len(rejections),
            "skipped": len(skipped),
            "warnings": len(warnings),
            "country_zones": country_zone,
        }, ensure_ascii=False, indent=1) + "\n",
        "rejections.csv": _csv(["source", "file", "line", "where", "reason", "text"],
                               [[r.source, r.file, r.line, r.where, r.reason, r.text] for r in rejections]),
        "skipped.csv": _csv(["source", "file", "line", "where", "reason", "text"],
                            [[s.source, s.file, s.line, s.where, s.reason, s.text] for s in skipped]),
        "warnings.csv": _csv(["source", "file", "line", "where", "message", "text"],
                             [[w.source, w.file, w.line, w.where, w.message, w.text] for w in warnings]),
        "unit-counts.csv": _csv(["source", "unit", "line", "stated", "found", "differs"],
                                [[c.source, c.unit, c.line, c.stated, c.found, c.differs] for c in checks]),
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
