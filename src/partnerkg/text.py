"""Text helpers shared by every stage: decoding bytes, folding names for comparison."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .errors import SourceError

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")


def decode(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode a document: UTF-16 or UTF-8 by their byte-order marks, then UTF-8, then the Windows
    code page. A UTF-8 text with a few stray bytes stays UTF-8 (the bytes become U+FFFD and the
    encoding says how many), rather than being read whole in another code page.

    Returns the text with line ends made ``\\n`` and the encoding that worked.

    >>> decode("Liège\\r\\n".encode("cp1252"), "x.txt")
    ('Liège\\n', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfKTH", "x.txt")
    ('KTH', 'utf-8-sig')
    >>> decode("Université\\n".encode("utf-16"), "x.txt")[0], decode("Liège".encode("utf-16-le"), "x.txt")
    ('Université\\n', ('Liège', 'utf-16-le'))
    >>> decode("Université de Liège ".encode() * 20 + b"\\xff", "x.txt")[1]
    'utf-8 (1 byte(s) not UTF-8, replaced)'
    """
    if encoding:
        tried = [encoding]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        tried = ["utf-16"]
    elif len(data) >= 4 and data[1::2].count(0) > len(data) // 4:  # UTF-16 without its mark
        tried = ["utf-16-le"]
    elif len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        tried = ["utf-16-be"]
    else:
        tried = ["utf-8-sig", "cp1252", "latin-1"]
    for name in tried:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            if name == "utf-8-sig" and (mostly := _mostly_utf8(data)):
                return mostly
            continue
        if name == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
            name = "utf-8"
        return text.replace("\r\n", "\n").replace("\r", "\n"), name
    raise SourceError(f"{file}: cannot decode as {', '.join(tried)}")


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """A text that is UTF-8 (it holds UTF-8 letters beyond ASCII) but for a few stray bytes (at most
    one in a thousand characters); a text with no UTF-8 letter is more likely another code page."""
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    has_utf8 = any(ord(c) > 127 and c != "\ufffd" for c in text)
    if stray and has_utf8 and stray * 1000 <= max(len(text), 1000):
        text = text.removeprefix("\ufeff")
        return text.replace("\r\n", "\n").replace("\r", "\n"), f"utf-8 ({stray} byte(s) not UTF-8, replaced)"
    return None


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
