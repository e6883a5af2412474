//! Field limits, written once: the `#[validate]` attributes of the inputs use these constants,
//! and the JSON API's schema is given the same numbers and patterns ([`SCHEMA_LIMITS`]), so a
//! request that fits the published schema is not refused for a length, a range or a character
//! the schema did not mention.

/// Names of people and organisations (characters).
pub const NAME_MAX: u64 = 100;
/// Readings (characters).
pub const KANA_MAX: u64 = 200;
/// E-mail addresses (characters).
pub const EMAIL_MAX: u64 = 254;
/// Phone numbers (characters).
pub const PHONE_MAX: u64 = 30;
/// Notes on a resident's circumstances (characters).
pub const NOTE_MAX: u64 = 2000;
/// A skill's name (characters).
pub const SKILL_NAME_MAX: u64 = 60;
/// Skills per resident.
pub const SKILLS_MAX: u64 = 30;
/// A skill's level.
pub const LEVEL: (i64, i64) = (1, 5);
/// Spare hours a week.
pub const HOURS: (i64, i64) = (0, 80);
/// Longest trip to an office, minutes.
pub const TRAVEL_MINUTES: (i64, i64) = (0, 600);
/// An organisation's industry (characters).
pub const INDUSTRY_MAX: u64 = 100;
/// Share of telework, percent.
pub const PERCENT: (i64, i64) = (0, 100);
/// A region's vision statement (characters).
pub const VISION_MAX: u64 = 4000;
/// Policy issues per region.
pub const ISSUES_MAX: u64 = 20;
/// One policy issue (characters).
pub const ISSUE_MAX: u64 = 100;
/// Login IDs: length, and the characters besides ASCII letters and digits.
pub const LOGIN_LEN: (u64, u64) = (3, 64);
/// Punctuation allowed in a login ID.
pub const LOGIN_PUNCTUATION: &str = "._-@";
/// Passwords (characters).
pub const PASSWORD_LEN: (u64, u64) = (10, 1024);
/// Display names of accounts (characters).
pub const DISPLAY_NAME_MAX: u64 = 100;
/// Titles of programs (characters).
pub const TITLE_MAX: u64 = 200;
/// Descriptions (characters).
pub const DESCRIPTION_MAX: u64 = 4000;
/// Partner organisations per program.
pub const PARTNERS_MAX: u64 = 20;
/// Places in a program.
pub const CAPACITY: (i64, i64) = (1, 100_000);
/// The share of sessions that completes a program, percent.
pub const PERCENT_MIN_ATTENDANCE: (i64, i64) = (1, 100);
/// Addresses (characters).
pub const ADDRESS_MAX: u64 = 200;
/// Links (characters).
pub const URL_MAX: u64 = 500;
/// Hours a month a task takes.
pub const TASK_HOURS: (i64, i64) = (1, 400);
/// Pay in yen: an hourly rate or a monthly fee (0 on a draft: not set yet).
pub const PAY_YEN: (i64, i64) = (0, 10_000_000);
/// Hours a week of a posting or contract.
pub const WEEK_HOURS: (i64, i64) = (1, 40);
/// Working days a month.
pub const MONTH_DAYS: (i64, i64) = (1, 31);
/// Places of a posting.
pub const PLACES: (i64, i64) = (1, 1000);
/// Months of a trial period.
pub const TRIAL_MONTHS: (i64, i64) = (1, 12);
/// Months a posting's work lasts.
pub const DURATION_MONTHS: (i64, i64) = (1, 60);
/// Office visits a month.
pub const OFFICE_VISITS: (i64, i64) = (0, 31);
/// Skills a posting asks for.
pub const POSTING_SKILLS_MAX: u64 = 15;
/// Minutes worked on one day.
pub const DAY_MINUTES: (i64, i64) = (0, 24 * 60);
/// Days after delivery (or the end of a pay period) that a date is set by.
pub const TERM_DAYS: (i64, i64) = (0, 365);
/// A rating given at a selection stage.
pub const RATING: (i64, i64) = (1, 5);
/// Criteria of a rubric.
pub const CRITERIA_MAX: u64 = 30;
/// Levels of a criterion.
pub const CRITERION_LEVELS: (u64, u64) = (2, 10);

