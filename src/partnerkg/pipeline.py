"""Build: run every stage, from the manifest to the store, the dump and the report."""

from __future__ import annotations

import gc
import shutil
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import vocab
from .atomic import OutputSet, write_atomic
from .build_cache import NO_CACHE, BuildCache, cache_folder, file_digest
from .config import Manifest, load_manifest
from .errors import PartnerkgError, Rejection, Skip, SourceError, Warning_
from .lock import dump_lock, load_lock
from .map.quads import map_store
from .map.tallies import tally_lines
from .model import AgreementRow, ReadResult, Record, describe
from .normalise import normalise_records
from .paths import OUTPUT
from .publish.dump import start_dumps
from .publish.report import SourceSummary, UnitCheck, write_report
from .publish.void import About, SourceFacts
from .rdfutil import add_triples, to_ox, union
from .read import read_source
from .reason.closure import ontology, reason, reason_owlrl
from .resolve import resolve
from .resolve.locate import locate
from .resolve.overrides import load_overrides
from .resolve.ror import load_ror
from .store.lines import folder_changes, sorted_graph_file
from .store.loading import LoadingStore, load, settled
from .store.oxigraph import load_store, update_store
from .validate import Validated, ValidationReport, load_shapes, validate, validate_since

DISK_ABOVE = 250_000  # agreements above which a build keeps its store on disk (see build_graph)
COLLECTED_EVERY = (100_000, 20, 10)  # gc thresholds during a build (CPython's: 700, 10, 10); see _frozen_stages


@dataclass(frozen=True)
class BuildResult:
    manifest: Manifest
    output: Path | None  # None: built in memory (write=False)
    summaries: list[SourceSummary]
    unit_checks: list[UnitCheck]
    rejections: list[Rejection]
    warnings: list[Warning_]
    validation: ValidationReport
    skipped: list[Skip] = field(default_factory=list)
    quads: int = 0
    files: dict[str, Path] = field(default_factory=dict)
    withheld: tuple[str, ...] = ()  # sources left out of the published graph for their SHACL violations
    published: bool = True  # False: violations outside any one source; output/ keeps the last good build
    report_folder: Path | None = None  # where this build's report is (output/report, or <output>.failed/report)
    store: ox.Store | None = None  # of a build in memory (write=False): every named graph, the inferred one included
    cached: dict[str, dict[str, int]] = field(default_factory=dict)  # per stage: entries "made" and "reused"

    @property
    def ok(self) -> bool:
        return not self.rejections and not self.validation.violations


@dataclass(frozen=True)
class BuiltGraph:
    """A build's graph before anything is written: the validated store and what the report says."""

    manifest: Manifest
    store: LoadingStore | ox.Store | None  # still loading in a thread (``store.loading``); None once written
    resolution: object  # resolve.Resolution
    summaries: list[SourceSummary]
    unit_checks: list[UnitCheck]
    rejections: list[Rejection]
    warnings: list[Warning_]
    skipped: list[Skip]
    validation: ValidationReport
    withheld: tuple[str, ...]
    published: bool
    lock: object  # lock.Lock, with the ids this build minted
    on_disk: Path | None = None  # where the store is, when it is on disk
    sorted_graphs: Path | None = None  # where the map stage wrote each source graph's lines sorted, for the dump
    validated: Validated | None = None  # what the next build's validation can start from (None: nothing)


