//! Organisations: municipalities, urban and local companies, schools and coordinator bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::ids::{OrganisationId, RegionId};
use crate::region::validate_prefecture;
use crate::text_enum;

text_enum!(
    /// What kind of organisation; it decides the organisation's part in the program.
    OrgKind {
        /// 自治体
        Municipality = "municipality",
        /// 都市部企業
        UrbanCompany = "urban_company",
        /// 地域企業
        LocalCompany = "local_company",
        /// 大学・高専・高校
        School = "school",
        /// 中間支援団体
        CoordinatorBody = "coordinator_body",
    }
);

/// A stored organisation, registered under the region whose program it takes part in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Organisation {
    /// Id.
    pub id: OrganisationId,
    /// Region it is registered under.
    pub region_id: RegionId,
    /// Name.
    pub name: String,
    /// Reading in katakana.
    pub name_kana: String,
    /// Kind.
    pub kind: OrgKind,
    /// Industry, free text (e.g. 情報通信業).
    pub industry: String,
    /// Prefecture code of the headquarters.
    pub hq_prefecture: String,
    /// Share of staff who telework, in percent, if known.
    pub telework_share_percent: Option<i64>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What a user submits to create or change an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct OrganisationInput {
    /// Region it is registered under.
    pub region_id: RegionId,
    /// Name.
    #[validate(length(min = 1, max = crate::limits::NAME_MAX))]
    pub name: String,
    /// Reading in katakana (optional).
    #[validate(length(max = crate::limits::KANA_MAX), custom(function = "crate::resident::validate_kana"))]
    #[serde(default)]
    pub name_kana: String,
    /// Kind.
    pub kind: OrgKind,
    /// Industry.
    #[validate(length(max = crate::limits::INDUSTRY_MAX))]
    #[serde(default)]
    pub industry: String,
    /// Prefecture of its head office (01–47); empty or absent: the prefecture of its region
    /// (a local company, the municipality itself).
    #[validate(custom(function = "validate_prefecture"))]
    #[serde(default)]
    pub hq_prefecture: String,
    /// Telework share in percent.
    #[validate(range(min = crate::limits::PERCENT.0, max = crate::limits::PERCENT.1))]
    #[serde(default)]
    pub telework_share_percent: Option<i64>,
}

impl crate::RegionScopedInput for OrganisationInput {
    fn region_id(&self) -> RegionId {
        self.region_id
    }

    /// Trims text fields.
    fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_owned();
        // Readings arrive in hiragana or half-width katakana as often as in katakana.
        self.name_kana = crate::text::to_katakana(self.name_kana.trim());
        self.industry = self.industry.trim().to_owned();
        self.hq_prefecture = self.hq_prefecture.trim().to_owned();
        self
    }
}

/// Filters for the organisation list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgFilter {
    /// Text in the name, reading or industry (any kana or width).
    pub q: Option<String>,
    /// Kind.
    pub kind: Option<OrgKind>,
    /// Region.
    pub region: Option<RegionId>,
}

/// An organisation's id, name and region: enough to label a record or fill a picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrganisationRef {
    /// Id.
    pub id: OrganisationId,
    /// Name.
    pub name: String,
    /// Region it is registered under.
    pub region_id: RegionId,
}
