"""``python -m partnerkg``: the same as the ``partnerkg`` command."""

from .cli import cli

cli()