/// The characters a reading may be typed in: hiragana, katakana (full- and half-width), the
/// long-vowel mark, middle dots and spaces. Each becomes full-width katakana when stored
/// ([`crate::text::to_katakana`]).
pub const KANA_INPUT: &[(char, char)] = &[
    ('\u{3041}', '\u{3096}'), // ぁ…ゖ
    ('\u{309D}', '\u{309F}'), // ゝゞゟ
    ('\u{30A0}', '\u{30FF}'), // ゠ァ…ヿ (with ・ and ー)
    ('\u{31F0}', '\u{31FF}'), // ㇰ…ㇿ
    ('\u{FF65}', '\u{FF9D}'), // ･ｦ…ﾝ
    ('\u{FF9E}', '\u{FF9F}'), // ﾞﾟ
    (' ', ' '),
    ('\u{3000}', '\u{3000}'), // full-width space
];

/// Whether a character may be typed in a reading ([`KANA_INPUT`]).
pub fn is_kana_input(c: char) -> bool {
    KANA_INPUT.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

/// The JSON Schema pattern of a reading, from [`KANA_INPUT`].
pub fn kana_pattern() -> String {
    let mut p = String::from("^[");
    for (lo, hi) in KANA_INPUT {
        if lo == hi {
            p.push_str(&escape(*lo));
        } else {
            p.push_str(&format!("{}-{}", escape(*lo), escape(*hi)));
        }
    }
    p.push_str("]*$");
    p
}

/// The JSON Schema pattern of a login ID, from [`LOGIN_LEN`] and [`LOGIN_PUNCTUATION`].
pub fn login_pattern() -> String {
    let punct: String = LOGIN_PUNCTUATION.chars().map(escape).collect();
    format!("^[A-Za-z0-9{punct}]{{{},{}}}$", LOGIN_LEN.0, LOGIN_LEN.1)
}

fn escape(c: char) -> String {
    match c {
        '-' | ']' | '\\' | '^' => format!("\\{c}"),
        ' ' => " ".to_owned(),
        c if c.is_ascii() => c.to_string(),
        c => format!("\\u{:04X}", u32::from(c)),
    }
}

/// A limit on one field of an input.
#[derive(Debug, Clone)]
pub enum Limit {
    /// Text length in characters.
    Length {
        /// At least.
        min: u64,
        /// At most.
        max: u64,
    },
    /// An integer range.
    Range {
        /// At least.
        min: i64,
        /// At most.
        max: i64,
    },
    /// At most this many entries, each at most `item_max` characters (0: no item limit).
    Items {
        /// Entries.
        max: u64,
        /// Characters per entry.
        item_max: u64,
    },
    /// Text matching a pattern.
    Pattern(fn() -> String),
}

/// The limits of one schema of the API, by field.
#[derive(Debug, Clone)]
pub struct SchemaLimits {
    /// The schema's name in the OpenAPI document (the type's name).
    pub schema: &'static str,
    /// (field, limit); a field may have several.
    pub fields: &'static [(&'static str, Limit)],
}

