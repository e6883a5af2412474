//! The audit log page, in people's words: records and people by name and linked, fields and
//! values with the labels the forms use, and only what changed.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jimoto_domain::audit::{AuditEntity, AuditEntry, AuditFilter, AuditLabels, AuditOp};
use jimoto_domain::{Lang, Page, PageRequest};
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Frame, Pager, render};
use crate::session::Authed;

#[derive(Debug, Deserialize)]
pub(super) struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

/// One entry as it is shown.
struct Line {
    at: String,
    /// The actor's name and the link to their account (None: the operator at the machine).
    who: (String, Option<String>),
    /// What kind of record, its name and link.
    record: (String, String, Option<String>),
    action: String,
    /// (field label, what became of it)
    changes: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    frame: Frame,
    lines: Vec<Line>,
    pager: Pager,
    entity: String,
    entity_id: String,
    entities: &'static [AuditEntity],
}

/// Words for the values of an entry's changes.
struct Words<'a> {
    tr: Tr,
    labels: &'a AuditLabels,
}

impl Words<'_> {
    fn line(&self, e: &AuditEntry) -> Line {
        let tr = self.tr;
        let who = match e.actor_user_id {
            Some(u) => (
                self.labels
                    .users
                    .get(&u.0)
                    .cloned()
                    .unwrap_or_else(|| e.actor_login.clone()),
                Some(format!("/admin/users/{u}")),
            ),
            None => (tr.t("audit-operator"), None),
        };
        let kind = tr.e("entity", e.entity.as_str());
        let record = if e.action == AuditOp::List {
            (kind, String::new(), None)
        } else {
            let name = self
                .labels
                .record(e.entity, e.entity_id)
                .map_or_else(|| format!("#{}", e.entity_id), str::to_owned);
            let href = match e.entity {
                AuditEntity::Region => Some(format!("/regions/{}", e.entity_id)),
                AuditEntity::Organisation => Some(format!("/organisations/{}", e.entity_id)),
                AuditEntity::Resident => Some(format!("/residents/{}", e.entity_id)),
                AuditEntity::User => Some(format!("/admin/users/{}", e.entity_id)),
                // Programs have no page yet: named, not linked.
                AuditEntity::Program => None,
                AuditEntity::Posting => Some(format!("/postings/{}", e.entity_id)),
                AuditEntity::Application => Some(format!("/applications/{}", e.entity_id)),
                AuditEntity::Engagement => Some(format!("/engagements/{}", e.entity_id)),
                AuditEntity::Threshold => Some("/admin/thresholds".to_owned()),
            };
            (kind, name, href)
        };
        let changes = match e.changes.as_object() {
            Some(obj) => obj
                .iter()
                .map(|(field, change)| self.change(e.entity, field, change))
                .collect(),
            None => vec![],
        };
        Line {
            at: tr.datetime(&e.at),
            who,
            record,
            action: tr.e("audit-action", e.action.as_str()),
            changes,
        }
    }

    fn change(&self, entity: AuditEntity, field: &str, change: &Value) -> (String, String) {
        let tr = self.tr;
        if field == "shown" {
            let n = change.as_array().map_or(0, Vec::len);
            return (tr.t("audit-shown"), tr.t1("audit-shown-count", "count", n));
        }
        let text = match change {
            Value::Array(pair) if pair.len() == 2 => match (&pair[0], &pair[1]) {
                (Value::Null, new) => self.value(entity, field, new),
                (old, new) => format!(
                    "{} → {}",
                    self.value(entity, field, old),
                    self.value(entity, field, new)
                ),
            },
            // A secret value only says that it changed (or was reset).
            Value::String(s) if s == "(reset)" => tr.t("audit-reset"),
            _ => tr.t("audit-changed"),
        };
        (tr.field_label(field), text)
    }

    /// A value with the words of the forms: 平日午前, 中間支援団体, 萩市, 週12時間.
    fn value(&self, entity: AuditEntity, field: &str, v: &Value) -> String {
        let tr = self.tr;
        let name_of = |map: &std::collections::BTreeMap<i64, String>, v: &Value| {
            v.as_i64().map_or_else(
                || plain(v),
                |id| map.get(&id).cloned().unwrap_or_else(|| format!("#{id}")),
            )
        };
        let codes = |prefix: &str| match v.as_array() {
            Some(items) => tr.join(
                items
                    .iter()
                    .map(|c| tr.e(prefix, c.as_str().unwrap_or_default())),
            ),
            None => plain(v),
        };
        // A program's fields, whose names other records use for other things.
        if entity == AuditEntity::Program {
            match (field, v) {
                ("kind", Value::String(c)) => return tr.e("program_kind", c),
                ("audience", Value::String(c)) => return tr.e("audience", c),
                ("completion", Value::String(c)) => return tr.e("completion", c),
                ("capacity", Value::Number(n)) => return tr.t1("home-people", "count", n),
                ("min_attendance_percent", Value::Number(n)) => return format!("{n}%"),
                // A follow-up action's status (its changes are recorded on its program).
                ("status", Value::String(c)) => return tr.e("follow_up_status", c),
                ("partners", Value::Array(ps)) => {
                    return tr.join(ps.iter().map(|p| {
                        let org = name_of(&self.labels.organisations, &p["organisation_id"]);
                        let role = tr.e("partner_role", p["role"].as_str().unwrap_or_default());
                        format!("{org}{}", tr.paren(role))
                    }));
                }
                _ => {}
            }
        }
        // A posting's choices, by their labels on its form.
        if entity == AuditEntity::Posting
            && let Value::String(c) = v
        {
            match field {
                "category" | "level" | "contract" | "pay_kind" | "work_place" => {
                    return tr.e(field, c);
                }
                "status" => return tr.e("posting_status", c),
                _ => {}
            }
        }
        if entity == AuditEntity::Posting
            && field == "pay_yen"
            && let Some(n) = v.as_i64()
        {
            return tr.yen(n);
        }
        match (field, v) {
            (_, Value::Null) => "—".to_owned(),
            ("time_windows", _) => codes("time_window"),
            ("work_styles", _) => codes("work_style"),
            ("office_visits", Value::String(c)) => tr.e("office_visits", c),
            ("kind", Value::String(c)) => tr.e("kind", c),
            ("role", Value::String(c)) => tr.e("role", c),
            ("lang", Value::String(c)) => {
                Lang::parse(c).map_or_else(|| c.clone(), |l| tr.lang_name(l).to_owned())
            }
            ("prefecture" | "hq_prefecture", Value::String(c)) => {
                jimoto_domain::region::prefecture_name(c, tr.lang == Lang::En)
                    .unwrap_or(c)
                    .to_owned()
            }
            ("region_id", _) => name_of(&self.labels.regions, v),
            ("organisation_id" | "organiser_id", _) => name_of(&self.labels.organisations, v),
            ("regions", Value::Array(ids)) => {
                tr.join(ids.iter().map(|id| name_of(&self.labels.regions, id)))
            }
            ("skills", Value::Array(skills)) => tr.join(skills.iter().map(|s| {
                tr.skill(
                    s["name"].as_str().unwrap_or_default(),
                    s["level"].as_i64().unwrap_or(0),
                )
            })),
            ("session", Value::Object(s)) => {
                let at = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or_default();
                let date = chrono::NaiveDate::parse_from_str(at("date"), "%Y-%m-%d")
                    .map_or_else(|_| at("date").to_owned(), |d| tr.date(d));
                let place = [at("venue_name"), at("online_url")]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(" / ");
                format!("{date} {}–{} {place}", at("starts_at"), at("ends_at"))
            }
            ("contact", Value::Object(c)) => {
                let on = c
                    .get("contacted_on")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let date = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d")
                    .map_or_else(|_| on.to_owned(), |d| tr.date(d));
                let kind = c.get("kind").and_then(Value::as_str).unwrap_or_default();
                format!("{date} {}", tr.e("contact_kind", kind))
            }
            ("spare_hours_per_week", Value::Number(n)) => tr.t1("hours-per-week", "hours", n),
            ("max_travel_minutes", Value::Number(n)) => tr.t1("travel-minutes", "minutes", n),
            (k, Value::String(on)) if k.ends_with("_on") => {
                chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d")
                    .map_or_else(|_| on.to_owned(), |d| tr.date(d))
            }
            ("telework_share_percent", Value::Number(n)) => format!("{n}%"),
            ("disabled", Value::Bool(b)) => {
                tr.t(if *b { "users-disabled" } else { "users-active" })
            }
            (_, Value::Bool(b)) => tr.t(if *b { "audit-yes" } else { "audit-no" }),
            (_, Value::Array(items)) => tr.join(items.iter().map(plain)),
            (_, Value::Object(_)) => tr.t("audit-changed"),
            _ => plain(v),
        }
    }
}

/// A value's text as it is (strings without quotes).
fn plain(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let filter = AuditFilter {
        entity: q.entity.as_deref().and_then(AuditEntity::parse),
        entity_id: q.entity_id.as_deref().and_then(|s| s.trim().parse().ok()),
    };
    let req = PageRequest::parse_or_first(q.after.as_deref(), q.before.as_deref(), None);
    let page: Page<AuditEntry> = state.services.audit_log(&actor, &filter, &req).await?;
    let labels = state.services.audit_labels(&actor, &page.items).await?;
    let words = Words {
        tr: ctx.tr,
        labels: &labels,
    };
    let lines = page.items.iter().map(|e| words.line(e)).collect();
    let (entity, entity_id) = (
        q.entity.unwrap_or_default(),
        q.entity_id.unwrap_or_default(),
    );
    Ok(render(&AuditPage {
        frame: ctx.frame("audit-title"),
        pager: Pager::new(
            &page,
            &[("entity", entity.clone()), ("entity_id", entity_id.clone())],
        ),
        lines,
        entity,
        entity_id,
        entities: AuditEntity::ALL,
    }))
}
