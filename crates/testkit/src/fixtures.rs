//! Fixture builders: a region, an organisation, a resident, an account of any role — each one
//! insert through the store, no demo to load — and [`World`], the two regions most HTTP and
//! policy tests need. Accounts get a deliberately cheap password hash, so logging in costs
//! microseconds instead of Argon2's tens of milliseconds.

use argon2::PasswordHasher;
use argon2::{Algorithm, Argon2, Params, Version};
use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::program::{
    Audience, CompletionRule, Partner, PartnerRole, ProgramInput, ProgramKind, SessionInput,
    SessionMode,
};
use jimoto_domain::region::RegionInput;
use jimoto_domain::resident::{
    Circumstances, OfficeVisits, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::{
    AccountScope, Actor, Lang, OrganisationId, ProgramId, RegionId, ResidentId, Role, UserId,
    municipality,
};
use jimoto_store::{organisations, regions, residents, users};

use crate::TestDb;

/// The password of every fixture account.
pub const PASSWORD: &str = "fixture-password";

/// An Argon2id hash of [`PASSWORD`] with the smallest parameters (8 KiB, one pass): verifying
/// it is instant, and the login code path is the real one.
pub fn cheap_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let params = Params::new(8, 1, 1, None).expect("argon2 parameters");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(PASSWORD.as_bytes())
            .expect("hash")
            .to_string()
    })
    .clone()
}

/// A resident to insert: name and reading, with the rest set by the builder's methods.
#[derive(Debug, Clone)]
pub struct ResidentSpec {
    input: ResidentInput,
}

impl ResidentSpec {
    /// A resident of `region` called `name` (reading `kana`), 10 spare hours, fully remote.
    pub fn new(region: RegionId, name: &str, kana: &str) -> Self {
        Self {
            input: ResidentInput {
                region_id: region,
                name: name.into(),
                name_kana: kana.into(),
                email: String::new(),
                phone: String::new(),
                circumstances: Circumstances::default(),
                skills: vec![],
                spare_hours_per_week: 10,
                time_windows: vec![],
                work_styles: vec![],
                office_visits: OfficeVisits::Never,
                max_travel_minutes: None,
                moved_away_on: None,
            },
        }
    }

    /// Skills with levels.
    pub fn skills(mut self, skills: &[(&str, i64)]) -> Self {
        self.input.skills = skills
            .iter()
            .map(|(n, l)| Skill {
                name: (*n).into(),
                level: *l,
            })
            .collect();
        self
    }

    /// Work styles.
    pub fn styles(mut self, styles: &[WorkStyle]) -> Self {
        self.input.work_styles = styles.to_vec();
        self
    }

    /// Time windows.
    pub fn windows(mut self, windows: &[TimeWindow]) -> Self {
        self.input.time_windows = windows.to_vec();
        self
    }

    /// Circumstances.
    pub fn circumstances(mut self, c: Circumstances) -> Self {
        self.input.circumstances = c;
        self
    }

    /// Contact details.
    pub fn contact(mut self, email: &str, phone: &str) -> Self {
        self.input.email = email.into();
        self.input.phone = phone.into();
        self
    }

    /// Spare hours a week.
    pub fn hours(mut self, h: i64) -> Self {
        self.input.spare_hours_per_week = h;
        self
    }

    /// The input as the services take it.
    pub fn input(&self) -> ResidentInput {
        self.input.clone()
    }
}

impl TestDb {
    /// Registers the region of a local government code (name and reading from the national list).
    pub async fn region(&self, code: &str) -> RegionId {
        let m = municipality::by_code(code).expect("a code of the national list");
        let mut tx = self.db.begin().await.expect("begin");
        let id = regions::insert(
            &mut tx,
            m,
            &RegionInput {
                lg_code: code.into(),
                ..RegionInput::default()
            },
        )
        .await
        .expect("insert region");
        tx.commit().await.expect("commit");
        id
    }

    /// Registers an organisation under a region.
    pub async fn organisation(
        &self,
        region: RegionId,
        name: &str,
        kind: OrgKind,
    ) -> OrganisationId {
        let mut tx = self.db.begin().await.expect("begin");
        let id = organisations::insert(
            &mut tx,
            &OrganisationInput {
                region_id: region,
                name: name.into(),
                name_kana: String::new(),
                kind,
                industry: String::new(),
                hq_prefecture: "35".into(),
                telework_share_percent: None,
            },
        )
        .await
        .expect("insert organisation");
        tx.commit().await.expect("commit");
        id
    }

