"""GraphML and GEXF text of a network: the text networkx 3 writes, made as strings.

networkx builds an ElementTree of the whole graph and then serialises it. At 10^5 agreements the
five networks took 12 s of the analyses' 21. The networks partnerkg writes are plain: an undirected
or directed graph whose attribute values are strings, numbers or booleans, with none of the names
GEXF reserves (spells, viz, parents...). Their text is written here directly, with ElementTree's own
escaping. Any other graph is handed to networkx. tests/test_fast_paths.py checks that both give the
same text.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import _escape_attrib, _escape_cdata  # ElementTree's own: the bytes networkx writes

import networkx as nx

XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}  # networkx's, for these four
GRAPHML_HEAD = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
GEXF_HEAD = ('<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
             'version="1.2">')
# names networkx's writers treat apart from other attributes: such a graph goes to networkx
GRAPHML_GRAPH_RESERVED = {"id", "node_default", "edge_default"}
GEXF_GRAPH_RESERVED = {"mode", "node_default", "edge_default"}
GEXF_NODE_RESERVED = {"id", "pid", "start", "end", "parents", "spells", "slices", "viz", "key"}
GEXF_EDGE_RESERVED = {"id", "label", "type", "start", "end", "spells", "slices", "viz", "key"}


def graphml(graph: nx.Graph) -> str:
    """The GraphML text ``"\\n".join(nx.generate_graphml(graph)) + "\\n"``.

    >>> G = nx.Graph(method="exact")
    >>> G.add_edge("a", "b & c", weight=2)
    >>> graphml(G) == "\\n".join(nx.generate_graphml(G)) + "\\n"
    True
    """
    if not _plain(graph, GRAPHML_GRAPH_RESERVED, set(), set()):
        return "\n".join(nx.generate_graphml(graph)) + "\n"
    keys: dict[tuple[str, str, str], str] = {}

    def data(scope: str, values: dict, indent: str) -> Iterator[str]:
        for name, value in values.items():
            key = keys.setdefault((str(name), XML_TYPES[type(value)], scope), f"d{len(keys)}")
            text = str(value)
            yield (f'{indent}<data key="{key}">{_escape_cdata(text)}</data>' if text
                   else f'{indent}<data key="{key}" />')

    body = []
    graph_data = list(data("graph", graph.graph, "    "))  # its keys come first, its data last
    for node, values in graph.nodes(data=True):
        body.append(_opened(f'    <node id="{_escape_attrib(str(node))}"', list(data("node", values, "      ")),
                            "    </node>"))
    for a, b, values in graph.edges(data=True):
        body.append(_opened(f'    <edge source="{_escape_attrib(str(a))}" target="{_escape_attrib(str(b))}"',
                            list(data("edge", values, "      ")), "    </edge>"))
    body += graph_data
    declared = [f'  <key id="{key}" for="{scope}" attr.name="{_escape_attrib(name)}" attr.type="{kind}" />'
                for (name, kind, scope), key in reversed(keys.items())]
    edges = "directed" if graph.is_directed() else "undirected"
    lines = [GRAPHML_HEAD, *declared, _opened(f'  <graph edgedefault="{edges}"', body, "  </graph>"), "</graphml>"]
    return _as_networkx_lines("\n".join(lines))


def gexf(graph: nx.Graph) -> str:
    """The GEXF 1.2 text networkx writes, without the date of writing (``<meta>`` for
    ``<meta lastmodifieddate="...">``), so that the same graph always gives the same bytes.

    >>> G = nx.Graph()
    >>> G.add_node("a", label="A <1>", degree=1)
    >>> G.add_edge("a", "b", weight=2, partners=1)
    >>> gexf(G) == _networkx_gexf(G)
    True
    """
    if not _plain(graph, GEXF_GRAPH_RESERVED, GEXF_NODE_RESERVED, GEXF_EDGE_RESERVED) or not isinstance(
            graph.graph.get("name", ""), str):
        return _networkx_gexf(graph)
    ids: dict[tuple[str, str], str] = {}
    declared: dict[str, list[str]] = {}

    def values_of(scope: str, values: dict) -> list[str]:
        lines = []
        for name, value in values.items():
            title = str(name)
            if (scope, title) not in ids:  # declared with the type of its first value, as networkx does
                ids[scope, title] = str(len(ids))
                declared.setdefault(scope, []).append(
                    f'      <attribute id="{ids[scope, title]}" title="{_escape_attrib(title)}" '
                    f'type="{XML_TYPES[type(value)]}" />')
            value = _escape_attrib(_gexf_value(value))
            lines.append(f'          <attvalue for="{ids[scope, title]}" value="{value}" />')
        return [_opened("        <attvalues", lines, "        </attvalues>")] if lines else []

    nodes = []
    for node, values in graph.nodes(data=True):
        label = str(values.get("label", node))
        rest = {k: v for k, v in values.items() if k != "label"}
        nodes.append(_opened(f'      <node id="{_escape_attrib(str(node))}" label="{_escape_attrib(label)}"',
                             values_of("node", rest), "      </node>"))
    edges = []
    for number, (a, b, values) in enumerate(graph.edges(data=True)):
        head = f'      <edge source="{_escape_attrib(str(a))}" target="{_escape_attrib(str(b))}" id="{number}"'
        if "weight" in values:
            head += f' weight="{_escape_attrib(str(values["weight"]))}"'
        rest = {k: v for k, v in values.items() if k != "weight"}
        edges.append(_opened(head, values_of("edge", rest), "      </edge>"))
    blocks = [_opened(f'    <attributes mode="static" class="{scope}"', declared[scope], "    </attributes>")
              for scope in ("edge", "node") if scope in declared]  # networkx puts each new block first
    kind = "directed" if graph.is_directed() else "undirected"
    body = [*blocks, _opened("    <nodes", nodes, "    </nodes>"), _opened("    <edges", edges, "    </edges>")]
    lines = [GEXF_HEAD, "  <meta>", f"    <creator>NetworkX {nx.__version__}</creator>", "  </meta>",
             _opened(f'  <graph defaultedgetype="{kind}" mode="static" '
                     f'name="{_escape_attrib(graph.graph.get("name", ""))}"', body, "  </graph>"), "</gexf>"]
    return _as_networkx_lines("\n".join(lines))


def _networkx_gexf(graph: nx.Graph) -> str:
    text = "\n".join(nx.generate_gexf(graph)) + "\n"
    start = text.find('<meta lastmodifieddate="')
    return text if start < 0 else text[:start] + "<meta>" + text[text.index('">', start) + 2:]


def _plain(graph: nx.Graph, graph_reserved: set, node_reserved: set, edge_reserved: set) -> bool:
    """Whether every attribute value is a str, int, float or bool and no reserved name is used."""
    if graph.is_multigraph() or graph_reserved & set(graph.graph):
        return False
    values = [graph.graph.values()]
    for _, data in graph.nodes(data=True):
        if node_reserved & data.keys():
            return False
        values.append(data.values())
    for _, _, data in graph.edges(data=True):
        if edge_reserved & data.keys():
            return False
        values.append(data.values())
    return all(type(v) in XML_TYPES for group in values for v in group)


def _opened(head: str, children: list[str], tail: str) -> str:
    """An element: ``head`` closed at once when it has no children, else its children and ``tail``."""
    return f"{head} />" if not children else "\n".join([head + ">", *children, tail])


def _gexf_value(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    text = str(value)
    return {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text) if type(value) is float else text


def _as_networkx_lines(text: str) -> str:
    """networkx yields the serialised text's ``splitlines()``, which also breaks at \\r, \\x85, \\u2028
    and the like inside values; the files are those lines joined by newlines."""
    return "\n".join(text.encode("ascii", "xmlcharrefreplace").decode("ascii").splitlines()) + "\n"
