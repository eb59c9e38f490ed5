"""The partnerkg command: a thin wrapper over the library functions of the same names."""

from __future__ import annotations

import csv
import io
import sys
from functools import wraps
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

# Each command imports what it needs when it runs: `partnerkg query` starts without loading the
# build's libraries (matplotlib, openpyxl, pdfplumber, pyshacl, owlrl).
from .errors import PartnerkgError
from .paths import OUTPUT

EXIT_REJECTED = 3  # the build finished, but some rows were rejected (see output/report/rejections.csv)
EXIT_INVALID = 4  # SHACL violations; for a build: the sources holding them were withheld, the rest published
EXIT_UNPUBLISHED = 5  # SHACL violations no one source accounts for: nothing published, output/ keeps the last good

def manifest_option(command):
    """--manifest, and --paths-outside for a manifest that names files outside its own folder."""
    command = click.option("--paths-outside", is_flag=True,
                           help="Allow the manifest to name files outside its folder (refused by default, so "
                                "that a manifest cannot make the build read any file of the machine).")(command)
    return click.option("--manifest", "-m", type=click.Path(dir_okay=False),
                        help="Manifest to build (default: the bundled sources/manifest.toml).")(command)
output_option = click.option("--output", "-o", type=click.Path(file_okay=False), default=str(OUTPUT),
                             show_default=True, help="Folder for the store, dump and report.")


def clean_errors(command):
    """Turn the project's errors into a one-line message and exit code 1."""
    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PartnerkgError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except OSError as exc:  # a read-only or full disk, a folder that vanished: say so, no traceback
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(1)
    return wrapper


@click.group()
@click.version_option()
def cli() -> None:
    """Build and query a knowledge graph of university partnership agreements."""


@cli.command()
@manifest_option
@output_option
@click.option("--no-report", is_flag=True, help="Skip the network analyses and the HTML report.")
@click.option("--wait", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
              help="Wait this long for another build of the same output folder to finish (default: stop at once).")
@click.option("--no-cache", is_flag=True,
              help="Build everything again and keep nothing for the next build. By default a build with the same "
                   "inputs as the last one into this output folder does nothing (the output is up to date), and "
                   "otherwise reuses what it read, clustered and mapped from the documents that did not change "
                   "(kept beside the output folder, in .OUTPUT-cache).")
@clean_errors
def build(manifest: str | None, paths_outside: bool, output: str, no_report: bool, wait: float,
          no_cache: bool) -> None:
    """Read the manifest's documents and build the validated graph, store, dump and report.

    The output folder is replaced as a whole when the build succeeds; a failed or interrupted
    build leaves the last good one as it was. A rebuild reads, clusters and maps again only what
    changed documents touch (see --no-cache).

    Exit codes: 0 all rows became agreements; 3 some rows were rejected (listed in
    output/report/rejections.csv); 4 some sources failed SHACL and were withheld (the rest is
    published); 5 SHACL violations no one source accounts for (nothing published; this build's
    report is in OUTPUT.failed/); 1 a fatal error.

    Example:

        partnerkg build --manifest sources/manifest.toml
    """
    from . import pipeline as build_module

    console = Console(stderr=True)
    result = build_module.build(manifest, output, console=console, report=not no_report, wait=wait,
                                paths_outside=paths_outside, cache=not no_cache)
    _print_summary(result, Console())
    if not result.published:
        sys.exit(EXIT_UNPUBLISHED)
    if result.withheld:
        sys.exit(EXIT_INVALID)
    if result.rejections:
        sys.exit(EXIT_REJECTED)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False))
@clean_errors
def init(folder: str) -> None:
    """Start a project of your own in FOLDER: a manifest with an example source that builds as it
    is and commented examples of every other form, and a sources/ folder for the documents.

    Example:

        partnerkg init agreements && partnerkg build -m agreements/manifest.toml -o agreements/output
    """
    from .project import init as start

    for path in start(Path(folder)):
        click.echo(f"wrote {path}")


@cli.command()
@output_option
@clean_errors
def validate(output: str) -> None:
    """Validate the built dump against the SHACL shapes and print a readable report.

    Exits 4 when there are violations.

    Example:

        partnerkg validate --output output
    """
    from .validate import validate_dump

    report = validate_dump(Path(output))
    click.echo(report.text())
    if report.violations:
        sys.exit(EXIT_INVALID)


