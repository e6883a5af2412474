//! Every translation key the code and the templates use exists in both languages. A missing key
//! would show as itself (`residents-title`) on a page; this test reads the sources instead of
//! waiting for a page to show it.
//!
//! Keys are found four ways: literal keys (`"regions-new"`, any literal shaped like a key whose
//! prefix is a message family of the `.ftl` files), titles built by `form::target`, enum labels
//! (`tr.e("kind", …)`: every value of the enum), and codes (every error code, every field-error
//! code and field name the sources raise or the templates show).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jimoto_domain::Lang;
use regex::Regex;

use super::tests::translation_keys;

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

fn read_all(dirs: &[(&str, &str)]) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for (dir, ext) in dirs {
        files(&root.join(dir), ext, &mut paths);
    }
    assert!(!paths.is_empty());
    // Comments are left out: they mention keys as examples.
    paths
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .expect("readable source")
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn captures(re: &str, text: &str) -> BTreeSet<String> {
    Regex::new(re)
        .expect("pattern")
        .captures_iter(text)
        .map(|c| c[1].to_owned())
        .collect()
}

/// The expressions of templates (`{{ … }}` and `{% … %}`), without the HTML around them, whose
/// class names and ids look like keys too.
fn template_code() -> String {
    let html = read_all(&[("templates", "html")]);
    Regex::new(r"\{\{.*?\}\}|\{%.*?%\}")
        .expect("pattern")
        .find_iter(&html)
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The keys the web crate's code and templates use.
fn used_keys() -> BTreeSet<String> {
    let web = read_all(&[("src", "rs")]) + &template_code();
    let prefixes = captures(r#"\.e\(\s*"([a-z_-]+)""#, &web);
    let defined = translation_keys(Lang::Ja);
    let families: BTreeSet<&str> = defined
        .iter()
        .filter_map(|k| k.split_once('-').map(|(f, _)| f))
        .collect();
    let mut used = BTreeSet::new();
    // Literal keys: a whole string literal shaped like a key, of a known family.
    for lit in captures(r#""([a-z][a-z0-9_]*(?:-[a-z0-9_]+)+)""#, &web) {
        let family = lit.split_once('-').map_or("", |(f, _)| f);
        if families.contains(family) && !prefixes.contains(&lit) {
            used.insert(lit);
        }
    }
    // Titles of new and edit forms: target(id, "/path", "prefix").
    for prefix in captures(r#"target\(\s*\w+,\s*"[^"]*",\s*"([a-z_]+)"\s*\)"#, &web) {
        used.insert(format!("{prefix}-new"));
        used.insert(format!("{prefix}-edit"));
    }
    // Enum labels: tr.e("prefix", value) for every value of the enum.
    for prefix in prefixes {
        let codes: Vec<&str> = match prefix.as_str() {
            "kind" => codes(jimoto_domain::organisation::OrgKind::ALL),
            "role" | "home-role" => codes(jimoto_domain::Role::ALL),
            "work_style" => codes(jimoto_domain::resident::WorkStyle::ALL),
            "time_window" => codes(jimoto_domain::resident::TimeWindow::ALL),
            "office_visits" => codes(jimoto_domain::resident::OfficeVisits::ALL),
            "entity" => codes(jimoto_domain::audit::AuditEntity::ALL),
            "audit-action" => codes(jimoto_domain::audit::AuditOp::ALL),
            "follow_up" => codes(jimoto_domain::home::FollowUp::ALL),
            "program_kind" => codes(jimoto_domain::program::ProgramKind::ALL),
            "audience" => codes(jimoto_domain::program::Audience::ALL),
            "partner_role" => codes(jimoto_domain::program::PartnerRole::ALL),
            "session_mode" => codes(jimoto_domain::program::SessionMode::ALL),
            "completion" => codes(jimoto_domain::program::CompletionRule::ALL),
            "contact_kind" => codes(jimoto_domain::contact::ContactKind::ALL),
            "channel" => codes(jimoto_domain::growth::Channel::ALL),
            "leads_to" => codes(jimoto_domain::program::ProgramKind::ALL),
            "source" => codes(jimoto_domain::growth::EnrolmentSource::ALL),
            "stage" => codes(jimoto_domain::growth::Stage::ALL),
            "stage_cause" => codes(jimoto_domain::growth::StageCause::ALL),
            "enrolment_status" => codes(jimoto_domain::growth::EnrolmentStatus::ALL),
            "funnel_step" => codes(jimoto_domain::growth::FunnelStep::ALL),
            "follow_up_status" => codes(jimoto_domain::event::FollowUpStatus::ALL),
            "frequency" => codes(jimoto_domain::work::task::Frequency::ALL),
            "tools_access" => codes(jimoto_domain::work::task::ToolsAccess::ALL),
            "data_form" => codes(jimoto_domain::work::task::DataForm::ALL),
            "confidentiality" => codes(jimoto_domain::work::task::Confidentiality::ALL),
            "on_site" => codes(jimoto_domain::work::task::OnSite::ALL),
            "readiness" => codes(jimoto_domain::work::Readiness::ALL),
            "reason" => codes(jimoto_domain::work::task::Reason::ALL),
            "category" => codes(jimoto_domain::work::Category::ALL),
            "level" => codes(jimoto_domain::work::JobLevel::ALL),
            "contract" => codes(jimoto_domain::work::ContractKind::ALL),
            "pay_kind" => codes(jimoto_domain::work::PayKind::ALL),
            "work_place" => codes(jimoto_domain::work::WorkPlace::ALL),
            "posting_status" => codes(jimoto_domain::work::PostingStatus::ALL),
            "application_status" => codes(jimoto_domain::work::ApplicationStatus::ALL),
            "selection_stage" => codes(jimoto_domain::work::DefaultStage::ALL),
            "engagement_status" => codes(jimoto_domain::work::EngagementStatus::ALL),
            "end_reason" => codes(jimoto_domain::work::EndReason::ALL),
            "payment_method" => codes(jimoto_domain::work::engagement::PaymentMethod::ALL),
            "period_status" => codes(jimoto_domain::work::PeriodStatus::ALL),
            "threshold" => codes(jimoto_domain::work::ThresholdKind::ALL),
            "people_list" => vec!["enrolled", "waiting", "cancelled", "attended", "completed"],
            "circumstance" => vec!["childcare", "care", "treatment"],
            "took_part" => vec!["worked", "attended"],
            "kpi" => codes(jimoto_domain::kpi::Kpi::ALL),
            "counting" => codes(jimoto_domain::kpi::Counting::ALL),
            "project_status" => codes(jimoto_domain::project::ProjectStatus::ALL),
            other => panic!("tr.e(\"{other}\", …): add its enum to this test"),
        };
        used.extend(codes.into_iter().map(|c| format!("{prefix}-{c}")));
    }
    // Field names the forms show errors for.
    for field in captures(r#"errors\.get\("([a-z_]+)"\)"#, &web) {
        used.insert(format!("field-{field}"));
    }
    used
}

fn codes<T: Copy + std::fmt::Display>(all: &[T]) -> Vec<&'static str> {
    all.iter()
        .map(|v| &*Box::leak(v.to_string().into_boxed_str()))
        .collect()
}

/// Error codes, field-error codes and field names raised anywhere in the product.
fn raised_keys() -> BTreeSet<String> {
    let sources = read_all(&[
        ("src", "rs"),
        ("../domain/src", "rs"),
        ("../services/src", "rs"),
        ("../store/src", "rs"),
    ]);
    let mut used = BTreeSet::new();
    for code in [
        "unauthenticated",
        "invalid_credentials",
        "too_many_attempts",
        "forbidden",
        "not_found",
        "validation",
        "internal",
        "invalid_json",
        "invalid_query",
        "invalid_form",
        "content_type",
        "body_too_large",
        "csrf",
    ] {
        used.insert(format!("error-{code}"));
    }
    // Codes that `ValidationFailure::from_validator` maps validator's own codes to.
    for code in [
        "required",
        "too_long",
        "too_short",
        "too_many",
        "out_of_range",
    ] {
        used.insert(format!("err-{code}"));
    }
    let field_code = [
        r#"FieldError::new\(\s*"([a-z_]+)""#,
        r#"single\(\s*"([a-z_]+)""#,
    ];
    for re in field_code {
        used.extend(
            captures(re, &sources)
                .into_iter()
                .map(|f| format!("field-{f}")),
        );
    }
    let error_code = [
        r#"FieldError::new\(\s*[^,()]+,\s*"([a-z_]+)"\s*\)"#,
        r#"single\(\s*"[a-z_]*",\s*"([a-z_]+)"\s*\)"#,
        r#"ValidationError::new\(\s*"([a-z_]+)"\s*\)"#,
        r#"=> "(lg_code_[a-z_]+)""#,
    ];
    for re in error_code {
        used.extend(
            captures(re, &sources)
                .into_iter()
                .map(|c| format!("err-{c}")),
        );
    }
    used
}

#[test]
fn every_key_the_code_uses_exists_in_both_languages() {
    let used: BTreeSet<String> = used_keys().into_iter().chain(raised_keys()).collect();
    assert!(
        used.len() > 150,
        "the sources were read: {} keys",
        used.len()
    );
    for lang in [Lang::Ja, Lang::En] {
        let defined = translation_keys(lang);
        let missing: Vec<&String> = used.iter().filter(|k| !defined.contains(k)).collect();
        assert!(
            missing.is_empty(),
            "{} keys used but not defined in {}: {missing:?}",
            missing.len(),
            lang.as_str()
        );
    }
}
