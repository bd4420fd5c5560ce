"""Build the legos Blender extension: the legos wheel and its dependencies' wheels for Blender's
Python (3.11) into blender/legos_blender/wheels, the manifest's `wheels` (and `platforms`)
written, and the extension zipped into blender/dist/ for Install from Disk.

    python blender/build_extension.py                          # this machine's platform
    python blender/build_extension.py --platform linux-x64 --platform windows-x64 \\
        --platform macos-arm64                                 # one zip for the studio
    blender --command extension validate blender/dist/legos-0.1.0.zip   # where Blender is

Needs pip and the package index (or a mirror: pip's own configuration applies).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXTENSION = HERE / "legos_blender"
MANIFEST = EXTENSION / "blender_manifest.toml"
WHEELS = EXTENSION / "wheels"
PYTHON = "3.11"  # Blender 4.2 to 5.0 embed Python 3.11

# Blender's platform names -> pip's platform tags for binary wheels (pydantic-core, ladybug)
PLATFORMS = {
    "linux-x64": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    "linux-arm64": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64"],
    "windows-x64": ["win_amd64"],
    "windows-arm64": ["win_arm64"],
    "macos-arm64": ["macosx_11_0_arm64"],
    "macos-x64": ["macosx_10_13_x86_64", "macosx_10_12_x86_64"],
}


def this_platform() -> str:
    plat = sysconfig.get_platform()  # linux-x86_64, win-amd64, macosx-11.0-arm64
    arch = "arm64" if plat.endswith(("arm64", "aarch64")) else "x64"
    system = "windows" if plat.startswith("win") else "macos" if plat.startswith("macosx") \
        else "linux"
    return f"{system}-{arch}"


def dependencies() -> list[str]:
    """legos' base dependencies (no extras: Blender brings USD, OpenImageIO and OCIO)."""
    with open(REPO / "pyproject.toml", "rb") as f:
        return list(tomllib.load(f)["project"]["dependencies"])


def write_manifest(manifest: Path, wheels: list[str], platforms: list[str]) -> None:
    """Set the manifest's `wheels` (paths relative to it) and `platforms` lists."""
    text = manifest.read_text()
    listed = "wheels = [\n" + "".join(f'    "./wheels/{w}",\n' for w in sorted(wheels)) + "]"
    text, n = re.subn(r"(?ms)^wheels = \[.*?\]", listed, text)
    if n != 1:
        raise SystemExit(f"{manifest}: no `wheels = [...]` line to fill")
    plats = "platforms = [" + ", ".join(f'"{p}"' for p in platforms) + "]"
    text, n = re.subn(r"(?m)^platforms = \[.*?\]$", plats, text)
    if n == 0:
        text = text.replace("\nwheels = [", f"\n{plats}\nwheels = [", 1)
    manifest.write_text(text)


def build(platforms: list[str]) -> Path:
    pip = [sys.executable, "-m", "pip"]
    shutil.rmtree(WHEELS, ignore_errors=True)
    WHEELS.mkdir(parents=True)
    subprocess.run([*pip, "wheel", "--no-deps", "-q", "-w", str(WHEELS), str(REPO)], check=True)
    for platform in platforms:
        tags = [a for tag in PLATFORMS[platform] for a in ("--platform", tag)]
        subprocess.run([*pip, "download", "-q", "--only-binary=:all:", "--python-version",
                        PYTHON, "--implementation", "cp", "--abi", "cp311", *tags,
                        "-d", str(WHEELS), *dependencies()], check=True)
    write_manifest(MANIFEST, [w.name for w in WHEELS.glob("*.whl")], platforms)
    with open(MANIFEST, "rb") as f:
        version = tomllib.load(f)["version"]
    out = HERE / "dist" / f"legos-{version}.zip"
    out.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(EXTENSION.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(EXTENSION).as_posix())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", action="append", choices=sorted(PLATFORMS),
                        help=f"Blender platform to bundle wheels for (default {this_platform()})")
    args = parser.parse_args(argv)
    out = build(args.platform or [this_platform()])
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
