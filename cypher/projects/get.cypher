// get: a project's definition row (label, settings JSON, templates, last load number).
// $project: the project code
MATCH (p:Project {code: $project})
RETURN p.code AS code, p.created_at AS created_at, p.label AS label, p.settings AS settings,
       p.publish_template AS publish_template, p.work_template AS work_template,
       p.revision AS revision
