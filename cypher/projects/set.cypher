// set: a project's definition after a load ("" template: the store's).
// $project: the project code
// $label: the project's label
// $settings: JSON of its [metadata], [tasks] and [apps]
// $publish_template: its publish path template, or ""
// $work_template: its work path template, or ""
// $revision: the number of this load
MATCH (p:Project {code: $project})
SET p.label = $label, p.settings = $settings, p.publish_template = $publish_template,
    p.work_template = $work_template, p.revision = $revision
RETURN p.code AS code
