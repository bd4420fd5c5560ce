"""PDG node type "Legos Publish": each work item's input files (its upstream item's outputs)
published as the next version of an asset, depending on the legos_uri attributes it carries.

Loaded by PDG from $HOUDINI_PATH/pdg/types; the publish runs in the Houdini session (an
in-process work item) through legos_houdini.work_items, where the tests reach it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pdg
from pdg.processor import PyProcessor

from legos_houdini import work_items
from legos_houdini.pdg_api import TypeRegistry, WorkItem, WorkItemHolder

NODE = work_items.PUBLISH
KINDS = work_items.AttribKinds(pdg.attribType.String, pdg.attribType.Int,
                               pdg.attribOverwrite.Always)


class LegosPublish(PyProcessor):
    @classmethod
    def templateName(cls) -> str:
        return NODE.template_name

    @classmethod
    def templateBody(cls) -> str:
        return NODE.template_body()

    def onGenerate(self, item_holder: WorkItemHolder, upstream_items: Sequence[WorkItem],
                   generation_type: Any) -> Any:
        work_items.generate_publish_items(item_holder, upstream_items,
                                          cookType=pdg.workItemCookType.InProcess)
        return pdg.result.Success

    def onCookTask(self, work_item: WorkItem) -> Any:
        ok = work_items.cook_publish_item(self, work_item, KINDS)
        return pdg.result.Success if ok else pdg.result.Failure


def registerTypes(type_registry: TypeRegistry) -> None:
    type_registry.registerNode(LegosPublish, pdg.nodeType.Processor, name=NODE.type_name,
                               label=NODE.label, category=NODE.category)
