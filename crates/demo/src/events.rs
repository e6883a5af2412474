//! The demo's company events, as the Yamaguchi report describes them: two online seminars for
//! urban companies (51 and 96 people), Shimonoseki's aubeBiz seminar (57), and two workation tours (8 companies / 9 people and
//! 9 companies / 11 people), each company with the report's purpose for joining and how it will
//! stay involved, and a follow-up action for each. The report names no one: the companies'
//! names and every person's name are made up (their businesses, purposes and involvement are the
//! report's). A few voices from the Hagi IT course are made up too.

use chrono::NaiveDate;
use jimoto_domain::event::{
    EventOrganisationInput, FollowUpInput, FollowUpStatus, ParticipantInput, VoiceInput,
};
use jimoto_domain::organisation::{OrgKind, OrganisationInput};
use jimoto_domain::{Actor, OrganisationId, ProgramId};
use jimoto_services::Services;

use crate::{DemoError, DemoIds, region_of, step};

/// One company on a tour: made-up name, the report's business, purpose and involvement, and
/// how many people it sent.
struct TourCompany {
    name: &'static str,
    kana: &'static str,
    business: &'static str,
    purpose: &'static str,
    involvement: &'static str,
    people: usize,
    follow_up: &'static str,
    status: FollowUpStatus,
}

const TOUR_1: &[TourCompany] = &[
    TourCompany {
        name: "株式会社ふるいえラボ",
        kana: "フルイエラボ",
        business: "古民家・空き家活用関連事業",
        purpose: "遊休資産活用の知見",
        involvement: "空き家活用などの事業、空き家活用ノウハウ提供",
        people: 1,
        follow_up: "空き家の候補物件を市と一緒に案内する",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "越境ラーニング株式会社",
        kana: "エッキョウラーニング",
        business: "人材育成・越境学習等の教育研修事業",
        purpose: "人材育成の場",
        involvement: "人材育成・組織の実証フィールドとして活用、自治体との共同サービス検討",
        people: 1,
        follow_up: "市と共同サービスの打合せを設定する",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社リモートブリッジ",
        kana: "リモートブリッジ",
        business: "リモート人材育成支援、BPO事業",
        purpose: "テレワーク人材採用、雇用",
        involvement: "テレワーク人材の採用、自治体と連携した地域企業のリモートワーク導入・促進支援",
        people: 1,
        follow_up: "IT基礎講座の修了者を紹介する",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "一般社団法人まちつなぎ協会",
        kana: "マチツナギキョウカイ",
        business: "協会運営・コミュニティ運営事業",
        purpose: "コミュニティづくり",
        involvement: "地域コミュニティ形成支援、まちづくりに関わる市担当者へのノウハウ提供",
        people: 1,
        follow_up: "市担当者向け勉強会の日程を決める",
        status: FollowUpStatus::InProgress,
    },
    TourCompany {
        name: "株式会社リーガルクラウド",
        kana: "リーガルクラウド",
        business: "SaaS系リーガルテック事業",
        purpose: "テレワーク人材採用、雇用",
        involvement: "人材確保、サテライトオフィス設置、チームビルディングやテレワーク実施場所としての検討",
        people: 2,
        follow_up: "サテライトオフィス候補地の資料を送る",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社ローカルステイ",
        kana: "ローカルステイ",
        business: "宿泊施設・流通・地方創生事業",
        purpose: "地域課題プロジェクトの実証実験のさらなる知見やネットワーク構築",
        involvement: "地域のローカルパートナーとのつながり、ノウハウ提供",
        people: 1,
        follow_up: "地元の宿泊事業者との面談を調整する",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社HRデザイン",
        kana: "エイチアールデザイン",
        business: "人事コンサルティング、事業企画支援事業",
        purpose: "移住・定住支援策の視察及び連携",
        involvement: "地域と連携した事業開発",
        people: 1,
        follow_up: "移住定住の担当課につなぐ",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社ウェブエージェント",
        kana: "ウェブエージェント",
        business: "WEB開発・広告代理店事業",
        purpose: "IT企業誘致の実例の視察及び新規支社の検討",
        involvement: "サテライトオフィス進出に向けた検討",
        people: 1,
        follow_up: "進出支援制度の説明資料を送る",
        status: FollowUpStatus::Open,
    },
];

