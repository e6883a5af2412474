//! The demo's programs: the FY2023 (Oct 2023 – Feb 2024) schedule of the Yamaguchi report —
//! Hagi's introduction seminar (2 sessions), IT basics beginner (5) and intermediate (12):
//! 19 sessions; Shimonoseki's seminar (1), workshops (3) and results presentation (1): 5; and,
//! for companies, an online seminar and a workation tour in each region, and Shimonoseki's
//! two-day aubeBiz seminar for local companies, residents and schools (57 people, 2–3 February
//! 2024). The report names the venues 萩・明倫学舎 and 萩幼稚園; the times and the other venues
//! are plausible ones made up for the demo.

use chrono::{Duration, NaiveDate, NaiveTime};
use jimoto_domain::growth::{Channel, EnrolInput, EnrolmentSource};
use jimoto_domain::program::{
    Audience, CompletionRule, Partner, PartnerRole, ProgramInput, ProgramKind, SessionInput,
    SessionMode,
};
use jimoto_domain::resident::{
    Circumstances, OfficeVisits, ResidentInput, Skill, TimeWindow, WorkStyle,
};
use jimoto_domain::{Actor, ProgramId, ResidentId, SessionId};
use jimoto_services::Services;

use crate::{DemoError, DemoIds, region_of, step};

/// Where and when a demo session is.
struct Place {
    mode: SessionMode,
    venue: &'static str,
    address: &'static str,
    url: &'static str,
}

const MEIRIN: Place = Place {
    mode: SessionMode::Venue,
    venue: "萩・明倫学舎",
    address: "山口県萩市江向602",
    url: "",
};
const KINDERGARTEN: Place = Place {
    mode: SessionMode::Venue,
    venue: "萩幼稚園",
    address: "山口県萩市",
    url: "",
};
const HOHOKU: Place = Place {
    mode: SessionMode::Venue,
    venue: "豊北地区公民館",
    address: "山口県下関市豊北町",
    url: "",
};
const SHIMONOSEKI_PLAZA: Place = Place {
    mode: SessionMode::Venue,
    venue: "下関市生涯学習プラザ",
    address: "山口県下関市細江町3-1-1",
    url: "",
};
const ONLINE_HAGI: Place = Place {
    mode: SessionMode::Online,
    venue: "",
    address: "",
    url: "https://meet.example.jp/hagi-it",
};
const ONLINE_SEMINAR: Place = Place {
    mode: SessionMode::Online,
    venue: "",
    address: "",
    url: "https://webinar.example.jp/yamaguchi-telework",
};

struct DemoProgram {
    region: &'static str,
    kind: ProgramKind,
    audience: Audience,
    title: &'static str,
    description: &'static str,
    organiser: &'static str,
    partners: &'static [(&'static str, PartnerRole)],
    capacity: Option<i64>,
    completion: CompletionRule,
    share: Option<i64>,
    /// First session's date, the days between sessions, how many.
    first: (i32, u32, u32),
    every_days: i64,
    sessions: usize,
    /// Start and end, hour and minute.
    time: ((u32, u32), (u32, u32)),
    /// The places sessions take turns at.
    places: &'static [&'static Place],
    /// People who signed up (made up where the report gives no unique count).
    people: usize,
    /// Attendances per session, as the report counts them.
    attendance: &'static [usize],
}

