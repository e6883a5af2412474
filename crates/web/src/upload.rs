//! File uploads: a `multipart/form-data` page form (one file and its text fields, the CSRF token
//! among them) and a raw API body, both read under the upload limit — a setting of its own,
//! larger than a form's — and refused with the translated 413 beyond it.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use futures_util::stream;

use crate::AppState;
use crate::error::AppError;
use crate::form::FormData;

/// An uploaded file with the form's other fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct Upload {
    /// The text fields.
    pub fields: FormData,
    /// The file's name as the browser gave it (its last path segment).
    pub file_name: String,
    /// Its bytes (empty when no file was chosen).
    pub bytes: Vec<u8>,
}

fn unreadable(detail: impl Into<String>) -> AppError {
    AppError::Unreadable {
        code: "invalid_form",
        detail: detail.into(),
    }
}

async fn read_body(
    req: Request,
    state: &AppState,
) -> Result<(axum::http::request::Parts, Vec<u8>), AppError> {
    match crate::body::read(req, state.settings.upload_limit_bytes).await {
        Ok(read) => Ok(read),
        Err(crate::body::BodyError::TooLarge) => Err(AppError::TooLarge),
        Err(crate::body::BodyError::Read) => Err(unreadable("unreadable body")),
    }
}

impl FromRequest<AppState> for Upload {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let boundary = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| multer::parse_boundary(v).ok())
            .ok_or_else(|| unreadable("expected multipart/form-data"))?;
        let (_, body) = read_body(req, state).await?;
        let chunks = stream::iter([Ok::<_, std::convert::Infallible>(bytes::Bytes::from(body))]);
        let mut parts = multer::Multipart::new(chunks, boundary);
        let mut out = Self::default();
        while let Some(field) = parts
            .next_field()
            .await
            .map_err(|e| unreadable(e.to_string()))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) if out.bytes.is_empty() => {
                    out.file_name = file_name
                        .rsplit(['/', '\\'])
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    out.bytes = field
                        .bytes()
                        .await
                        .map_err(|e| unreadable(e.to_string()))?
                        .to_vec();
                }
                Some(_) => return Err(unreadable("one file at a time")),
                None => {
                    let text = field.text().await.map_err(|e| unreadable(e.to_string()))?;
                    out.fields.0.push((name, text));
                }
            }
        }
        Ok(out)
    }
}

/// A raw request body under the upload limit (the API's file uploads).
#[derive(Debug, Clone, Default)]
pub(crate) struct RawUpload(pub Vec<u8>);

impl FromRequest<AppState> for RawUpload {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(read_body(req, state).await?.1))
    }
}
