"""Compare two names of one country: the same institution, or not, and why.

A verdict comes with its evidence, so that every merge and every near-miss can be explained.
When unsure, two names stay apart: a distinguishing word, a different place or number, or a word
naming one and not the other blocks the merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from .signature import Signature, bare

SAME, PARTIAL, DIFFERENT = "same", "partial", "different"
FUZZY = 88  # how alike two words must be (rapidfuzz ratio) to count as one word spelled two ways


@dataclass(frozen=True)
class Match:
    verdict: str
    score: float  # 0..1, for ranking merges and near-misses
    evidence: str

    @property
    def same(self) -> bool:
        return self.verdict == SAME


def compare(a: Signature, b: Signature) -> Match:
    """Whether two names (signatures in one country) name the same institution.

    >>> from partnerkg.resolve.signature import signature
    >>> compare(signature("Technische Universität Dresden", "DE"),
    ...         signature("Université de Technologie de Dresde", "DE")).verdict
    'same'
    >>> compare(signature("Wuhan University", "CN"), signature("Université de Technologie de Wuhan", "CN")).evidence
    'distinguishing meaning only in one name: technology'
    >>> compare(signature("University of Ha'il (UoH)", "SA"), signature("University of Ha'il", "SA")).verdict
    'same'
    """
    if a.folded == b.folded:
        return Match(SAME, 1.0, "identical after folding case, accents and punctuation")
    similarity = fuzz.token_set_ratio(a.folded, b.folded) / 100
    blocker = _blocker(a, b)
    if blocker:
        return Match(DIFFERENT, similarity, blocker)
    if bare(a.name) == bare(b.name) and (not a.acronyms or not b.acronyms or a.acronyms & b.acronyms):
        return Match(SAME, 0.95, "the same name, one with the acronym it declares in brackets")
    acronym = _acronym_evidence(a, b) or _acronym_evidence(b, a)
    if acronym:
        return Match(SAME, 0.9, acronym)
    if a.acronyms and b.acronyms and not a.acronyms & b.acronyms:
        return Match(DIFFERENT, similarity, f"different acronyms: {_show(a.acronyms)} vs {_show(b.acronyms)}")
    if a.tags != b.tags:
        only = sorted(a.tags ^ b.tags)
        return Match(DIFFERENT, similarity, f"distinguishing meaning only in one name: {', '.join(only)}")
    if not _types_compatible(a, b):
        return Match(DIFFERENT, similarity, f"different kinds of body: {_show(a.types)} vs {_show(b.types)}")
    extra_a, extra_b = _unmatched(a, b), _unmatched(b, a)
    if extra_a and extra_b and _spelled_alike(a, b):
        extra_a = extra_b = set()  # "Sun Kyun Kwan" and "Sung Kyun Kwan"
    shared = _shared_identity(a, b)
    if not extra_a and not extra_b and shared.startswith("place") and ";" not in shared and (
            a.acronyms ^ b.acronyms):
        # "VU University Amsterdam" is not "Universiteit van Amsterdam", nor "RMIT University Melbourne"
        # "University of Melbourne": a city and a type alone do not make one institution of an acronym and none
        return Match(DIFFERENT, similarity, f"only a place in common, and an acronym only one name writes: "
                                            f"{_show(a.acronyms ^ b.acronyms)}")
    if not extra_a and not extra_b and _one_names_a_city(a, b) and shared and len(a.proper & b.proper) < 2:
        # "Université d'Alaska" is not "University of Alaska Fairbanks"; but "Université Mohammed V
        # Agdal" is "Université Mohammed V -Agdal Rabat": two words of its own in common place it
        # "Université Nationale du Vietnam" and "Vietnam National University of Ho Chi Minh City"
        return Match(DIFFERENT, 0.8, "only one name names a place: it may be one campus or member of several")
    if not extra_a and not extra_b:
        if not shared and fuzz.ratio(a.folded, b.folded) >= 95:
            # a name of generic words only is its own identity: "Instituto Superior Técnico"
            return Match(SAME, 0.85, "the same name of generic words, spelled nearly alike")
        if not shared:
            return Match(DIFFERENT, similarity, "nothing identifying in common (generic words only)")
        return Match(SAME, 0.8 + similarity / 10, f"same meaning: {shared}")
    if _partial(a, b, extra_a, extra_b):
        words = ", ".join(sorted(extra_a or extra_b))
        return Match(PARTIAL, 0.6 + similarity / 10, f"one name has more words: {words}")
    return Match(DIFFERENT, similarity, f"different words: {_show(extra_a)} vs {_show(extra_b)}")


def _one_names_a_city(a: Signature, b: Signature) -> bool:
    """One name names a city the other neither names nor is located in (a registry record's city)."""
    return any(one.cities and not other.cities and not one.cities & other.located for one, other in ((a, b), (b, a)))


def _blocker(a: Signature, b: Signature) -> str:
    """What keeps two names apart whatever else they share: numbers, places, other countries."""
    if a.numbers != b.numbers:
        return f"different numbers: {_show(a.numbers)} vs {_show(b.numbers)}"
    places_a, places_b = a.cities or a.located, b.cities or b.located
    if places_a and places_b and not places_a & places_b:
        return "different places"
    if a.regions and b.regions and not a.regions & b.regions:
        return "different regions"
    for one, other in ((a, b), (b, a)):
        foreign = {c for c in one.countries if c != one.country} - other.countries
        if foreign:
            return f"only one name names {_show(foreign)}"
        if one.countries and not one.cities and other.cities and not other.countries:
            # "National Taiwan University" is not "Université Nationale de Taipei"
            return "one name names a country, the other a city"
    return ""


def _partial(a: Signature, b: Signature, extra_a: set[str], extra_b: set[str]) -> bool:
    """One name is the other with more words: "Université de Technologie d'Aix-la-Chapelle" and
    "Rheinisch-Westfälische Technische Hochschule Aachen". Only for names with a distinguishing
    meaning, and a place or word in common; a bare "University of X" is a name of its own."""
    shorter, longer = (a, b) if not extra_a else (b, a)
    if extra_a and extra_b or not shorter.tags:
        return False
    if shorter.cities - longer.cities:
        return False
    if bool(a.types & _RESEARCH_BODIES) != bool(b.types & _RESEARCH_BODIES):
        return False  # "Institut de Technologie du Vide, Varsovie" is not "Politechnika Warszawska"
    return bool(a.cities & b.cities or a.proper & b.proper)


_RESEARCH_BODIES = frozenset({"institute", "laboratory", "centre", "hospital", "foundation"})


def _acronym_evidence(a: Signature, b: Signature) -> str:
    """A written acronym of ``a`` that ``b`` also writes, or that spells ``b``'s initials."""
    if a.tags - b.tags and not a.acronyms:
        return ""
    extra_a, extra_b = _unmatched(a, b) - a.acronyms, _unmatched(b, a) - b.acronyms
    if extra_a and extra_b:
        return ""  # "PUC Minas" and "PUC-Rio": one acronym, two names
    if (a.cities or b.cities) and not a.cities & b.cities and a.acronyms & b.acronyms:
        return ""  # the same acronym in two places is two institutions
    for acronym in sorted(a.acronyms):
        if len(acronym) < 3:
            continue
        leftover = {w for w in a.proper if w != acronym}
        if acronym in b.acronyms and _spelled_out(acronym, a, extra_a) and _spelled_out(acronym, b, extra_b):
            return f"same acronym {acronym.upper()}"
        if not leftover and acronym.upper() in (b.initials, b.all_initials) and not a.tags - b.tags:
            return f"acronym {acronym.upper()} spells the initials of the other name"
    return ""


def _spelled_out(acronym: str, s: Signature, extra: set[str]) -> bool:
    """Whether a name's words beside a shared acronym are the acronym spelled out, or there are none:
    "Universitat Politècnica de Catalunya (UPC)" is, "INSA Centre Val de Loire" is not."""
    return not extra or acronym.upper() in (s.initials, s.all_initials)


def _types_compatible(a: Signature, b: Signature) -> bool:
    """Equal kinds of body, or one unsaid; a word spanning kinds ("Technische Hochschule") matches
    any kind only beside a distinguishing meaning (a bare "Hochschule" is not a "Universität")."""
    if a.types & b.types:
        return True
    if a.spanning or b.spanning:
        return bool(a.tags)
    return not a.types or not b.types


def _unmatched(a: Signature, b: Signature) -> set[str]:
    """Words naming ``a`` with no equal, or nearly equal, word in ``b`` (acronyms may go unmatched);
    a word written in two ("Mc Gill") matches the same word written in one ("McGill")."""
    result = set()
    joined_a, joined_b = _joined(a), _joined(b)
    for word in a.proper:
        if word in b.proper or word in a.acronyms or word in joined_b:
            continue
        if any(word in pair and pair in b.proper for pair in joined_a):
            continue
        if len(word) >= 4 and any(fuzz.ratio(word, other) >= FUZZY or _same_stem(word, other) for other in b.proper):
            continue
        result.add(word)
    return result


_POSSESSIVE = ("ova", "ovo", "ove", "ov", "ina", "ino", "in", "ian", "iana", "ensis", "ska", "ski", "sky")


def _same_stem(a: str, b: str) -> bool:
    """One word is the other with a possessive or adjective ending ("Masarykova" of "Masaryk")."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and long.startswith(short) and long[len(short):] in _POSSESSIVE


def _joined(s: Signature) -> set[str]:
    """Two adjacent words of a name written as one ("mc gill" -> "mcgill")."""
    tokens = s.folded.split()
    return {tokens[i] + tokens[i + 1] for i in range(len(tokens) - 1)}


def _spelled_alike(a: Signature, b: Signature) -> bool:
    """The proper words of two names, in their written order, differ by a letter or two."""
    words_a, words_b = _proper_in_order(a), _proper_in_order(b)
    return len(words_a) >= 8 and len(words_b) >= 8 and fuzz.ratio(words_a, words_b) >= 92


def _proper_in_order(s: Signature) -> str:
    return " ".join(w for w in s.folded.split() if w in s.proper)


def _shared_identity(a: Signature, b: Signature) -> str:
    parts = []
    common = (a.proper & b.proper) | (a.proper & _joined(b)) | (b.proper & _joined(a))
    common |= {w for w in a.proper for other in b.proper if _same_stem(w, other)}
    if a.proper and b.proper:
        parts.append("words " + ", ".join(sorted(common) or sorted(a.proper)))
    places_a, places_b = a.cities | a.located | a.regions, b.cities | b.located | b.regions
    if places_a & places_b:
        parts.append("place")
    if a.countries & b.countries and (a.tags or a.types):
        parts.append("country " + ", ".join(sorted(a.countries & b.countries)))
    if a.tags:
        parts.append("meaning " + ", ".join(sorted(a.tags)))
    # a national name ("Institut royal de Technologie de Suède") is identified by its meanings and
    # its country, when the other name is placed in that country too
    national = bool(a.tags) and any(
        one.countries and not other.cities and (other.countries or other.located)
        for one, other in ((a, b), (b, a)))
    identified = common or places_a & places_b or a.countries & b.countries or national
    return "; ".join(parts or ["country"]) if identified else ""


def _show(values) -> str:
    return "{" + ", ".join(sorted(values)) + "}" if values else "none"