const TOUR_2: &[TourCompany] = &[
    TourCompany {
        name: "株式会社いじゅうクリエイト",
        kana: "イジュウクリエイト",
        business: "WEB制作・移住促進関連事業",
        purpose: "プロモーション、ブランディングに関する知見",
        involvement: "テレワーク人材の採用、まちづくりに関わる市担当者へのノウハウ提供",
        people: 1,
        follow_up: "市のプロモーション担当との打合せを設定する",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社クラウドテック",
        kana: "クラウドテック",
        business: "SaaS系テック事業",
        purpose: "テレワーク人材採用、雇用",
        involvement: "テレワーク人材の採用、自治体と連携した地域企業のリモートワーク導入",
        people: 2,
        follow_up: "ワークショップ修了者の面談を組む",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社かおりの森",
        kana: "カオリノモリ",
        business: "フレグランス製品の販売、プロデュース事業",
        purpose: "地域の風土や伝統と融合した事業開発",
        involvement: "地域と連携した事業開発",
        people: 1,
        follow_up: "地元素材の生産者を紹介する",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社サーキュラーメディア",
        kana: "サーキュラーメディア",
        business: "サステナビリティ・サーキュラーエコノミー・教育に関するメディア事業",
        purpose: "メディアとしての視点、知見",
        involvement: "メディア視点から地域の魅力やポテンシャルの発見、記事制作",
        people: 1,
        follow_up: "取材先の候補をまとめて送る",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社みんぱくプロデュース",
        kana: "ミンパクプロデュース",
        business: "民泊・観光&民泊プロデュース事業",
        purpose: "地域商社の立ち上げに関する知見",
        involvement: "空き家の活用、地域と共創した事業開発",
        people: 1,
        follow_up: "宿事業プロジェクトの第1回会議を開く",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社セカンドホーム",
        kana: "セカンドホーム",
        business: "別荘サブスク事業",
        purpose: "地域での事業展開の知見",
        involvement: "地域のローカルパートナーとのつながり、ノウハウ提供",
        people: 1,
        follow_up: "豊北の空き物件の情報を共有する",
        status: FollowUpStatus::InProgress,
    },
    TourCompany {
        name: "株式会社たべものブランド",
        kana: "タベモノブランド",
        business: "食・農に関わるブランディング事業",
        purpose: "地域課題をブランドに昇華する知見",
        involvement: "特産品のブランディング、商品開発",
        people: 1,
        follow_up: "特産品の生産者との試作会を設定する",
        status: FollowUpStatus::Done,
    },
    TourCompany {
        name: "株式会社ケアテック",
        kana: "ケアテック",
        business: "障がい者向け福祉機器の企画・開発・設計・販売事業",
        purpose: "テレワーク人材採用、雇用",
        involvement: "テレワーク人材の採用、サテライトオフィス設立",
        people: 2,
        follow_up: "採用説明会の会場を押さえる",
        status: FollowUpStatus::Open,
    },
    TourCompany {
        name: "株式会社ワークフロー",
        kana: "ワークフロー",
        business: "クラウド業務基盤システム開発事業",
        purpose: "テレワーク人材採用、雇用",
        involvement: "テレワーク人材の採用、サテライトオフィス設立",
        people: 1,
        follow_up: "求人票の作成を手伝う",
        status: FollowUpStatus::Done,
    },
];

/// Made-up names for the companies' people.
const FAMILY: &[&str] = &[
    "青木", "石川", "上田", "遠藤", "大野", "岡田", "小川", "加藤", "川口", "菊地", "工藤", "小林",
];
const GIVEN: &[&str] = &["彩", "健太", "直子", "翔", "美紀", "亮", "由美", "拓也"];
const ROLES: &[&str] = &[
    "代表取締役",
    "人事部長",
    "経営企画",
    "事業開発",
    "取締役",
    "採用担当",
];
/// Made-up urban companies for the seminars' attendees (named as they gave it).
/// Made-up local businesses and schools at the aubeBiz seminar.
const LOCAL_COMPANIES: &[&str] = &[
    "有限会社豊北水産",
    "株式会社関門ロジテック",
    "下関商工会議所 会員企業",
    "株式会社角島観光",
    "有限会社ふくの里",
    "下関市立大学",
    "株式会社海峡デザイン",
    "豊北町農業協同組合",
    "住民テレワーカー（個人）",
];

const SEMINAR_COMPANIES: &[&str] = &[
    "株式会社ネクストワーク",
    "株式会社シティブリッジ",
    "東京デジタル株式会社",
    "株式会社みらい人材",
    "株式会社オフィスリンク",
    "株式会社データフォレスト",
    "株式会社ソーシャルデザイン",
    "株式会社エイトコネクト",
    "株式会社グローカル",
    "株式会社スマートバンク",
    "株式会社トラストHR",
    "株式会社ワンチーム",
];

fn person(i: usize) -> String {
    format!(
        "{} {}",
        FAMILY[i % FAMILY.len()],
        GIVEN[(i / FAMILY.len()) % GIVEN.len()]
    )
}

