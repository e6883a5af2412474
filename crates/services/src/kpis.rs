//! KPIs: a region's figures for a period, the rows behind each, plans (targets and published
//! figures) reconciled with the records, the comparison of a prefecture's regions, and
//! co-creation projects.
//!
//! Figures are computed on request from the records (see `jimoto_store::kpis` for what is read);
//! nothing is cached, so a changed record shows in the next figure. People are named in rows only
//! to the region's coordinators.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use jimoto_domain::calendar::today_jst;
use jimoto_domain::forecast::{self, Forecast};
use jimoto_domain::kpi::{
    self, ByRegion, Cell, Comparison, Dashboard, Figure, Kpi, Period, Plan, PlanInput, PlanReport,
    Reconciled, RegionFigures, Report, Rows, Table,
};
use jimoto_domain::policy::KpiAction;
use jimoto_domain::program::ProgramKind;
use jimoto_domain::project::{Project, ProjectChoices, ProjectInput};
use jimoto_domain::region::Region;
use jimoto_domain::{Actor, FieldError, PlanId, ProjectId, RegionId, ValidationFailure};
use jimoto_store::kpis::{self as store, Scope};
use jimoto_store::{Conn, organisations, programs, projects, regions};
use validator::Validate;

use crate::{ServiceError, ServiceResult, Services, require};

/// The day figures are taken: the period's last day, or today while it runs.
fn as_of(period: Period) -> NaiveDate {
    period.to.min(today_jst())
}

fn ordered(map: BTreeMap<Kpi, Figure>) -> Vec<Figure> {
    let mut map = map;
    Kpi::ALL.iter().filter_map(|k| map.remove(k)).collect()
}

async fn region(conn: &mut Conn, id: RegionId) -> ServiceResult<Region> {
    regions::get(conn, id).await?.ok_or(ServiceError::NotFound)
}

impl Services {
    /// A region's KPIs for a period: its municipal staff, coordinators and administrators.
    pub async fn kpi_dashboard(
        &self,
        actor: &Actor,
        region_id: RegionId,
        period: Period,
    ) -> ServiceResult<Dashboard> {
        require(actor, KpiAction::View { region: region_id })?;
        let mut conn = self.db().conn().await?;
        region(&mut conn, region_id).await?;
        let day = as_of(period);
        let regions = [region_id];
        let inputs = store::inputs(
            &mut conn,
            Scope {
                regions: &regions,
                period,
            },
            day,
        )
        .await?;
        let figures = ordered(kpi::figures(&inputs, period, day, None));
        let mut plans = Vec::new();
        for id in store::plans_of(&mut conn, region_id, period).await? {
            if let Some(p) = store::plan(&mut conn, id).await? {
                // A plan of this region over this period is reconciled with what was just read.
                let same = p.regions == regions && p.period == period;
                plans.push(reconcile(&mut conn, p, same.then_some(&inputs)).await?);
            }
        }
        Ok(Dashboard {
            region_id,
            period,
            as_of: day,
            figures,
            plans,
        })
    }

    /// The rows behind one KPI of a region.
    pub async fn kpi_rows(
        &self,
        actor: &Actor,
        region_id: RegionId,
        kpi: Kpi,
        period: Period,
    ) -> ServiceResult<Rows> {
        require(actor, KpiAction::View { region: region_id })?;
        let names = actor.may(KpiAction::SeePeople { region: region_id });
        let mut conn = self.db().conn().await?;
        region(&mut conn, region_id).await?;
        let regions = [region_id];
        let scope = Scope {
            regions: &regions,
            period,
        };
        if kpi.retention_months().is_some() {
            return retention_rows(&mut conn, kpi, scope).await;
        }
        if kpi == Kpi::SocialValue && !names {
            // Circumstances are counted, never listed, outside the region's coordinators.
            let inputs = store::inputs(&mut conn, scope, as_of(period)).await?;
            let f = kpi::figures(&inputs, period, as_of(period), None)
                .remove(&kpi)
                .unwrap_or_else(|| Figure::empty(kpi));
            let rows: Vec<Vec<Cell>> = f
                .breakdown
                .iter()
                .map(|(k, v)| vec![Cell::code("breakdown", k), Cell::Count(v.round() as i64)])
                .collect();
            return Ok(Rows {
                kpi,
                columns: vec!["circumstances".into(), "people".into()],
                total: rows.len() as i64,
                rows,
            });
        }
        Ok(store::rows(&mut conn, kpi, scope, names).await?)
    }