const PROGRAMS: &[DemoProgram] = &[
    DemoProgram {
        region: "hagi",
        kind: ProgramKind::IntroSeminar,
        audience: Audience::Residents,
        title: "テレワーク入門セミナー",
        description: "子育てや介護をしながら、萩で働く選択肢を知る2回のセミナー。",
        organiser: "pasona-jobhub",
        partners: &[
            ("hagi-city", PartnerRole::CoHost),
            ("cognity", PartnerRole::Provider),
        ],
        capacity: Some(30),
        completion: CompletionRule::Manual,
        share: None,
        first: (2023, 10, 21),
        every_days: 7,
        sessions: 2,
        time: ((13, 30), (15, 30)),
        places: &[&MEIRIN],
        people: 14,
        attendance: &[10, 7],
    },
    DemoProgram {
        region: "hagi",
        kind: ProgramKind::ItBasicsBeginner,
        audience: Audience::Residents,
        title: "IT基礎講座（初級）",
        description: "パソコン・Excel・オンライン会議の基本。修了するとAIアノテーションのOJTに進めます。",
        organiser: "pasona-jobhub",
        partners: &[
            ("hagi-city", PartnerRole::CoHost),
            ("cognity", PartnerRole::Provider),
        ],
        capacity: Some(20),
        completion: CompletionRule::Attendance,
        share: Some(80),
        first: (2023, 11, 4),
        every_days: 7,
        sessions: 5,
        time: ((10, 0), (12, 0)),
        places: &[&MEIRIN, &KINDERGARTEN],
        people: 7,
        attendance: &[6, 5, 5, 5, 5],
    },
    DemoProgram {
        region: "hagi",
        kind: ProgramKind::ItBasicsIntermediate,
        audience: Audience::Residents,
        title: "IT基礎講座（中級）",
        description: "ウェビナー運営とマーケティングライティングを、実際の業務に近い課題で学びます。",
        organiser: "pasona-jobhub",
        partners: &[
            ("hagi-city", PartnerRole::CoHost),
            ("cognity", PartnerRole::Provider),
        ],
        capacity: Some(15),
        completion: CompletionRule::Attendance,
        share: Some(80),
        first: (2023, 12, 9),
        every_days: 7,
        sessions: 12,
        time: ((10, 0), (12, 0)),
        places: &[&ONLINE_HAGI],
        people: 6,
        attendance: &[6, 6, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5],
    },
    DemoProgram {
        region: "hagi",
        kind: ProgramKind::CompanySeminar,
        audience: Audience::Companies,
        title: "都市部企業向けセミナー（第1回）",
        description: "地方での人材確保・育成やサテライトオフィスに関心のある経営者・人事責任者向けのオンラインセミナー。ワーケーションツアーにつなげます。",
        organiser: "pasona-jobhub",
        partners: &[("hagi-city", PartnerRole::CoHost)],
        capacity: None,
        completion: CompletionRule::Manual,
        share: None,
        first: (2023, 10, 10),
        every_days: 1,
        sessions: 1,
        time: ((12, 0), (13, 30)),
        places: &[&ONLINE_SEMINAR],
        people: 0,
        attendance: &[],
    },
    DemoProgram {
        region: "hagi",
        kind: ProgramKind::WorkationTour,
        audience: Audience::Companies,
        title: "ワーケーションツアー（第1回）テレワーク採用・人材育成",
        description: "萩市・下関市（豊北地域）のキーパーソンとの意見交換、文化体験、住民との交流、テレワーク体験の3日間。ツアー後は実証プロジェクトへの参画やサテライトオフィス設置に向けてフォローアップします。",
        organiser: "pasona-jobhub",
        partners: &[
            ("hagi-city", PartnerRole::CoHost),
            ("jr-west", PartnerRole::Supporter),
        ],
        capacity: Some(12),
        completion: CompletionRule::Manual,
        share: None,
        first: (2023, 11, 16),
        every_days: 1,
        sessions: 3,
        time: ((10, 0), (17, 0)),
        places: &[&MEIRIN],
        people: 0,
        attendance: &[],
    },
    DemoProgram {
        region: "shimonoseki",
        kind: ProgramKind::IntroSeminar,
        audience: Audience::Residents,
        title: "豊北テレワークセミナー",
        description: "GISデータ作成の仕事を知るセミナー。",
        organiser: "pasona-yamaguchi",
        partners: &[
            ("shimonoseki-city", PartnerRole::CoHost),
            ("eukarya", PartnerRole::Provider),
        ],
        capacity: Some(40),
        completion: CompletionRule::Manual,
        share: None,
        first: (2023, 10, 28),
        every_days: 1,
        sessions: 1,
        time: ((13, 30), (15, 30)),
        places: &[&HOHOKU],
        people: 26,
        attendance: &[26],
    },
    DemoProgram {
        region: "shimonoseki",
        kind: ProgramKind::Workshop,
        audience: Audience::Residents,
        title: "Re:Earth GISワークショップ",
        description: "Re:Earthで地図データを作る3回のワークショップ。",
        organiser: "pasona-yamaguchi",
        partners: &[
            ("shimonoseki-city", PartnerRole::CoHost),
            ("eukarya", PartnerRole::Provider),
            ("shimonoseki-cu", PartnerRole::Supporter),
        ],
        capacity: Some(12),
        completion: CompletionRule::Attendance,
        share: Some(100),
        first: (2023, 11, 11),
        every_days: 14,
        sessions: 3,
        time: ((13, 0), (16, 0)),
        places: &[&HOHOKU],
        people: 4,
        attendance: &[4, 3, 3],
    },
    DemoProgram {
        region: "shimonoseki",
        kind: ProgramKind::ResultsPresentation,
        audience: Audience::Residents,
        title: "成果発表会",
        description: "ワークショップで作ったデータと、始まった仕事の発表。",
        organiser: "pasona-yamaguchi",
        partners: &[
            ("shimonoseki-city", PartnerRole::CoHost),
            ("eukarya", PartnerRole::Provider),
        ],
        capacity: None,
        completion: CompletionRule::Manual,
        share: None,
        first: (2024, 2, 17),
        every_days: 1,
        sessions: 1,
        time: ((14, 0), (16, 0)),
        places: &[&HOHOKU],
        people: 9,
        attendance: &[9],
    },
    DemoProgram {
        region: "shimonoseki",
        kind: ProgramKind::LocalSeminar,
        audience: Audience::Companies,
        title: "aubeBizセミナー",
        description: "地域企業・住民・教育機関向けのDXセミナー（2日間）。その後のテレワークプログラムにつなげます。",
        organiser: "pasona-yamaguchi",
        partners: &[("shimonoseki-city", PartnerRole::CoHost)],
        capacity: None,
        completion: CompletionRule::Manual,
        share: None,
        first: (2024, 2, 2),
        every_days: 1,
        sessions: 2,
        time: ((13, 0), (17, 0)),
        places: &[&SHIMONOSEKI_PLAZA],
        people: 0,
        attendance: &[],
    },
    DemoProgram {
        region: "shimonoseki",
        kind: ProgramKind::CompanySeminar,
        audience: Audience::Companies,
        title: "都市部企業向けセミナー（第2回）",
        description: "地方の人材と働く、業務委託の始め方。都市部企業の経営者・人事責任者向けのオンラインセミナー。",
        organiser: "pasona-yamaguchi",
        partners: &[("shimonoseki-city", PartnerRole::CoHost)],
        capacity: None,
        completion: CompletionRule::Manual,
        share: None,
        first: (2023, 11, 7),
        every_days: 1,
        sessions: 1,
        time: ((12, 0), (13, 30)),
        places: &[&ONLINE_SEMINAR],
        people: 0,
        attendance: &[],
    },
    DemoProgram {
        region: "shimonoseki",
        kind: ProgramKind::WorkationTour,
        audience: Audience::Companies,
        title: "ワーケーションツアー（第2回）地域での事業開発",
        description: "角島と豊北の暮らしにふれながら、地域課題と共創のテーマを探す3日間。",
        organiser: "pasona-yamaguchi",
        partners: &[
            ("shimonoseki-city", PartnerRole::CoHost),
            ("nishinagato-resort", PartnerRole::Supporter),
        ],
        capacity: Some(12),
        completion: CompletionRule::Manual,
        share: None,
        first: (2023, 12, 7),
        every_days: 1,
        sessions: 3,
        time: ((10, 0), (17, 0)),
        places: &[&HOHOKU],
        people: 0,
        attendance: &[],
    },
];

