"""Text helpers shared by every stage: decoding bytes, folding names for comparison."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .errors import SourceError

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")


_BOMS = ((b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes, file: str, encoding: str | None = None, language: str = "") -> tuple[str, str]:
    """Decode a document: by its byte-order mark (UTF-8, 16, 32), else as UTF-8, else by detection.

    A UTF-8 text with a few stray bytes stays UTF-8 (the bytes become U+FFFD and the encoding says
    how many), rather than being read whole in another code page. Otherwise the code page is
    detected (charset-normalizer), the candidates ranked by how well their accented letters fit
    the document's ``language``, and the choice and its confidence recorded. Bytes that fit no
    text encoding are a SourceError.

    Returns the text with line ends made ``\\n`` and the encoding used, as the summary shows it.

    >>> decode("Liège\\r\\n".encode("cp1252"), "x.txt", language="fr")
    ('Liège\\n', 'cp1252 (detected, 100% confidence)')
    >>> decode("Łódź, Wrocław".encode("cp1250"), "x.txt", language="pl")[0]
    'Łódź, Wrocław'
    >>> decode(b"\\xef\\xbb\\xbfKTH", "x.txt")
    ('KTH', 'utf-8-sig')
    >>> decode("Université\\n".encode("utf-16"), "x.txt")[0], decode("Liège".encode("utf-16-le"), "x.txt")
    ('Université\\n', ('Liège', 'utf-16-le'))
    >>> decode("Université de Liège ".encode() + b"\\xff", "x.txt")[1]
    'utf-8 (1 byte(s) not UTF-8, replaced)'
    """
    if encoding:
        try:
            return _lines(data.decode(encoding)), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise SourceError(f"{file}: cannot decode as {encoding} (the manifest's 'encoding'): {exc}") from None
    for mark, name in _BOMS:
        if data.startswith(mark):
            try:
                return _lines(data.decode(name).removeprefix("\ufeff")), name
            except UnicodeDecodeError as exc:
                raise SourceError(f"{file}: starts with a {name} byte-order mark but is not {name}: {exc}") from None
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:  # UTF-16 without its mark
        return _lines(data.decode("utf-16-le", errors="replace")), "utf-16-le"
    if len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        return _lines(data.decode("utf-16-be", errors="replace")), "utf-16-be"
    try:
        return _lines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    return _mostly_utf8(data) or _detected(data, file, language)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """A text that is UTF-8 (its letters beyond ASCII are UTF-8 sequences) but for fewer stray
    bytes than UTF-8 letters; a text with no UTF-8 letter is more likely another code page."""
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    letters = sum(1 for c in text if ord(c) > 127 and c != "\ufffd")
    if 0 < stray <= letters:
        return _lines(text), f"utf-8 ({stray} byte(s) not UTF-8, replaced)"
    return None


def _detected(data: bytes, file: str, language: str) -> tuple[str, str]:
    """The code page charset-normalizer finds, among equally plausible ones the one whose accented
    letters are the document's language's (then cp1252, the most common for such lists)."""
    import charset_normalizer  # only for documents that are not UTF-8

    matches = [m for m in charset_normalizer.from_bytes(data) if not m.encoding.startswith("utf")]
    if not matches:
        raise SourceError(f"{file}: not text: no text encoding fits its bytes (a binary file, or the wrong file?)")
    least_chaos = min(m.percent_chaos for m in matches)
    letters = _accented_letters(language)
    ranked = []
    for match in (m for m in matches if m.percent_chaos == least_chaos):
        text = str(match)
        accented = [c for c in text if ord(c) > 127 and c.isalpha()]
        fit = sum(c in letters for c in accented) / len(accented) if accented and letters else 1.0
        # encodings that give the same text are one candidate: called cp1252 when it is one of them
        name = "cp1252" if "cp1252" in match.could_be_from_charset else match.encoding
        ranked.append((-fit, name != "cp1252", name, fit, text))
    _, _, name, fit, text = min(ranked)
    confidence = round(fit * (100 - least_chaos))
    return _lines(text), f"{name} (detected, {confidence}% confidence)"


@lru_cache(maxsize=32)
def _accented_letters(language: str) -> frozenset[str]:
    """Letters beyond ASCII that a language writes: those of its CLDR names of countries,
    languages, scripts, months and days."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language.replace("-", "_")) if language else None
    except (ValueError, UnknownLocaleError):
        locale = None
    if locale is None:
        return frozenset()
    names = [*locale.territories.values(), *locale.languages.values(), *locale.scripts.values(),
             *locale.months["format"]["wide"].values(), *locale.days["format"]["wide"].values()]
    letters = {c for name in names for c in name if ord(c) > 127 and c.isalpha()}
    return frozenset(letters | {c.upper() for c in letters} | {c.lower() for c in letters})


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