@cli.command()
@output_option
@clean_errors
def analyze(output: str) -> None:
    """Analyse the partner network of the built store: overlap between home institutions,
    centralities, communities, country and zone networks (CSV/JSON), and the networks as GraphML
    and GEXF, under output/analysis/.

    Example:

        partnerkg analyze --output output
    """
    from .use.analyse import analyze as run_analyses

    for name, path in sorted(run_analyses(Path(output)).items()):
        click.echo(f"{name}\t{path}")


@cli.command()
@output_option
@clean_errors
def report(output: str) -> None:
    """Write output/report.html: counts per source, validation, resolution, the catalogue's main
    answers and figures, on one self-contained page.

    Example:

        partnerkg report --output output
    """
    from .use.report_html import make_report

    click.echo(make_report(Path(output)))


@cli.command()
@output_option
@clean_errors
def sources(output: str) -> None:
    """Print, as Markdown, what the last build made of each document: rows read, agreements, and
    the rows skipped and rejected with why (the README's per-document tables are this output).

    Example:

        partnerkg build -m examples/corpus/manifest.toml --paths-outside -o corpus-output
        partnerkg sources -o corpus-output
    """
    from .publish.report import sources_markdown

    click.echo(sources_markdown(Path(output) / "report"), nl=False)


@cli.command()
@clean_errors
def queries() -> None:
    """List the query catalogue (queries/*.rq): name, title, what it answers, parameters.

    Example:

        partnerkg queries
    """
    from .use.catalogue import catalogue

    table = RichTable("name", "title", "answers", "parameters", title="Query catalogue")
    for item in catalogue():
        params = "; ".join(f"{k} ({v})" if v else k for k, v in item.parameters.items()) or "-"
        table.add_row(item.name, item.title, item.answers, params)
    Console(width=200).print(table)


def _parse_params(ctx, param, values: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"{value!r}: expected NAME=VALUE")
        key, _, val = value.partition("=")
        result[key.strip()] = val
    return result


@cli.command()
@click.argument("query_name", required=False)
@click.option("-e", "--expression", help="A SPARQL query given inline.")
@click.option("-p", "--param", "params", multiple=True, callback=_parse_params, metavar="NAME=VALUE",
              help="A value for a parameter of a catalogue query (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="csv and json are written as the rows come, for results of any size.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60, show_default=True,
              metavar="SECONDS", help="Stop a query still running after this long.")
@click.option("--allow-service", is_flag=True, help="Let the query call other endpoints (SERVICE): refused by default.")
@output_option
@clean_errors
def query(query_name: str | None, expression: str | None, params: dict[str, str], fmt: str, timeout: float,
          allow_service: bool, output: str) -> None:
    """Run a SPARQL SELECT query over the built store (without FROM, all graphs as one).

    QUERY_NAME is the name of a query of the catalogue (see 'partnerkg queries') or a path.
    Ctrl-C stops a query.

    Examples:

        partnerkg query agreements-by-zone --param home=Tohoku

        partnerkg query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?a a pkg:Agreement }' --format csv
    """
    from .use import query as query_module
    from .use.catalogue import find_query, unmatched_parameters

    if bool(query_name) == bool(expression):
        raise click.UsageError("give either QUERY_NAME or -e/--expression")
    sparql = expression or find_query(query_name).sparql(params)
    store = Path(output) / "store"
    if fmt != "table":
        found = query_module.stream_query(sparql, click.get_text_stream("stdout"), fmt, store, timeout, allow_service)
    else:
        buffer = io.StringIO()
        found = query_module.stream_query(sparql, buffer, "csv", store, timeout, allow_service)
        columns, *rows = csv.reader(io.StringIO(buffer.getvalue()))
        rich_table = RichTable(*map(escape, columns))
        for row in rows:
            rich_table.add_row(*map(escape, row))
        Console().print(rich_table)
    if not found and params:
        for hint in unmatched_parameters(params, store):
            click.echo(f"hint: {hint}", err=True)