    /// What `courses` more courses of `kind` are expected to yield in the region, from its own
    /// history of that kind (`None`: the region has held none yet): the readers of its KPIs.
    /// It is made of counts and sums only, so no person can be told from it.
    pub async fn kpi_forecast(
        &self,
        actor: &Actor,
        region_id: RegionId,
        kind: ProgramKind,
        courses: u32,
    ) -> ServiceResult<Option<Forecast>> {
        require(actor, KpiAction::View { region: region_id })?;
        forecast::check(kind, courses)?;
        let mut conn = self.db().conn().await?;
        region(&mut conn, region_id).await?;
        let history = store::forecast_history(&mut conn, &[region_id], kind, today_jst()).await?;
        Ok(forecast::forecast(kind, &history, courses))
    }

    /// A region's results report for a period (the ministry's shape): the same readers as its
    /// dashboard, and it names no resident.
    pub async fn kpi_report(
        &self,
        actor: &Actor,
        region_id: RegionId,
        period: Period,
    ) -> ServiceResult<Report> {
        let dashboard = self.kpi_dashboard(actor, region_id, period).await?;
        let mut conn = self.db().conn().await?;
        let r = region(&mut conn, region_id).await?;
        let regions = [region_id];
        let scope = Scope {
            regions: &regions,
            period,
        };
        let programs = store::report_programs(&mut conn, scope).await?;
        let tours = store::report_tours(&mut conn, scope).await?;
        let mut found: Vec<Project> = projects::of_region(&mut conn, region_id)
            .await?
            .into_iter()
            .filter(|p| kpi::project_counts(period, p.agreed_on, p.ended_on))
            .collect();
        found.sort_by_key(|p| (p.agreed_on, p.id));
        let projects = Table {
            columns: [
                "project",
                "theme",
                "status",
                "agreed_on",
                "ended_on",
                "origin",
                "member_names",
                "outcomes",
            ]
            .map(String::from)
            .to_vec(),
            rows: found
                .into_iter()
                .map(|p| {
                    let day = |d: Option<NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
                    vec![
                        Cell::Text(p.title),
                        Cell::Text(p.theme),
                        Cell::code("project_status", p.status),
                        day(p.agreed_on),
                        day(p.ended_on),
                        p.origin_title.map_or(Cell::Empty, Cell::Text),
                        Cell::Text(
                            p.members
                                .into_iter()
                                .map(|m| m.name)
                                .collect::<Vec<_>>()
                                .join("、"),
                        ),
                        Cell::Text(p.outcomes),
                    ]
                })
                .collect(),
        };
        Ok(Report {
            region_id,
            region_name: r.name,
            period,
            as_of: dashboard.as_of,
            figures: dashboard.figures,
            plans: dashboard.plans,
            programs,
            tours,
            projects,
        })
    }

    /// A plan beside the records: visible to the staff of any of its regions (and admins).
    pub async fn kpi_plan(&self, actor: &Actor, id: PlanId) -> ServiceResult<PlanReport> {
        let mut conn = self.db().conn().await?;
        let p = visible_plan(&mut conn, actor, id).await?;
        reconcile(&mut conn, p, None).await
    }

