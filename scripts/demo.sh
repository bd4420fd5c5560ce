#!/usr/bin/env bash
# The README's first command: set up, then run the lookdev demo on an embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python examples/lookdev_demo.py "$@"
