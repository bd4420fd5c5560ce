// folder_owners: versions whose folder is one of $folders (the new folders of a batch chunk and
// every folder above them) or lies below one of $below (each new folder followed by '/'):
// index seeks on Version.folder, one per folder and one range seek per prefix.
// $folders: list of folders relative to the publish root
// $below: list of new folders, each followed by '/'
CALL () {
  UNWIND $folders AS f
  MATCH (v:Version {folder: f})
  RETURN v
  UNION
  UNWIND $below AS b
  MATCH (v:Version)
  WHERE v.folder STARTS WITH b
  RETURN v
}
RETURN v.folder AS folder, v.project AS project, v.asset AS asset, v.number AS number
