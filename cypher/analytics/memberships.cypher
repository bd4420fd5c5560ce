// memberships: which assets each package holds: one row per (package, member asset) for the
// direct CONTAINS members of each package's latest version as of the time. What the
// co-membership graph of legos.analytics (communities) is built from.
// $project: only packages of this project, or '' for all (default: "")
// $as_of: versions created after this instant are left out (default: now)
MATCH (a:Asset)<-[:VERSION_OF]-(v:Version)
WHERE v.created_at <= $as_of AND ($project = '' OR a.project = $project)
WITH a, max(v.number) AS latest
MATCH (a)<-[:VERSION_OF]-(v:Version)-[:CONTAINS]->(:Version)-[:VERSION_OF]->(m:Asset)
WHERE v.number = latest
RETURN DISTINCT a.path AS package, m.path AS member, m.project AS project, m.name AS asset,
       m.kind AS kind
