//! Reading request bodies with a size limit, politely.
//!
//! Answering "413 too large" while the client is still uploading makes the server close the
//! connection, and the client (a browser, or an API client) then reports a reset connection
//! instead of our translated message. So an oversized body is read to its end and discarded
//! — up to [`DRAIN_MAX`] — before answering.

use axum::body::Body;
use axum::extract::Request;
use http_body_util::BodyExt;

/// Beyond this many bytes an oversized upload is cut off instead of drained.
pub(crate) const DRAIN_MAX: usize = 16 * 1024 * 1024;

/// Why a body could not be buffered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// Larger than the limit.
    TooLarge,
    /// The connection failed while reading.
    Read,
}

/// The same request with its body read into memory, if the body is at most `limit` bytes.
pub(crate) async fn buffered(req: Request, limit: usize) -> Result<Request, BodyError> {
    let (parts, bytes) = read(req, limit).await?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The request's head and its body's bytes, if the body is at most `limit` bytes.
pub(crate) async fn read(
    req: Request,
    limit: usize,
) -> Result<(axum::http::request::Parts, Vec<u8>), BodyError> {
    let (parts, mut body) = req.into_parts();
    let mut buf = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Read)?;
        if let Ok(data) = frame.into_data() {
            total = total.saturating_add(data.len());
            if total <= limit {
                buf.extend_from_slice(&data);
            } else if total > DRAIN_MAX {
                return Err(BodyError::TooLarge);
            }
        }
    }
    if total > limit {
        return Err(BodyError::TooLarge);
    }
    Ok((parts, buf))
}
