"""Commands that run a store: verify, gc (and export, import, digest, events).

Each command is a thin shell over legos.operations; heavy modules load inside the commands.
"""

from __future__ import annotations

import click  # noqa: F401

from legos.cli import output  # noqa: F401
from legos.cli.base import CommandContext, cli, command  # noqa: F401
