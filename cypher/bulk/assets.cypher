// assets: bulk-create Asset nodes, each linked to its project (loaded before), with the
// properties a publish gives them (version_count is the asset's last version number).
// $rows: list of {uid, path, project, name, kind, created_at, created_by, version_count, folded}
UNWIND $rows AS r
MATCH (p:Project {code: r.project})
CREATE (a:Asset {uid: r.uid, path: r.path, project: r.project, name: r.name, kind: r.kind,
                 created_at: r.created_at, created_by: r.created_by,
                 version_count: r.version_count, folded: r.folded})
CREATE (a)-[:IN_PROJECT]->(p)
RETURN count(*) AS written
