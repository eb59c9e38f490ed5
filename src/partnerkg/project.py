"""A user's own project: a manifest with commented examples of each form, and a sources/ folder."""

from __future__ import annotations

from pathlib import Path

from .errors import PartnerkgError
from .paths import DATA


def init(folder: str | Path) -> list[Path]:
    """Start a project in ``folder``: manifest.toml (one example source that builds as it is, the
    other forms commented) and sources/example.md. Returns the files written; refuses to overwrite.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()) / "agreements"
    >>> [p.relative_to(folder).as_posix() for p in init(folder)]
    ['manifest.toml', 'sources/example.md']
    """
    folder = Path(folder)
    manifest = folder / "manifest.toml"
    if manifest.exists():
        raise PartnerkgError(f"{manifest}: a manifest is already here; partnerkg init starts a new project")
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    example = folder / "sources" / "example.md"
    if not example.exists():
        example.write_text((DATA / "example.md").read_text(encoding="utf-8"), encoding="utf-8")
    manifest.write_text((DATA / "manifest-template.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return [manifest, example]
