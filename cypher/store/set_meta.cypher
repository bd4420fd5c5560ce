// set_meta: create or replace one store setting.
// $key: the setting's name
// $value: its value, as text
MERGE (m:Meta {key: $key})
SET m.value = $value
RETURN m.value AS value