    /// Inserts a resident.
    pub async fn resident(&self, spec: ResidentSpec) -> ResidentId {
        let mut tx = self.db.begin().await.expect("begin");
        let id = residents::insert(&mut tx, &spec.input, None)
            .await
            .expect("insert resident");
        tx.commit().await.expect("commit");
        id
    }

    /// An account with [`PASSWORD`], and the actor it logs in as.
    pub async fn account(&self, login: &str, role: Role, scope: AccountScope) -> Actor {
        assert!(scope.fits(role), "{login}: scope must fit the role");
        let mut tx = self.db.begin().await.expect("begin");
        let organisation_id = match &scope {
            AccountScope::Organisation(o) => Some(*o),
            _ => None,
        };
        let id = users::insert(
            &mut tx,
            &users::NewUser {
                login,
                display_name: &format!("{login} さん"),
                password_hash: &cheap_hash(),
                role,
                organisation_id,
                lang: Lang::Ja,
            },
        )
        .await
        .expect("insert account");
        match &scope {
            AccountScope::Regions(r) => users::set_regions(&mut tx, id, r)
                .await
                .expect("account regions"),
            AccountScope::Resident(r) => {
                assert!(
                    residents::link_user(&mut tx, *r, id)
                        .await
                        .expect("link resident"),
                    "{login}: the resident has no login yet"
                );
            }
            AccountScope::Platform | AccountScope::Organisation(_) => {}
        }
        tx.commit().await.expect("commit");
        self.actor(id).await
    }

    /// The actor an account acts as.
    pub async fn actor(&self, id: UserId) -> Actor {
        self.services()
            .actor_for_user(id)
            .await
            .expect("load actor")
            .expect("the account can act")
    }

    /// An administrator.
    pub async fn admin(&self, login: &str) -> Actor {
        self.account(login, Role::Admin, AccountScope::Platform)
            .await
    }

    /// A coordinator of these regions.
    pub async fn coordinator(&self, login: &str, regions: &[RegionId]) -> Actor {
        self.account(
            login,
            Role::Coordinator,
            AccountScope::Regions(regions.to_vec()),
        )
        .await
    }

    /// Municipal staff of a region.
    pub async fn municipal(&self, login: &str, region: RegionId) -> Actor {
        self.account(login, Role::Municipal, AccountScope::Regions(vec![region]))
            .await
    }

    /// A member of an organisation.
    pub async fn member(&self, login: &str, org: OrganisationId) -> Actor {
        self.account(login, Role::CompanyMember, AccountScope::Organisation(org))
            .await
    }

    /// A resident's own login.
    pub async fn resident_login(&self, login: &str, resident: ResidentId) -> Actor {
        self.account(login, Role::Resident, AccountScope::Resident(resident))
            .await
    }

    /// The two-region world most tests need.
    pub async fn world(&self) -> World {
        World::build(self).await
    }
}

