//! Accounts' roles and language preference.

use serde::{Deserialize, Serialize};

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

/// What kind of account a user has. The scope (which regions, which organisation, which
/// resident record) lives beside it in [`crate::Principal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the platform; sees everything but residents' sensitive circumstances.
    Admin,
    /// 中間支援団体: works with residents and companies of one or more regions.
    Coordinator,
    /// 自治体職員: one region's municipal staff.
    Municipal,
    /// A member of one organisation (company, school…).
    CompanyMember,
    /// A resident teleworker: their own record only.
    Resident,
}

impl Role {
    /// All roles, for forms and test matrices.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Coordinator,
        Role::Municipal,
        Role::CompanyMember,
        Role::Resident,
    ];

    /// Stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Coordinator => "coordinator",
            Self::Municipal => "municipal",
            Self::CompanyMember => "company_member",
            Self::Resident => "resident",
        }
    }

    /// Parses a stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Login names: 3–64 characters of ASCII letters, digits, `.`, `_`, `-`, `@`.
pub fn validate_login(s: &str) -> Result<(), validator::ValidationError> {
    let ok = (3..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("login_format"))
    }
}

/// Minimum password length; long passphrases are welcome, so only a generous maximum applies.
pub const MIN_PASSWORD_CHARS: usize = 10;
