//! The demo's co-creation projects and the FY2023 project's KPI plan, as the Yamaguchi report
//! tells them.
//!
//! Projects: the two demonstration projects (Cognity in Hagi, Eukarya in Shimonoseki) and the
//! eleven the workation tours set going — Hagi: ① matching residents with three companies
//! hiring by telework, ② a fishery business × an urban company on ocean problems, ③ a lecture at
//! 萩IT松下村塾's student workshop; Shimonoseki: ④ a start-up community with the city (two
//! companies), ⑤ an inn business (two), ⑥ a rose farm × branding, ⑦ a telework training
//! programme. Which tour company is in which project, the local partners' names (豊北水産ほか)
//! and the dates are made up; the projects are the report's.
//!
//! The plan is the report's KPI table: targets, the published actuals (203 / 13 / 18 /
//! ¥1,840,000 / 17) and their details as printed, entered by the project's coordinator; the
//! dashboard puts them beside what the records say.

use chrono::NaiveDate;
use jimoto_domain::kpi::{Kpi, PlanInput, PlanRow, ReportedPart};
use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::project::ProjectInput;
use jimoto_domain::{Actor, OrganisationId, RegionId};
use jimoto_services::Services;

use crate::{DemoError, DemoIds, region_of, step};

/// The project's period: October 2023 – February 2024.
pub const PROJECT_PERIOD: (NaiveDate, NaiveDate) = (
    match NaiveDate::from_ymd_opt(2023, 10, 1) {
        Some(d) => d,
        None => NaiveDate::MIN,
    },
    match NaiveDate::from_ymd_opt(2024, 2, 29) {
        Some(d) => d,
        None => NaiveDate::MIN,
    },
);

/// The report the plan's published figures come from.
pub const SOURCE: &str = "中山間地域における地域共創テレワーク実証プロジェクト 成果報告書（令和5年度）「KPIの計画対実績・成果」";

struct LocalOrg {
    key: &'static str,
    region: &'static str,
    name: &'static str,
    kana: &'static str,
    kind: OrgKind,
    industry: &'static str,
}

const LOCAL_ORGS: &[LocalOrg] = &[
    LocalOrg {
        key: "hagi-fishery",
        region: "hagi",
        name: "有限会社萩浜水産",
        kana: "ハギハマスイサン",
        kind: OrgKind::LocalCompany,
        industry: "漁業・水産加工",
    },
    LocalOrg {
        key: "hagi-it-school",
        region: "hagi",
        name: "萩IT松下村塾",
        kana: "ハギアイティーショウカソンジュク",
        kind: OrgKind::School,
        industry: "学生向けIT教育",
    },
    LocalOrg {
        key: "hohoku-rose",
        region: "shimonoseki",
        name: "豊北ローズファーム",
        kana: "ホウホクローズファーム",
        kind: OrgKind::LocalCompany,
        industry: "バラ栽培",
    },
];

struct DemoProject {
    region: &'static str,
    title: &'static str,
    theme: &'static str,
    /// The tour it came from (None: a demonstration project).
    tour: Option<&'static str>,
    members: &'static [&'static str],
    dates: [Option<(i32, u32, u32)>; 4],
    outcomes: &'static str,
}

const TOUR_1: &str = "ワーケーションツアー（第1回）テレワーク採用・人材育成";
const TOUR_2: &str = "ワーケーションツアー（第2回）地域での事業開発";

