//! Accounts' roles and language preference.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{OrganisationId, RegionId, ResidentId, TokenId, UserId};
use crate::text_enum;

/// The interface language. Japanese is the default: most users are residents and municipal staff.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語
    #[default]
    Ja,
    /// English
    En,
}

impl Lang {
    /// BCP 47 tag, also the stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }

    /// Parses a stored value or an `Accept-Language`-style tag (`en-GB` → En); unknown → None.
    pub fn parse(s: &str) -> Option<Self> {
        let primary = s
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "ja" => Some(Self::Ja),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

text_enum!(
    /// What kind of account a user has. The scope (which regions, which organisation, which
    /// resident record) lives beside it in [`crate::Principal`].
    Role {
        /// Runs the platform; sees everything but residents' sensitive circumstances.
        Admin = "admin",
        /// 中間支援団体: works with residents and companies of one or more regions.
        Coordinator = "coordinator",
        /// 自治体職員: one region's municipal staff.
        Municipal = "municipal",
        /// A member of one organisation (company, school…).
        CompanyMember = "company_member",
        /// A resident teleworker: their own record only.
        Resident = "resident",
    }
);

/// Login names: 3–64 characters of ASCII letters, digits, `.`, `_`, `-`, `@`.
pub fn validate_login(s: &str) -> Result<(), validator::ValidationError> {
    let (min, max) = crate::limits::LOGIN_LEN;
    let ok = (min..=max).contains(&(s.len() as u64))
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || crate::limits::LOGIN_PUNCTUATION.contains(c));
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("login_format"))
    }
}

/// Minimum password length; long passphrases are welcome, so only a generous maximum applies.
pub const MIN_PASSWORD_CHARS: usize = crate::limits::PASSWORD_LEN.0 as usize;

/// An account as administrators list and edit it. The password hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Account {
    /// Id.
    pub id: UserId,
    /// Login name.
    pub login: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Regions of a coordinator or municipal staff.
    pub regions: Vec<RegionId>,
    /// Organisation of a company member.
    pub organisation_id: Option<OrganisationId>,
    /// Record of a resident.
    pub resident_id: Option<ResidentId>,
    /// Interface language.
    pub lang: Lang,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A personal access token as listed to its owner (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    /// Id.
    pub id: TokenId,
    /// Owner's label.
    pub name: String,
    /// First characters, to recognise it.
    pub prefix: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used.
    pub last_used_at: Option<DateTime<Utc>>,
}
