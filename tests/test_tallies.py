"""The tallies (issue 12): every catalogue query that reads the build's tallies gives the answer its
plain version (queries/plain/, the same question asked of the agreements) gives, on the seeds, on a
generated corpus and on documents written for the cases tallies can get wrong: an agreement of two
kinds, fee waivers, two documents of one home, reciprocal homes, a withheld source."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from partnerkg import vocab
from partnerkg.generate import generate
from partnerkg.paths import QUERIES
from partnerkg.pipeline import build
from partnerkg.use.catalogue import find_query, parse_query
from partnerkg.use.query import Table, query

from .conftest import write_manifest

PLAIN = sorted(p.stem for p in (QUERIES / "plain").glob("*.rq"))
LISTS = {"partners", "home_names", "kinds"}  # GROUP_CONCAT columns: their order is the engine's


def _answer(table: Table) -> Counter:
    """A query's rows as a multiset, a concatenated list as the set of its items."""
    return Counter(tuple(frozenset(cell.split(" | ")) if column in LISTS else cell
                         for cell, column in zip(row, table.columns, strict=True)) for row in table.rows)


def _both(name: str, store: Path, **params) -> tuple[Table, Table]:
    tallied = query(find_query(name).sparql(params), store)
    plain = query(parse_query(QUERIES / "plain" / f"{name}.rq").sparql(params), store)
    return tallied, plain


def _assert_same(name: str, store: Path, **params) -> Table:
    tallied, plain = _both(name, store, **params)
    assert tallied.columns == plain.columns
    assert _answer(tallied) == _answer(plain)
    return tallied


def test_every_plain_query_has_its_tallied_twin():
    assert PLAIN and all((QUERIES / f"{name}.rq").exists() for name in PLAIN)
    for name in PLAIN:  # the tallied one reads tallies, not agreements
        assert "pkg:tallyOf" in find_query(name).text


@pytest.mark.parametrize("name", PLAIN)
def test_on_the_seeds(seed_build, name):
    assert _assert_same(name, seed_build.output / "store").rows or name in {"partners-shared-by-every-source"}


@pytest.mark.parametrize("name", [n for n in PLAIN if "param_home" in find_query(n).text])
def test_on_the_seeds_for_one_home(seed_build, name):
    _assert_same(name, seed_build.output / "store", home="grenoble")


CASES = {
    "one.tsv": ("Example University of Technology", "Partner\tCountry\tType\tOur faculty\tFee waiver\n"
                "Universität Stuttgart\tGermany\tDouble degree, Joint degree\tSchool of Engineering\tyes\n"
                "Universität Stuttgart\tGermany\tErasmus+\tSchool of Engineering\tno\n"
                "KTH Royal Institute of Technology\tSweden\tJoint degree\tSchool of Science\tyes\n"
                "Tohoku University\tJapan\tErasmus+\t\t\n"
                "Second Test University\tItaly\tErasmus+\tSchool of Science\t\n"),
    "two.tsv": ("Example University of Technology", "Partner\tCountry\tType\tOur faculty\tFee waiver\n"
                "Universität Stuttgart\tGermany\tErasmus+\tSchool of Engineering\tno\n"
                "KTH Royal Institute of Technology\tSweden\tDouble degree\t\tyes\n"),
    "three.tsv": ("Second Test University", "Partner\tCountry\tType\tOur faculty\tFee waiver\n"
                  "Example University of Technology\tFrance\tErasmus+\tDipartimento di Fisica\t\n"
                  "Universität Stuttgart\tGermany\tDouble degree\tDipartimento di Fisica\tyes\n"
                  "KTH Royal Institute of Technology\tSweden\tErasmus+\t\t\n"),
}


