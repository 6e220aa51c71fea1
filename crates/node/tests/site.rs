//! The node's static site over real HTTP on 127.0.0.1: it serves the demo (`site/`) and
//! nothing else: no file outside the directory, no dot-file or dot-directory inside it, also
//! when the path is percent-encoded. Requests are written by hand so that no client
//! normalizes the path first.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};

use multiprover_core::TrustAnchor;
use multiprover_node::{default_verifier, spawn, NodeConfig, NodeHandle};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A node over a fresh database that serves `dir`.
fn start(db: &Path, dir: &Path) -> NodeHandle {
    let json = std::fs::read_to_string(repo().join("tests/browser/data/anchor.json")).unwrap();
    spawn(
        NodeConfig {
            anchor: TrustAnchor::from_json(json.as_bytes()).unwrap(),
            anchor_json: json,
            db_path: db.to_path_buf(),
            listen: "127.0.0.1:0".parse().unwrap(),
            static_dir: Some(dir.to_path_buf()),
            lease_secs: 60,
        },
        default_verifier(),
    )
    .unwrap()
}

/// `GET path` exactly as given: the status code and the body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {answer:?}"));
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_string())
}

#[test]
fn the_node_serves_the_demo_and_nothing_of_the_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let node = start(&tmp.path().join("n.db"), &repo().join("site"));
    let (status, body) = get(node.addr(), "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("<title>multiprover light client</title>"),
        "{body}"
    );
    assert_eq!(get(node.addr(), "/app/main.js").0, 200);
    assert_eq!(get(node.addr(), "/api/status").0, 200);
    for path in [
        "/.devnet/anything",
        "/Cargo.toml",
        "/.git/config",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/app/%2e%2e/%2e%2e/Cargo.toml",
        "/web/app.js",
    ] {
        assert_eq!(get(node.addr(), path).0, 404, "{path}");
    }
}

#[test]
fn dot_files_inside_the_site_are_not_served() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    for (file, text) in [
        ("index.html", "<p>demo</p>"),
        ("app/ok.js", "ok"),
        (".devnet/anchor.json.secrets.json", "council key"),
        (".git/config", "[core]"),
        (".env", "SECRET=1"),
        ("app/.hidden", "no"),
    ] {
        let path = site.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let node = start(&tmp.path().join("n.db"), &site);
    assert_eq!(get(node.addr(), "/").1, "<p>demo</p>");
    assert_eq!(get(node.addr(), "/app/ok.js"), (200, "ok".to_string()));
    for path in [
        "/.devnet/anchor.json.secrets.json",
        "/.devnet/",
        "/.git/config",
        "/.env",
        "/app/.hidden",
        "/%2edevnet/anchor.json.secrets.json",
        "/%2Egit/config",
        "/app%2F.hidden",
        "/app/%2ehidden",
    ] {
        assert_eq!(get(node.addr(), path).0, 404, "{path}");
    }
}
