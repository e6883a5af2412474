//! Validation failures carry stable codes and parameters, never prose: the web layer
//! translates them into the user's language.

use std::collections::BTreeMap;

use serde::Serialize;

/// One problem with one field (e.g. `name`, `skills[2].level`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field's path in the submitted input.
    pub field: String,
    /// Stable code, e.g. `required`, `too_long`, `lg_code_check_digit`.
    pub code: String,
    /// Parameters for the message, e.g. `max` → `100`.
    pub params: BTreeMap<String, String>,
}

impl FieldError {
    /// A field error without parameters.
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            params: BTreeMap::new(),
        }
    }

    /// Adds a message parameter.
    #[must_use]
    pub fn with(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }
}

/// Every problem found in one input, so the user can fix them all at once.
#[derive(Debug, Clone, PartialEq, Eq, Default, thiserror::Error)]
#[error("validation failed on {} field(s)", .0.len())]
pub struct ValidationFailure(pub Vec<FieldError>);

impl ValidationFailure {
    /// A failure on a single field.
    pub fn single(field: impl Into<String>, code: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, code)])
    }

    /// Ok when nothing was found.
    pub fn into_result(self) -> Result<(), Self> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Converts `validator`'s nested error tree into flat, translatable field errors.
    pub fn from_validator(errors: &validator::ValidationErrors) -> Self {
        let mut out = Vec::new();
        flatten("", errors, &mut out);
        out.sort_by(|a, b| a.field.cmp(&b.field).then(a.code.cmp(&b.code)));
        Self(out)
    }
}

fn flatten(prefix: &str, errors: &validator::ValidationErrors, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind as K;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            K::Field(list) => {
                for e in list {
                    out.push(field_error(&path, e));
                }
            }
            K::Struct(inner) => flatten(&path, inner, out),
            K::List(items) => {
                for (i, inner) in items {
                    flatten(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

/// `validator` reports lengths and ranges with generic codes; ours are specific so that the
/// message can say exactly what is wrong ("required" rather than "length must be ≥ 1").
fn field_error(path: &str, e: &validator::ValidationError) -> FieldError {
    let param = |k: &str| {
        e.params
            .get(k)
            .map(|v| v.to_string().trim_matches('"').to_owned())
    };
    let mut fe = match e.code.as_ref() {
        "length" => {
            let value = e.params.get("value");
            if let Some(items) = value.and_then(|v| v.as_array()) {
                if let Some(min) = param("min").and_then(|m| m.parse::<usize>().ok())
                    && items.len() < min
                {
                    return FieldError::new(path, "too_few")
                        .with("min", min)
                        .with("count", items.len());
                }
                return FieldError::new(path, "too_many")
                    .with("max", param("max").unwrap_or_default())
                    .with("count", items.len());
            }
            let len = value
                .and_then(|v| v.as_str().map(|s| s.chars().count()))
                .unwrap_or(0);
            if len == 0 && param("min").is_some_and(|m| m != "0") {
                FieldError::new(path, "required")
            } else if let Some(max) = param("max").filter(|m| len > m.parse().unwrap_or(usize::MAX))
            {
                FieldError::new(path, "too_long").with("max", max)
            } else {
                FieldError::new(path, "too_short").with("min", param("min").unwrap_or_default())
            }
        }
        "range" => FieldError::new(path, "out_of_range")
            .with("min", param("min").unwrap_or_default())
            .with("max", param("max").unwrap_or_default()),
        other => FieldError::new(path, other.to_owned()),
    };
    for (k, v) in &e.params {
        if k != "value" && !fe.params.contains_key(k.as_ref()) {
            fe.params
                .insert(k.to_string(), v.to_string().trim_matches('"').to_owned());
        }
    }
    fe
}
