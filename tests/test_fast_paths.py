"""The build's fast paths against its plain ones (issue 12), on a generated corpus: the same graph
(every named graph, the inferred one included), the same SHACL findings, the same withheld sources.
Fast: reasoning as SPARQL CONSTRUCTs on the store, shapes compiled to SPARQL. Plain: owlrl's closure
of ontology and data together, and pyshacl, over rdflib graphs."""

from __future__ import annotations

import random
import shutil
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor

from partnerkg import parallel, pipeline, vocab
from partnerkg.build_cache import cache_folder
from partnerkg.config import load_manifest
from partnerkg.generate import generate
from partnerkg.pipeline import build_graph
from partnerkg.publish import dump
from partnerkg.rdfutil import from_ox, quads_of
from partnerkg.store import lines
from partnerkg.store.lines import sorted_graph_file
from partnerkg.store.oxigraph import open_store

from .golden_cases import SEED_BUILD, seed_sums


def _graphs(store) -> dict[str, set[tuple]]:
    graphs = defaultdict(set)
    for quad in quads_of(store):
        graphs[quad.graph_name.value].add(tuple(from_ox(t) for t in (quad.subject, quad.predicate, quad.object)))
    return dict(graphs)


def test_the_fast_build_is_the_plain_build(tmp_path):
    corpus = generate(600, tmp_path / "corpus", per_document=200)
    # and a document whose rows give SHACL something to find: a kind of no concept
    (corpus.folder / "sources" / "odd.md").write_text(
        "| Pays | Institution | Type | Places |\n|---|---|---|---|\n| Suède | KTH | Direktaustausch | 2 |\n"
        "| Japon | Tohoku University | Erasmus+ | 3 |\n", encoding="utf-8")
    with (corpus.folder / "manifest.toml").open("a", encoding="utf-8") as manifest_file:
        manifest_file.write('\n[[source]]\npath = "sources/odd.md"\nhome = { name = "Université Test", country = "FR" }\n'
                            'form = "markdown-table"\ncolumns = { country = "Pays", partner = "Institution", '
                            'kind = "Type", places = "Places" }\n')
    manifest = load_manifest(corpus.folder / "manifest.toml")
    fast, plain = build_graph(manifest), build_graph(manifest, plain=True)
    fast_graphs, plain_graphs = _graphs(fast.store), _graphs(plain.store)
    assert fast_graphs.keys() == plain_graphs.keys()
    for name in fast_graphs:  # no blank nodes: isomorphic is equal
        assert fast_graphs[name] == plain_graphs[name], name
    assert len(fast_graphs["https://w3id.org/partnerkg/id/graph/inferred"]) > 5_000
    assert fast.validation == plain.validation
    assert fast.validation.warnings  # a row of no known kind: findings compared, not both empty
    assert (fast.withheld, fast.published) == (plain.withheld, plain.published)


def test_a_build_with_its_store_on_disk_writes_the_same_bytes(seed_project, tmp_path, monkeypatch):
    """Above DISK_ABOVE agreements the build keeps its store on disk (memory stays flat); set to 0
    here, the seeds build to the committed golden files all the same, and the output's store is
    the one the build worked in."""
    monkeypatch.setattr(pipeline, "DISK_ABOVE", 0)
    project = tmp_path / "project"
    shutil.copytree(seed_project.parent, project)
    result = pipeline.build(project / "manifest.toml", tmp_path / "output", report=False)
    assert seed_sums(result.output) == (SEED_BUILD / "SHA256SUMS").read_text(encoding="utf-8")
    assert result.quads == len(open_store(result.output / "store")) > 25_000