def _cases_manifest(folder: Path, cases: dict, head: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    entries = [head]
    for name, (home, text) in cases.items():
        (folder / name).write_text(text, encoding="utf-8")
        country = "FR" if home.startswith("Example") else "IT"
        entries.append(f'[[source]]\npath = "{name}"\nlanguage = "en"\nhome = {{ name = "{home}", country = "{country}" }}\n'
                       'form = "delimited"\nsettings = { separator = "\\t" }\n'
                       'columns = { partner = "Partner", country = "Country", kind = "Type", '
                       'home_unit = "Our faculty", fee_waiver = "Fee waiver" }\n')
    return write_manifest(folder, "\n".join(entries))


@pytest.fixture(scope="module")
def cases_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tally-cases")
    return build(_cases_manifest(folder, CASES), folder / "output")


@pytest.mark.parametrize("name", PLAIN)
def test_on_documents_written_for_the_cases(cases_build, name):
    assert _assert_same(name, cases_build.output / "store").rows


ONE_HOME = sorted(p.stem for p in (QUERIES / "for-one-home").glob("*.rq"))


def test_a_form_for_one_home_is_taken_when_a_home_is_given():
    assert ONE_HOME
    for name in ONE_HOME:
        item = find_query(name)
        assert "home" in item.parameters and item.one_home_text
        assert "?tallySet" in item.sparql({"home": "Lyon"}) and "?tallySet" not in item.sparql()


@pytest.mark.parametrize("name", ONE_HOME)
@pytest.mark.parametrize("home", ["Example University", "Second Test", "technology"])
def test_a_form_for_one_home_answers_as_the_plain_query(cases_build, name, home):
    answer = _assert_same(name, cases_build.output / "store", home=home)
    assert answer.rows or (home, name) == ("Second Test", "partners-with-several-agreements")  # none twice


def test_an_agreement_of_two_kinds_is_counted_once(cases_build):
    rows = query(find_query("double-degree-partners").sparql(), cases_build.output / "store").rows
    counts = {(home, name): int(n) for home, name, _, n in rows}
    # one.tsv line 2 is of both kinds (one agreement); two.tsv line 3 is a second with KTH
    assert counts[("Example University of Technology", "Universität Stuttgart")] == 1
    assert counts[("Example University of Technology", "KTH Royal Institute of Technology")] == 2


def test_counts_read_off_the_documents(cases_build):
    store = cases_build.output / "store"
    several = {(r[0], r[2]): int(r[3]) for r in query(find_query("partners-with-several-agreements").sparql(), store).rows}
    assert several == {("Example University of Technology", "Universität Stuttgart"): 3,
                       ("Example University of Technology", "KTH Royal Institute of Technology"): 2}
    shared = {r[1]: int(r[2]) for r in query(find_query("partners-shared-by-every-source").sparql(), store).rows}
    assert shared == {"Universität Stuttgart": 4, "KTH Royal Institute of Technology": 3}
    pairs = [(r[1], r[3]) for r in query(find_query("reciprocal-pairs").sparql(), store).rows]
    assert len(pairs) == 1 and set(pairs[0]) == {"Example University of Technology", "Second Test University"}


# An office's own rule: every agreement says whether fees are waived (one.tsv's line 5 and
# three.tsv's lines 2 and 4 do not)
FEE_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pkg: <https://w3id.org/partnerkg/ontology#> .
<urn:example:SaysFees> a sh:NodeShape ; sh:targetClass pkg:Agreement ;
  sh:property [ sh:path pkg:feeWaiver ; sh:minCount 1 ; sh:message "Every agreement says whether fees are waived." ] .
"""


def test_a_withheld_source_is_not_tallied(tmp_path):
    (tmp_path / "shapes.ttl").write_text(FEE_SHAPE, encoding="utf-8")
    result = build(_cases_manifest(tmp_path, CASES, '[project]\nshapes = ["shapes.ttl"]\n'), tmp_path / "output")
    assert result.withheld == ("one", "three")
    store = tmp_path / "output" / "store"
    partners = query(f"SELECT ?name ?n WHERE {{ ?t pkg:tallyOf <{vocab.tally_set('partner')}> ; "
                     "pkg:tallyPartner ?p ; pkg:agreementCount ?n . ?p skos:prefLabel ?name }", store).rows
    # two.tsv alone: Tohoku (listed by one.tsv only) is counted nowhere
    assert sorted(partners) == [["KTH Royal Institute of Technology", "1"], ["Universität Stuttgart", "1"]]
    for name in PLAIN:
        _assert_same(name, store)


def test_on_a_generated_corpus(tmp_path):
    corpus = generate(1500, tmp_path / "corpus", per_document=150)
    result = build(corpus.folder / "manifest.toml", tmp_path / "output")
    for name in PLAIN:
        _assert_same(name, result.output / "store")
    # the tallies' lines, made as text one tally after another, are those Oxigraph writes of the
    # store's tallies graph, in byte order and each once, as the dump needs them
    graph = f" <{vocab.TALLY_GRAPH}> .\n".encode()
    dumped = [line for line in (result.output / "partnerkg.nq").read_bytes().splitlines(keepends=True)
              if line.endswith(graph)]
    stored = ox.Store.read_only(str(result.output / "store"))
    written = ox.serialize(stored.quads_for_pattern(None, None, None, ox.NamedNode(str(vocab.TALLY_GRAPH))),
                           format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    assert len(dumped) > 10_000 and dumped == sorted(set(dumped)) == sorted(written)


def test_tally_iris_do_not_move_when_a_document_is_added(tmp_path):
    first = build(_cases_manifest(tmp_path / "a", dict(list(CASES.items())[:2])), tmp_path / "a" / "output")
    second = build(_cases_manifest(tmp_path / "b", CASES), tmp_path / "b" / "output")
    sparql = "SELECT ?t WHERE { ?t pkg:tallyOf ?set }"
    before = {r[0] for r in query(sparql, first.output / "store").rows}
    after = {r[0] for r in query(sparql, second.output / "store").rows}
    assert before and before <= after
