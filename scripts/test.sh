#!/usr/bin/env bash
# The README's second command: set up (Python packages, Java and Maven for Neo4j, Blender's
# bpy in .venv-blender for model ingest), fetch the
# Neo4j server jars once (cached), lint and type-check (a few seconds, configured in
# pyproject.toml), then run the whole suite on both backends.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-neo4j --with-blender
.venv/bin/python scripts/neo4j_server.py fetch
.venv/bin/ruff check --no-cache .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
