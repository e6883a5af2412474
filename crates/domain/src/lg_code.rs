//! The local government code (全国地方公共団体コード): five digits and a check digit.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A verified 6-digit local government code, e.g. `352047` for 萩市.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LgCode(String);

/// Why a string is not a local government code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LgCodeError {
    /// Not exactly six ASCII digits.
    #[error("a local government code has six digits")]
    Format,
    /// The sixth digit does not match the first five.
    #[error("the check digit does not match")]
    CheckDigit,
}

impl LgCodeError {
    /// Stable error code for translation.
    pub fn code(self) -> &'static str {
        match self {
            Self::Format => "lg_code_format",
            Self::CheckDigit => "lg_code_check_digit",
        }
    }
}

impl LgCode {
    /// Parses and verifies a code. Full-width digits (０-９), common in Japanese input, are accepted.
    pub fn parse(s: &str) -> Result<Self, LgCodeError> {
        let digits: Vec<u32> = s
            .trim()
            .chars()
            .map(|c| match c {
                '0'..='9' => Some(c as u32 - '0' as u32),
                '０'..='９' => Some(c as u32 - '０' as u32),
                _ => None,
            })
            .collect::<Option<_>>()
            .ok_or(LgCodeError::Format)?;
        if digits.len() != 6 {
            return Err(LgCodeError::Format);
        }
        if check_digit(&digits[..5]) != digits[5] {
            return Err(LgCodeError::CheckDigit);
        }
        Ok(Self(
            digits
                .iter()
                .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
                .collect(),
        ))
    }

    /// The prefecture's two-digit code (35 = 山口県).
    pub fn prefecture_code(&self) -> &str {
        &self.0[..2]
    }

    /// The code as six ASCII digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 総務省's rule: weights 6,5,4,3,2; check digit = last digit of (11 − sum mod 11).
fn check_digit(first5: &[u32]) -> u32 {
    let sum: u32 = first5.iter().zip([6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
    (11 - sum % 11) % 10
}

impl fmt::Display for LgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for LgCode {
    type Error = LgCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<LgCode> for String {
    fn from(c: LgCode) -> String {
        c.0
    }
}

/// For `validator`'s `custom` attribute.
pub fn validate_lg_code(s: &str) -> Result<(), validator::ValidationError> {
    LgCode::parse(s)
        .map(|_| ())
        .map_err(|e| validator::ValidationError::new(e.code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_codes_verify() {
        for code in [
            "352047", "352012", "130001", "011002", "011011", "152021", "012084",
        ] {
            assert_eq!(
                LgCode::parse(code).map(|c| c.to_string()),
                Ok(code.to_owned()),
                "{code}"
            );
        }
    }

    #[test]
    fn wrong_check_digit_and_format_are_refused() {
        assert_eq!(LgCode::parse("352048"), Err(LgCodeError::CheckDigit));
        assert_eq!(LgCode::parse("35204"), Err(LgCodeError::Format));
        assert_eq!(LgCode::parse("35204a"), Err(LgCodeError::Format));
        assert_eq!(LgCode::parse(""), Err(LgCodeError::Format));
    }

    #[test]
    fn full_width_digits_are_normalised() {
        assert_eq!(LgCode::parse("３５２０４７").unwrap().as_str(), "352047");
        assert_eq!(LgCode::parse("352047").unwrap().prefecture_code(), "35");
    }
}
