//! The static site: the files of one directory (the demo page, the repository's `site/`), never
//! a dot-file or a dot-directory inside it (`.git`, `.devnet`, `.env`, ...).

use std::path::PathBuf;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::ServeDir;

/// Serve `dir` (`/` is its `index.html`); 404 for paths outside it or with a hidden segment.
pub(crate) fn router(dir: PathBuf) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir))
        .layer(middleware::from_fn(refuse_hidden))
}

async fn refuse_hidden(req: Request, next: Next) -> Response {
    if has_hidden_segment(req.uri().path()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    next.run(req).await
}

/// Whether a request path has a segment that starts with a dot once percent-decoded, as
/// `ServeDir` decodes it (so `/%2egit/config` and `/a%2F.env` count): hidden files, and `.`
/// and `..`.
fn has_hidden_segment(path: &str) -> bool {
    percent_decode(path.as_bytes())
        .split(|&b| b == b'/')
        .any(|segment| segment.first() == Some(&b'.'))
}

/// `%XX` escapes replaced by their byte; a `%` not followed by two hex digits stays as it is.
fn percent_decode(raw: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            if let (Some(h), Some(l)) = (
                raw.get(i + 1).and_then(|&b| hex(b)),
                raw.get(i + 2).and_then(|&b| hex(b)),
            ) {
                // Two hex digits: at most 0xff.
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::has_hidden_segment;

    #[test]
    fn hidden_segments_are_found_also_percent_encoded() {
        for path in [
            "/.git/config",
            "/.devnet/anchor.json.secrets.json",
            "/app/.env",
            "/%2egit/config",
            "/%2Edevnet/x",
            "/app%2F.env",
            "/app%2f%2E%2E%2fCargo.toml",
            "/../Cargo.toml",
            "/./index.html",
        ] {
            assert!(has_hidden_segment(path), "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/app/main.js",
            "/pkg/multiprover_wasm_bg.wasm",
            "/a.b/c.d",
            "/%",
        ] {
            assert!(!has_hidden_segment(path), "{path}");
        }
    }
}
