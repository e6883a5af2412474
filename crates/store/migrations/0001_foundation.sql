-- Foundation: regions, organisations, accounts, sessions, residents, audit.
-- Portable SQL for SQLite and PostgreSQL. `{{ID}}` is the one engine-specific piece: an
-- auto-generated 64-bit primary key. Integers are BIGINT, flags are BIGINT 0/1, times are
-- BIGINT milliseconds since the Unix epoch (UTC), lists are TEXT.
-- Every region-scoped table carries region_id: the key of access checks and of sharding.

CREATE TABLE regions (
    id {{ID}},
    lg_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL DEFAULT '',
    prefecture TEXT NOT NULL,
    policy_issues TEXT NOT NULL DEFAULT '[]',
    vision TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE organisations (
    id {{ID}},
    region_id BIGINT NOT NULL REFERENCES regions (id),
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    industry TEXT NOT NULL DEFAULT '',
    hq_prefecture TEXT NOT NULL,
    telework_share_percent BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organisations_region_name ON organisations (region_id, name);

CREATE TABLE users (
    id {{ID}},
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    lang TEXT NOT NULL DEFAULT 'ja',
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_organisation ON users (organisation_id);

-- Regions of coordinators (one or more) and municipal staff (exactly one).
CREATE TABLE user_regions (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    PRIMARY KEY (user_id, region_id)
);

CREATE TABLE residents (
    id {{ID}},
    region_id BIGINT NOT NULL REFERENCES regions (id),
    user_id BIGINT UNIQUE REFERENCES users (id),
    name TEXT NOT NULL,
    name_kana TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    childcare BIGINT NOT NULL DEFAULT 0,
    care BIGINT NOT NULL DEFAULT 0,
    treatment BIGINT NOT NULL DEFAULT 0,
    circumstances_note TEXT NOT NULL DEFAULT '',
    spare_hours_per_week BIGINT NOT NULL DEFAULT 0,
    time_windows TEXT NOT NULL DEFAULT '',
    work_styles TEXT NOT NULL DEFAULT '',
    office_visits TEXT NOT NULL DEFAULT 'never',
    max_travel_minutes BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX residents_region_kana ON residents (region_id, name_kana);

CREATE TABLE resident_skills (
    region_id BIGINT NOT NULL REFERENCES regions (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    level BIGINT NOT NULL,
    PRIMARY KEY (resident_id, position)
);
CREATE INDEX resident_skills_region_name ON resident_skills (region_id, name);

-- Server-side sessions: the cookie holds a random token, the table its SHA-256.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Personal access tokens for the JSON API; only a hash is kept.
CREATE TABLE api_tokens (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed and successful logins, for throttling across app servers.
CREATE TABLE login_attempts (
    id {{ID}},
    login TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BIGINT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_login_at ON login_attempts (login, at);
CREATE INDEX login_attempts_ip_at ON login_attempts (ip, at);

-- Every change to personal data: who, when, what.
CREATE TABLE audit_log (
    id {{ID}},
    at BIGINT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    actor_login TEXT NOT NULL,
    region_id BIGINT REFERENCES regions (id),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