    /// Creates a plan: only the staff of every region it covers.
    pub async fn create_kpi_plan(&self, actor: &Actor, input: PlanInput) -> ServiceResult<PlanId> {
        let mut tx = self.db().begin().await?;
        let input = checked_plan(&mut tx, actor, input).await?;
        let id = store::insert_plan(&mut tx, &input).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces a plan: only the staff of every region it covered and will cover.
    pub async fn update_kpi_plan(
        &self,
        actor: &Actor,
        id: PlanId,
        input: PlanInput,
    ) -> ServiceResult<Plan> {
        let mut tx = self.db().begin().await?;
        let old = visible_plan(&mut tx, actor, id).await?;
        for r in &old.regions {
            require(actor, KpiAction::EditPlan { region: *r })?;
        }
        let input = checked_plan(&mut tx, actor, input).await?;
        store::update_plan(&mut tx, id, &input).await?;
        let saved = store::plan(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(saved)
    }

    /// The regions of a prefecture the reader may see, side by side.
    pub async fn kpi_comparison(
        &self,
        actor: &Actor,
        prefecture: &str,
        period: Period,
    ) -> ServiceResult<Comparison> {
        let mut conn = self.db().conn().await?;
        let visible: Vec<(RegionId, String)> = store::regions_of_prefecture(&mut conn, prefecture)
            .await?
            .into_iter()
            .filter(|(r, _)| actor.may(KpiAction::View { region: *r }))
            .collect();
        if visible.is_empty() {
            return Err(ServiceError::NotFound);
        }
        Ok(Comparison {
            prefecture: prefecture.to_owned(),
            period,
            regions: side_by_side(&mut conn, visible, period).await?,
        })
    }

    /// The regions of a plan (a consortium's joint project, which may span prefectures) side
    /// by side over the plan's period: the plan's readers, each seeing only the regions whose
    /// KPIs they may read.
    pub async fn kpi_plan_comparison(
        &self,
        actor: &Actor,
        id: PlanId,
    ) -> ServiceResult<(Plan, Vec<RegionFigures>)> {
        let mut conn = self.db().conn().await?;
        let plan = visible_plan(&mut conn, actor, id).await?;
        let mut visible = Vec::new();
        for r in &plan.regions {
            if actor.may(KpiAction::View { region: *r }) {
                visible.push((*r, region(&mut conn, *r).await?.name));
            }
        }
        let figures = side_by_side(&mut conn, visible, plan.period).await?;
        Ok((plan, figures))
    }

    /// A region's co-creation projects.
    pub async fn projects(
        &self,
        actor: &Actor,
        region_id: RegionId,
    ) -> ServiceResult<Vec<Project>> {
        require(actor, KpiAction::View { region: region_id })?;
        let mut conn = self.db().conn().await?;
        region(&mut conn, region_id).await?;
        Ok(projects::of_region(&mut conn, region_id).await?)
    }

    /// One project.
    pub async fn project(&self, actor: &Actor, id: ProjectId) -> ServiceResult<Project> {
        let mut conn = self.db().conn().await?;
        projects::get(&mut conn, id)
            .await?
            .filter(|p| {
                actor.may(KpiAction::View {
                    region: p.region_id,
                })
            })
            .ok_or(ServiceError::NotFound)
    }

    /// What the project form offers for a region (its programs and organisations): for those
    /// who may record its projects.
    pub async fn project_choices(
        &self,
        actor: &Actor,
        region_id: RegionId,
    ) -> ServiceResult<ProjectChoices> {
        require(actor, KpiAction::EditProject { region: region_id })?;
        let mut conn = self.db().conn().await?;
        region(&mut conn, region_id).await?;
        Ok(ProjectChoices {
            programs: projects::origin_choices(&mut conn, region_id).await?,
            organisations: organisations::names(
                &mut conn,
                &jimoto_domain::policy::OrgScope::Regions(vec![region_id]),
            )
            .await?,
        })
    }

    /// Records a project: the region's staff.
    pub async fn create_project(
        &self,
        actor: &Actor,
        input: ProjectInput,
    ) -> ServiceResult<Project> {
        require(
            actor,
            KpiAction::EditProject {
                region: input.region_id,
            },
        )?;
        let mut tx = self.db().begin().await?;
        let input = checked_project(&mut tx, input).await?;
        let id = projects::insert(&mut tx, &input).await?;
        let saved = projects::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Changes a project (its timeline, members, outcomes): the region's staff.
    pub async fn update_project(
        &self,
        actor: &Actor,
        id: ProjectId,
        input: ProjectInput,
    ) -> ServiceResult<Project> {
        let mut tx = self.db().begin().await?;
        let old = projects::get(&mut tx, id)
            .await?
            .filter(|p| {
                actor.may(KpiAction::View {
                    region: p.region_id,
                })
            })
            .ok_or(ServiceError::NotFound)?;
        require(
            actor,
            KpiAction::EditProject {
                region: old.region_id,
            },
        )?;
        if input.region_id != old.region_id {
            return Err(ValidationFailure::single("region_id", "cannot_change").into());
        }
        let input = checked_project(&mut tx, input).await?;
        projects::update(&mut tx, id, &input).await?;
        let saved = projects::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(saved)
    }
}

/// Every KPI of each region over the period, read in one pass over all of them.
async fn side_by_side(
    conn: &mut Conn,
    regions: Vec<(RegionId, String)>,
    period: Period,
) -> ServiceResult<Vec<RegionFigures>> {
    let ids: Vec<RegionId> = regions.iter().map(|(r, _)| *r).collect();
    let day = as_of(period);
    let inputs = store::inputs(
        conn,
        Scope {
            regions: &ids,
            period,
        },
        day,
    )
    .await?;
    Ok(regions
        .into_iter()
        .map(|(id, name)| RegionFigures {
            region_id: id,
            name,
            figures: ordered(kpi::figures(&inputs, period, day, Some(id))),
        })
        .collect())
}

/// A plan the actor may read: one covering a region whose KPIs they see.
async fn visible_plan(conn: &mut Conn, actor: &Actor, id: PlanId) -> ServiceResult<Plan> {
    store::plan(conn, id)
        .await?
        .filter(|p| {
            p.regions
                .iter()
                .any(|r| actor.may(KpiAction::View { region: *r }))
        })
        .ok_or(ServiceError::NotFound)
}

/// Every problem of an input: its field rules and the domain's own checks.
fn problems_of<T: Validate>(input: &T, more: Vec<FieldError>) -> Vec<FieldError> {
    let mut problems = match input.validate() {
        Ok(()) => Vec::new(),
        Err(e) => ValidationFailure::from_validator(&e).0,
    };
    problems.extend(more);
    problems
}

/// A plan's input, checked: its problems named together, then the actor must be staff of every
/// region it covers, and every region must exist.
async fn checked_plan(
    conn: &mut Conn,
    actor: &Actor,
    input: PlanInput,
) -> ServiceResult<PlanInput> {
    let input = input.normalised();
    let problems = problems_of(&input, input.problems());
    if !problems.is_empty() {
        return Err(ValidationFailure(problems).into());
    }
    for r in &input.regions {
        require(actor, KpiAction::EditPlan { region: *r })?;
        if regions::get(conn, *r).await?.is_none() {
            return Err(ValidationFailure::single("regions", "unknown").into());
        }
    }
    Ok(input)
}

async fn checked_project(conn: &mut Conn, input: ProjectInput) -> ServiceResult<ProjectInput> {
    let input = input.normalised();
    let mut problems = problems_of(&input, input.problems());
    region(conn, input.region_id).await?;
    if let Some(p) = input.origin_program_id {
        let ok = programs::get(conn, p)
            .await?
            .is_some_and(|p| p.region_id == input.region_id);
        if !ok {
            problems.push(FieldError::new("origin_program_id", "unknown"));
        }
    }
    // Members are organisations registered in the project's region; another region's are as
    // unknown as missing ones (their names would show on this region's pages).
    for (i, o) in input.members.iter().enumerate() {
        let ok = organisations::get(conn, *o)
            .await?
            .is_some_and(|org| org.region_id == input.region_id);
        if !ok {
            problems.push(FieldError::new(format!("members[{i}]"), "unknown"));
        }
    }
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(ValidationFailure(problems).into())
    }
}

/// Computes a plan's figures over its regions and period (or takes `read`, the records of
/// exactly those, already read) and puts each row beside them.
async fn reconcile(
    conn: &mut Conn,
    plan: Plan,
    read: Option<&kpi::Inputs>,
) -> ServiceResult<PlanReport> {
    let day = as_of(plan.period);
    let owned;
    let inputs = match read {
        Some(i) => i,
        None => {
            owned = store::inputs(
                conn,
                Scope {
                    regions: &plan.regions,
                    period: plan.period,
                },
                day,
            )
            .await?;
            &owned
        }
    };
    let all = kpi::figures(inputs, plan.period, day, None);
    let by_region: ByRegion = plan
        .regions
        .iter()
        .map(|r| (*r, kpi::figures(inputs, plan.period, day, Some(*r))))
        .collect();
    let rows = plan
        .rows
        .iter()
        .map(|row| {
            let actual = all
                .get(&row.kpi)
                .cloned()
                .unwrap_or_else(|| Figure::empty(row.kpi));
            Reconciled::of(row.clone(), actual, &by_region)
        })
        .collect();
    let mut region_names = Vec::with_capacity(plan.regions.len());
    for r in &plan.regions {
        region_names.push(region(conn, *r).await?.name);
    }
    Ok(PlanReport {
        plan,
        region_names,
        rows,
        as_of: day,
    })
}

/// Retention's rows: each tenure that started in the period, how long it has lasted and
/// whether it reached the KPI's mark (no names: a tenure is a contract, not a person).
async fn retention_rows(conn: &mut Conn, kpi: Kpi, scope: Scope<'_>) -> ServiceResult<Rows> {
    let day = as_of(scope.period);
    let months = kpi.retention_months().unwrap_or(3);
    let mut rows = Vec::new();
    for t in &store::tenures(conn, scope, day).await? {
        let name = organisations::get(conn, t.organisation_id)
            .await?
            .map_or(Cell::Empty, |o| Cell::Text(o.name));
        rows.push(vec![
            name,
            Cell::Date(t.start),
            t.last_day.map_or(Cell::Empty, Cell::Date),
            Cell::Count(i64::from(t.renewals)),
            Cell::code(
                "retained",
                if !t.reached(months, day) {
                    "not_yet"
                } else if t.lasted(months) {
                    "yes"
                } else {
                    "no"
                },
            ),
        ]);
    }
    Ok(Rows {
        kpi,
        columns: ["organisation", "start", "end", "renewals", "retained"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        total: rows.len() as i64,
        rows,
    })
}