const PROJECTS: &[DemoProject] = &[
    DemoProject {
        region: "hagi",
        title: "萩市 地域共創テレワーク実証プロジェクト",
        theme: "住民テレワーカーの育成とAIアノテーション・ウェビナー運営業務",
        tour: None,
        members: &["cognity", "hagi-city", "pasona-jobhub"],
        dates: [
            Some((2023, 9, 1)),
            Some((2023, 10, 1)),
            Some((2023, 11, 1)),
            None,
        ],
        outcomes: "IT基礎講座の修了者9名が試用期間つきの業務委託で就業。",
    },
    DemoProject {
        region: "hagi",
        title: "テレワーク人材マッチング（リモートブリッジ）",
        theme: "テレワークを希望する住民とテレワーク採用希望企業のマッチング",
        tour: Some(TOUR_1),
        members: &["株式会社リモートブリッジ", "hagi-city"],
        dates: [
            Some((2023, 11, 17)),
            Some((2023, 12, 15)),
            Some((2024, 1, 15)),
            None,
        ],
        outcomes: "萩市のテレワークマッチングプロジェクトに参画。",
    },
    DemoProject {
        region: "hagi",
        title: "テレワーク人材マッチング（リーガルクラウド）",
        theme: "テレワークを希望する住民とテレワーク採用希望企業のマッチング",
        tour: Some(TOUR_1),
        members: &["株式会社リーガルクラウド", "hagi-city"],
        dates: [
            Some((2023, 11, 17)),
            Some((2023, 12, 20)),
            Some((2024, 2, 1)),
            None,
        ],
        outcomes: "採用を実現。",
    },
    DemoProject {
        region: "hagi",
        title: "テレワーク人材マッチング（ウェブエージェント）",
        theme: "テレワークを希望する住民とテレワーク採用希望企業のマッチング",
        tour: Some(TOUR_1),
        members: &["株式会社ウェブエージェント", "hagi-city"],
        dates: [Some((2023, 11, 18)), Some((2024, 1, 10)), None, None],
        outcomes: "",
    },
    DemoProject {
        region: "hagi",
        title: "漁業×海洋問題 連携プロジェクト",
        theme: "海洋問題・漁業問題の解決",
        tour: Some(TOUR_1),
        members: &["株式会社ローカルステイ", "hagi-fishery"],
        dates: [
            Some((2023, 11, 18)),
            Some((2024, 1, 25)),
            Some((2024, 2, 15)),
            None,
        ],
        outcomes: "漁業及び海産物加工製造業を営む地元企業との連携プロジェクトが始動。",
    },
    DemoProject {
        region: "hagi",
        title: "萩IT松下村塾 学生向けワークショップ登壇",
        theme: "学生向けワークショップにおける講師登壇",
        tour: Some(TOUR_1),
        members: &["越境ラーニング株式会社", "hagi-it-school"],
        dates: [
            Some((2023, 11, 18)),
            Some((2023, 12, 1)),
            Some((2024, 1, 20)),
            Some((2024, 1, 20)),
        ],
        outcomes: "学生向けワークショップで講師として登壇。",
    },
    DemoProject {
        region: "shimonoseki",
        title: "下関市豊北地域 地域共創テレワーク実証プロジェクト",
        theme: "Re:EarthによるGISデータ作成業務",
        tour: None,
        members: &["eukarya", "shimonoseki-city", "pasona-yamaguchi"],
        dates: [
            Some((2023, 9, 1)),
            Some((2023, 10, 1)),
            Some((2023, 11, 11)),
            None,
        ],
        outcomes: "ワークショップ参加者など10名が業務委託で就業。",
    },
    DemoProject {
        region: "shimonoseki",
        title: "スタートアップコミュニティ連携（サーキュラーメディア）",
        theme: "市とのスタートアップコミュニティに向けた連携",
        tour: Some(TOUR_2),
        members: &["株式会社サーキュラーメディア", "shimonoseki-city"],
        dates: [
            Some((2023, 12, 9)),
            Some((2024, 1, 19)),
            Some((2024, 2, 5)),
            None,
        ],
        outcomes: "アクセラレータプログラムや都市部企業のネットワーク構築を支援。",
    },
    DemoProject {
        region: "shimonoseki",
        title: "スタートアップコミュニティ連携（セカンドホーム）",
        theme: "市とのスタートアップコミュニティに向けた連携",
        tour: Some(TOUR_2),
        members: &["株式会社セカンドホーム", "shimonoseki-city"],
        dates: [Some((2023, 12, 9)), Some((2024, 1, 19)), None, None],
        outcomes: "",
    },
    DemoProject {
        region: "shimonoseki",
        title: "宿事業プロジェクト（みんぱくプロデュース）",
        theme: "空き家調査及びゲストハウス事業の立ち上げ",
        tour: Some(TOUR_2),
        members: &["株式会社みんぱくプロデュース", "nishinagato-resort"],
        dates: [
            Some((2023, 12, 9)),
            Some((2024, 1, 26)),
            Some((2024, 2, 20)),
            None,
        ],
        outcomes: "地域企業の空き家調査及びゲストハウス事業の立ち上げにおけるアドバイザリー支援を実施。",
    },
    DemoProject {
        region: "shimonoseki",
        title: "宿事業プロジェクト（いじゅうクリエイト）",
        theme: "ゲストハウス事業のプロモーション",
        tour: Some(TOUR_2),
        members: &["株式会社いじゅうクリエイト", "nishinagato-resort"],
        dates: [Some((2023, 12, 9)), Some((2024, 2, 2)), None, None],
        outcomes: "",
    },
    DemoProject {
        region: "shimonoseki",
        title: "豊北地域のバラ農家×ブランディング",
        theme: "地域課題をブランドに昇華する",
        tour: Some(TOUR_2),
        members: &["株式会社たべものブランド", "hohoku-rose"],
        dates: [
            Some((2023, 12, 9)),
            Some((2024, 1, 30)),
            Some((2024, 2, 26)),
            None,
        ],
        outcomes: "豊北地域のバラ農家とのブランディングプロジェクトが始動。",
    },
    DemoProject {
        region: "shimonoseki",
        title: "テレワーク人材育成プログラム（クラウドテック）",
        theme: "テレワーク人材育成プログラムの実施",
        tour: Some(TOUR_2),
        members: &["株式会社クラウドテック", "shimonoseki-city"],
        dates: [
            Some((2023, 12, 9)),
            Some((2024, 2, 1)),
            Some((2024, 2, 2)),
            None,
        ],
        outcomes: "aubeBizセミナーとその後のテレワークプログラムを共催。",
    },
];

