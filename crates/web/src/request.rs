//! What a request says about itself before anyone is signed in: its cookies, its language and
//! its client address. Every other module may use these; they use nothing of the web crate but
//! the translator's language type.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use jimoto_domain::{Actor, Lang};

pub(crate) const SESSION_COOKIE: &str = "jimoto_session";
pub(crate) const CSRF_COOKIE: &str = "jimoto_csrf";
pub(crate) const LANG_COOKIE: &str = "jimoto_lang";

/// The value of a request cookie.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when configured.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: Option<u64>,
    secure: bool,
) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The language for a request: the user's saved choice, else the language cookie, else
/// `Accept-Language`, else Japanese.
pub(crate) fn request_lang(headers: &HeaderMap, actor: Option<&Actor>) -> Lang {
    if let Some(a) = actor {
        return a.lang;
    }
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(Lang::parse) {
        return l;
    }
    accept_language(headers).unwrap_or_default()
}

/// The first supported language of `Accept-Language`, if any.
pub(crate) fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
        })
}

/// The client's address, for login throttling.
pub(crate) fn client_ip(parts: &Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    {
        return ip.to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// Percent-encodes text for a query parameter.
pub(crate) fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .map(|e| e[2..].to_owned())
        .unwrap_or_default()
}

/// Only paths of this site are followed after login or a language switch (no open
/// redirects): a single leading `/`, nothing a browser would strip or turn into another host
/// (control characters, spaces, backslashes: `/\t/evil.example` is `//evil.example` to a
/// browser), and a valid URI. Anything else goes home.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    same_site_path(next).unwrap_or_else(|| "/home".to_owned())
}

fn same_site_path(next: Option<&str>) -> Option<String> {
    let n = next?;
    let rest = n.strip_prefix('/')?;
    if rest.starts_with('/')
        || n.chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let uri: axum::http::Uri = n.parse().ok()?;
    (uri.scheme().is_none() && uri.authority().is_none()).then(|| n.to_owned())
}
