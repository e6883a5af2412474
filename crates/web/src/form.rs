//! HTML form bodies, read as name/value pairs so that repeated checkboxes work and a wrong
//! type ("abc" in a number field) becomes a message naming the field, not a bare 400.

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use chrono::NaiveDate;
use jimoto_domain::FieldError;

use crate::error::AppError;

/// A submitted `application/x-www-form-urlencoded` body.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormData(pub Vec<(String, String)>);

/// Bodies that cannot be read (too large, not a form, not UTF-8) are refused with the
/// translated error page, not a bare English rejection; nothing is stored with U+FFFD in place
/// of what was sent.
impl FromRequest<crate::AppState> for FormData {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        let unreadable = |detail: &str| AppError::Unreadable {
            code: "invalid_form",
            detail: detail.to_owned(),
        };
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !is_form {
            return Err(unreadable("expected application/x-www-form-urlencoded"));
        }
        let (_, body) = match crate::body::read(req, state.settings.body_limit_bytes).await {
            Ok(read) => read,
            Err(crate::body::BodyError::TooLarge) => return Err(AppError::TooLarge),
            Err(crate::body::BodyError::Read) => return Err(unreadable("unreadable body")),
        };
        parse_form(&body)
            .map(Self)
            .ok_or_else(|| unreadable("not valid UTF-8 after decoding"))
    }
}

/// Name/value pairs of a URL-encoded body; None when a name or value is not UTF-8 once its
/// `%XX` escapes are decoded.
pub(crate) fn parse_form(body: &[u8]) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let mut it = pair.splitn(2, |b| *b == b'=');
        let name = decode(it.next().unwrap_or_default())?;
        let value = decode(it.next().unwrap_or_default())?;
        out.push((name, value));
    }
    Some(out)
}

fn decode(raw: &[u8]) -> Option<String> {
    let hex = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => bytes.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(h), Some(l)) => {
                    bytes.push(h * 16 + l);
                    i += 2;
                }
                _ => bytes.push(b'%'),
            },
            b => bytes.push(b),
        }
        i += 1;
    }
    String::from_utf8(bytes).ok()
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

    /// A required integer (an id chosen in a `<select>`): blank → a `required` error, not a
    /// number → a `number` error.
    pub fn req_int(&self, name: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
        let before = errors.len();
        let v = self.opt_int(name, errors);
        if v.is_none() && errors.len() == before {
            errors.push(FieldError::new(name, "required"));
        }
        v
    }

    /// An optional day from a date control (`YYYY-MM-DD`); blank → None; anything else → a
    /// `date` error.
    pub fn opt_date(&self, name: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
        let raw = normalise_digits(self.get(name).trim());
        if raw.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new(name, "date"));
                None
            }
        }
    }

    /// A required day: blank → a `required` error, not a day → a `date` error.
    pub fn req_date(&self, name: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
        let before = errors.len();
        let v = self.opt_date(name, errors);
        if v.is_none() && errors.len() == before {
            errors.push(FieldError::new(name, "required"));
        }
        v
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
pub(crate) fn normalise_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'ー' | '－' => '-',
            c => c,
        })
        .collect()
}

