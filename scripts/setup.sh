#!/usr/bin/env bash
# Set up everything legos needs on this machine, idempotently: a Python virtual environment
# with legos and its test tools in .venv, and (for the tests) Java 17+ and Maven, which fetch
# and run the real Neo4j server. Safe to run again: it only does what is missing.
# --with-blender: Blender's Python module (bpy 5.0.1, numpy<2) in its own environment,
# .venv-blender (Python 3.11: $BLENDER_PYTHON), so that it never constrains legos' own numpy;
# model ingest finds it there.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
BLENDER_PYTHON=${BLENDER_PYTHON:-python3.11}
want_neo4j=0
want_blender=0
for arg in "$@"; do
    case $arg in
        --with-neo4j) want_neo4j=1 ;;
        --with-blender) want_blender=1 ;;
        *) echo "legos setup: unknown option $arg (use --with-neo4j, --with-blender)" >&2; exit 2 ;;
    esac
done

need_apt=()
if ((want_blender)); then
    # the X11/GL libraries the bpy wheel links against (it renders with Cycles, headless)
    for pair in libX11.so.6:libx11-6 libXrender.so.1:libxrender1 libXfixes.so.3:libxfixes3 \
                libXi.so.6:libxi6 libxkbcommon.so.0:libxkbcommon0 libSM.so.6:libsm6 \
                libGL.so.1:libgl1 libXxf86vm.so.1:libxxf86vm1; do
        ldconfig -p 2>/dev/null | grep -q "${pair%%:*}" || need_apt+=("${pair##*:}")
    done
fi
if ((want_neo4j)); then
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

blender_stamp=.venv-blender/.legos-bpy-5.0.1
if ((want_blender)) && [[ ! -f $blender_stamp ]]; then
    if ! command -v "$BLENDER_PYTHON" >/dev/null; then
        echo "legos setup: bpy 5.0.1 needs Python 3.11 and $BLENDER_PYTHON is not there: set" \
             "BLENDER_PYTHON to a Python 3.11" >&2
        exit 1
    fi
    [[ -x .venv-blender/bin/python ]] || "$BLENDER_PYTHON" -m venv .venv-blender
    .venv-blender/bin/python -m pip install -q --upgrade pip
    .venv-blender/bin/python -m pip install -q 'bpy==5.0.1' 'numpy<2'
    .venv-blender/bin/python -c 'import bpy' >/dev/null
    touch "$blender_stamp"
fi
# legos itself in Blender's environment (editable, its base dependencies only), as the Blender
# extension (blender/legos_blender) bundles it: USD, OpenImageIO and OpenColorIO come from
# Blender's own bundled packages there, never from PyPI (two USDs must not meet in one process)
legos_blender_stamp=.venv-blender/.legos-installed
if ((want_blender)) && [[ ! -f $legos_blender_stamp || pyproject.toml -nt $legos_blender_stamp ]]; then
    .venv-blender/bin/python -m pip install -q -e .
    .venv-blender/bin/python -c 'import bpy, legos' >/dev/null
    touch "$legos_blender_stamp"
fi
