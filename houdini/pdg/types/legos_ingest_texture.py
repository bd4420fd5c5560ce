"""PDG node type "Legos Ingest Texture": one work item per texture file (a UDIM set's tiles
are one), each cooked by legos's texture step and published as a TextureAsset version.

Loaded by PDG from $HOUDINI_PATH/pdg/types; the work runs in the Houdini session (an
in-process work item) through legos_houdini.work_items, where the tests reach it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pdg
from pdg.processor import PyProcessor

from legos_houdini import work_items
from legos_houdini.pdg_api import TypeRegistry, WorkItem, WorkItemHolder

NODE = work_items.INGEST_TEXTURE
KINDS = work_items.AttribKinds(pdg.attribType.String, pdg.attribType.Int,
                               pdg.attribOverwrite.Always)


class LegosIngestTexture(PyProcessor):
    @classmethod
    def templateName(cls) -> str:
        return NODE.template_name

    @classmethod
    def templateBody(cls) -> str:
        return NODE.template_body()

    def onGenerate(self, item_holder: WorkItemHolder, upstream_items: Sequence[WorkItem],
                   generation_type: Any) -> Any:
        work_items.generate_texture_items(self, item_holder, upstream_items,
                                          cookType=pdg.workItemCookType.InProcess)
        return pdg.result.Success

    def onCookTask(self, work_item: WorkItem) -> Any:
        ok = work_items.cook_texture_item(self, work_item, KINDS)
        return pdg.result.Success if ok else pdg.result.Failure


def registerTypes(type_registry: TypeRegistry) -> None:
    type_registry.registerNode(LegosIngestTexture, pdg.nodeType.Processor, name=NODE.type_name,
                               label=NODE.label, category=NODE.category)
