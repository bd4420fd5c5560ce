// shared: the pairs of packages that share the most assets: the member assets common to the
// latest versions (as of the time) of both packages, listed, with each package's member
// count. Members are the assets of the direct CONTAINS members. Pairs are found through the
// assets they share (grouped per member asset), never by comparing every pair. Each pair
// once, the smaller asset path first.
// $project: only packages of this project, or '' for all (default: "")
// $kind: only packages of this kind, e.g. ShotPackage, or '' for all (default: "")
// $as_of: versions created after this instant are left out (default: now)
// $top: how many pairs, most shared first (default: 10)
MATCH (a:Asset)<-[:VERSION_OF]-(v:Version)
WHERE v.created_at <= $as_of AND ($project = '' OR a.project = $project)
  AND ($kind = '' OR a.kind = $kind)
WITH a, max(v.number) AS latest
MATCH (a)<-[:VERSION_OF]-(v:Version)-[:CONTAINS]->(:Version)-[:VERSION_OF]->(m:Asset)
WHERE v.number = latest
WITH a, latest, collect(DISTINCT m) AS members
UNWIND members AS m
WITH m, collect({path: a.path, project: a.project, name: a.name, kind: a.kind, latest: latest,
                 n: size(members)}) AS holders
UNWIND holders AS p
UNWIND holders AS q
WITH p, q, m
WHERE p.path < q.path
WITH p.project AS project, p.name AS asset, p.kind AS kind, p.latest AS version,
     p.n AS members, q.project AS other_project, q.name AS other_asset, q.kind AS other_kind,
     q.latest AS other_version, q.n AS other_members, count(*) AS shared,
     collect(m.path) AS shared_assets
RETURN project, asset, kind, version, members, other_project, other_asset, other_kind,
       other_version, other_members, shared, 1.0 * shared / (members + other_members - shared)
       AS jaccard, shared_assets
ORDER BY shared DESC, jaccard DESC, project, asset, other_project, other_asset
LIMIT $top