fn day(d: Option<(i32, u32, u32)>) -> Option<NaiveDate> {
    d.and_then(|(y, m, day)| NaiveDate::from_ymd_opt(y, m, day))
}

/// Makes the local partners, the projects (as each region's coordinator) and the plan (as the
/// project's coordinator, who works in both regions).
pub(crate) async fn load(
    services: &Services,
    ids: &mut DemoIds,
    coordinators: &[(&str, Actor)],
) -> Result<(), DemoError> {
    let coordinator = |key: &'static str| {
        coordinators
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, a)| a)
            .ok_or(DemoError::Missing(key))
    };
    for o in LOCAL_ORGS {
        let org = services
            .create_organisation(
                coordinator(o.region)?,
                OrganisationInput {
                    region_id: region_of(ids, o.region),
                    name: o.name.into(),
                    name_kana: o.kana.into(),
                    kind: o.kind,
                    industry: o.industry.into(),
                    hq_prefecture: "35".into(),
                    telework_share_percent: None,
                },
            )
            .await
            .map_err(step("projects"))?;
        ids.organisations.push((o.key, org.id));
    }
    for p in PROJECTS {
        let mut members: Vec<OrganisationId> = Vec::new();
        for m in p.members {
            members.push(ids.org(m).ok_or(DemoError::Missing(m))?);
        }
        let origin = match p.tour {
            Some(t) => Some(
                ids.programs
                    .iter()
                    .find(|(title, _)| *title == t)
                    .map(|(_, id)| *id)
                    .ok_or(DemoError::Missing(t))?,
            ),
            None => None,
        };
        services
            .create_project(
                coordinator(p.region)?,
                ProjectInput {
                    region_id: region_of(ids, p.region),
                    title: p.title.into(),
                    theme: p.theme.into(),
                    origin_program_id: origin,
                    idea_on: day(p.dates[0]).unwrap_or(PROJECT_PERIOD.0),
                    agreed_on: day(p.dates[1]),
                    running_on: day(p.dates[2]),
                    ended_on: day(p.dates[3]),
                    outcomes: p.outcomes.into(),
                    members,
                },
            )
            .await
            .map_err(step("projects"))?;
    }
    let hagi = region_of(ids, "hagi");
    let shimonoseki = region_of(ids, "shimonoseki");
    services
        .create_kpi_plan(coordinator("hagi,shimonoseki")?, plan(hagi, shimonoseki))
        .await
        .map_err(step("kpi plan"))?;
    Ok(())
}

