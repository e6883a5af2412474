//! Every table's columns, written once: the select lists, the inserts and the updates are built
//! from these, the unique-violation parser reads them, and a test checks them against the
//! migrated schema of both engines.

/// A table and its columns, in the order the migrations create them.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Column names.
    pub columns: &'static [&'static str],
}

impl Table {
    /// `a, b, c`: the select list of every column.
    pub fn select_list(&self) -> String {
        self.columns.join(", ")
    }

    /// `t.a, t.b, t.c`: the same, qualified by the table's name (for queries that join it).
    pub fn qualified_list(&self) -> String {
        self.columns
            .iter()
            .map(|c| format!("{}.{c}", self.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the table has this column.
    pub fn has(&self, column: &str) -> bool {
        self.columns.contains(&column)
    }
}

pub(crate) const REGIONS: Table = Table {
    name: "regions",
    columns: &[
        "id",
        "lg_code",
        "name",
        "name_kana",
        "prefecture",
        "policy_issues",
        "vision",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const ORGANISATIONS: Table = Table {
    name: "organisations",
    columns: &[
        "id",
        "region_id",
        "name",
        "name_kana",
        "kind",
        "industry",
        "hq_prefecture",
        "telework_share_percent",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const USERS: Table = Table {
    name: "users",
    columns: &[
        "id",
        "login",
        "display_name",
        "password_hash",
        "role",
        "organisation_id",
        "lang",
        "disabled",
        "created_at",
        "must_change_password",
        "password_expires_at",
    ],
};

pub(crate) const USER_REGIONS: Table = Table {
    name: "user_regions",
    columns: &["user_id", "region_id"],
};

pub(crate) const RESIDENTS: Table = Table {
    name: "residents",
    columns: &[
        "id",
        "region_id",
        "user_id",
        "name",
        "name_kana",
        "email",
        "phone",
        "childcare",
        "care",
        "treatment",
        "circumstances_note",
        "spare_hours_per_week",
        "time_windows",
        "work_styles",
        "office_visits",
        "max_travel_minutes",
        "created_at",
        "updated_at",
        "moved_away_on",
    ],
};

pub(crate) const RESIDENT_SKILLS: Table = Table {
    name: "resident_skills",
    columns: &["region_id", "resident_id", "position", "name", "level"],
};

pub(crate) const SESSIONS: Table = Table {
    name: "sessions",
    columns: &[
        "id_hash",
        "user_id",
        "csrf_token",
        "created_at",
        "expires_at",
        "flash",
    ],
};

pub(crate) const API_TOKENS: Table = Table {
    name: "api_tokens",
    columns: &[
        "id",
        "user_id",
        "name",
        "prefix",
        "token_hash",
        "created_at",
        "last_used_at",
        "revoked_at",
    ],
};

pub(crate) const LOGIN_ATTEMPTS: Table = Table {
    name: "login_attempts",
    columns: &["id", "login", "ip", "succeeded", "at"],
};

pub(crate) const AUDIT_LOG: Table = Table {
    name: "audit_log",
    columns: &[
        "id",
        "at",
        "actor_user_id",
        "actor_login",
        "region_id",
        "entity",
        "entity_id",
        "action",
        "changes",
    ],
};

pub(crate) const SEARCH_DOCS: Table = Table {
    name: "search_docs",
    columns: &["kind", "entity_id", "region_id", "sort_key", "text"],
};

pub(crate) const SEARCH_TERMS: Table = Table {
    name: "search_terms",
    columns: &["kind", "term", "region_id", "sort_key", "entity_id"],
};

pub(crate) const SERVER_SECRETS: Table = Table {
    name: "server_secrets",
    columns: &["name", "value", "created_at"],
};

pub(crate) const PROGRAMS: Table = Table {
    name: "programs",
    columns: &[
        "id",
        "region_id",
        "kind",
        "audience",
        "title",
        "description",
        "organiser_id",
        "capacity",
        "completion",
        "min_attendance_percent",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const PROGRAM_PARTNERS: Table = Table {
    name: "program_partners",
    columns: &["program_id", "organisation_id", "role", "position"],
};

pub(crate) const PROGRAM_SESSIONS: Table = Table {
    name: "program_sessions",
    columns: &[
        "id",
        "program_id",
        "region_id",
        "date",
        "starts_at",
        "ends_at",
        "mode",
        "venue_name",
        "venue_address",
        "online_url",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const RESIDENT_CONTACTS: Table = Table {
    name: "resident_contacts",
    columns: &[
        "id",
        "resident_id",
        "region_id",
        "contacted_on",
        "kind",
        "note",
        "by_user_id",
        "by_name",
        "created_at",
    ],
};

pub(crate) const ENROLMENTS: Table = Table {
    name: "enrolments",
    columns: &[
        "id",
        "program_id",
        "region_id",
        "resident_id",
        "status",
        "channel",
        "source",
        "consent_version",
        "signed_up_at",
        "completed_at",
        "updated_at",
    ],
};

pub(crate) const ATTENDANCES: Table = Table {
    name: "attendances",
    columns: &[
        "session_id",
        "resident_id",
        "program_id",
        "region_id",
        "attended_at",
        "walk_in",
    ],
};

pub(crate) const RESIDENT_STAGES: Table = Table {
    name: "resident_stages",
    columns: &["resident_id", "region_id", "stage", "since", "completed_at"],
};

pub(crate) const STAGE_CHANGES: Table = Table {
    name: "stage_changes",
    columns: &[
        "id",
        "resident_id",
        "region_id",
        "stage",
        "previous",
        "at",
        "cause",
        "reason",
        "program_id",
        "by_user_id",
        "by_name",
    ],
};

pub(crate) const RESIDENT_MATCH_KEYS: Table = Table {
    name: "resident_match_keys",
    columns: &["region_id", "match_key", "resident_id"],
};

pub(crate) const SIGNUP_ATTEMPTS: Table = Table {
    name: "signup_attempts",
    columns: &["id", "ip", "at"],
};

pub(crate) const SESSION_VOICES: Table = Table {
    name: "session_voices",
    columns: &[
        "id",
        "session_id",
        "program_id",
        "region_id",
        "resident_id",
        "body",
        "may_quote",
        "attribution",
        "recorded_at",
        "by_user_id",
    ],
};

pub(crate) const EVENT_ORGANISATIONS: Table = Table {
    name: "event_organisations",
    columns: &[
        "id",
        "program_id",
        "region_id",
        "organisation_id",
        "purpose",
        "involvement",
        "updated_at",
    ],
};

pub(crate) const EVENT_PARTICIPANTS: Table = Table {
    name: "event_participants",
    columns: &[
        "id",
        "program_id",
        "region_id",
        "organisation_id",
        "organisation_name",
        "name",
        "role",
        "recorded_at",
    ],
};

pub(crate) const FOLLOW_UPS: Table = Table {
    name: "follow_ups",
    columns: &[
        "id",
        "program_id",
        "region_id",
        "organisation_id",
        "action",
        "owner_user_id",
        "due",
        "status",
        "done_at",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const ROSTER_IMPORTS: Table = Table {
    name: "roster_imports",
    columns: &[
        "id",
        "program_id",
        "region_id",
        "by_user_id",
        "file_name",
        "sha256",
        "content",
        "uploaded_at",
        "applied_at",
        "summary",
    ],
};

pub(crate) const MIGRATIONS: Table = Table {
    name: "jimoto_migrations",
    columns: &["version", "name", "checksum", "applied_at"],
};

pub(crate) const ORGANISATION_REGIONS: Table = Table {
    name: "organisation_regions",
    columns: &["organisation_id", "region_id", "since"],
};

pub(crate) const WORK_TASKS: Table = Table {
    name: "work_tasks",
    columns: &[
        "id",
        "organisation_id",
        "title",
        "description",
        "frequency",
        "hours_per_month",
        "done_by",
        "tools",
        "tools_access",
        "data_form",
        "confidentiality",
        "on_site",
        "posting_id",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const POSTINGS: Table = Table {
    name: "postings",
    columns: &[
        "id",
        "organisation_id",
        "region_id",
        "task_id",
        "title",
        "description",
        "category",
        "level",
        "contract",
        "trial_months",
        "pay_kind",
        "pay_yen",
        "hourly_yen",
        "hours_per_week",
        "days_per_month",
        "time_windows",
        "duration_months",
        "places",
        "work_place",
        "office_visits_per_month",
        "office_place",
        "status",
        "board_key",
        "published_at",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const POSTING_SKILLS: Table = Table {
    name: "posting_skills",
    columns: &["posting_id", "position", "name", "level"],
};

pub(crate) const SELECTION_STAGES: Table = Table {
    name: "selection_stages",
    columns: &["id", "organisation_id", "position", "code", "name"],
};

pub(crate) const APPLICATIONS: Table = Table {
    name: "applications",
    columns: &[
        "id",
        "posting_id",
        "organisation_id",
        "region_id",
        "resident_id",
        "channel",
        "message",
        "status",
        "stage_id",
        "applied_at",
        "decided_at",
        "updated_at",
    ],
};

pub(crate) const APPLICATION_NOTES: Table = Table {
    name: "application_notes",
    columns: &[
        "id",
        "application_id",
        "stage_id",
        "rating",
        "body",
        "by_user_id",
        "by_name",
        "at",
    ],
};

pub(crate) const ENGAGEMENTS: Table = Table {
    name: "engagements",
    columns: &[
        "id",
        "application_id",
        "posting_id",
        "organisation_id",
        "region_id",
        "resident_id",
        "channel",
        "contract",
        "category",
        "pay_kind",
        "rate_yen",
        "hours_per_week",
        "start_date",
        "trial_end",
        "end_date",
        "withholding",
        "work_description",
        "order_date",
        "delivery_date",
        "delivery_place",
        "inspection",
        "inspection_days",
        "payment_due_days",
        "payment_method",
        "payment_method_detail",
        "status",
        "started_at",
        "notice_given_on",
        "ended_on",
        "end_reason",
        "end_reason_detail",
        "renewed_from",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const PAY_PERIODS: Table = Table {
    name: "pay_periods",
    columns: &[
        "id",
        "engagement_id",
        "organisation_id",
        "region_id",
        "resident_id",
        "starts_on",
        "ends_on",
        "status",
        "minutes",
        "amount_yen",
        "withholding_yen",
        "due_on",
        "submitted_at",
        "decided_at",
        "decided_by",
        "comment",
        "paid_on",
    ],
};

pub(crate) const TIMESHEET_ENTRIES: Table = Table {
    name: "timesheet_entries",
    columns: &[
        "engagement_id",
        "day",
        "period_id",
        "minutes",
        "note",
        "updated_at",
    ],
};

pub(crate) const RUBRIC_CRITERIA: Table = Table {
    name: "rubric_criteria",
    columns: &[
        "id",
        "organisation_id",
        "position",
        "name",
        "description",
        "level_labels",
        "active",
    ],
};

pub(crate) const EVALUATIONS: Table = Table {
    name: "evaluations",
    columns: &[
        "id",
        "engagement_id",
        "organisation_id",
        "region_id",
        "resident_id",
        "starts_on",
        "ends_on",
        "comment",
        "by_user_id",
        "by_name",
        "at",
    ],
};

pub(crate) const EVALUATION_SCORES: Table = Table {
    name: "evaluation_scores",
    columns: &[
        "evaluation_id",
        "criterion_id",
        "level",
        "comment",
        "position",
        "criterion_name",
        "description",
        "level_labels",
    ],
};

pub(crate) const INCOME_THRESHOLDS: Table = Table {
    name: "income_thresholds",
    columns: &["id", "kind", "amount_yen", "valid_from", "updated_at"],
};

pub(crate) const RESIDENT_THRESHOLDS: Table = Table {
    name: "resident_thresholds",
    columns: &["resident_id", "kind"],
};

pub(crate) const PROJECTS: Table = Table {
    name: "projects",
    columns: &[
        "id",
        "region_id",
        "title",
        "theme",
        "origin_program_id",
        "status",
        "idea_on",
        "agreed_on",
        "running_on",
        "ended_on",
        "outcomes",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const PROJECT_MEMBERS: Table = Table {
    name: "project_members",
    columns: &["project_id", "organisation_id", "position"],
};

pub(crate) const KPI_PLANS: Table = Table {
    name: "kpi_plans",
    columns: &[
        "id",
        "title",
        "starts_on",
        "ends_on",
        "source",
        "created_at",
        "updated_at",
    ],
};

pub(crate) const KPI_PLAN_REGIONS: Table = Table {
    name: "kpi_plan_regions",
    columns: &["plan_id", "region_id"],
};

pub(crate) const KPI_PLAN_ROWS: Table = Table {
    name: "kpi_plan_rows",
    columns: &[
        "plan_id", "position", "kpi", "target", "owner", "reported", "parts", "note",
    ],
};

/// Every table of the schema.
pub const TABLES: &[Table] = &[
    REGIONS,
    ORGANISATIONS,
    USERS,
    USER_REGIONS,
    RESIDENTS,
    RESIDENT_SKILLS,
    SESSIONS,
    API_TOKENS,
    LOGIN_ATTEMPTS,
    AUDIT_LOG,
    SEARCH_DOCS,
    SEARCH_TERMS,
    SERVER_SECRETS,
    PROGRAMS,
    PROGRAM_PARTNERS,
    PROGRAM_SESSIONS,
    RESIDENT_CONTACTS,
    ENROLMENTS,
    ATTENDANCES,
    RESIDENT_STAGES,
    STAGE_CHANGES,
    RESIDENT_MATCH_KEYS,
    SIGNUP_ATTEMPTS,
    SESSION_VOICES,
    EVENT_ORGANISATIONS,
    EVENT_PARTICIPANTS,
    FOLLOW_UPS,
    ROSTER_IMPORTS,
    ORGANISATION_REGIONS,
    WORK_TASKS,
    POSTINGS,
    POSTING_SKILLS,
    SELECTION_STAGES,
    APPLICATIONS,
    APPLICATION_NOTES,
    ENGAGEMENTS,
    PAY_PERIODS,
    TIMESHEET_ENTRIES,
    RUBRIC_CRITERIA,
    EVALUATIONS,
    EVALUATION_SCORES,
    INCOME_THRESHOLDS,
    RESIDENT_THRESHOLDS,
    PROJECTS,
    PROJECT_MEMBERS,
    KPI_PLANS,
    KPI_PLAN_REGIONS,
    KPI_PLAN_ROWS,
    MIGRATIONS,
];

/// The columns of a table by name (none for an unknown table).
pub(crate) fn columns_of(table: &str) -> &'static [&'static str] {
    TABLES
        .iter()
        .find(|t| t.name == table)
        .map_or(&[], |t| t.columns)
}
