// link_projects: the IN_PROJECT edges of assets a batch chunk has just created.
// $assets: list of {path, project}
// (Each node is matched by its key in a MATCH of its own, after a WITH: LadybugDB plans two
// keyed nodes in one MATCH under an UNWIND as a cross product: 38 s for 2,560 rows at 100k.)
UNWIND $assets AS x
MATCH (a:Asset {path: x.path})
WITH a, x
MATCH (p:Project {code: x.project})
CREATE (a)-[:IN_PROJECT]->(p)
RETURN count(*) AS linked
