"""Text helpers shared by every stage: decoding bytes, folding names for comparison."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .errors import SourceError

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")


def decode(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a document, trying UTF-8 (with or without BOM) before the Windows code page.

    Returns the text with line ends made ``\\n`` and the encoding that worked.

    >>> decode("Liège\\r\\n".encode("cp1252"), "x.txt")
    ('Liège\\n', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfKTH", "x.txt")
    ('KTH', 'utf-8-sig')
    """
    tried = [encoding] if encoding else ["utf-8-sig", "cp1252", "latin-1"]
    for name in tried:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if name == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            name = "utf-8"
        return text.replace("\r\n", "\n").replace("\r", "\n"), name
    raise SourceError(f"{file}: cannot decode as {', '.join(tried)}")


def fold_spaces(text: str) -> str:
    """One space for every run of white space, none at the ends (how names are kept verbatim)."""
    return _SPACES.sub(" ", text).strip()


# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                               "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"})


def strip_accents(text: str) -> str:
    """
    >>> strip_accents("Dumlupınar Łódź Ørsted")
    'Dumlupinar Lodz Orsted'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=500_000)  # names repeat their words: folding is on every hot path
def fold(text: str) -> str:
    """A comparison key: lower case, no accents, punctuation as single spaces.

    >>> fold("Tchèque, Rép.")
    'tcheque rep'
    >>> fold("Royaume-Uni")
    'royaume uni'
    """
    folded = strip_accents(text).casefold().replace("ß", "ss")
    return _NON_WORD.sub(" ", folded).replace("_", " ").strip()


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()


def slug(text: str, limit: int = 60) -> str:
    """A readable IRI segment.

    >>> slug("Technische Universität Dresden")
    'technische-universitat-dresden'
    """
    return "-".join(words(text))[:limit].strip("-") or "x"
