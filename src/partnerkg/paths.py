"""Where the project's data folders are (the package is installed editable from its checkout)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
SHAPES = ROOT / "shapes"
QUERIES = ROOT / "queries"
OUTPUT = ROOT / "output"
DATA = Path(__file__).resolve().parent / "data"