@cli.command()
@output_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS", help="Stop a query still running after this long.")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Refuse an answer of more rows (or triples) than this.")
@clean_errors
def serve(output: str, host: str, port: int, timeout: float, max_rows: int) -> None:
    """Serve the built store as a read-only SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql
    (GET and POST; JSON, XML, CSV or TSV results by the Accept header). Updates and SERVICE are refused.

    Example:

        partnerkg serve --port 7878 &  curl -H 'Accept: text/csv' \\
            'http://127.0.0.1:7878/sparql?query=SELECT+(COUNT(*)+AS+?n)+WHERE+{?s+?p+?o}'
    """
    from .use.serve import Limits
    from .use.serve import serve as run

    click.echo(f"serving {Path(output) / 'store'} at http://{host}:{port}/sparql (Ctrl-C stops)", err=True)
    run(output, host, port, Limits(timeout, max_rows))


@cli.command()
@output_option
@click.option("--release", "-r", type=click.Path(file_okay=False), default="release", show_default=True,
              help="Folder the release folder is written in.")
@click.option("--version", "version", default="", metavar="VERSION",
              help="The release's version (default: [project] version, else the newest source date).")
@click.option("--endpoint", default="", metavar="URL", help="A SPARQL endpoint serving the data, stated in the VoID.")
@click.option("--base-url", default="", metavar="URL",
              help="Where the release folders will be online: each file gets its download URL in the VoID.")
@clean_errors
def publish(output: str, release: str, version: str, endpoint: str, base_url: str) -> None:
    """Write a versioned release of the built graph: both dumps in every format and gzipped, the
    JSON-LD context, the ontology and its HTML documentation, the shapes, VoID/DCAT and SHA256SUMS.
    A release is never overwritten.

    Example:

        partnerkg publish --version 2026.11 --endpoint https://data.example.org/sparql
    """
    from .publish.release import publish as write_release

    click.echo(f"wrote {write_release(output, release, version, endpoint, base_url)}")


@cli.command()
@output_option
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's Graph Store Protocol address (Oxigraph: .../store; Virtuoso: "
                   ".../sparql-graph-crud-auth; Fuseki: .../DATASET/data).")
@click.option("--user", default="", help="User name, when the store asks for one (Basic or Digest, as it asks).")
@click.option("--password", default="", envvar="PARTNERKG_PASSWORD", show_envvar=True,
              help="Password (better given in the environment than on the command line).")
@clean_errors
def push(output: str, endpoint: str, user: str, password: str) -> None:
    """Replace each named graph of the built graph in a triple store through the SPARQL 1.1 Graph
    Store HTTP Protocol (one PUT per graph, the inferred graph included); delete the graphs the last
    push put there that this build no longer has; put the VoID description in .../graph/void.

    Example:

        PARTNERKG_PASSWORD=... partnerkg push --endpoint http://localhost:8890/sparql-graph-crud-auth --user dba
    """
    from .publish.push import push as send

    for pushed in send(endpoint, output, user, password):
        done = "deleted (the last push put it there; this build has it no more)" if pushed.triples < 0 else \
            f"{pushed.triples} triples"
        click.echo(f"{pushed.graph}: {done} (HTTP {pushed.status})")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--agreements", "-n", type=click.IntRange(min=1), required=True, help="How many agreements (rows).")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same corpus.")
@click.option("--per-document", type=click.IntRange(min=1), default=500, show_default=True,
              help="Agreements per document.")
@clean_errors
def generate(folder: str, agreements: int, seed: int, per_document: int) -> None:
    """Write a realistic corpus of generated partner lists into FOLDER (a new one): documents in
    several forms and languages, a manifest, and identity labels (labels.json) to score a build with.

    Example:

        partnerkg generate --agreements 10000 gen && partnerkg build -m gen/manifest.toml -o gen/output \\
            && partnerkg eval-resolution gen/labels.json --output gen/output
    """
    from .generate import generate as write_corpus

    corpus = write_corpus(agreements, Path(folder), seed, per_document)
    click.echo(f"wrote {corpus.documents} documents, {corpus.agreements} agreements ({corpus.bad_rows} bad rows) "
               f"and {Path(folder) / 'manifest.toml'}")


@cli.command()
@click.argument("name")
@output_option
@clean_errors
def explain(name: str, output: str) -> None:
    """Show the entity NAME resolved to, the names merged with it with the evidence and score of
    each merge, and the closest candidates kept apart.

    Example:

        partnerkg explain "Université de Technologie de Dresde"
    """
    from .use.explain import explain as explain_name

    for explanation in explain_name(name, Path(output)):
        click.echo(explanation.text())


