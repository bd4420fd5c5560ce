// folder_owners: versions whose folder is one of $folders (the new version's folder and every
// folder above it) or lies below it: any of them would share or nest with the new folder.
// $folders: list of folders relative to the publish root
// $below: the new folder followed by '/'
MATCH (v:Version)
WHERE v.folder IN $folders OR v.folder STARTS WITH $below
RETURN v.folder AS folder, v.project AS project, v.asset AS asset, v.number AS number
LIMIT 1
