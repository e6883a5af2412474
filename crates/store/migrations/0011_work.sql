-- Work: the regions an organisation works with, its task inventory, job postings and their
-- required skills, selection stages, applications with notes, engagements (contracts), pay
-- periods with daily hours, evaluation rubrics and evaluations, and the dated income
-- thresholds residents are warned about. Dates are ISO text (YYYY-MM-DD), instants
-- milliseconds, money integer yen.

-- Every organisation works with the region it is registered under, and may work with others.
CREATE TABLE organisation_regions (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    since BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, region_id)
);
CREATE INDEX organisation_regions_region ON organisation_regions (region_id, organisation_id);
INSERT INTO organisation_regions (organisation_id, region_id, since)
    SELECT id, region_id, created_at FROM organisations;

-- 業務の棚卸し: what an organisation does now, and what it would need to be done remotely.
CREATE TABLE work_tasks (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    frequency TEXT NOT NULL,
    hours_per_month BIGINT NOT NULL,
    done_by TEXT NOT NULL DEFAULT '',
    tools TEXT NOT NULL DEFAULT '',
    tools_access TEXT NOT NULL,
    data_form TEXT NOT NULL,
    confidentiality TEXT NOT NULL,
    on_site TEXT NOT NULL,
    posting_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX work_tasks_organisation ON work_tasks (organisation_id, id);

-- Job postings. board_key orders the public board (newest first) and the search postings.
CREATE TABLE postings (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    region_id BIGINT NOT NULL REFERENCES regions (id),
    task_id BIGINT REFERENCES work_tasks (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    level TEXT NOT NULL,
    contract TEXT NOT NULL,
    trial_months BIGINT,
    pay_kind TEXT NOT NULL,
    pay_yen BIGINT NOT NULL,
    hourly_yen BIGINT NOT NULL,
    hours_per_week BIGINT NOT NULL,
    days_per_month BIGINT NOT NULL,
    time_windows TEXT NOT NULL DEFAULT '[]',
    duration_months BIGINT,
    places BIGINT NOT NULL,
    work_place TEXT NOT NULL,
    office_visits_per_month BIGINT NOT NULL DEFAULT 0,
    office_place TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    board_key TEXT NOT NULL,
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX postings_board ON postings (status, board_key, id);
CREATE INDEX postings_region_board ON postings (region_id, status, board_key, id);
CREATE INDEX postings_organisation ON postings (organisation_id, id);

CREATE TABLE posting_skills (
    posting_id BIGINT NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    level BIGINT NOT NULL,
    PRIMARY KEY (posting_id, position)
);
CREATE INDEX posting_skills_name ON posting_skills (name, level);

-- An organisation's selection stages in order; a default stage has a code (its label is
-- translated), an organisation's own a name.
CREATE TABLE selection_stages (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    position BIGINT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT '',
    UNIQUE (organisation_id, position)
);

-- region_id is the applicant's region: its coordinators follow the application.
CREATE TABLE applications (
    id {{ID}},
    posting_id BIGINT NOT NULL REFERENCES postings (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    region_id BIGINT NOT NULL REFERENCES regions (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    channel TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    stage_id BIGINT REFERENCES selection_stages (id),
    applied_at BIGINT NOT NULL,
    decided_at BIGINT,
    updated_at BIGINT NOT NULL,
    UNIQUE (posting_id, resident_id)
);
CREATE INDEX applications_resident ON applications (resident_id, applied_at);
CREATE INDEX applications_organisation ON applications (organisation_id, status, applied_at);
CREATE INDEX applications_region ON applications (region_id, applied_at);

CREATE TABLE application_notes (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    stage_id BIGINT REFERENCES selection_stages (id),
    rating BIGINT,
    body TEXT NOT NULL DEFAULT '',
    by_user_id BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX application_notes_application ON application_notes (application_id, id);

-- Contracts. The freelance act's written terms live with the contract they belong to.
CREATE TABLE engagements (
    id {{ID}},
    application_id BIGINT REFERENCES applications (id),
    posting_id BIGINT REFERENCES postings (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    region_id BIGINT NOT NULL REFERENCES regions (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    channel TEXT NOT NULL,
    contract TEXT NOT NULL,
    category TEXT NOT NULL,
    pay_kind TEXT NOT NULL,
    rate_yen BIGINT NOT NULL,
    hours_per_week BIGINT NOT NULL,
    start_date TEXT NOT NULL,
    trial_end TEXT,
    end_date TEXT,
    withholding BIGINT NOT NULL DEFAULT 0,
    work_description TEXT NOT NULL DEFAULT '',
    order_date TEXT,
    delivery_date TEXT,
    delivery_place TEXT NOT NULL DEFAULT '',
    inspection BIGINT NOT NULL DEFAULT 0,
    inspection_days BIGINT,
    payment_due_days BIGINT,
    payment_method TEXT NOT NULL DEFAULT '',
    payment_method_detail TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    started_at BIGINT,
    notice_given_on TEXT,
    ended_on TEXT,
    end_reason TEXT NOT NULL DEFAULT '',
    end_reason_detail TEXT NOT NULL DEFAULT '',
    renewed_from BIGINT REFERENCES engagements (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX engagements_resident ON engagements (resident_id, start_date);
CREATE INDEX engagements_organisation ON engagements (organisation_id, status, start_date);
CREATE INDEX engagements_region ON engagements (region_id, start_date);

-- One period per engagement and month (clipped to the contract); its figures are fixed when
-- it is approved, and an approved or paid period is locked.
CREATE TABLE pay_periods (
    id {{ID}},
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    region_id BIGINT NOT NULL REFERENCES regions (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    status TEXT NOT NULL,
    minutes BIGINT NOT NULL DEFAULT 0,
    amount_yen BIGINT,
    withholding_yen BIGINT,
    due_on TEXT,
    submitted_at BIGINT,
    decided_at BIGINT,
    decided_by TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    paid_on TEXT,
    UNIQUE (engagement_id, starts_on)
);
CREATE INDEX pay_periods_organisation ON pay_periods (organisation_id, ends_on);
CREATE INDEX pay_periods_resident ON pay_periods (resident_id, ends_on);
CREATE INDEX pay_periods_region ON pay_periods (region_id, ends_on);

CREATE TABLE timesheet_entries (
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    day TEXT NOT NULL,
    period_id BIGINT NOT NULL REFERENCES pay_periods (id),
    minutes BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (engagement_id, day)
);
CREATE INDEX timesheet_entries_period ON timesheet_entries (period_id, day);

-- An organisation's evaluation criteria; level_labels is a JSON list, one label per level.
CREATE TABLE rubric_criteria (
    id {{ID}},
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    level_labels TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX rubric_criteria_organisation ON rubric_criteria (organisation_id, position);

CREATE TABLE evaluations (
    id {{ID}},
    engagement_id BIGINT NOT NULL REFERENCES engagements (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    region_id BIGINT NOT NULL REFERENCES regions (id),
    resident_id BIGINT NOT NULL REFERENCES residents (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    by_user_id BIGINT REFERENCES users (id),
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX evaluations_engagement ON evaluations (engagement_id, ends_on);

CREATE TABLE evaluation_scores (
    evaluation_id BIGINT NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES rubric_criteria (id),
    level BIGINT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (evaluation_id, criterion_id)
);

-- 扶養の壁: dated, never constants. Each row holds from its first day until the next row of
-- its kind starts. Sources: National Tax Agency (令和7年度税制改正: 給与収入の非課税枠 160万円,
-- 配偶者控除等の収入要件 123万円, from 2025), Japan Health Insurance Association (被扶養者の
-- 収入要件 130万円, looking ahead twelve months), Japan Pension Service (短時間労働者の適用拡大:
-- 月額8.8万円 ≈ 年106万円, employers of 51 or more).
CREATE TABLE income_thresholds (
    id {{ID}},
    kind TEXT NOT NULL,
    amount_yen BIGINT NOT NULL,
    valid_from TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (kind, valid_from)
);
INSERT INTO income_thresholds (kind, amount_yen, valid_from, updated_at) VALUES
    ('income_tax', 1030000, '2020-01-01', 0),
    ('income_tax', 1600000, '2025-01-01', 0),
    ('spouse', 1030000, '2020-01-01', 0),
    ('spouse', 1230000, '2025-01-01', 0),
    ('health_insurance', 1300000, '2020-01-01', 0),
    ('social_insurance', 1060000, '2020-01-01', 0);

-- Which thresholds matter to a resident (they choose; none until they do).
CREATE TABLE resident_thresholds (
    resident_id BIGINT NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (resident_id, kind)
);
