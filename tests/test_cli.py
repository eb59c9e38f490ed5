"""The commands run for real (CliRunner); what they write is checked through the library."""

from __future__ import annotations

import json

from click.testing import CliRunner

from partnerkg.cli import cli
from partnerkg.use.query import query

from .conftest import write_manifest

DOC = """Liste

| Pays | Institution partenaire | Type d'accord | Nombre de places |
|---|---|---|---|
| Allemagne | Technische Universität Dresden | Echange | 1/2 |
| Allemagne | Faculté de Chimie, Université de Göttingen | Double Diplôme | 2 |
| Suède | Kungliga Tekniska Högskolan (KTH) | Echange | |
"""

MANIFEST = """
[project]
lock = "test.lock.json"

[[source]]
path = "partners.md"
language = "fr"
home = { name = "Université Test", country = "FR" }
form = "markdown-table"
[source.columns]
country = "Pays"
partner = "Institution partenaire"
kind = "Type d'accord"
places = "Nombre de places"
"""


def test_build_then_query(tmp_path):
    (tmp_path / "partners.md").write_text(DOC, encoding="utf-8")
    manifest = write_manifest(tmp_path, MANIFEST)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "-m", str(manifest), "-o", str(out)])
    assert result.exit_code == 0, result.output
    store = out / "store"
    rows = query("""SELECT ?partner ?kind ?min ?max WHERE { ?a pkg:partner/skos:prefLabel ?partner ;
                    pkg:kind/skos:notation|pkg:kind ?k . BIND(STRAFTER(STR(?k), "kind/") AS ?kind)
                    OPTIONAL { ?a pkg:placesMin ?min ; pkg:placesMax ?max } } ORDER BY ?partner""", store).rows
    assert rows == [
        ["Kungliga Tekniska Högskolan (KTH)", "exchange", "", ""],
        ["Technische Universität Dresden", "exchange", "1", "2"],
        ["Université de Göttingen", "double-degree", "2", "2"],
    ]
    units = query("SELECT ?d WHERE { ?x org:unitOf/skos:prefLabel 'Université de Göttingen' ; skos:prefLabel ?d }",
                  store).rows
    assert units == [["Faculté de Chimie"]]
    # reasoning ran: the department is an org:OrganizationalUnit by the ontology's subclass axiom
    inferred = query("""SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/partnerkg/id/graph/inferred>
                        { ?x a org:OrganizationalUnit } }""", store).rows
    assert inferred == [["1"]]
    lock = json.loads((tmp_path / "test.lock.json").read_text(encoding="utf-8"))
    assert "institution/technische-universitat-dresden-de" in lock["entries"].values()


def test_query_command_formats(seed_build):
    runner = CliRunner()
    out = str(seed_build.output)
    result = runner.invoke(cli, ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?a a pkg:Agreement }",
                                 "--format", "csv", "-o", out])
    assert result.exit_code == 0, result.output
    assert result.output == "n\n835\n"
    result = runner.invoke(cli, ["query", "agreements-per-source", "--format", "json", "-o", out])
    assert json.loads(result.output)[1] == {"source": "001_d0bbbd03eef5ae86", "home": "Institut polytechnique de Grenoble",
                                            "agreements": 380}  # typed
    bad = runner.invoke(cli, ["query", "-e", "SELEC nonsense", "-o", out])
    assert bad.exit_code == 1 and "SPARQL syntax error" in bad.output


def test_lock_keeps_iris_when_a_document_is_added(tmp_path):
    (tmp_path / "partners.md").write_text(DOC, encoding="utf-8")
    manifest = write_manifest(tmp_path, MANIFEST)
    runner = CliRunner()
    runner.invoke(cli, ["build", "-m", str(manifest), "-o", str(tmp_path / "a")])
    before = {r[0] for r in query("SELECT ?i WHERE { ?i a pkg:Institution }", tmp_path / "a" / "store").rows}
    (tmp_path / "more.md").write_text(DOC.replace("Technische Universität Dresden", "Aalto-yliopisto"),
                                      encoding="utf-8")
    write_manifest(tmp_path, MANIFEST + MANIFEST.split("[project]\nlock = \"test.lock.json\"\n")[1]
                   .replace("partners.md", "more.md"))
    runner.invoke(cli, ["build", "-m", str(manifest), "-o", str(tmp_path / "b")])
    after = {r[0] for r in query("SELECT ?i WHERE { ?i a pkg:Institution }", tmp_path / "b" / "store").rows}
    assert before < after