/// Creates the programs and their sessions as each region's coordinator.
pub(crate) async fn load(
    services: &Services,
    ids: &mut DemoIds,
    coordinators: &[(&str, Actor)],
) -> Result<(), DemoError> {
    for p in PROGRAMS {
        let coordinator = &coordinators
            .iter()
            .find(|(region, _)| *region == p.region)
            .ok_or(DemoError::Missing(p.region))?
            .1;
        let org = |key: &'static str| ids.org(key).ok_or(DemoError::Missing(key));
        let mut partners = Vec::new();
        for (key, role) in p.partners {
            partners.push(Partner {
                organisation_id: org(key)?,
                role: *role,
            });
        }
        let input = ProgramInput {
            region_id: region_of(ids, p.region),
            kind: p.kind,
            audience: p.audience,
            title: p.title.into(),
            description: p.description.into(),
            organiser_id: org(p.organiser)?,
            partners,
            capacity: p.capacity,
            completion: p.completion,
            min_attendance_percent: p.share,
        };
        let program = services
            .create_program(coordinator, input)
            .await
            .map_err(step("programs"))?;
        let first = add_sessions(services, coordinator, program.id, p).await?;
        ids.programs.push((p.title, program.id));
        ids.first_sessions.push((p.title, first));
        if p.people > 0 {
            let pool = pool(services, coordinator, ids, p.region, p.people).await?;
            attend(services, coordinator, program.id, p, &pool).await?;
        }
    }
    upcoming(services, ids, coordinators).await?;
    crate::events::load(services, ids, coordinators).await
}

