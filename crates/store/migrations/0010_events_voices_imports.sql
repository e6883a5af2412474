-- What happens around a program's sessions: the participants' voices (with consent to quote),
-- the organisations at company seminars and workation tours with their people, purposes and
-- follow-up actions, and participant lists uploaded for import (kept until applied or a day old;
-- an applied list keeps its summary, not its content).
CREATE TABLE session_voices (
    id {{ID}},
    session_id BIGINT NOT NULL REFERENCES program_sessions (id) ON DELETE CASCADE,
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    resident_id BIGINT REFERENCES residents (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    may_quote BIGINT NOT NULL DEFAULT 0,
    attribution TEXT NOT NULL DEFAULT '',
    recorded_at BIGINT NOT NULL,
    by_user_id BIGINT REFERENCES users (id)
);
CREATE INDEX session_voices_program ON session_voices (program_id, session_id, id);

CREATE TABLE event_organisations (
    id {{ID}},
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    purpose TEXT NOT NULL DEFAULT '',
    involvement TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    UNIQUE (program_id, organisation_id)
);
CREATE INDEX event_organisations_organisation ON event_organisations (organisation_id);

CREATE TABLE event_participants (
    id {{ID}},
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    organisation_id BIGINT REFERENCES organisations (id),
    organisation_name TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    recorded_at BIGINT NOT NULL
);
CREATE INDEX event_participants_program ON event_participants (program_id, organisation_id, id);

CREATE TABLE follow_ups (
    id {{ID}},
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    organisation_id BIGINT REFERENCES organisations (id),
    action TEXT NOT NULL,
    owner_user_id BIGINT NOT NULL REFERENCES users (id),
    due TEXT NOT NULL,
    status TEXT NOT NULL,
    done_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX follow_ups_region_status_due ON follow_ups (region_id, status, due, id);
CREATE INDEX follow_ups_program ON follow_ups (program_id, due, id);

CREATE TABLE roster_imports (
    id {{ID}},
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    by_user_id BIGINT REFERENCES users (id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content {{BYTES}},
    uploaded_at BIGINT NOT NULL,
    applied_at BIGINT,
    summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX roster_imports_program ON roster_imports (program_id, uploaded_at);