def build(manifest_path: str | Path | None = None, output: str | Path | None = None,
          console: Console | None = None, report: bool = True, wait: float = 0,
          paths_outside: bool = False, write: bool = True, cache: bool = True, step=None) -> BuildResult:
    """Build the graph of a manifest's sources (the bundled one by default) into ``output``.

    Rejected rows do not stop the build. A source whose rows fail SHACL is withheld and the others
    are published; violations no one source accounts for publish nothing. Everything is written
    into a staging folder and swapped in as a set (see ``atomic.OutputSet``): a failed or killed
    build leaves the last good output as it was. ``wait``: seconds to wait for another build of the
    same output folder. ``paths_outside``: let the manifest name files outside its folder. With
    ``report``, the network analyses (output/analysis/) and output/report.html follow. With
    ``write=False`` nothing is written (no output, no lock file): the result holds the graph in an
    in-memory store (``result.store``). With ``cache``, what a build read, clustered and mapped is
    kept beside ``output`` (``build_cache.cache_folder``) and reused by the next build where its
    inputs are the same, and a build whose inputs are all the last one's does nothing: the bytes
    out are the same either way. ``step``: a context manager factory called with
    each stage's name (the benchmark's timer), instead of the progress shown on ``console``.

    >>> from pathlib import Path; import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "partners.md").write_text("| Pays | Institution |\\n|---|---|\\n| Suède | KTH |\\n")
    >>> _ = (folder / "manifest.toml").write_text('''[[source]]
    ... path = "partners.md"
    ... home = { name = "Université Test", country = "FR" }
    ... form = "markdown-table"
    ... columns = { country = "Pays", partner = "Institution" }''')
    >>> result = build(folder / "manifest.toml", write=False)
    >>> [s.agreements for s in result.summaries], len(result.store) > 0, result.files
    ([1], True, {})
    """
    console = console or Console(stderr=True, quiet=True)
    manifest = load_manifest(manifest_path, paths_outside)
    progress = _progress(console) if step is None else nullcontext(step)
    if not write:
        with progress as step:
            return _result(build_graph(manifest, step), None, {}, 0, None)
    output = Path(output) if output else OUTPUT
    outputs = OutputSet(output, wait)  # the lock is taken before anything runs: a second build waits or stops
    kept = BuildCache(cache_folder(output) if cache else None)
    inputs = _inputs(manifest, report)
    # (after a failed build, built again: a good build clears <output>.failed away)
    if not outputs.failed.exists() and (last := kept.last_build(inputs)) is not None:
        console.print(f"{output} is up to date: the same inputs built it, and it is as that build wrote it")
        return replace(last, cached={"build": {"reused": 1}})
    with progress as step, outputs as staging:
        last = kept.kept_store(output / "store")  # read before this build's lines take their place
        built = build_graph(manifest, step, disk=staging / "store", cache=kept, sorted_graphs=staging / ".graphs")
        try:
            files, quads = write_outputs(built, staging, step, report, (output / "store", last) if last else None,
                                         kept)
        finally:  # the graphs' lines were for the dump, and for the next build's validation
            settled(built.store)  # (its loads of them done first)
            _keep_lines(built, kept)
        built = replace(built, store=None)  # let go (and closed, if on disk) before the folder is swapped in
        final = output if built.published else outputs.fail()
    if built.published and built.lock.added:
        write_atomic(built.manifest.lock, dump_lock(built.lock))
    if kept.folder:
        kept.prune()
        console.print(f"build cache ({kept.folder}): {kept.summary()}")
    files = {name: final / path.relative_to(staging) for name, path in files.items()}
    result = _result(built, output, files, quads, final / "report")
    if built.published:  # its inputs as they are now: the lock file may have gained ids
        kept.keep_build(_inputs(manifest, report), result, [*files.values(), final / "store", final / "report"])
    return replace(result, cached={stage: dict(counts) for stage, counts in kept.counts.items()})


def _inputs(manifest: Manifest, report: bool) -> tuple:
    """Everything a build's output is made from, beside partnerkg's code: the manifest, the bytes
    of each file it names, and whether the analyses and report page are made."""
    files = [s.path for s in manifest.sources] + [manifest.lock] + list(manifest.shapes) + \
        [p for p in (manifest.overrides, manifest.ror) if p is not None]
    return manifest, [file_digest(path) for path in files], report


