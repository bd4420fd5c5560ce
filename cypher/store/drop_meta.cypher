// drop_meta: forget the store settings (schema version, root, template): what `legos init`
// undoes when it created a store on Neo4j and could not finish setting it up. Touches nothing
// else in the database.
// No parameters.
MATCH (m:Meta)
DETACH DELETE m
