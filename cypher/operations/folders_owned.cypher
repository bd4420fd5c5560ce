// folders_owned: which of the given folders (relative to the publish root) a version owns:
// asked again for folders found unowned on disk, in case a publish committed meanwhile.
// $folders: list of folders relative to the publish root
UNWIND $folders AS f
MATCH (v:Version {folder: f})
RETURN DISTINCT v.folder AS folder