def build_graph(manifest: Manifest, step=None, plain: bool = False, disk: Path | None = None,
                cache: BuildCache = NO_CACHE, sorted_graphs: Path | None = None) -> BuiltGraph:
    """Read, normalise, resolve, map, reason and validate a manifest's sources into a store.

    The store is in memory, unless ``disk`` (where the build's store goes) is given and there are
    more than ``DISK_ABOVE`` agreements: in memory, reasoning and validation take a quarter of the
    time they take on disk, but the store takes about 1 GB per 10^5 agreements.
    ``plain``: reason with owlrl over ontology and data, and validate with pyshacl, both over rdflib
    graphs (the plain path: the benchmark's baseline), rather than on the store. ``cache``: what
    an earlier build read, clustered and mapped, where its inputs are the same (``build_cache``).
    ``sorted_graphs``: a folder where the map stage writes each source graph's N-Quads sorted, for
    ``write_outputs`` to copy into the dump; with them and ``cache``, validation checks again only
    what changed since the last build kept its graphs (``validate.incremental``)."""
    with _frozen_stages(step or _no_step) as step:
        lock = load_lock(manifest.lock)
        with step("read and normalise"):
            rows, rejections, skipped, warnings, unit_counts = _read_all(manifest, cache)
        with step("resolve"):
            ror = load_ror(manifest.ror)
            rows, unplaced, placed = locate(rows, ror)
            rejections += unplaced
            rejections += _without_agreements(manifest, rows, rejections, skipped, unit_counts)
            warnings += placed
            resolution = resolve(rows, manifest.sources, lock, ror, load_overrides(manifest.overrides), cache)
        with step("map"):
            counts = {source: facts[0] for source, facts in unit_counts.items()}
            on_disk = disk if disk is not None and len(resolution.rows) > DISK_ABOVE else None
            if on_disk:
                shutil.rmtree(on_disk, ignore_errors=True)
            if sorted_graphs:
                shutil.rmtree(sorted_graphs, ignore_errors=True)
                sorted_graphs.mkdir(parents=True)
            # in memory, loaded in a thread while the build goes on (``store.loading``), each load
            # waited for when the store is next read; on disk, at once: there the loader's own memory
            # beside the build's took a build of 10^6 agreements from 7.2 to 8.4 GB, for no time saved
            graph = map_store(resolution, manifest.sources, counts, manifest.new_kinds, manifest.personal_data,
                              ox.Store(str(on_disk)) if on_disk else LoadingStore(ox.Store()), cache, sorted_graphs)
        since = cache.kept_graphs() if sorted_graphs and not plain else None
        with step("reason (OWL 2 RL)"):
            _close(graph, plain, sorted_graphs, cache)
        every = {s.id for s in manifest.sources}
        with step("tally"):  # counted while the inferred graph loads, and again should a source be withheld
            tallies = _tallies(resolution, every, sorted_graphs)
        validation, withheld, published, validated = _validate(
            graph, [s.id for s in manifest.sources], load_shapes(manifest.shapes), step, plain, sorted_graphs, since,
            cache)
        with step("tally"):  # the agreements of withheld sources are not counted
            if withheld:
                tallies = _tallies(resolution, every - set(withheld), sorted_graphs)
            load(graph, *tallies, graphs=(to_ox(vocab.TALLY_GRAPH),))
        summaries = _summaries(manifest, rows, rejections, skipped, warnings, unit_counts, withheld)
        return BuiltGraph(manifest, graph, resolution, summaries, _unit_checks(rows, counts), rejections, warnings,
                          skipped, validation, tuple(withheld), published, lock, on_disk, sorted_graphs, validated)