fn part(
    label: &str,
    value: i64,
    region: Option<RegionId>,
    breakdown: Option<&str>,
) -> ReportedPart {
    ReportedPart {
        label: label.into(),
        value,
        region_id: region,
        breakdown: breakdown.map(str::to_owned),
    }
}

/// The report's KPI table, as printed.
pub fn plan(hagi: RegionId, shimonoseki: RegionId) -> PlanInput {
    let row = |kpi, target, reported, parts, note: &str| PlanRow {
        kpi,
        target: Some(target),
        owner: "パソナJOBHUB".into(),
        reported: Some(reported),
        parts,
        note: note.into(),
    };
    PlanInput {
        title: "中山間地域における地域共創テレワーク実証プロジェクト（令和5年度）".into(),
        regions: vec![hagi, shimonoseki],
        from: PROJECT_PERIOD.0,
        to: PROJECT_PERIOD.1,
        source: SOURCE.into(),
        rows: vec![
            row(
                Kpi::Participants,
                50,
                203,
                vec![
                    part("萩市", 107, Some(hagi), None),
                    part("下関市", 36, Some(shimonoseki), Some("audience:residents")),
                    part(
                        "aubeBizセミナー",
                        57,
                        Some(shimonoseki),
                        Some("audience:companies"),
                    ),
                ],
                "地域企業・住民テレワーカー・教育機関等向けセミナー参加者数（※重複含む）。萩市：107名、下関市：36名＋aubeBizセミナー57名",
            ),
            row(
                Kpi::Projects,
                2,
                13,
                vec![
                    part(
                        "実証プロジェクト（コグニティ・ユーカリヤ）",
                        2,
                        None,
                        Some("origin:other"),
                    ),
                    part(
                        "ワーケーション参加企業（下関市）",
                        6,
                        Some(shimonoseki),
                        Some("origin:event"),
                    ),
                    part(
                        "ワーケーション参加企業（萩市）",
                        5,
                        Some(hagi),
                        Some("origin:event"),
                    ),
                ],
                "実証プロジェクト（コグニティ株式会社・株式会社ユーカリヤ）に加えて、ワーケーション参加企業より下関市では6社、萩市では5社のプロジェクトを創出",
            ),
            row(
                Kpi::PaidResidents,
                5,
                18,
                vec![
                    part("萩市（直接雇用）", 4, Some(hagi), None),
                    part(
                        "下関市（業務委託）",
                        10,
                        Some(shimonoseki),
                        Some("contract:outsourcing"),
                    ),
                ],
                "実証期間中にテレワークでの業務に従事する住民テレワーカー等の人数。萩市：4名(直接雇用)※追加で3名見込み、下関市：10名(業務委託)",
            ),
            row(
                Kpi::Income,
                1_000_000,
                1_840_000,
                vec![
                    part(
                        "株式会社ユーカリヤから住民テレワーカーへの報酬",
                        400_000,
                        Some(shimonoseki),
                        None,
                    ),
                    part(
                        "コグニティ株式会社から住民テレワーカーへの報酬",
                        1_260_000,
                        Some(hagi),
                        None,
                    ),
                ],
                "コグニティ分の根拠として「月10日×試用期間3カ月×5時間×8名×時給1,200円」とあるが、この式は1,440,000円になり、1,260,000円にはならない",
            ),
            row(
                Kpi::TourCompanies,
                10,
                17,
                vec![
                    part("第1回（萩市）", 8, Some(hagi), None),
                    part("第2回（下関市）", 9, Some(shimonoseki), None),
                ],
                "萩市・下関市（豊北地域）で実施する都市部企業経営層向けワーケーションに参加する企業数",
            ),
        ],
    }
}
