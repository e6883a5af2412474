-- An evaluation keeps each criterion as it read when the evaluation was written (its place,
-- name, meaning and level labels), so that changing a rubric later never rewrites what a person
-- was told about their work.
ALTER TABLE evaluation_scores ADD COLUMN position BIGINT NOT NULL DEFAULT 0;
ALTER TABLE evaluation_scores ADD COLUMN criterion_name TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluation_scores ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE evaluation_scores ADD COLUMN level_labels TEXT NOT NULL DEFAULT '[]';
