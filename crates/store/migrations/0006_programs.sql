-- Programs a region runs (seminars, courses, workshops, tours), their partner organisations and
-- their sessions. A program belongs to one region; its sessions carry the region too, for the
-- access checks and the lists of a region's sessions.
CREATE TABLE programs (
    id {{ID}},
    region_id BIGINT NOT NULL REFERENCES regions (id),
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    organiser_id BIGINT NOT NULL REFERENCES organisations (id),
    capacity BIGINT,
    completion TEXT NOT NULL,
    min_attendance_percent BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX programs_region_id ON programs (region_id, id);

CREATE TABLE program_partners (
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (program_id, organisation_id)
);
CREATE INDEX program_partners_organisation ON program_partners (organisation_id, program_id);

CREATE TABLE program_sessions (
    id {{ID}},
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    date TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    mode TEXT NOT NULL,
    venue_name TEXT NOT NULL DEFAULT '',
    venue_address TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX program_sessions_program_date ON program_sessions (program_id, date, starts_at, id);
CREATE INDEX program_sessions_region_date ON program_sessions (region_id, date, id);