/// Every input's limits, for the OpenAPI document.
pub const SCHEMA_LIMITS: &[SchemaLimits] = &[
    SchemaLimits {
        schema: "ResidentInput",
        fields: &[
            (
                "name",
                Limit::Length {
                    min: 1,
                    max: NAME_MAX,
                },
            ),
            (
                "name_kana",
                Limit::Length {
                    min: 1,
                    max: KANA_MAX,
                },
            ),
            ("name_kana", Limit::Pattern(kana_pattern)),
            (
                "email",
                Limit::Length {
                    min: 0,
                    max: EMAIL_MAX,
                },
            ),
            (
                "phone",
                Limit::Length {
                    min: 0,
                    max: PHONE_MAX,
                },
            ),
            (
                "skills",
                Limit::Items {
                    max: SKILLS_MAX,
                    item_max: 0,
                },
            ),
            (
                "spare_hours_per_week",
                Limit::Range {
                    min: HOURS.0,
                    max: HOURS.1,
                },
            ),
            (
                "max_travel_minutes",
                Limit::Range {
                    min: TRAVEL_MINUTES.0,
                    max: TRAVEL_MINUTES.1,
                },
            ),
        ],
    },
    SchemaLimits {
        schema: "Circumstances",
        fields: &[(
            "note",
            Limit::Length {
                min: 0,
                max: NOTE_MAX,
            },
        )],
    },
    SchemaLimits {
        schema: "Skill",
        fields: &[
            (
                "name",
                Limit::Length {
                    min: 1,
                    max: SKILL_NAME_MAX,
                },
            ),
            (
                "level",
                Limit::Range {
                    min: LEVEL.0,
                    max: LEVEL.1,
                },
            ),
        ],
    },
    SchemaLimits {
        schema: "OrganisationInput",
        fields: &[
            (
                "name",
                Limit::Length {
                    min: 1,
                    max: NAME_MAX,
                },
            ),
            (
                "name_kana",
                Limit::Length {
                    min: 0,
                    max: KANA_MAX,
                },
            ),
            ("name_kana", Limit::Pattern(kana_pattern)),
            (
                "industry",
                Limit::Length {
                    min: 0,
                    max: INDUSTRY_MAX,
                },
            ),
            (
                "telework_share_percent",
                Limit::Range {
                    min: PERCENT.0,
                    max: PERCENT.1,
                },
            ),
        ],
    },
    SchemaLimits {
        schema: "RegionInput",
        fields: &[
            (
                "policy_issues",
                Limit::Items {
                    max: ISSUES_MAX,
                    item_max: ISSUE_MAX,
                },
            ),
            (
                "vision",
                Limit::Length {
                    min: 0,
                    max: VISION_MAX,
                },
            ),
        ],
    },
    SchemaLimits {
        schema: "NewAccountInput",
        fields: &[
            ("login", Limit::Pattern(login_pattern)),
            (
                "display_name",
                Limit::Length {
                    min: 1,
                    max: DISPLAY_NAME_MAX,
                },
            ),
            (
                "password",
                Limit::Length {
                    min: PASSWORD_LEN.0,
                    max: PASSWORD_LEN.1,
                },
            ),
        ],
    },
    SchemaLimits {
        schema: "ProgramInput",
        fields: &[
            (
                "title",
                Limit::Length {
                    min: 1,
                    max: TITLE_MAX,
                },
            ),
            (
                "description",
                Limit::Length {
                    min: 0,
                    max: DESCRIPTION_MAX,
                },
            ),
            (
                "partners",
                Limit::Items {
                    max: PARTNERS_MAX,
                    item_max: 0,
                },
            ),
            (
                "capacity",
                Limit::Range {
                    min: CAPACITY.0,
                    max: CAPACITY.1,
                },
            ),
            (
                "min_attendance_percent",
                Limit::Range {
                    min: PERCENT_MIN_ATTENDANCE.0,
                    max: PERCENT_MIN_ATTENDANCE.1,
                },
            ),
        ],
    },
    SchemaLimits {
        schema: "SessionInput",
        fields: &[
            (
                "venue_name",
                Limit::Length {
                    min: 0,
                    max: NAME_MAX,
                },
            ),
            (
                "venue_address",
                Limit::Length {
                    min: 0,
                    max: ADDRESS_MAX,
                },
            ),
            (
                "online_url",
                Limit::Length {
                    min: 0,
                    max: URL_MAX,
                },
            ),
        ],
    },
    SchemaLimits {
        schema: "ContactInput",
        fields: &[(
            "note",
            Limit::Length {
                min: 0,
                max: NOTE_MAX,
            },
        )],
    },
    SchemaLimits {
        schema: "AccountChange",
        fields: &[(
            "display_name",
            Limit::Length {
                min: 1,
                max: DISPLAY_NAME_MAX,
            },
        )],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character the schema lets a reading contain is stored as a valid reading, and
    /// what it refuses is refused by validation too.
    #[test]
    fn the_kana_pattern_and_the_validation_agree() {
        for (lo, hi) in KANA_INPUT {
            for c in *lo..=*hi {
                let stored = crate::text::to_katakana(&format!("ア{c}"));
                assert!(
                    crate::resident::validate_kana(&stored).is_ok(),
                    "{c:?} (U+{:04X}) is allowed by the schema but refused once stored as {stored:?}",
                    u32::from(c)
                );
            }
        }
        for c in ['山', 'a', '1', '-', '。'] {
            assert!(!is_kana_input(c));
            assert!(
                crate::resident::validate_kana(&crate::text::to_katakana(&c.to_string())).is_err()
            );
        }
        assert_eq!(
            kana_pattern(),
            "^[\\u3041-\\u3096\\u309D-\\u309F\\u30A0-\\u30FF\\u31F0-\\u31FF\\uFF65-\\uFF9D\\uFF9E-\\uFF9F \\u3000]*$"
        );
    }

    #[test]
    fn the_login_pattern_is_the_validation_rule() {
        assert_eq!(login_pattern(), "^[A-Za-z0-9._\\-@]{3,64}$");
        for (login, ok) in [
            ("ab", false),
            ("abc", true),
            ("a.b_c-d@e", true),
            ("山田", false),
            ("a b", false),
        ] {
            assert_eq!(crate::user::validate_login(login).is_ok(), ok, "{login}");
        }
    }
}