/// Two regions with a login of every role in each (the demo's login names, [`PASSWORD`] for all):
///
/// | login | role |
/// |---|---|
/// | admin | administrator |
/// | coord-hagi, coord-shimonoseki | coordinator of 萩市 / 下関市 |
/// | city-hagi, city-shimonoseki | municipal staff of 萩市 / 下関市 |
/// | cognity, eukarya | member of コグニティ (萩市) / ユーカリヤ (下関市) |
/// | resident-hagi, resident-shimonoseki | 山田 花子 (萩市) / 中村 健一 (下関市) |
///
/// Residents: 萩市 山田 花子 (childcare, a note; and a second record of her with another phone), 伊藤 美咲,
/// 渡辺 剛; 下関市 中村 健一, 吉田 サクラ. 花子 is enrolled in the Hagi course.
#[derive(Debug, Clone)]
pub struct World {
    /// 萩市 (352047).
    pub hagi: RegionId,
    /// 下関市 (352012).
    pub shimonoseki: RegionId,
    /// コグニティ株式会社, an urban company registered under 萩市.
    pub cognity: OrganisationId,
    /// 株式会社ユーカリヤ, under 下関市.
    pub eukarya: OrganisationId,
    /// 山田 花子 (萩市), who has the login resident-hagi.
    pub hanako: ResidentId,
    /// 伊藤 美咲 (萩市), no login.
    pub misaki: ResidentId,
    /// 渡辺 剛 (萩市), no login.
    pub takeshi: ResidentId,
    /// 中村 健一 (下関市), who has the login resident-shimonoseki.
    pub kenichi: ResidentId,
    /// 吉田 サクラ (下関市), no login.
    pub sakura: ResidentId,
    /// 「IT基礎講座（初級）」 in 萩市, with コグニティ as its provider and one session.
    pub hagi_course: ProgramId,
    /// 山田 花子's second record (萩市, another phone, no login): the duplicate a coordinator
    /// merges.
    pub hanako_again: ResidentId,
    /// Its one session (18 Nov 2023); 山田 花子 is enrolled.
    pub hagi_session: jimoto_domain::SessionId,
    /// A task in コグニティ's inventory (data entry, remote-ready).
    pub cognity_task: jimoto_domain::TaskId,
    /// A draft posting of コグニティ in 萩市 (no pay yet: not on the board).
    pub cognity_draft: jimoto_domain::PostingId,
    /// A closed posting of コグニティ in 萩市 (¥1,200 an hour, outsourcing): recruited for, off
    /// the board.
    pub cognity_job: jimoto_domain::PostingId,
    /// 山田 花子's application to it, at the first stage.
    pub hanako_application: jimoto_domain::ApplicationId,
    /// That stage (応募).
    pub hanako_stage: jimoto_domain::StageId,
    /// A running contract between コグニティ and 山田 花子 (from 2024-01-01, open-ended).
    pub hanako_engagement: jimoto_domain::EngagementId,
    /// A draft contract between them, not started.
    pub hanako_draft_engagement: jimoto_domain::EngagementId,
    /// Every login, with its actor.
    pub actors: Vec<(&'static str, Actor)>,
}

/// The world's logins, in a fixed order.
pub const WORLD_LOGINS: [&str; 9] = [
    "admin",
    "coord-hagi",
    "coord-shimonoseki",
    "city-hagi",
    "city-shimonoseki",
    "cognity",
    "eukarya",
    "resident-hagi",
    "resident-shimonoseki",
];

/// The private note on 山田 花子's circumstances.
pub const HANAKO_NOTE: &str = "保育園のお迎えがあるため平日15時まで";

impl TestDb {
    /// An open posting, an application, a running and a draft contract (see [`World`]).
    async fn hire_fixtures(
        &self,
        hagi: RegionId,
        cognity: OrganisationId,
        hanako: ResidentId,
        task: jimoto_domain::TaskId,
    ) -> (
        jimoto_domain::PostingId,
        jimoto_domain::ApplicationId,
        jimoto_domain::StageId,
        jimoto_domain::EngagementId,
        jimoto_domain::EngagementId,
    ) {
        use jimoto_domain::work::engagement::{PaymentMethod, Terms};
        use jimoto_domain::work::{EngagementInput, PayKind, PostingStatus};
        use jimoto_store::work::{engagements, selection};
        let mut conn = self.db.conn().await.expect("conn");
        let stored = jimoto_store::work::task(&mut conn, task)
            .await
            .expect("task")
            .expect("task");
        let mut input = jimoto_domain::work::task::draft_posting(&stored, hagi);
        input.pay_yen = 1200;
        let job = jimoto_store::work::insert_posting(
            &mut conn,
            cognity,
            &input,
            None,
            PostingStatus::Closed,
        )
        .await
        .expect("job");
        let stage = selection::stages_of(&mut conn, cognity)
            .await
            .expect("stages")[0]
            .id;
        let app = selection::insert_application(
            &mut conn,
            &selection::NewApplication {
                posting: job,
                organisation: cognity,
                region: hagi,
                resident: hanako,
                channel: jimoto_domain::growth::Channel::CityBulletin,
                message: "",
                stage: Some(stage),
            },
        )
        .await
        .expect("application");
        let terms = EngagementInput {
            contract: input.contract,
            pay_kind: PayKind::Hourly,
            rate_yen: 1200,
            hours_per_week: 10,
            start_date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("day"),
            trial_end: None,
            end_date: None,
            terms: Terms {
                work_description: "アンケートのデータ入力".into(),
                order_date: chrono::NaiveDate::from_ymd_opt(2023, 12, 20),
                delivery_date: None,
                delivery_place: "共有フォルダ".into(),
                inspection: false,
                inspection_days: None,
                payment_due_days: Some(30),
                payment_method: Some(PaymentMethod::BankTransfer),
                payment_method_detail: String::new(),
            },
        };
        let parties = engagements::Parties {
            application: None,
            posting: Some(job),
            organisation: cognity,
            region: hagi,
            resident: hanako,
            channel: jimoto_domain::growth::Channel::CityBulletin,
            category: input.category,
        };
        let running = engagements::insert_engagement(&mut conn, parties, &terms, false)
            .await
            .expect("engagement");
        engagements::start_engagement(&mut conn, running)
            .await
            .expect("start");
        let draft = engagements::insert_engagement(&mut conn, parties, &terms, false)
            .await
            .expect("draft engagement");
        (job, app, stage, running, draft)
    }

