"""The parts of Houdini's `pdg` module that the legos nodes use, as typed protocols.

types-houdini types `hou` only, and the PyPI package named `pdg` is an unrelated project, so
these protocols are what mypy checks the nodes against. Each member is spelled as SideFX
documents it (tops/pdg/WorkItem.html, WorkItemHolder.html, Port.html, File.html); nothing
here was checked against a running Houdini.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class File(Protocol):
    """pdg.File: an input or output file of a work item."""

    @property
    def path(self) -> str: ...

    @property
    def tag(self) -> str: ...


class WorkItem(Protocol):
    """pdg.WorkItem, the members the nodes read and write."""

    @property
    def inputFiles(self) -> Sequence[File]: ...  # PDG spells its members in camelCase

    @property
    def outputFiles(self) -> Sequence[File]: ...

    def attribArray(self, name: str) -> Sequence[Any] | None: ...

    def addAttrib(self, name: str, type: Any, overwrite: Any) -> Any: ...

    def setStringAttrib(self, name: str, value: str, index: int = 0) -> None: ...

    def setIntAttrib(self, name: str, value: int, index: int = 0) -> None: ...

    def addOutputFile(self, path: str, tag: str = "", hash_code: int = 0,
                      own: bool = False) -> None: ...

    def addError(self, error_message: str, fail_task: bool = False,
                 timestamp: bool = True) -> None: ...


class WorkItemHolder(Protocol):
    """pdg.WorkItemHolder: where onGenerate adds work items (keyword form of the options)."""

    def addWorkItem(self, **options: Any) -> WorkItem: ...


class Port(Protocol):
    """pdg.Port: one parameter of a node, evaluated for a work item (None: without one)."""

    def evaluateString(self, work_item: WorkItem | None, index: int) -> str: ...

    def evaluateInt(self, work_item: WorkItem | None, index: int) -> int: ...


class Node(Protocol):
    """A pdg.processor.PyProcessor seen from its callbacks: `self["parm"]` is a Port."""

    def __getitem__(self, name: str) -> Port: ...


class TypeRegistry(Protocol):
    """pdg.TypeRegistry as registerTypes(type_registry) receives it."""

    def registerNode(self, node_class: type, node_type: Any, *, name: str,
                     label: str, category: str) -> Any: ...
