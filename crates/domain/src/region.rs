//! Regions: one municipality's local-telework program, identified by its local government code.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::ids::RegionId;
use crate::lg_code::validate_lg_code;

/// The 47 prefectures by JIS X 0401 code (01–47): Japanese and English names.
pub const PREFECTURES: [(&str, &str, &str); 47] = [
    ("01", "北海道", "Hokkaido"),
    ("02", "青森県", "Aomori"),
    ("03", "岩手県", "Iwate"),
    ("04", "宮城県", "Miyagi"),
    ("05", "秋田県", "Akita"),
    ("06", "山形県", "Yamagata"),
    ("07", "福島県", "Fukushima"),
    ("08", "茨城県", "Ibaraki"),
    ("09", "栃木県", "Tochigi"),
    ("10", "群馬県", "Gunma"),
    ("11", "埼玉県", "Saitama"),
    ("12", "千葉県", "Chiba"),
    ("13", "東京都", "Tokyo"),
    ("14", "神奈川県", "Kanagawa"),
    ("15", "新潟県", "Niigata"),
    ("16", "富山県", "Toyama"),
    ("17", "石川県", "Ishikawa"),
    ("18", "福井県", "Fukui"),
    ("19", "山梨県", "Yamanashi"),
    ("20", "長野県", "Nagano"),
    ("21", "岐阜県", "Gifu"),
    ("22", "静岡県", "Shizuoka"),
    ("23", "愛知県", "Aichi"),
    ("24", "三重県", "Mie"),
    ("25", "滋賀県", "Shiga"),
    ("26", "京都府", "Kyoto"),
    ("27", "大阪府", "Osaka"),
    ("28", "兵庫県", "Hyogo"),
    ("29", "奈良県", "Nara"),
    ("30", "和歌山県", "Wakayama"),
    ("31", "鳥取県", "Tottori"),
    ("32", "島根県", "Shimane"),
    ("33", "岡山県", "Okayama"),
    ("34", "広島県", "Hiroshima"),
    ("35", "山口県", "Yamaguchi"),
    ("36", "徳島県", "Tokushima"),
    ("37", "香川県", "Kagawa"),
    ("38", "愛媛県", "Ehime"),
    ("39", "高知県", "Kochi"),
    ("40", "福岡県", "Fukuoka"),
    ("41", "佐賀県", "Saga"),
    ("42", "長崎県", "Nagasaki"),
    ("43", "熊本県", "Kumamoto"),
    ("44", "大分県", "Oita"),
    ("45", "宮崎県", "Miyazaki"),
    ("46", "鹿児島県", "Kagoshima"),
    ("47", "沖縄県", "Okinawa"),
];

/// A prefecture's name by its two-digit code, in Japanese or English.
pub fn prefecture_name(code: &str, english: bool) -> Option<&'static str> {
    PREFECTURES
        .iter()
        .find(|p| p.0 == code)
        .map(|p| if english { p.2 } else { p.1 })
}

/// For `validator`: a two-digit prefecture code.
pub fn validate_prefecture(code: &str) -> Result<(), validator::ValidationError> {
    if prefecture_name(code, false).is_some() {
        Ok(())
    } else {
        Err(validator::ValidationError::new("prefecture"))
    }
}

/// A stored region. Its prefecture is derived from the code, never typed, so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Region {
    /// Id.
    pub id: RegionId,
    /// Local government code, 6 digits.
    pub lg_code: String,
    /// Municipality name, e.g. 萩市.
    pub name: String,
    /// Reading in katakana, e.g. ハギシ.
    pub name_kana: String,
    /// Prefecture code (first two digits of the local government code).
    pub prefecture: String,
    /// Policy issues the program addresses (人口減少, 雇用創出…).
    pub policy_issues: Vec<String>,
    /// The municipality's vision statement.
    pub vision: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a user submits to create or change a region. The name, reading and prefecture are not
/// typed: they come from the national list ([`crate::municipality`]) for the code.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema,
)]
pub struct RegionInput {
    /// Local government code with its check digit; must be on the national list.
    #[validate(custom(function = "validate_region_code"))]
    pub lg_code: String,
    /// Policy issues, one per entry.
    #[validate(length(max = crate::limits::ISSUES_MAX), custom(function = "validate_issue_list"))]
    #[serde(default)]
    pub policy_issues: Vec<String>,
    /// Vision statement.
    #[validate(length(max = crate::limits::VISION_MAX))]
    #[serde(default)]
    pub vision: String,
}

/// A code with a valid check digit that is on the national list.
fn validate_region_code(code: &str) -> Result<(), validator::ValidationError> {
    validate_lg_code(code)?;
    crate::municipality::validate_listed(code)
}

/// Filters for the region list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionFilter {
    /// Text in the name, reading or code (any kana or width).
    pub q: Option<String>,
    /// Prefecture code.
    pub prefecture: Option<String>,
}

fn validate_issue_list(items: &[String]) -> Result<(), validator::ValidationError> {
    let max = crate::limits::ISSUE_MAX;
    if items.iter().any(|s| s.chars().count() as u64 > max) {
        let mut e = validator::ValidationError::new("item_too_long");
        e.add_param("max".into(), &max);
        return Err(e);
    }
    Ok(())
}

impl RegionInput {
    /// Trims text and drops empty policy issues, so "   " counts as empty.
    pub fn normalised(mut self) -> Self {
        self.lg_code = self.lg_code.trim().to_owned();
        self.vision = self.vision.trim().to_owned();
        self.policy_issues = self
            .policy_issues
            .into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        self
    }
}

/// A region's id, name and prefecture code: enough to label a record or fill a picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RegionRef {
    /// Id.
    pub id: RegionId,
    /// Name, e.g. 萩市.
    pub name: String,
    /// Prefecture code (35).
    pub prefecture: String,
}