/// Made-up people for the sign-ups the report counts without naming anyone: family and given
/// names in turn, each with a phone number of their own (so no two are taken for one person).
const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("田中", "タナカ"),
    ("高橋", "タカハシ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
];
const GIVEN: &[(&str, &str)] = &[
    ("陽子", "ヨウコ"),
    ("誠", "マコト"),
    ("恵", "メグミ"),
    ("大輔", "ダイスケ"),
];

/// What the made-up people learnt in the courses (in turn): the skills the courses teach and
/// the region's companies ask for.
const MADE_SKILLS: &[&[(&str, i64)]] = &[
    &[("PowerPoint", 2), ("Zoom", 1)],
    &[("Zoom", 2), ("Excel", 1)],
    &[("AIアノテーション", 1)],
    &[("文章作成", 2)],
    &[("Excel", 3), ("データ入力", 2)],
    &[("Excel", 2), ("Word", 1)],
    &[("AIアノテーション", 2), ("Excel", 1)],
];

/// When the made-up people can work (in turn).
const MADE_WINDOWS: &[&[TimeWindow]] = &[
    &[TimeWindow::WeekdayMorning],
    &[TimeWindow::WeekdayAfternoon],
    &[TimeWindow::WeekdayMorning, TimeWindow::WeekdayAfternoon],
    &[TimeWindow::WeekdayEvening],
    &[TimeWindow::WeekdayAfternoon, TimeWindow::WeekdayEvening],
];

/// The region's people, enough for `n` sign-ups: the demo's residents of the region first, then
/// made-up ones. The same people sign up again for the next course, as in the report.
pub(crate) async fn pool(
    services: &Services,
    coordinator: &Actor,
    ids: &mut DemoIds,
    region: &'static str,
    n: usize,
) -> Result<Vec<ResidentId>, DemoError> {
    let mut people: Vec<ResidentId> = crate::data::RESIDENTS
        .iter()
        .filter(|r| r.region == region)
        .filter_map(|r| ids.resident(r.key))
        .collect();
    let made_key = if region == "hagi" {
        "made-hagi"
    } else {
        "made-shimonoseki"
    };
    people.extend(
        ids.made
            .iter()
            .filter(|(k, _)| *k == made_key)
            .map(|(_, id)| *id),
    );
    let mut i = people.len();
    while people.len() < n {
        let (f, fk) = FAMILY[i % FAMILY.len()];
        let (g, gk) = GIVEN[(i / FAMILY.len()) % GIVEN.len()];
        let area = if region == "hagi" {
            "0838-22"
        } else {
            "083-786"
        };
        let input = ResidentInput {
            region_id: region_of(ids, region),
            name: format!("{f} {g}"),
            name_kana: format!("{fk} {gk}"),
            email: String::new(),
            phone: format!("{area}-{:04}", 1000 + i),
            circumstances: Circumstances::default(),
            skills: MADE_SKILLS[i % MADE_SKILLS.len()]
                .iter()
                .map(|(name, level)| Skill {
                    name: (*name).into(),
                    level: *level,
                })
                .collect(),
            spare_hours_per_week: [6, 8, 10, 12, 15, 30][i % 6],
            time_windows: MADE_WINDOWS[i % MADE_WINDOWS.len()].to_vec(),
            work_styles: vec![WorkStyle::SpareTime],
            office_visits: OfficeVisits::Never,
            max_travel_minutes: None,
            moved_away_on: None,
        };
        let r = services
            .create_resident(coordinator, input)
            .await
            .map_err(step("sign-ups"))?;
        ids.made.push((made_key, r.id));
        people.push(r.id);
        i += 1;
    }
    people.truncate(n);
    Ok(people)
}

/// The channels people gave, in turn (the report names these).
const CHANNELS: &[Channel] = &[
    Channel::CityBulletin,
    Channel::LocalFm,
    Channel::Nhk,
    Channel::CableTv,
    Channel::Facebook,
    Channel::X,
    Channel::OfficialLine,
    Channel::Newspaper,
    Channel::FlyerJobCentre,
    Channel::FlyerLibrary,
    Channel::FlyerSupermarket,
    Channel::FlyerSchool,
    Channel::Bank,
    Channel::DisasterRadio,
    Channel::Acquaintance,
];

