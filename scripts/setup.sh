#!/usr/bin/env bash
# Set up everything legos needs on this machine, idempotently: a Python virtual environment
# with legos and its test tools in .venv, and (for the tests) Java 17+ and Maven, which fetch
# and run the real Neo4j server. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
want_system=${1:-}

need_apt=()
if [[ "$want_system" == "--with-neo4j" ]]; then
    if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
        need_apt+=(openjdk-17-jre-headless)
    fi
    command -v mvn >/dev/null || need_apt+=(maven)
    # the picture tests render with graphviz (legos falls back to matplotlib without it)
    command -v dot >/dev/null || need_apt+=(graphviz)
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    need_apt+=(python3-venv)
fi
if ((${#need_apt[@]})); then
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
        echo "legos setup: please install ${need_apt[*]} (needs root and apt-get)" >&2
        exit 1
    fi
    echo "legos setup: installing ${need_apt[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

stamp=.venv/.legos-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
    [[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    touch "$stamp"
fi
