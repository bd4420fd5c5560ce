// version_below: one version whose folder lies below a folder (only to name it in the error
// of a refused publish: a scan of every version, never on the way of a publish that succeeds).
// $below: the folder followed by '/'
MATCH (v:Version)
WHERE v.folder STARTS WITH $below
RETURN v.folder AS folder, v.project AS project, v.asset AS asset, v.number AS number
LIMIT 1
