"""Where the project's data folders are.

Installed from a wheel, the ontology, shapes, queries and the bundled example are package data
(partnerkg/ontology, ...), found with importlib.resources. Installed editable from a checkout,
they are the checkout's top-level folders (ontology/, shapes/, queries/, sources/). The output
folder is ./output of the working folder.
"""

from importlib.resources import files
from pathlib import Path

PACKAGE = Path(str(files("partnerkg")))
CHECKOUT = PACKAGE.parents[1]  # src/partnerkg -> the checkout (when installed editable)


def _folder(installed: str, checkout: str) -> Path:
    inside = PACKAGE / installed
    return inside if inside.is_dir() else CHECKOUT / checkout


ONTOLOGY = _folder("ontology", "ontology")
SHAPES = _folder("shapes", "shapes")
QUERIES = _folder("queries", "queries")
EXAMPLE = _folder("example", "sources")  # the bundled sources: three real partner lists and their manifest
DATA = PACKAGE / "data"
OUTPUT = Path("output")  # of the working folder
