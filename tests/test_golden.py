"""Golden tests: each case (a short excerpt of a real document, or a document written for the case,
with its manifest entry) builds to the expected graph. See tests/golden_cases.py."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from .golden_cases import built_graph, cases


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_case_builds_to_its_expected_graph(case, tmp_path):
    expected = Graph().parse(case / "expected.nq", format="nt")
    got = built_graph(case, tmp_path)
    if not isomorphic(got, expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail("graphs differ\nmissing:\n" + missing.serialize(format="nt") +
                    "\nunexpected:\n" + extra.serialize(format="nt"))
