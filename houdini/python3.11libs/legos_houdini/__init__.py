"""legos inside Houdini: the PDG nodes' translation layer (work_items), its typed view of
`pdg` (pdg_api) and the LOP helpers (lops). houdini/legos.json puts it on Houdini's path."""
