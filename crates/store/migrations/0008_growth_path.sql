-- The growth path: sign-ups (enrolments) with their outreach channel and consent version, a
-- waiting list, attendance per session, each resident's stage with every change dated, the keys
-- that recognise a person signing up again, and the public sign-up attempts per address.
CREATE TABLE enrolments (
    id {{ID}},
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    consent_version TEXT NOT NULL DEFAULT '',
    signed_up_at BIGINT NOT NULL,
    completed_at BIGINT,
    updated_at BIGINT NOT NULL,
    UNIQUE (program_id, resident_id)
);
CREATE INDEX enrolments_program_status ON enrolments (program_id, status, signed_up_at, id);
CREATE INDEX enrolments_resident ON enrolments (resident_id, program_id);
CREATE INDEX enrolments_region_channel ON enrolments (region_id, channel, resident_id);

CREATE TABLE attendances (
    session_id BIGINT NOT NULL REFERENCES program_sessions (id) ON DELETE CASCADE,
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    program_id BIGINT NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    attended_at BIGINT NOT NULL,
    walk_in BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, resident_id)
);
CREATE INDEX attendances_program_resident ON attendances (program_id, resident_id);
CREATE INDEX attendances_resident ON attendances (resident_id, attended_at);

CREATE TABLE resident_stages (
    resident_id BIGINT PRIMARY KEY REFERENCES residents (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    stage TEXT NOT NULL,
    since BIGINT NOT NULL,
    completed_at BIGINT
);
CREATE INDEX resident_stages_region_since ON resident_stages (region_id, since);

CREATE TABLE stage_changes (
    id {{ID}},
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    stage TEXT NOT NULL,
    previous TEXT,
    at BIGINT NOT NULL,
    cause TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    program_id BIGINT REFERENCES programs (id) ON DELETE SET NULL,
    by_user_id BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stage_changes_resident_at ON stage_changes (resident_id, at, id);
CREATE INDEX stage_changes_region_stage ON stage_changes (region_id, stage, resident_id);

CREATE TABLE resident_match_keys (
    region_id BIGINT NOT NULL REFERENCES regions (id),
    match_key TEXT NOT NULL,
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    PRIMARY KEY (region_id, match_key, resident_id)
);
CREATE INDEX resident_match_keys_resident ON resident_match_keys (resident_id);

CREATE TABLE signup_attempts (
    id {{ID}},
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX signup_attempts_ip_at ON signup_attempts (ip, at);
