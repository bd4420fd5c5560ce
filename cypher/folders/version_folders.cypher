// version_folders: every version's uid and folder (the Folder index is derived from them).
MATCH (v:Version)
WHERE v.folder IS NOT NULL AND v.folder <> ''
RETURN v.uid AS uid, v.folder AS folder
