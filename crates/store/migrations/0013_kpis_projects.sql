-- KPIs: co-creation projects between organisations (with their dated timeline and the event
-- they came from), KPI plans (targets and published figures for one or more regions over a
-- period, each published figure with its details as a JSON list), and the indexes the KPI
-- queries read by region and date.
CREATE TABLE projects (
    id {{ID}},
    region_id BIGINT NOT NULL REFERENCES regions (id),
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    origin_program_id BIGINT REFERENCES programs (id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    idea_on TEXT NOT NULL,
    agreed_on TEXT,
    running_on TEXT,
    ended_on TEXT,
    outcomes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX projects_region ON projects (region_id, idea_on, id);

CREATE TABLE project_members (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (project_id, organisation_id)
);
CREATE INDEX project_members_organisation ON project_members (organisation_id);

CREATE TABLE kpi_plans (
    id {{ID}},
    title TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE kpi_plan_regions (
    plan_id BIGINT NOT NULL REFERENCES kpi_plans (id) ON DELETE CASCADE,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    PRIMARY KEY (plan_id, region_id)
);
CREATE INDEX kpi_plan_regions_region ON kpi_plan_regions (region_id, plan_id);

CREATE TABLE kpi_plan_rows (
    plan_id BIGINT NOT NULL REFERENCES kpi_plans (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kpi TEXT NOT NULL,
    target BIGINT,
    owner TEXT NOT NULL DEFAULT '',
    reported BIGINT,
    parts TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, position),
    UNIQUE (plan_id, kpi)
);

CREATE INDEX enrolments_region_completed ON enrolments (region_id, completed_at);
CREATE INDEX pay_periods_region_start ON pay_periods (region_id, starts_on, status);
CREATE INDEX engagements_region_status ON engagements (region_id, status, start_date);