def write_outputs(built: BuiltGraph, staging: Path, step, report: bool, last: tuple[Path, Path] | None = None,
                  cache: BuildCache = NO_CACHE) -> tuple[dict[str, Path], int]:
    """Dump, store, build report and (with ``report``) analyses and the report page, into ``staging``;
    returns the files written and the number of quads stored. ``last``: the last build's store and
    the folder of its graphs' sorted lines, which the store is made from where it can be."""
    with _frozen_stages(step) as step:
        manifest = built.manifest
        agreements, analysed, tables = None, {}, None
        with ExitStack() as publishing:
            finish, stored, quads = publishing.enter_context(_publishing(built, staging, step, last, cache)) \
                if built.published else (None, None, 0)
            if built.published and report:
                from .use.analyse import agreements_in, analyze  # networkx: only for the report
                from .use.report_html import report_tables

                # the report page's queries, asked of the output's store once it is made, or at once of
                # the build's own (on disk, whole by now: the output's store)
                asking = publishing.enter_context(ThreadPoolExecutor(1, thread_name_prefix="report-queries"))
                tables = asking.submit(_asked_when_stored, stored, report_tables, staging) if stored else \
                    asking.submit(report_tables, built.store)
                # while Oxigraph makes the store and answers those, and a second process writes
                # Turtle, TriG and JSON-LD
                with step("analyse the network"):
                    agreements = agreements_in(built.store)  # the store's agreements, read once, for both
                    analysed = {f"analysis/{k}": v for k, v in analyze(staging, agreements).items()}
            # the build report and the report page too, before the dumps are waited for
            files = write_report(staging / "report", built.summaries, built.unit_checks, built.rejections,
                                 built.warnings, built.validation.text(), built.resolution.country_zone,
                                 built.resolution.report(), built.skipped, quads, manifest.title)
            files |= analysed
            if agreements is not None:
                from .use.report_html import make_report  # matplotlib: only for the report

                with step("report with figures"):  # (its tables are the output's store's answers)
                    files["report.html"] = make_report(staging, agreements, tables.result())
            files = (finish() if finish else {}) | files
        return files, quads


def _asked_when_stored(stored, ask, staging: Path):
    stored()  # (the store made, or its failure raised)
    return ask(staging)


def _keep_lines(built: BuiltGraph, cache: BuildCache) -> None:
    """The graphs' sorted lines moved into the cache, with the validation of them, for the next
    build to validate again only what changed; removed when there is no cache, or when a source was
    withheld (the lines are then no longer those validated)."""
    if built.sorted_graphs is None:
        return
    if cache.folder and built.validated and built.published and not built.withheld and \
            _every_graph_has_lines(built.store, built.sorted_graphs):
        cache.keep_graphs(built.validated, built.sorted_graphs)
    shutil.rmtree(built.sorted_graphs, ignore_errors=True)


def _every_graph_has_lines(store: ox.Store, lines: Path | None) -> bool:
    """Whether ``lines`` holds a file of sorted lines for each graph of ``store``, and no other."""
    if lines is None:
        return False
    return {sorted_graph_file(lines, graph).name for graph in store.named_graphs()} == \
        {path.name for path in lines.glob("*.nq")}


@contextmanager
def _publishing(built: BuiltGraph, staging: Path, step, last: tuple[Path, Path] | None = None,
                cache: BuildCache = NO_CACHE):
    """The dumps and the output's store started into ``staging``; yields a function that waits for
    both and returns the files written, one that waits for the store alone (None when the store
    is the build's own, on disk: it is whole once the first is called), and the quads stored.
    Until they are called the build can go on: Oxigraph makes the store in a thread (without
    Python's lock), and past ``dump.PARALLEL_ABOVE`` a second process writes Turtle, TriG and JSON-LD."""
    manifest = built.manifest
    with ThreadPoolExecutor(1) as loader:
        kept = [s.id for s in manifest.sources if s.id not in built.withheld]
        loading = []
        since = last if last and not built.withheld and _every_graph_has_lines(built.store, built.sorted_graphs) \
            else None

        def start_loading(nquads: list[Path]) -> None:
            # loaded from the N-Quads files at 10^5 agreements, about 20 s; changed from the last, a second
            loading.append(loader.submit(_stored, staging / "store", nquads, since, built.sorted_graphs, cache))

        on_disk = built.on_disk == staging / "store"  # already where the output's store goes
        with step("publish and store"):
            pending = start_dumps(built.store, staging, _about(manifest, kept), None if on_disk else start_loading,
                                  built.sorted_graphs, cache)

        dumped = sum(pending.graph_triples.values())  # the quads of the N-Quads dumps, written by now

        def finish() -> dict[str, Path]:
            with step("publish and store"):
                dump = pending.finish()
                if on_disk:
                    built.store.flush()
                elif (stored := loading[0].result()) != dumped:
                    raise PartnerkgError(f"the output's store holds {stored} quads, its dumps {dumped}")
            return {f"dump.{k}": v for k, v in dump.files.items()}

        with pending:
            yield finish, None if on_disk else lambda: loading[0].result(), dumped