fn program_id(ids: &DemoIds, title: &str) -> Option<ProgramId> {
    ids.programs
        .iter()
        .find(|(t, _)| *t == title)
        .map(|(_, id)| *id)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The seminars' attendees, the tours' companies with their people and follow-ups, and voices.
pub(crate) async fn load(
    services: &Services,
    ids: &mut DemoIds,
    coordinators: &[(&str, Actor)],
) -> Result<(), DemoError> {
    let coordinator = |region: &str| {
        coordinators
            .iter()
            .find(|(k, _)| *k == region)
            .map(|(_, a)| a)
            .ok_or(DemoError::Service {
                step: "events",
                source: jimoto_services::ServiceError::NotFound,
            })
    };
    let mut n = 0;
    for (region, title, people, companies) in [
        (
            "hagi",
            "都市部企業向けセミナー（第1回）",
            51,
            SEMINAR_COMPANIES,
        ),
        (
            "shimonoseki",
            "都市部企業向けセミナー（第2回）",
            96,
            SEMINAR_COMPANIES,
        ),
        ("shimonoseki", "aubeBizセミナー", 57, LOCAL_COMPANIES),
    ] {
        let a = coordinator(region)?;
        let Some(p) = program_id(ids, title) else {
            continue;
        };
        for _ in 0..people {
            services
                .add_participant(
                    a,
                    p,
                    ParticipantInput {
                        organisation_id: None,
                        organisation_name: companies[n % companies.len()].into(),
                        name: person(n),
                        role: ROLES[n % ROLES.len()].into(),
                    },
                )
                .await
                .map_err(step("events"))?;
            n += 1;
        }
    }
    for (region, title, companies, due) in [
        (
            "hagi",
            "ワーケーションツアー（第1回）テレワーク採用・人材育成",
            TOUR_1,
            date(2023, 12, 15),
        ),
        (
            "shimonoseki",
            "ワーケーションツアー（第2回）地域での事業開発",
            TOUR_2,
            date(2024, 1, 19),
        ),
    ] {
        let a = coordinator(region)?;
        let Some(p) = program_id(ids, title) else {
            continue;
        };
        for c in companies {
            let org = tour_company(services, a, ids, region, c).await?;
            tour_entry(services, a, p, org, c, due, &mut n).await?;
        }
    }
    voices(services, ids, coordinator("hagi")?).await
}

async fn tour_company(
    services: &Services,
    a: &Actor,
    ids: &mut DemoIds,
    region: &'static str,
    c: &TourCompany,
) -> Result<OrganisationId, DemoError> {
    let org = services
        .create_organisation(
            a,
            OrganisationInput {
                region_id: region_of(ids, region),
                name: c.name.into(),
                name_kana: c.kana.into(),
                kind: OrgKind::UrbanCompany,
                industry: c.business.into(),
                hq_prefecture: "13".into(),
                telework_share_percent: None,
            },
        )
        .await
        .map_err(step("events"))?;
    ids.organisations.push((c.name, org.id));
    Ok(org.id)
}

async fn tour_entry(
    services: &Services,
    a: &Actor,
    p: ProgramId,
    org: OrganisationId,
    c: &TourCompany,
    due: NaiveDate,
    n: &mut usize,
) -> Result<(), DemoError> {
    services
        .set_event_organisation(
            a,
            p,
            EventOrganisationInput {
                organisation_id: org,
                purpose: c.purpose.into(),
                involvement: c.involvement.into(),
            },
        )
        .await
        .map_err(step("events"))?;
    for _ in 0..c.people {
        services
            .add_participant(
                a,
                p,
                ParticipantInput {
                    organisation_id: Some(org),
                    organisation_name: String::new(),
                    name: person(*n),
                    role: ROLES[*n % ROLES.len()].into(),
                },
            )
            .await
            .map_err(step("events"))?;
        *n += 1;
    }
    services
        .add_follow_up(
            a,
            p,
            FollowUpInput {
                organisation_id: Some(org),
                action: c.follow_up.into(),
                owner_user_id: a.user_id,
                due,
                status: c.status,
            },
        )
        .await
        .map_err(step("events"))?;
    Ok(())
}

/// Made-up voices from the Hagi IT course (beginner): two that may be quoted, one not.
async fn voices(services: &Services, ids: &DemoIds, a: &Actor) -> Result<(), DemoError> {
    let Some((title, session)) = ids
        .first_sessions
        .iter()
        .find(|(t, _)| t.contains("初級") && !t.contains("次期"))
    else {
        return Ok(());
    };
    let Some(p) = ids
        .programs
        .iter()
        .find(|(t, _)| t == title)
        .map(|(_, id)| *id)
    else {
        return Ok(());
    };
    for (body, may_quote, attribution) in [
        (
            "子どもが幼稚園にいる間に受けられて助かりました。Excelの関数が初めて分かりました。",
            true,
            "30代・子育て中",
        ),
        (
            "自宅で仕事ができるイメージがわきました。次の中級講座にも申し込みます。",
            true,
            "40代",
        ),
        (
            "オンラインの回は音声が聞き取りにくいときがありました。",
            false,
            "",
        ),
    ] {
        services
            .add_voice(
                a,
                p,
                VoiceInput {
                    session_id: *session,
                    resident_id: None,
                    body: body.into(),
                    may_quote,
                    attribution: attribution.into(),
                },
            )
            .await
            .map_err(step("events"))?;
    }
    Ok(())
}
