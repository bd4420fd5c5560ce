// get_meta: one store setting (schema version, publish root, path template) by key.
// $key: the setting's name
MATCH (m:Meta {key: $key})
RETURN m.value AS value