def _stored(path: Path, nquads: list[Path], last: tuple[Path, Path] | None, lines: Path | None,
            cache: BuildCache) -> int:
    """The output's store, made at ``path``: the ``last`` build's store with the lines each graph
    gained or lost since (``update_store``) where it can be, else loaded from the dumps; returns
    its number of quads."""
    if last and lines and (updated := update_store(path, last[0], folder_changes(last[1], lines))):
        cache.counts["store"] = Counter({"quads changed": updated[1]})
        return updated[0]
    if cache.folder:
        cache.counts["store"] = Counter({"loaded whole": 1})
    return load_store(path, nquads)


def _about(manifest: Manifest, kept: list[str]) -> About:
    """What the dataset's description takes from the manifest: title, publisher, licence, version, and
    the published sources with their dates."""
    sources = tuple(SourceFacts(str(vocab.source_graph(s.id)), str(vocab.source_document(s.id)), s.title, s.date)
                    for s in manifest.sources if s.id in kept)
    return About(manifest.title, manifest.publisher, manifest.licence, manifest.version, sources)


def _result(built: BuiltGraph, output: Path | None, files: dict, quads: int, report_folder: Path | None) -> BuildResult:
    return BuildResult(built.manifest, output, built.summaries, built.unit_checks, built.rejections, built.warnings,
                       built.validation, built.skipped, quads, files, built.withheld, built.published,
                       report_folder, settled(built.store))


@contextmanager
def _no_step(name: str):
    yield


@contextmanager
def _frozen_stages(step):
    """``step``, with what the build holds so far frozen out of the garbage collector's sight as
    each stage starts and ends (``gc.freeze``), unfrozen when the build is done.

    CPython's collections of the oldest generation walk every object alive, and a build holds
    millions for its whole length (rows, names, groups, graphs' lines): at 10^5 agreements they
    took 36 s of a 150 s build, half of reasoning's time. A frozen object is still freed once
    nothing refers to it; only a reference cycle among frozen objects waits for the unfreeze.
    Collections are also made rarer (``COLLECTED_EVERY``): a stage's own sets and dicts of
    millions of tuples (reasoning's) were walked again at each full collection.
    """
    @contextmanager
    def frozen(name: str):
        gc.freeze()
        with step(name):
            yield
        gc.freeze()

    thresholds = gc.get_threshold()
    gc.set_threshold(*COLLECTED_EVERY)
    try:
        yield frozen
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _tallies(resolution, kept: set[str], folder: Path | None) -> tuple[bytes | None, Path | None]:
    """The tallies graph of the ``kept`` sources' agreements, for ``load``: its lines written to
    its sorted file in ``folder``, or (with none) held."""
    lines = tally_lines(resolution, kept)
    if folder is None:
        return b"".join(lines), None
    path = sorted_graph_file(folder, vocab.TALLY_GRAPH)
    with path.open("wb") as handle:
        handle.writelines(lines)
    return None, path