@cli.command()
@manifest_option
@output_option
@click.option("--accept", type=int, metavar="N", help="Near-miss N is one institution: write [[same]].")
@click.option("--reject", type=int, metavar="N", help="Near-miss N is two institutions: write [[different]].")
@click.option("--limit", type=int, default=30, show_default=True, help="How many near-misses to list.")
@clean_errors
def review(manifest: str | None, paths_outside: bool, output: str, accept: int | None, reject: int | None,
           limit: int) -> None:
    """List the near-misses of the last build worth a look, most likely one institution first; with
    --accept or --reject, write the decision to the manifest's override file (the next build
    applies it).

    Examples:

        partnerkg review

        partnerkg review --accept 3
    """
    from .config import load_manifest
    from .use.review import candidates, decide, find

    if accept is not None and reject is not None:
        raise click.UsageError("give --accept or --reject, not both")
    if accept is not None or reject is not None:
        loaded = load_manifest(manifest, paths_outside)
        target = loaded.overrides or loaded.path.parent / "overrides.toml"
        chosen = find(Path(output), accept if accept is not None else reject)
        table = decide(target, chosen, same=accept is not None)
        click.echo(f"[[{table}]] {chosen.name!r} / {chosen.other!r} written to {target}; rebuild to apply it")
        return
    listed = candidates(Path(output))
    table = RichTable("#", "likely", "name", "kept apart from", "why",
                      title=f"Near-misses worth a look ({len(listed)})")
    for c in listed[:limit]:
        table.add_row(str(c.number), f"{c.likelihood:.2f}", escape(c.name), escape(c.other), escape(c.evidence))
    Console(width=200).print(table)


@cli.command("eval-resolution")
@click.argument("labels", type=click.Path(exists=True, dir_okay=False))
@click.option("--explain", "explain_failures", is_flag=True,
              help="Follow each failure with the explanation of its names.")
@output_option
@clean_errors
def eval_resolution(labels: str, explain_failures: bool, output: str) -> None:
    """Score the built resolution against labelled names (groups that must be one institution,
    pairs that must be two, groups' ROR ids): group recall, pairwise precision, look-alikes kept
    apart, ROR link accuracy and coverage; exits 1 if any label fails.

    Example:

        partnerkg eval-resolution tests/data/er_corpus.json --output all-output --explain
    """
    from .use.explain import eval_resolution as evaluate

    evaluation = evaluate(Path(labels), Path(output), explain_failures)
    click.echo(evaluation.text())
    if not evaluation.passed:
        sys.exit(1)


def _print_summary(result, console: Console) -> None:
    """The build's summary on the console; text from the documents is escaped, never read as markup."""
    table = RichTable("source", "encoding", "rows read", "agreements", "skipped", "rejected", "warnings",
                      "published", title="Sources")
    for s in result.summaries:
        published = "[red]withheld[/red]" if s.withheld or not result.published else "yes"
        table.add_row(escape(s.source), escape(s.encoding), str(s.rows_read), str(s.agreements), str(s.skipped),
                      str(s.rejected), str(s.warnings), published)
    console.print(table)
    for s in result.summaries:
        if "(" in s.encoding:  # detected, or bytes replaced: worth a look
            console.print(f"{escape(s.file)}: read as {escape(s.encoding)}", highlight=False)
    if result.unit_checks:
        units = RichTable("source", "home unit", "stated", "found", "", title="Stated against found counts")
        for c in result.unit_checks:
            units.add_row(escape(c.source), escape(c.unit), str(c.stated), str(c.found),
                          f"[red]differs[/red]: {escape(c.fault)}" if c.differs else "ok")
        console.print(units)
    for rejection in result.rejections:
        console.print(f"[red]rejected[/red] {escape(str(rejection))}", highlight=False)
    console.print(escape(result.validation.text().split("\n")[0]))
    for source in result.withheld:
        console.print(f"[red]withheld[/red] source {escape(source)}: its rows fail SHACL (see "
                      f"{escape(str(result.report_folder / 'validation.txt'))}); the other sources are published")
    if not result.published:
        console.print(f"[red]nothing published[/red]: violations outside any one source; {escape(str(result.output))} "
                      f"keeps the last good build; this build's report is in {escape(str(result.report_folder))}")
    elif result.quads:
        console.print(f"{result.quads} quads in {escape(str(result.output / 'store'))}; dump and report in "
                      f"{escape(str(result.output))}")