    /// A program of a region (an IT course, completed at 80% attendance) provided by `partner`,
    /// with one session at 萩・明倫学舎.
    pub async fn program(&self, region: RegionId, partner: OrganisationId) -> ProgramId {
        let input = ProgramInput {
            region_id: region,
            kind: ProgramKind::ItBasicsBeginner,
            audience: Audience::Residents,
            title: "IT基礎講座（初級）".into(),
            description: "Excelとオンライン会議の基本".into(),
            organiser_id: partner,
            partners: vec![Partner {
                organisation_id: partner,
                role: PartnerRole::Provider,
            }],
            capacity: Some(20),
            completion: CompletionRule::Attendance,
            min_attendance_percent: Some(80),
        };
        let mut tx = self.db.begin().await.expect("begin");
        let id = jimoto_store::programs::insert(&mut tx, &input)
            .await
            .expect("program");
        let program = jimoto_store::programs::get(&mut tx, id)
            .await
            .expect("read")
            .expect("program");
        let session = SessionInput {
            date: chrono::NaiveDate::from_ymd_opt(2023, 11, 18).expect("date"),
            starts_at: chrono::NaiveTime::from_hms_opt(13, 30, 0).expect("time"),
            ends_at: chrono::NaiveTime::from_hms_opt(15, 30, 0).expect("time"),
            mode: SessionMode::Venue,
            venue_name: "萩・明倫学舎".into(),
            venue_address: "山口県萩市江向602".into(),
            online_url: String::new(),
        };
        jimoto_store::programs::insert_session(&mut tx, &program, &session)
            .await
            .expect("session");
        tx.commit().await.expect("commit");
        id
    }
}

impl World {
    async fn build(t: &TestDb) -> Self {
        let hagi = t.region("352047").await;
        let shimonoseki = t.region("352012").await;
        let cognity = t
            .organisation(hagi, "コグニティ株式会社", OrgKind::UrbanCompany)
            .await;
        let eukarya = t
            .organisation(shimonoseki, "株式会社ユーカリヤ", OrgKind::UrbanCompany)
            .await;
        let hanako = t
            .resident(
                ResidentSpec::new(hagi, "山田 花子", "ヤマダ ハナコ")
                    .contact("hanako@example.jp", "090-1111-0001")
                    .skills(&[("Excel", 3), ("AIアノテーション", 2)])
                    .styles(&[WorkStyle::SpareTime])
                    .windows(&[TimeWindow::WeekdayMorning])
                    .hours(20)
                    .circumstances(Circumstances {
                        childcare: true,
                        care: false,
                        treatment: false,
                        note: HANAKO_NOTE.into(),
                    }),
            )
            .await;
        let misaki = t
            .resident(
                ResidentSpec::new(hagi, "伊藤 美咲", "イトウ ミサキ")
                    .skills(&[("ウェビナー運営", 3)])
                    .styles(&[WorkStyle::TeleworkEmployment]),
            )
            .await;
        let takeshi = t
            .resident(
                ResidentSpec::new(hagi, "渡辺 剛", "ワタナベ タケシ").skills(&[("Python", 2)]),
            )
            .await;
        let kenichi = t
            .resident(
                ResidentSpec::new(shimonoseki, "中村 健一", "ナカムラ ケンイチ")
                    .skills(&[("GIS", 3), ("Re:Earth", 2)])
                    .styles(&[WorkStyle::TeleworkEmployment]),
            )
            .await;
        let sakura = t
            .resident(
                ResidentSpec::new(shimonoseki, "吉田 サクラ", "ヨシダ サクラ")
                    .skills(&[("GIS", 1)]),
            )
            .await;
        let actors = vec![
            ("admin", t.admin("admin").await),
            ("coord-hagi", t.coordinator("coord-hagi", &[hagi]).await),
            (
                "coord-shimonoseki",
                t.coordinator("coord-shimonoseki", &[shimonoseki]).await,
            ),
            ("city-hagi", t.municipal("city-hagi", hagi).await),
            (
                "city-shimonoseki",
                t.municipal("city-shimonoseki", shimonoseki).await,
            ),
            ("cognity", t.member("cognity", cognity).await),
            ("eukarya", t.member("eukarya", eukarya).await),
            (
                "resident-hagi",
                t.resident_login("resident-hagi", hanako).await,
            ),
            (
                "resident-shimonoseki",
                t.resident_login("resident-shimonoseki", kenichi).await,
            ),
        ];
        let hanako_again = t
            .resident(
                ResidentSpec::new(hagi, "山田 花子", "ヤマダ ハナコ").contact("", "080-2222-0009"),
            )
            .await;
        let hagi_course = t.program(hagi, cognity).await;
        let hagi_session = {
            let mut conn = t.db.conn().await.expect("conn");
            let sessions = jimoto_store::programs::sessions_of(&mut conn, hagi_course)
                .await
                .expect("sessions");
            let p = jimoto_store::programs::get(&mut conn, hagi_course)
                .await
                .expect("program")
                .expect("program");
            jimoto_store::growth::insert_enrolment(
                &mut conn,
                &jimoto_store::growth::NewEnrolment {
                    program: p.id,
                    region: p.region_id,
                    resident: hanako,
                    status: jimoto_domain::growth::EnrolmentStatus::Enrolled,
                    channel: jimoto_domain::growth::Channel::CityBulletin,
                    source: jimoto_domain::growth::EnrolmentSource::Coordinator,
                    consent_version: "",
                    at: chrono::Utc::now(),
                },
            )
            .await
            .expect("enrolment");
            sessions[0].id
        };
        let (cognity_task, cognity_draft) = {
            use jimoto_domain::work::task::{
                Confidentiality, DataForm, Frequency, OnSite, ToolsAccess,
            };
            let mut conn = t.db.conn().await.expect("conn");
            let task = jimoto_store::work::insert_task(
                &mut conn,
                cognity,
                &jimoto_domain::work::TaskInput {
                    title: "アンケートのデータ入力".into(),
                    description: String::new(),
                    frequency: Frequency::Weekly,
                    hours_per_month: 20,
                    done_by: "営業事務".into(),
                    tools: "表計算".into(),
                    tools_access: ToolsAccess::Cloud,
                    data_form: DataForm::Digital,
                    confidentiality: Confidentiality::Internal,
                    on_site: OnSite::Never,
                },
            )
            .await
            .expect("task");
            let stored = jimoto_store::work::task(&mut conn, task)
                .await
                .expect("task")
                .expect("task");
            let draft = jimoto_store::work::insert_posting(
                &mut conn,
                cognity,
                &jimoto_domain::work::task::draft_posting(&stored, hagi),
                None,
                jimoto_domain::work::PostingStatus::Draft,
            )
            .await
            .expect("draft");
            (task, draft)
        };
        let (
            cognity_job,
            hanako_application,
            hanako_stage,
            hanako_engagement,
            hanako_draft_engagement,
        ) = t.hire_fixtures(hagi, cognity, hanako, cognity_task).await;
        Self {
            cognity_job,
            hanako_application,
            hanako_stage,
            hanako_engagement,
            hanako_draft_engagement,
            cognity_task,
            cognity_draft,
            hagi_course,
            hanako_again,
            hagi_session,
            hagi,
            shimonoseki,
            cognity,
            eukarya,
            hanako,
            misaki,
            takeshi,
            kenichi,
            sakura,
            actors,
        }
    }

    /// The actor of a login of the world.
    pub fn actor(&self, login: &str) -> Actor {
        self.actors
            .iter()
            .find(|(l, _)| *l == login)
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| panic!("no login {login} in the world"))
    }
}