def _validate(store: ox.Store, source_ids: list[str], shapes: Graph, step=_no_step,
              plain: bool = False, lines: Path | None = None, since: Validated | None = None,
              cache: BuildCache = NO_CACHE) -> tuple[ValidationReport, list[str], bool, Validated | None]:
    """Validate the reasoned store; a source whose own statements violate a shape is taken out of
    ``store`` (and reasoning and validation run again without it). ``since``: the last build's
    validation, which the first validation here starts from (``validate_since``).

    Returns the first validation's report (every finding), the withheld source ids, whether the
    rest can be published (no violation left that no one source accounts for), and what the next
    build's validation can start from.
    """
    with step("validate (SHACL)"):
        if plain:
            validation, validated = validate(store, shapes, plain=True), None
        else:
            validation, validated, rechecked = validate_since(store, shapes, since, lines)
            if cache.folder and validated:
                cache.counts["validate"] = Counter({"focus nodes checked again": rechecked} if rechecked is not None
                                                   else {"validated whole": 1})
    if not validation.violations:
        return validation, [], True, validated
    by_source = {to_ox(vocab.source_graph(i)): i for i in source_ids}
    withheld: set[str] = set()
    for finding in validation.violations:
        focus = ox.NamedNode(finding.focus)
        withheld |= {by_source[quad.graph_name] for quad in store.quads_for_pattern(focus, None, None)
                     if quad.graph_name in by_source}
    if not withheld:  # violations no one source accounts for: nothing is published
        return validation, [], False, validated
    for source_id in sorted(withheld):
        store.remove_graph(to_ox(vocab.source_graph(source_id)))
    with step("reason (OWL 2 RL)"):
        _close(store, plain, lines, cache)
    with step("validate (SHACL)"):
        again = validate(store, shapes, plain)
    return validation, sorted(withheld), not again.violations, validated


def _close(store: ox.Store, plain: bool = False, lines: Path | None = None, cache: BuildCache = NO_CACHE) -> None:
    """The store's inferred graph made anew from its other graphs: by owlrl with ``plain``
    (``cache``: what reasoning took from each graph's lines, by their bytes)."""
    if plain:
        store.update(f"CLEAR SILENT GRAPH <{vocab.INFERRED_GRAPH}>")
        add_triples(store, reason_owlrl(union(store), ontology()), vocab.INFERRED_GRAPH)
    else:
        reason(store, ontology(), lines, cache)


def _read_all(manifest: Manifest, cache: BuildCache = NO_CACHE):
    """Every source read and normalised; a source that cannot be read is one rejection. A source
    whose file, manifest entry and kind labels are those of the last build is taken from ``cache``."""
    rows: list[AgreementRow] = []
    rejections: list[Rejection] = []
    skipped: list[Skip] = []
    warnings: list[Warning_] = []
    unit_counts = {}
    kind_labels = tuple(sorted(manifest.kinds.items()))
    each = cache.get_or_make_each("read", [((source, file_digest(source.path), kind_labels), (source, kind_labels))
                                           for source in manifest.sources], _read_one)  # (in worker processes)
    for source, read in zip(manifest.sources, each, strict=True):
        rows.extend(read.rows)
        rejections.extend(read.rejections)
        skipped.extend(read.skipped)
        warnings.extend(read.warnings)
        unit_counts[source.id] = (read.unit_counts, read.lines_read, read.encoding)
    return rows, rejections, skipped, warnings, unit_counts


@dataclass(frozen=True)
class _SourceRead:
    """What one source gave: what ``_read_all`` gathers, and the build cache keeps."""

    rows: list[AgreementRow]
    rejections: list[Rejection]
    skipped: list[Skip]
    warnings: list[Warning_]
    unit_counts: list
    lines_read: int
    encoding: str


def _read_one(source, kind_labels: tuple) -> _SourceRead:
    try:
        read = read_source(source)
    except SourceError as exc:
        read = ReadResult(rejections=[Rejection(source.id, source.file, 0, "", str(exc))], encoding="-")
    rows, rejections, warnings = normalise_records(read.records, kind_labels)
    # each source's books checked as it is read, so that its records need not be kept
    rejections += _unaccounted(read.records, rows, read.rejections + rejections)
    return _SourceRead(rows, read.rejections + rejections, read.skipped, read.warnings + warnings,
                       read.unit_counts, read.lines_read, read.encoding)