def test_what_worker_processes_read_cluster_map_and_reason_writes_the_same_bytes(seed_project, tmp_path,
                                                                                 monkeypatch):
    """From ``parallel.AT_LEAST`` inputs on, read, map and reason make each document's part (and
    resolve each country's groups) in forked worker processes; set to 0 (two workers), the seeds build to the committed golden
    files all the same, the cache keeps what the workers made, and a rebuild after one document
    changed makes that one again and takes the others from the cache."""
    monkeypatch.setattr(parallel, "AT_LEAST", 0)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    submitted = []
    submit = ProcessPoolExecutor.submit
    monkeypatch.setattr(ProcessPoolExecutor, "submit", lambda pool, *a: submitted.append(a) or submit(pool, *a))
    project = tmp_path / "project"
    shutil.copytree(seed_project.parent, project)
    first = pipeline.build(project / "manifest.toml", tmp_path / "output", report=False)
    assert seed_sums(first.output) == (SEED_BUILD / "SHA256SUMS").read_text(encoding="utf-8")
    documents = len(first.summaries)
    kept = cache_folder(tmp_path / "output")
    graphs, countries = (len(list((kept / stage).glob("*.pickle"))) for stage in ("reason", "cluster"))
    assert documents == 3 and graphs >= documents + 2  # every source graph, resolution and reference
    assert countries > 20  # the names of each country clustered on their own
    assert len(submitted) == 2 * documents + countries + graphs  # each made in a worker: read, cluster, map, reason
    assert first.cached["read"] == first.cached["map"] == {"made": documents}
    changed = project / first.manifest.sources[0].file
    changed.write_bytes(changed.read_bytes() + b"\n")  # the same rows: read again, mapped as before
    again = pipeline.build(project / "manifest.toml", tmp_path / "output", report=False)
    assert again.cached["read"] == {"made": 1, "reused": documents - 1}
    assert again.cached["map"] == {"reused": documents}
    assert seed_sums(again.output) == seed_sums(first.output)



def test_a_report_made_from_a_store_on_disk_is_the_report_made_in_memory(seed_project, seed_build, tmp_path,
                                                                         monkeypatch):
    """On disk, the report page's queries are asked of the build's own store while the network is
    analysed, and the page is drawn before the dumps are waited for: the same page, analyses and
    build report as a build in memory."""
    monkeypatch.setattr(pipeline, "DISK_ABOVE", 0)
    project = tmp_path / "project"
    shutil.copytree(seed_project.parent, project)
    result = pipeline.build(project / "manifest.toml", tmp_path / "output", cache=False)
    assert result.quads == seed_build.quads == len(open_store(result.output / "store"))
    compared = [name for name in result.files if name.startswith(("analysis/", "report"))]
    assert "report.html" in compared and len(compared) > 10
    for name in compared:
        path = result.files[name].relative_to(result.output)
        assert (result.output / path).read_bytes() == (seed_build.output / path).read_bytes(), name


# an office's own rule that only the added document's rows break: it is withheld, and the graph
# reasoned again without it
NOTES_SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pkg: <https://w3id.org/partnerkg/ontology#> .
<urn:example:NotedSaysFees> a sh:NodeShape ; sh:targetSubjectsOf pkg:note ;
  sh:property [ sh:path pkg:feeWaiver ; sh:minCount 1 ; sh:message "A noted agreement says whether fees are waived." ] .
