// search: assets matching every rule given (each one optional): of a kind, in a project,
// with a version that has a representation of a format, contained (CONTAINS, directly) by
// versions of at least N distinct assets of a container kind (e.g. N shots), first published
// after an instant, with a word in its name or in a version comment; all as of the time. Each with
// its latest version then, how many container assets and container versions hold it, and
// when it was first published.
// $project: a project code, or '' for all (default: "")
// $kind: an asset kind, or '' for all (default: "")
// $format: a representation format (file extension, e.g. usd), or '' for any (default: "")
// $used_in: the kind of the containers counted, e.g. ShotPackage (default: "ShotPackage")
// $min_uses: at least this many distinct container assets, or 0 for no rule (default: 0)
// $published_after: only assets first published after this instant
// $word: a word the asset's name or a version comment contains, in lower case
//   (case-insensitive), or '' (default: "")
// $as_of: versions created after this instant are left out (default: now)
MATCH (a:Asset)
WHERE ($project = '' OR a.project = $project) AND ($kind = '' OR a.kind = $kind)
  AND a.created_at <= $as_of AND a.created_at > $published_after
  AND ($format = '' OR EXISTS {
        MATCH (a)<-[:VERSION_OF]-(f:Version)-[:HAS_REPRESENTATION]->(r:Representation)
        WHERE f.created_at <= $as_of AND r.format = $format })
  AND ($word = '' OR toLower(a.name) CONTAINS $word OR EXISTS {
        MATCH (a)<-[:VERSION_OF]-(c:Version)
        WHERE c.created_at <= $as_of AND toLower(c.comment) CONTAINS $word })
OPTIONAL MATCH (a)<-[:VERSION_OF]-(:Version)<-[:CONTAINS]-(s:Version)-[:VERSION_OF]->(sa:Asset)
WHERE s.created_at <= $as_of AND s.kind = $used_in
WITH a, count(DISTINCT sa) AS uses, count(DISTINCT s) AS use_versions
WHERE uses >= $min_uses
MATCH (a)<-[:VERSION_OF]-(v:Version)
WHERE v.created_at <= $as_of
RETURN a.project AS project, a.name AS asset, a.kind AS kind, max(v.number) AS version,
       uses, use_versions, a.created_at AS first_published
ORDER BY uses DESC, project, asset
