//! The storage conventions, each one type that encodes and decodes itself. sqlx's `Any` driver
//! carries only integers, floats, text and bytes, so:
//!
//! - times are BIGINT milliseconds since the Unix epoch, UTC ([`Millis`]);
//! - flags are BIGINT 0 or 1 ([`Flag`]);
//! - enumerations are their stable text code ([`Code`]);
//! - lists and other structured values are JSON in TEXT ([`Json`]): one encoding for every list.
//!
//! A stored value that cannot be read back is an error (the column and the value are named),
//! never silently 1970, `false` or a default.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

/// Implements `Type<Any>` by the type a value is stored as.
macro_rules! stored_as {
    ($t:ty, $as:ty $(, $generic:ident : $bound:path)?) => {
        impl$(<$generic: $bound>)? Type<Any> for $t {
            fn type_info() -> AnyTypeInfo {
                <$as as Type<Any>>::type_info()
            }
            fn compatible(ty: &AnyTypeInfo) -> bool {
                <$as as Type<Any>>::compatible(ty)
            }
        }
    };
}

/// A moment, stored as milliseconds since the epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Millis(pub DateTime<Utc>);

impl Millis {
    /// Now.
    pub fn now() -> Self {
        Self(Utc::now())
    }

    /// The stored integer.
    pub fn ms(self) -> i64 {
        self.0.timestamp_millis()
    }

    /// A stored integer read back; out of range is corrupt.
    pub fn from_ms(ms: i64) -> crate::Result<Self> {
        DateTime::from_timestamp_millis(ms)
            .map(Self)
            .ok_or_else(|| crate::StoreError::Corrupt(format!("time out of range: {ms} ms")))
    }
}

stored_as!(Millis, i64);

impl<'q> Encode<'q, Any> for Millis {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<'q, Any>>::encode(self.ms(), buf)
    }
}

impl<'r> Decode<'r, Any> for Millis {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let ms = <i64 as Decode<Any>>::decode(value)?;
        DateTime::from_timestamp_millis(ms)
            .map(Self)
            .ok_or_else(|| format!("time out of range: {ms} ms").into())
    }
}

/// A yes/no flag, stored as 0 or 1; any other number is corrupt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag(pub bool);

stored_as!(Flag, i64);

impl<'q> Encode<'q, Any> for Flag {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<'q, Any>>::encode(i64::from(self.0), buf)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        match <i64 as Decode<Any>>::decode(value)? {
            0 => Ok(Self(false)),
            1 => Ok(Self(true)),
            n => Err(format!("flag is {n}, not 0 or 1").into()),
        }
    }
}

/// An enumeration stored by its stable text code.
pub trait TextCode: Sized + Copy + Send + Sync + 'static {
    /// The code, e.g. `urban_company`.
    fn code(self) -> &'static str;
    /// The value for a code; None when unknown.
    fn from_code(code: &str) -> Option<Self>;
}

macro_rules! text_codes {
    ($($t:ty),* $(,)?) => {$(
        impl TextCode for $t {
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == code)
            }
        }
    )*};
}

text_codes!(
    jimoto_domain::Role,
    jimoto_domain::organisation::OrgKind,
    jimoto_domain::resident::OfficeVisits,
    jimoto_domain::audit::AuditEntity,
    jimoto_domain::audit::AuditOp,
    jimoto_domain::program::ProgramKind,
    jimoto_domain::program::Audience,
    jimoto_domain::program::CompletionRule,
    jimoto_domain::program::PartnerRole,
    jimoto_domain::program::SessionMode,
    jimoto_domain::contact::ContactKind,
    jimoto_domain::growth::Stage,
    jimoto_domain::growth::StageCause,
    jimoto_domain::growth::Channel,
    jimoto_domain::growth::EnrolmentStatus,
    jimoto_domain::growth::EnrolmentSource,
    jimoto_domain::event::FollowUpStatus,
    jimoto_domain::work::task::Frequency,
    jimoto_domain::work::task::ToolsAccess,
    jimoto_domain::work::task::DataForm,
    jimoto_domain::work::task::Confidentiality,
    jimoto_domain::work::task::OnSite,
    jimoto_domain::work::Category,
    jimoto_domain::work::JobLevel,
    jimoto_domain::work::ContractKind,
    jimoto_domain::work::PayKind,
    jimoto_domain::work::WorkPlace,
    jimoto_domain::work::PostingStatus,
    jimoto_domain::work::ApplicationStatus,
    jimoto_domain::work::DefaultStage,
    jimoto_domain::work::EngagementStatus,
    jimoto_domain::work::EndReason,
    jimoto_domain::work::engagement::PaymentMethod,
    jimoto_domain::work::PeriodStatus,
    jimoto_domain::work::ThresholdKind,
    jimoto_domain::kpi::Kpi,
    jimoto_domain::project::ProjectStatus,
);

impl TextCode for jimoto_domain::Lang {
    fn code(self) -> &'static str {
        self.as_str()
    }
    fn from_code(code: &str) -> Option<Self> {
        [Self::Ja, Self::En]
            .into_iter()
            .find(|l| l.as_str() == code)
    }
}

/// An enumeration value stored as its code; an unknown code is corrupt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code<T>(pub T);

stored_as!(Code<T>, String, T: TextCode);

impl<'q, T: TextCode> Encode<'q, Any> for Code<T> {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <&str as Encode<'q, Any>>::encode(self.0.code(), buf)
    }
}

impl<'r, T: TextCode> Decode<'r, Any> for Code<T> {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <String as Decode<Any>>::decode(value)?;
        T::from_code(&s)
            .map(Self)
            .ok_or_else(|| format!("unknown code {s:?} for {}", std::any::type_name::<T>()).into())
    }
}

/// A list or another structured value, stored as JSON text; text that does not parse as `T` is
/// corrupt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json<T>(pub T);

stored_as!(Json<T>, String, T: Serialize);

impl<'q, T: Serialize> Encode<'q, Any> for Json<T> {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        let text = serde_json::to_string(&self.0)?;
        <String as Encode<'q, Any>>::encode(text, buf)
    }
}

impl<'r, T: Serialize + DeserializeOwned> Decode<'r, Any> for Json<T> {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <String as Decode<Any>>::decode(value)?;
        serde_json::from_str(&s)
            .map(Self)
            .map_err(|e| format!("not the JSON expected ({e}): {s:.60}").into())
    }
}

/// A calendar day, stored as `YYYY-MM-DD` text (so it sorts and compares as text on both
/// engines); text that is not such a day is corrupt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(pub chrono::NaiveDate);

stored_as!(Day, String);

impl Day {
    /// The stored text.
    pub fn text(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
}

impl<'q> Encode<'q, Any> for Day {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, Any>>::encode(self.text(), buf)
    }
}

impl<'r> Decode<'r, Any> for Day {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <String as Decode<Any>>::decode(value)?;
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Self)
            .map_err(|e| format!("not a day ({e}): {s:.20}").into())
    }
}