"""


def test_the_graphs_kept_sorted_for_the_dump_are_the_stores_graphs(tmp_path):
    """The map, reason and tally stages write the lines of the graphs they make, sorted, for the
    dump to copy and reasoning to read (``store.lines``): each file is the graph as the store
    holds it, dumped and sorted as the dump does for a graph without one; the inferred one as
    reasoned again once a source is withheld, the same as reasoning over the store gives."""
    corpus = generate(600, tmp_path / "corpus", per_document=200)
    (corpus.folder / "sources" / "odd.md").write_text(
        "| Pays | Institution | Notes |\n|---|---|---|\n| Suède | KTH | échange |\n", encoding="utf-8")
    (corpus.folder / "shapes.ttl").write_text(NOTES_SHAPE, encoding="utf-8")
    text = (corpus.folder / "manifest.toml").read_text(encoding="utf-8")
    text = text.replace("[project]\n", '[project]\nshapes = ["shapes.ttl"]\n', 1) + (
        '\n[[source]]\nid = "odd"\npath = "sources/odd.md"\nhome = { name = "Université Test", country = "FR" }\n'
        'form = "markdown-table"\ncolumns = { country = "Pays", partner = "Institution", notes = "Notes" }\n')
    (corpus.folder / "manifest.toml").write_text(text, encoding="utf-8")
    folder = tmp_path / "graphs"
    built = build_graph(load_manifest(corpus.folder / "manifest.toml"), sorted_graphs=folder)
    assert built.withheld == ("odd",) and built.published
    names = sorted(graph.value for graph in built.store.named_graphs())
    kept = [name for name in names if sorted_graph_file(folder, name).exists()]
    assert kept == names and {str(vocab.INFERRED_GRAPH), str(vocab.TALLY_GRAPH)} < set(kept)
    for name in kept:
        from_store = b"".join(dump._graph_nquads(built.store, name, tmp_path))
        assert sorted_graph_file(folder, name).read_bytes() == from_store, name
    assert sorted_graph_file(folder, vocab.source_graph("odd")).exists()  # written, but not in the store
    assert str(vocab.source_graph("odd")) not in names
    # reasoning read the statements from those files; from the store, it infers the same
    from_store = build_graph(load_manifest(corpus.folder / "manifest.toml"))
    inferred = str(vocab.INFERRED_GRAPH)
    assert _graphs(from_store.store)[inferred] == _graphs(built.store)[inferred]
    assert len(_graphs(built.store)[inferred]) > 5_000


def test_graphs_too_big_to_sort_in_memory_are_sorted_on_disk_to_the_same_bytes(seed_project, tmp_path, monkeypatch):
    """Graphs are sorted for the dump as they are made (a source's graph in memory, the others as
    files, as is a graph the dump reads from the store); one over SORT_IN_MEMORY bytes
    (the inferred one at 10^6 agreements: 2 GB) is sorted in runs on disk and merged. With runs of
    4 kB every one of those seed graphs is sorted that way, and the dumps are the committed golden
    files all the same."""
    monkeypatch.setattr(lines, "SORT_IN_MEMORY", 4096)
    project = tmp_path / "project"
    shutil.copytree(seed_project.parent, project)
    result = pipeline.build(project / "manifest.toml", tmp_path / "output", report=False)
    assert seed_sums(result.output) == (SEED_BUILD / "SHA256SUMS").read_text(encoding="utf-8")
    assert not [p for p in result.output.rglob("*.nt*")]  # the runs are gone
    assert not (result.output / ".graphs").exists()


def test_trig_and_json_ld_written_by_a_second_process_are_the_same_bytes(seed_project, tmp_path, monkeypatch):
    """Above PARALLEL_ABOVE bytes of N-Quads, Turtle, TriG and JSON-LD are written by a spawned
    process while the build analyses the network; set to 0, the seeds' dumps are the committed
    golden files all the same, and the analyses and the report page are those of a build without."""
    project = tmp_path / "project"
    shutil.copytree(seed_project.parent, project)
    alone = pipeline.build(project / "manifest.toml", tmp_path / "alone", cache=False)
    monkeypatch.setattr(dump, "PARALLEL_ABOVE", 0)
    result = pipeline.build(project / "manifest.toml", tmp_path / "output", cache=False)
    assert seed_sums(result.output) == (SEED_BUILD / "SHA256SUMS").read_text(encoding="utf-8")
    assert {"dump.partnerkg.trig", "dump.partnerkg-inferred.jsonld", "report.html"} <= result.files.keys()
    for name in [name for name in result.files if name.startswith(("analysis/", "dump.", "report"))]:
        path = result.files[name].relative_to(result.output)
        assert (result.output / path).read_bytes() == (alone.output / path).read_bytes(), name


def test_big_graphs_kept_chunk_by_chunk_make_the_same_bytes_and_keep_their_chunks(seed_project, tmp_path,
                                                                                  monkeypatch):
    """TriG and JSON-LD are written graph by graph: a graph up to CACHED_AT_MOST bytes from its
    parts (kept in the build cache), a bigger one from its chunks' parts (cut at subjects by their
    CRC). With the bound between the seeds' graphs' sizes and chunks of about 16 subjects, the
    dumps are the golden files; after one document lost a row, most chunks are taken from the
    cache, and the bytes are those of a build without it."""
    monkeypatch.setattr(dump, "CACHED_AT_MOST", 1_000_000)  # the tallies, two documents' graphs, the inferred one
    monkeypatch.setattr(dump, "CHUNK_MASK", 15)
    project = tmp_path / "project"
    shutil.copytree(seed_project.parent, project)
    result = pipeline.build(project / "manifest.toml", tmp_path / "output", report=False)
    assert seed_sums(result.output) == (SEED_BUILD / "SHA256SUMS").read_text(encoding="utf-8")
    made = result.cached["publish"]["made"]
    assert made > 100  # 6 graphs whole, 4 graphs in chunks
    document = project / "001_d0bbbd03eef5ae86.txt"
    document.write_text("\n".join(document.read_text(encoding="utf-8").rstrip("\n").split("\n")[:-1]) + "\n",
                        encoding="utf-8")
    again = pipeline.build(project / "manifest.toml", tmp_path / "output", report=False)
    scratch = pipeline.build(project / "manifest.toml", tmp_path / "scratch", report=False, cache=False)
    assert 0 < again.cached["publish"]["made"] < made / 4 < again.cached["publish"]["reused"]
    for name in ("partnerkg.trig", "partnerkg.jsonld", "partnerkg-inferred.trig", "partnerkg-inferred.jsonld"):
        assert (again.output / name).read_bytes() == (scratch.output / name).read_bytes(), name


def test_the_lines_two_sorted_files_differ_by_are_found_past_what_they_share(tmp_path):
    """The whole lines two graphs' files begin and end with alike are passed over; what is left
    differs by the lines the whole files differ by, each on its side (random sorted files, small
    read blocks)."""
    rng = random.Random(7)
    for case in range(300):
        words = [f"<{rng.choice('abc')}{n}> <p> \"{'x' * rng.randint(0, 5)}\" .\n".encode() for n in range(30)]
        a, b = (sorted(set(rng.sample(words, rng.randint(0, 30)))) for _ in range(2))
        if rng.random() < 0.5:  # mostly alike, as a graph after one document changed
            b = sorted(set(a[: rng.randint(0, len(a))] + b[: rng.randint(0, 3)] + a[rng.randint(0, len(a)):]))
        before, after = tmp_path / f"{case}-a.nq", tmp_path / f"{case}-b.nq"
        before.write_bytes(b"".join(a))
        after.write_bytes(b"".join(b))
        with before.open("rb") as x, after.open("rb") as y:
            (a0, a1), (b0, b1) = lines._middles(x, y, block=rng.choice([1, 2, 3, 7, 64]))
        whole_a, whole_b = b"".join(a), b"".join(b)
        assert whole_a[:a0] == whole_b[:b0] and whole_a[a1:] == whole_b[b1:], case
        middles = [set(whole[start:end].splitlines(keepends=True)) for whole, start, end in
                   ((whole_a, a0, a1), (whole_b, b0, b1))]
        assert middles[0] ^ middles[1] == set(a) ^ set(b), case
        changes = list(lines.line_changes(before, after))
        assert sorted(line for line, _ in changes) == sorted(set(a) ^ set(b)), case
        assert {line for line, gained in changes if gained} == set(b) - set(a), case
        assert list(lines.line_changes(None, after)) == [(line, True) for line in b], case  # a new graph
        assert list(lines.line_changes(before, None)) == [(line, False) for line in a], case  # a graph gone


def _odd_network(directed: bool = False):
    """A network with what escaping and typing can get wrong: markup, quotes, tabs and line breaks
    (\\u2028 too) in ids and values, non-ASCII, booleans, infinities, nodes with no attributes,
    an attribute whose type differs between nodes, a graph name."""
    import networkx as nx

    graph = (nx.DiGraph if directed else nx.Graph)(name='a "net" <1>', method="exact\tk")
    graph.add_node("Ünï & <co>", label="Boğaziçi \u2028 “Üni”", kind="home", degree=3, share=0.5, open=True)
    graph.add_node("b\r\nc", label=7, kind="partner", degree="many", share=float("inf"), open=False)
    graph.add_node("bare")
    graph.add_edge("Ünï & <co>", "b\r\nc", weight=2, partners=1, note="x\ny")
    graph.add_edge("bare", "b\r\nc", weight=1.5)
    graph.add_edge("bare", "alone")
    return graph


def test_networks_are_written_as_networkx_writes_them(seed_build):
    """GraphML and GEXF made as strings (``network_files``) are networkx's own bytes: for the
    seeds' five networks, odd ones, and graphs it hands to networkx (a multigraph, a reserved name,
    a numpy value)."""
    import networkx as nx
    import numpy as np

    from partnerkg.use import analyse, network_files

    agreements = analyse.agreements_from_store(seed_build.output / "store")
    network = analyse.bipartite_network(agreements)
    graphs = [analyse.for_gephi(network), analyse.for_gephi(analyse.home_projection(network)),
              analyse.for_gephi(analyse.partner_projection(network, min_homes=1)),
              analyse.for_gephi(analyse.aggregate_network(agreements, "zone")), network,
              _odd_network(), _odd_network(directed=True), nx.Graph(), nx.MultiGraph([(1, 2), (1, 2)])]
    reserved = _odd_network()
    reserved.nodes["bare"]["start"] = 1
    numpy_valued = _odd_network()
    numpy_valued.nodes["bare"]["degree"] = np.int64(1)  # "int" to networkx, where a Python int is "long"
    for graph in [*graphs, reserved, numpy_valued]:
        assert network_files.graphml(graph) == "\n".join(nx.generate_graphml(graph)) + "\n"
        gexf = "\n".join(nx.generate_gexf(graph)) + "\n"
        assert network_files.gexf(graph) == gexf.replace(
            gexf[gexf.index("<meta "):gexf.index(">", gexf.index("<meta ")) + 1], "<meta>")
    assert network.number_of_edges() > 600  # the seeds' network, not an empty one
