// folder_owners: versions whose folder is one of $folders (the new folders of a batch chunk and
// every folder above them) or lies below one of $below (each new folder followed by '/'): one
// scan for the whole chunk (LadybugDB has no index on folder).
// $folders: list of folders relative to the publish root
// $below: list of new folders, each followed by '/'
MATCH (v:Version)
WHERE v.folder IN $folders OR any(b IN $below WHERE starts_with(v.folder, b))
RETURN v.folder AS folder, v.project AS project, v.asset AS asset, v.number AS number