/// The end of every form post: on success, redirect to the saved record with the `notice`
/// (e.g. `notice-saved`) shown at its top; on validation
/// problems, show the form again (422) with what was typed and every problem; any other refusal
/// goes to the error page. Nothing was written in the last two cases (one transaction per use
/// case).
pub(crate) async fn finish<T, P, Fut>(
    ctx: &crate::session::Ctx,
    state: &crate::AppState,
    notice: &str,
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
        Ok(saved) => ctx.done(state, &location(&saved), notice).await,
        Err(jimoto_services::ServiceError::Validation(v)) => {
            let page = form_again(crate::layout::FormErrors::from(ctx.tr, &v.0)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Problems of a list's items named by the form's own rows: item `n` of the input (`list[n]…`)
/// is row `origin[n]` of the form, since rows left blank or repeated are not in the input.
pub(crate) fn rows_on_form(
    errors: Vec<FieldError>,
    list: &str,
    origin: &[usize],
) -> Vec<FieldError> {
    let prefix = format!("{list}[");
    errors
        .into_iter()
        .map(|e| {
            let renumbered = e.field.strip_prefix(&prefix).and_then(|r| {
                let (n, rest) = r.split_once(']')?;
                let n = n.parse::<usize>().ok()?;
                Some(format!(
                    "{prefix}{}]{rest}",
                    origin.get(n).copied().unwrap_or(n)
                ))
            });
            FieldError {
                field: renumbered.unwrap_or(e.field.clone()),
                ..e
            }
        })
        .collect()
}

/// [`rows_on_form`] for what the services refused.
pub(crate) fn on_form_rows(
    e: jimoto_services::ServiceError,
    list: &str,
    origin: &[usize],
) -> jimoto_services::ServiceError {
    match e {
        jimoto_services::ServiceError::Validation(v) => jimoto_services::ServiceError::Validation(
            jimoto_domain::ValidationFailure(rows_on_form(v.0, list, origin)),
        ),
        e => e,
    }
}

/// Adds the problems of fields no problem names yet (one message per field: what could not be
/// read comes first and stays).
pub(crate) fn add_unnamed(
    errors: &mut Vec<FieldError>,
    more: impl IntoIterator<Item = FieldError>,
) {
    for f in more {
        if !errors.iter().any(|x| x.field == f.field) {
            errors.push(f);
        }
    }
}

/// Every problem of a form at once: what could not be read (a number, a choice) and what the
/// input's own validation finds in the rest, so that a second submit does not reveal a new one.
/// `best_effort` holds what was read, with stand-ins where reading failed; an empty prefecture
/// is left to the services (it means "the region's") and not reported here.
pub(crate) fn every_problem<T: jimoto_domain::RegionScopedInput + Clone>(
    mut errors: Vec<FieldError>,
    best_effort: T,
) -> Result<T, jimoto_domain::ValidationFailure> {
    add_unnamed(
        &mut errors,
        best_effort
            .problems()
            .into_iter()
            .filter(|f| f.field != "hq_prefecture"),
    );
    if errors.is_empty() {
        Ok(best_effort)
    } else {
        Err(jimoto_domain::ValidationFailure(errors))
    }
}

/// Title key and form action for a new (`id` None) or existing record under `base_path`.
pub(crate) fn target(id: Option<i64>, base_path: &str, prefix: &str) -> (String, String) {
    match id {
        None => (format!("{prefix}-new"), base_path.to_owned()),
        Some(id) => (format!("{prefix}-edit"), format!("{base_path}/{id}")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_form;

    #[test]
    fn forms_decode_like_browsers_send_them() {
        assert_eq!(
            parse_form(
                b"name=%E5%B1%B1%E7%94%B0+%E8%8A%B1%E5%AD%90&x=&skill=Excel&skill=GIS&a%26b=50%25"
            ),
            Some(vec![
                ("name".into(), "山田 花子".into()),
                ("x".into(), String::new()),
                ("skill".into(), "Excel".into()),
                ("skill".into(), "GIS".into()),
                ("a&b".into(), "50%".into()),
            ])
        );
        // A stray percent sign is kept as typed.
        assert_eq!(
            parse_form(b"q=100%"),
            Some(vec![("q".into(), "100%".into())])
        );
        assert_eq!(parse_form(b"q=%zz"), Some(vec![("q".into(), "%zz".into())]));
    }

    #[test]
    fn bodies_that_are_not_utf8_are_refused() {
        // Shift_JIS for 山田, and a raw Latin-1 byte.
        assert_eq!(parse_form(b"name=%8ER%93c"), None);
        assert_eq!(parse_form(b"name=caf\xe9"), None);
        assert_eq!(parse_form(b"%FF=x"), None);
    }
}
