"""Reading USD layers with clear errors: the one place that turns usd-core failures into ours.

pxr is imported inside the functions: the CLI imports legos.usd lazily, and `legos --help`
must not pay for usd-core.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legos.usd.errors import UsdFileError

# Formats whose asset paths legos follows and rewrites. .usdz is a sealed package and .mtlx
# has no file-format plugin in usd-core: both are treated as plain assets.
LAYER_EXTENSIONS = (".usd", ".usda", ".usdc")


@dataclass(frozen=True)
class UsdDependencies:
    layers: list[str]        # real paths; the first is the file asked about
    assets: list[str]        # resolved paths of non-layer files (textures, .mtlx, ...)
    unresolved: list[str]    # as usd-core reports them: absolute when anchored, else as authored


def is_layer_file(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in LAYER_EXTENSIONS


def check_usd_file(path: str | os.PathLike[str]) -> Path:
    """An absolute path to an existing file USD has a format for, or a clear error."""
    from pxr import Sdf

    file = Path(path).expanduser().absolute()
    if not file.is_file():
        raise UsdFileError(f"USD file {str(file)!r} does not exist: check the path")
    if Sdf.FileFormat.FindByExtension(file.suffix.lstrip(".")) is None:
        raise UsdFileError(
            f"{str(file)!r} is not a USD file (no USD format reads "
            f"{file.suffix or 'files without an extension'}): give a .usd, .usda, .usdc or .usdz file")
    return file


def _first_error(exc: Exception) -> str:
    # Tf.ErrorException carries C++ context lines; the quoted message at the end is the useful part
    text = str(exc).strip()
    for line in text.splitlines():
        if " : '" in line:
            return line.split(" : '", 1)[1].rstrip("'").strip()
    return text.splitlines()[-1] if text else type(exc).__name__


def open_private(path: str | os.PathLike[str]) -> Any:
    """A private, anonymous copy of a layer: editing it never touches the shared layer cache."""
    from pxr import Sdf, Tf

    file = check_usd_file(path)
    try:
        layer = Sdf.Layer.OpenAsAnonymous(str(file))
    except Tf.ErrorException as exc:
        raise UsdFileError(f"USD cannot read {str(file)!r}: {_first_error(exc)}") from None
    if layer is None:
        raise UsdFileError(f"USD cannot read {str(file)!r}: check that it is a USD layer")
    return layer


def all_dependencies(path: str | os.PathLike[str], context: Any = None) -> UsdDependencies:
    """Every layer and asset a USD file reaches (sublayers, references, payloads, textures),
    optionally resolving search paths through a resolver context."""
    from pxr import Ar, Tf, UsdUtils

    file = check_usd_file(path)
    # While a delegate lives, USD's warnings go to it instead of stderr: every unresolved
    # path it would warn about is in our answer already.
    quiet = UsdUtils.CoalescingDiagnosticDelegate()
    try:
        with Ar.ResolverContextBinder(context) if context is not None else nullcontext():
            layers, assets, unresolved = UsdUtils.ComputeAllDependencies(str(file))
    except Tf.ErrorException as exc:
        # a corrupt layer anywhere below makes the whole call raise, naming that layer
        raise UsdFileError(f"USD cannot read a layer {str(file)!r} needs: {_first_error(exc)}") from None
    finally:
        del quiet
    if not layers:
        # ComputeAllDependencies answers ([], [], []) instead of failing on an unreadable root
        raise UsdFileError(f"USD cannot read {str(file)!r}: check that it is a USD layer")
    return UsdDependencies(
        layers=[layer.realPath or layer.identifier for layer in layers],
        assets=list(assets), unresolved=list(unresolved))


def export_args(source: str) -> dict[str, str]:
    """Keep a .usd file's encoding: exporting a layer read from a text .usd writes crate."""
    if os.path.splitext(source)[1].lower() != ".usd":
        return {}
    with open(source, "rb") as handle:
        return {"format": "usdc" if handle.read(8) == b"PXR-USDC" else "usda"}
