// shot_timing: a project's settings and the shot entries named like the shot or holding it
// (the nearest gives the frame range of a shot package such as seq010/sh0040/layout); one row
// per uid given, with null section where there is no such entry; no row: no such project.
// $project: the project code
// $uids: "<project>/<name>" of the shot and of each folder above it (never empty)
MATCH (p:Project {code: $project})
WITH p
UNWIND $uids AS u
OPTIONAL MATCH (e:Entry {uid: u})
RETURN p.settings AS settings, u AS uid, e.section AS section, e.frame_in AS frame_in,
       e.frame_out AS frame_out, e.fps AS fps