def _unaccounted(records: list[Record], rows: list[AgreementRow], rejections: list[Rejection]) -> list[Rejection]:
    """The build checks its own books: every record read became agreements or a rejection. One that
    did neither would be lost silently; it is reported instead (and is a bug of partnerkg)."""
    done = {(r.source, r.line, r.where) for r in rows} | \
        {(r.source, r.line, r.where or describe(r.line, "")) for r in rejections}
    by_key = {(r.source, r.line, r.where): r for r in records}
    lost = by_key.keys() - done
    return [Rejection(r.source, r.file, r.line, r.text, "read but neither made an agreement nor rejected: a bug of "
                      "partnerkg, please report it", r.where) for r in (by_key[k] for k in sorted(lost))]


def _without_agreements(manifest: Manifest, rows, rejections, skipped, read_facts) -> list[Rejection]:
    """A document that gave no agreement and no reason why (every row skipped, or none found) is an
    error of its own, naming what to look at."""
    made = {r.source for r in rows}
    said = {r.source for r in rejections}
    passed = Counter(s.source for s in skipped)
    problems = []
    for source in manifest.sources:
        if source.id in made or source.id in said:
            continue
        encoding = read_facts[source.id][2]
        why = (f"all {passed[source.id]} rows were skipped (see skipped.csv): are the skip rules too wide?"
               if passed[source.id] else "no row of a table was found: is the form right?")
        if "(" in encoding:
            why += f" The encoding was a guess ({encoding})."
        problems.append(Rejection(source.id, source.file, 0, "", f"no agreement read from this document: {why}"))
    return problems


def _summaries(manifest: Manifest, rows, rejections, skipped, warnings, read_facts,
               withheld=()) -> list[SourceSummary]:
    """Per source: lines, rows read (agreements + skipped + rejected), and the counts of each."""
    count = Counter
    agreements, rejected = count(r.source for r in rows), count(r.source for r in rejections)
    passed, warned = count(s.source for s in skipped), count(w.source for w in warnings)
    summaries = []
    for source in manifest.sources:
        _, lines_read, encoding = read_facts[source.id]
        summaries.append(SourceSummary(
            source=source.id, file=source.file, encoding=encoding, lines_read=lines_read,
            rows_read=agreements[source.id] + rejected[source.id] + passed[source.id],
            agreements=agreements[source.id], rejected=rejected[source.id], warnings=warned[source.id],
            skipped=passed[source.id], withheld=source.id in withheld, title=source.title,
            home=source.home.name, date=source.date))
    return summaries


def _unit_checks(rows: list[AgreementRow], unit_counts: dict) -> list[UnitCheck]:
    """Each home unit's stated count beside the agreements found for it, and, where they differ,
    whose count is at fault: the build's, when reading choices (a cell split into several
    establishments, a name joined across lines) can account for the difference; else the document's."""
    by_unit: dict[tuple[str, str], list[AgreementRow]] = defaultdict(list)
    for row in rows:
        if row.home_unit:
            by_unit[(row.source, row.home_unit)].append(row)
    checks = []
    for source, counts in unit_counts.items():
        for count in counts:
            found = by_unit[(source, count.unit)]
            checks.append(UnitCheck(source, count.unit, count.line, count.stated, len(found),
                                    _fault(count.stated, found)))
    return checks


def _fault(stated: int, found: list[AgreementRow]) -> str:
    if stated == len(found):
        return ""
    split = sorted({r.line for r in found if r.index > 0})
    joined = sorted({r.line for r in found if "\n" in r.text})
    choices, lines = (split, "cells split into several establishments") if len(found) > stated else \
        (joined, "names joined across lines")
    extra = sum(r.index > 0 for r in found) if len(found) > stated else len(joined)
    if abs(len(found) - stated) <= extra:
        return f"the build, maybe: {lines} at line(s) {', '.join(map(str, choices))} account for the difference"
    unexplained = f" (reading choices at line(s) {', '.join(map(str, choices))} cannot account for it)" if choices \
        else ""
    return f"the document: its rows name {len(found)} establishment(s) for this unit where its count says {stated}" \
        + unexplained


@contextmanager
def _progress(console: Console):
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=False) as progress:
        @contextmanager
        def step(name: str):
            task = progress.add_task(name, total=1)
            yield
            progress.update(task, completed=1)

        yield step