/// Signs the people up two weeks before the first session and ticks each session's attendance
/// so that its count is the report's: session `s` has the first `count` people of the list
/// turned by `s`, which spreads the absences.
async fn attend(
    services: &Services,
    coordinator: &Actor,
    program: ProgramId,
    p: &DemoProgram,
    people: &[ResidentId],
) -> Result<(), DemoError> {
    let first = NaiveDate::from_ymd_opt(p.first.0, p.first.1, p.first.2)
        .ok_or(DemoError::Missing("a session date"))?;
    let signed_up = jimoto_domain::calendar::jst_instant(
        first - Duration::days(14),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
    );
    for (i, r) in people.iter().enumerate() {
        services
            .enrol_at(
                coordinator,
                program,
                EnrolInput {
                    resident_id: *r,
                    channel: CHANNELS[(i + p.title.len()) % CHANNELS.len()],
                },
                signed_up,
                EnrolmentSource::Import,
            )
            .await
            .map_err(step("sign-ups"))?;
    }
    let sessions = services
        .program(coordinator, program)
        .await
        .map_err(step("attendance"))?
        .sessions;
    for (s, (session, count)) in sessions.iter().zip(p.attendance).enumerate() {
        let present: Vec<ResidentId> = (0..*count)
            .map(|j| people[(s + j) % people.len()])
            .collect();
        services
            .set_attendance(coordinator, program, session.id, &present)
            .await
            .map_err(step("attendance"))?;
    }
    Ok(())
}

/// A course open for sign-up now: Hagi's next IT basics course, its five sessions from two
/// weeks after the demo is loaded (so its public page takes sign-ups whenever the demo runs).
async fn upcoming(
    services: &Services,
    ids: &mut DemoIds,
    coordinators: &[(&str, Actor)],
) -> Result<(), DemoError> {
    let coordinator = &coordinators
        .iter()
        .find(|(region, _)| *region == "hagi")
        .ok_or(DemoError::Missing("hagi"))?
        .1;
    let org = |key: &'static str| ids.org(key).ok_or(DemoError::Missing(key));
    let title = "IT基礎講座（初級）次期";
    let program = services
        .create_program(
            coordinator,
            ProgramInput {
                region_id: region_of(ids, "hagi"),
                kind: ProgramKind::ItBasicsBeginner,
                audience: Audience::Residents,
                title: title.into(),
                description:
                    "Excel、オンライン会議、AIアノテーションの基本を5回で学びます。託児あり。"
                        .into(),
                organiser_id: org("pasona-jobhub")?,
                partners: vec![
                    Partner {
                        organisation_id: org("hagi-city")?,
                        role: PartnerRole::CoHost,
                    },
                    Partner {
                        organisation_id: org("cognity")?,
                        role: PartnerRole::Provider,
                    },
                ],
                capacity: Some(12),
                completion: CompletionRule::Attendance,
                min_attendance_percent: Some(80),
            },
        )
        .await
        .map_err(step("programs"))?;
    let start = jimoto_domain::calendar::today_jst() + Duration::days(14);
    for n in 0..5 {
        let session = services
            .add_session(
                coordinator,
                program.id,
                SessionInput {
                    date: start + Duration::days(7 * n),
                    starts_at: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
                    ends_at: NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default(),
                    mode: MEIRIN.mode,
                    venue_name: MEIRIN.venue.into(),
                    venue_address: MEIRIN.address.into(),
                    online_url: String::new(),
                },
            )
            .await
            .map_err(step("programs"))?;
        if n == 0 {
            ids.first_sessions.push((title, session.id));
        }
    }
    ids.programs.push((title, program.id));
    Ok(())
}

async fn add_sessions(
    services: &Services,
    coordinator: &Actor,
    program: ProgramId,
    p: &DemoProgram,
) -> Result<SessionId, DemoError> {
    let first = NaiveDate::from_ymd_opt(p.first.0, p.first.1, p.first.2)
        .ok_or(DemoError::Missing("a session date"))?;
    let mut ids = Vec::new();
    let time = |(h, m): (u32, u32)| {
        NaiveTime::from_hms_opt(h, m, 0).ok_or(DemoError::Missing("a session time"))
    };
    for n in 0..p.sessions {
        let place = p.places[n % p.places.len()];
        let days = p.every_days * i64::try_from(n).unwrap_or(0);
        let input = SessionInput {
            date: first + Duration::days(days),
            starts_at: time(p.time.0)?,
            ends_at: time(p.time.1)?,
            mode: place.mode,
            venue_name: place.venue.into(),
            venue_address: place.address.into(),
            online_url: place.url.into(),
        };
        let session = services
            .add_session(coordinator, program, input)
            .await
            .map_err(step("programs"))?;
        ids.push(session.id);
    }
    ids.first().copied().ok_or(DemoError::Missing("a session"))
}
