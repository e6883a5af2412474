//! The demo: Yamaguchi prefecture's Hagi (萩市) and Shimonoseki (下関市, Hōhoku area) with the
//! organisations of the FY2023 telework demonstration project, their staff, coordinators and
//! residents. Everything is created through the services, so the demo obeys the same rules and
//! leaves the same audit trail as real use.
//!
//! The loader runs in steps, each taking the ids the earlier ones made ([`DemoIds`]); later
//! capabilities (programs, work and pay, KPIs) add steps at the end.

mod data;
mod events;
mod kpis;
mod programs;
mod work;

use jimoto_domain::organisation::OrganisationInput;
use jimoto_domain::region::RegionInput;
use jimoto_domain::resident::ResidentInput;
use jimoto_domain::{
    AccountScope, Actor, Lang, OrganisationId, ProgramId, RegionId, ResidentId, Role,
};
use jimoto_services::{NewAccount, ServiceError, Services};

pub use data::DEMO_PASSWORD;
pub use kpis::{PROJECT_PERIOD, plan as kpi_plan};

/// One demo login, as printed by `jimoto demo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    /// Login name.
    pub login: &'static str,
    /// Role.
    pub role: Role,
    /// Who they are, in Japanese.
    pub description: &'static str,
}

/// Ids made by the loader, for later steps and for tests.
#[derive(Debug, Clone, Default)]
pub struct DemoIds {
    /// 萩市.
    pub hagi: Option<RegionId>,
    /// 下関市.
    pub shimonoseki: Option<RegionId>,
    /// Organisations by short key (e.g. `cognity`).
    pub organisations: Vec<(&'static str, OrganisationId)>,
    /// Residents by short key.
    pub residents: Vec<(&'static str, ResidentId)>,
    /// Programs by title.
    pub programs: Vec<(&'static str, ProgramId)>,
    /// Each program's first session, by the program's title.
    pub first_sessions: Vec<(&'static str, jimoto_domain::SessionId)>,
    /// The made-up people who signed up (`made-hagi`, `made-shimonoseki`).
    pub made: Vec<(&'static str, ResidentId)>,
    /// Cognity's first hire in Hagi: the application, the contract and its first (paid) month.
    pub first_hire: Option<(
        jimoto_domain::ApplicationId,
        jimoto_domain::EngagementId,
        jimoto_domain::PeriodId,
    )>,
    /// Cognity's evaluation of that first hire's January 2024.
    pub first_evaluation: Option<jimoto_domain::EvaluationId>,
    /// The open postings of Hagi's next round, for a coordinator to allocate.
    pub next_round: Vec<jimoto_domain::PostingId>,
}

impl DemoIds {
    /// An organisation by key.
    pub fn org(&self, key: &str) -> Option<OrganisationId> {
        self.organisations
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, id)| *id)
    }

    /// A resident by key.
    pub fn resident(&self, key: &str) -> Option<ResidentId> {
        self.residents
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, id)| *id)
    }
}

/// What went wrong while loading.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A service refused a demo record (a bug in the demo data).
    #[error("demo step {step}: {source}")]
    Service {
        /// The step.
        step: &'static str,
        /// The refusal.
        source: ServiceError,
    },
    /// A record the demo data names was not made by an earlier step (a bug in the demo data).
    #[error("demo data: {0} is missing")]
    Missing(&'static str),
}

fn step(step: &'static str) -> impl FnOnce(ServiceError) -> DemoError {
    move |source| DemoError::Service { step, source }
}

/// The demo logins and who they are.
pub fn logins() -> Vec<DemoLogin> {
    data::ACCOUNTS
        .iter()
        .map(|a| DemoLogin {
            login: a.login,
            role: a.role,
            description: a.description,
        })
        .collect()
}

/// Loads the demo unless it is already there (the admin login exists). Returns whether it loaded.
pub async fn load(services: &Services) -> Result<bool, DemoError> {
    if services
        .login_exists(data::ACCOUNTS[0].login)
        .await
        .map_err(step("check"))?
    {
        return Ok(false);
    }
    load_fresh(services).await?;
    Ok(true)
}

/// Loads the demo into an empty database and returns the ids it made.
pub async fn load_fresh(services: &Services) -> Result<DemoIds, DemoError> {
    let mut ids = DemoIds::default();
    let admin = account(services, &data::ACCOUNTS[0], AccountScope::Platform).await?;
    load_regions(services, &admin, &mut ids).await?;
    load_organisations(services, &admin, &mut ids).await?;
    let (coordinators, companies) = load_accounts(services, &ids).await?;
    load_residents(services, &mut ids).await?;
    programs::load(services, &mut ids, &coordinators).await?;
    work::load(services, &mut ids, &coordinators, &companies).await?;
    kpis::load(services, &mut ids, &coordinators).await?;
    tracing::info!(
        residents = ids.residents.len(),
        organisations = ids.organisations.len(),
        programs = ids.programs.len(),
        "demo loaded"
    );
    Ok(ids)
}

async fn account(
    services: &Services,
    a: &data::Account,
    scope: AccountScope,
) -> Result<Actor, DemoError> {
    let id = services
        .create_account_as_operator(NewAccount {
            login: a.login.into(),
            display_name: a.display_name.into(),
            password: DEMO_PASSWORD.into(),
            role: a.role,
            scope,
            lang: Lang::Ja,
        })
        .await
        .map_err(step("accounts"))?;
    services
        .actor_for_user(id.id)
        .await
        .map_err(step("accounts"))?
        .ok_or(DemoError::Service {
            step: "accounts",
            source: ServiceError::NotFound,
        })
}

async fn load_regions(
    services: &Services,
    admin: &Actor,
    ids: &mut DemoIds,
) -> Result<(), DemoError> {
    for r in data::REGIONS {
        let input = RegionInput {
            lg_code: r.lg_code.into(),
            policy_issues: r.policy_issues.iter().map(|s| (*s).to_owned()).collect(),
            vision: r.vision.into(),
        };
        let region = services
            .create_region(admin, input)
            .await
            .map_err(step("regions"))?;
        match r.key {
            "hagi" => ids.hagi = Some(region.id),
            _ => ids.shimonoseki = Some(region.id),
        }
    }
    Ok(())
}

fn region_of(ids: &DemoIds, key: &str) -> RegionId {
    if key == "hagi" {
        ids.hagi.unwrap_or(RegionId(0))
    } else {
        ids.shimonoseki.unwrap_or(RegionId(0))
    }
}

async fn load_organisations(
    services: &Services,
    admin: &Actor,
    ids: &mut DemoIds,
) -> Result<(), DemoError> {
    for o in data::ORGANISATIONS {
        let input = OrganisationInput {
            region_id: region_of(ids, o.region),
            name: o.name.into(),
            name_kana: o.name_kana.into(),
            kind: o.kind,
            industry: o.industry.into(),
            hq_prefecture: o.hq_prefecture.into(),
            telework_share_percent: o.telework_share_percent,
        };
        let org = services
            .create_organisation(admin, input)
            .await
            .map_err(step("organisations"))?;
        ids.organisations.push((o.key, org.id));
    }
    Ok(())
}

/// Makes the staff and company accounts; returns each region's coordinator (key, actor).
/// Coordinators by region key, and company members by organisation key.
type Actors = Vec<(&'static str, Actor)>;

async fn load_accounts(services: &Services, ids: &DemoIds) -> Result<(Actors, Actors), DemoError> {
    let mut coordinators = Vec::new();
    let mut companies = Vec::new();
    for a in data::ACCOUNTS
        .iter()
        .skip(1)
        .filter(|a| a.role != Role::Resident)
    {
        let scope = match a.role {
            Role::Coordinator | Role::Municipal => {
                AccountScope::Regions(a.scope.split(',').map(|r| region_of(ids, r)).collect())
            }
            Role::CompanyMember => {
                AccountScope::Organisation(ids.org(a.scope).unwrap_or(OrganisationId(0)))
            }
            Role::Admin | Role::Resident => AccountScope::Platform,
        };
        let actor = account(services, a, scope).await?;
        match a.role {
            Role::Coordinator => coordinators.push((a.scope, actor)),
            Role::CompanyMember => companies.push((a.scope, actor)),
            _ => {}
        }
    }
    Ok((coordinators, companies))
}

async fn load_residents(services: &Services, ids: &mut DemoIds) -> Result<(), DemoError> {
    for r in data::RESIDENTS {
        let input = ResidentInput {
            region_id: region_of(ids, r.region),
            name: r.name.into(),
            name_kana: r.name_kana.into(),
            email: r.email.into(),
            phone: r.phone.into(),
            circumstances: jimoto_domain::resident::Circumstances {
                childcare: r.circumstances.0,
                care: r.circumstances.1,
                treatment: r.circumstances.2,
                note: r.note.into(),
            },
            skills: r
                .skills
                .iter()
                .map(|(n, l)| jimoto_domain::resident::Skill {
                    name: (*n).into(),
                    level: *l,
                })
                .collect(),
            spare_hours_per_week: r.spare_hours,
            time_windows: r.time_windows.to_vec(),
            work_styles: r.work_styles.to_vec(),
            office_visits: r.office_visits,
            max_travel_minutes: r.max_travel_minutes,
            moved_away_on: None,
        };
        let id = services
            .create_resident_as_operator(input)
            .await
            .map_err(step("residents"))?;
        ids.residents.push((r.key, id));
    }
    for a in data::ACCOUNTS.iter().filter(|a| a.role == Role::Resident) {
        let resident = ids.resident(a.scope).unwrap_or(ResidentId(0));
        account(services, a, AccountScope::Resident(resident)).await?;
    }
    Ok(())
}
