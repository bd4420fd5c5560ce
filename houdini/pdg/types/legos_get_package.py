"""PDG node type "Legos Get Package": one work item per member of a package version.

Loaded by PDG from $HOUDINI_PATH/pdg/types (houdini/legos.json puts this folder there); all
it does is forward its callbacks to legos_houdini.work_items, where the tests reach them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pdg
from pdg.processor import PyProcessor

from legos_houdini import work_items
from legos_houdini.pdg_api import TypeRegistry, WorkItem, WorkItemHolder

NODE = work_items.GET_PACKAGE
KINDS = work_items.AttribKinds(pdg.attribType.String, pdg.attribType.Int,
                               pdg.attribOverwrite.Always)


class LegosGetPackage(PyProcessor):
    @classmethod
    def templateName(cls) -> str:
        return NODE.template_name

    @classmethod
    def templateBody(cls) -> str:
        return NODE.template_body()

    def onGenerate(self, item_holder: WorkItemHolder, upstream_items: Sequence[WorkItem],
                   generation_type: Any) -> Any:
        # in process: the cook only checks that each entry file is there
        work_items.generate_package_items(self, item_holder, upstream_items, KINDS,
                                          cookType=pdg.workItemCookType.InProcess)
        return pdg.result.Success

    def onCookTask(self, work_item: WorkItem) -> Any:
        ok = work_items.check_package_item(work_item)
        return pdg.result.Success if ok else pdg.result.Failure


def registerTypes(type_registry: TypeRegistry) -> None:
    type_registry.registerNode(LegosGetPackage, pdg.nodeType.Processor, name=NODE.type_name,
                               label=NODE.label, category=NODE.category)
