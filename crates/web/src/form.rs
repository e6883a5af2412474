//! HTML form bodies, read as name/value pairs so that repeated checkboxes work and a wrong
//! type ("abc" in a number field) becomes a message naming the field, not a bare 400.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use jimoto_domain::FieldError;

use crate::error::AppError;

/// A submitted `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormData(pub Vec<(String, String)>);

/// Bodies that cannot be read (too large, not a form) are refused with the translated error
/// page, not a bare English rejection.
impl FromRequest<crate::AppState> for FormData {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        let unreadable = |detail: String| AppError::Unreadable {
            code: "invalid_form",
            detail,
        };
        let req = match crate::body::buffered(req, state.settings.body_limit_bytes).await {
            Ok(req) => req,
            Err(crate::body::BodyError::TooLarge) => return Err(AppError::TooLarge),
            Err(crate::body::BodyError::Read) => return Err(unreadable("unreadable body".into())),
        };
        match axum::Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(axum::Form(pairs)) => Ok(Self(pairs)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::TooLarge)
            }
            Err(rejection) => Err(unreadable(rejection.body_text())),
        }
    }
}

impl FormData {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name` (checkbox groups).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && !v.is_empty())
    }

    /// An integer; blank → `default`; not a number → a `number` error on the field.
    pub fn int(&self, name: &str, default: i64, errors: &mut Vec<FieldError>) -> i64 {
        self.opt_int(name, errors).unwrap_or(default)
    }

    /// An optional integer; blank → None; not a number → a `number` error.
    pub fn opt_int(&self, name: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
        let raw = normalise_digits(self.get(name).trim());
        if raw.is_empty() {
            return None;
        }
        match raw.parse() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.push(FieldError::new(name, "number"));
                None
            }
        }
    }

    /// An enum from a `<select>`; unknown values become an `invalid_choice` error.
    pub fn choice<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
        errors: &mut Vec<FieldError>,
    ) -> Option<T> {
        let v = parse(self.get(name));
        if v.is_none() {
            errors.push(FieldError::new(name, "invalid_choice"));
        }
        v
    }

    /// Every checked value of a checkbox group that parses; others become errors.
    pub fn choices<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Option<T>,
        errors: &mut Vec<FieldError>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for v in self.all(name) {
            match parse(v) {
                Some(x) => out.push(x),
                None => errors.push(FieldError::new(name, "invalid_choice")),
            }
        }
        out
    }
}

/// Full-width digits (１２) are common in Japanese input; accept them.
fn normalise_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'ー' | '－' => '-',
            c => c,
        })
        .collect()
}

/// The end of every form post: on success, redirect to the saved record; on validation
/// problems, show the form again (422) with what was typed and every problem; any other refusal
/// goes to the error page. Nothing was written in the last two cases (one transaction per use
/// case).
pub(crate) async fn finish<T, P, Fut>(
    tr: crate::i18n::Tr,
    result: Result<T, jimoto_services::ServiceError>,
    location: impl FnOnce(&T) -> String,
    form_again: P,
) -> Result<axum::response::Response, AppError>
where
    P: FnOnce(crate::layout::FormErrors) -> Fut,
    Fut: std::future::Future<Output = Result<axum::response::Response, AppError>>,
{
    use axum::response::IntoResponse;
    match result {
        Ok(saved) => Ok(axum::response::Redirect::to(&location(&saved)).into_response()),
        Err(jimoto_services::ServiceError::Validation(v)) => {
            let page = form_again(crate::layout::FormErrors::from(tr, &v.0)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Title key and form action for a new (`id` None) or existing record under `base_path`.
pub(crate) fn target(id: Option<i64>, base_path: &str, prefix: &str) -> (String, String) {
    match id {
        None => (format!("{prefix}-new"), base_path.to_owned()),
        Some(id) => (format!("{prefix}-edit"), format!("{base_path}/{id}")),
    }
}
