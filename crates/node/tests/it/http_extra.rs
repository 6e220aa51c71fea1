//! More of the node's HTTP API over loopback, with a mock verifier (no proof system compiled
//! in): static files, conflicts, every malformed-body shape, restarts on the same file, a
//! database of another anchor, and a garbage loop next to an honest worker.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use multiprover_core::alloy_primitives::keccak256;
use multiprover_core::anchor::TeeRegistry;
use multiprover_core::settlement::resolution_digest;
use multiprover_core::VerifyError;
use multiprover_core::{
    Address, Batch, Envelope, ProofVerifier, Statement, SystemId, SystemKey, Transfer, TrustAnchor,
    B256,
};
use multiprover_core::{BatchStatus, Decision, Digest};
use multiprover_node::{spawn, Client, Error, NodeConfig, NodeHandle, SharedVerifier};
use multiprover_testkit::{Scenario, CHAIN_ID};

/// Accounts 1..=4 hold 10^10 each; all four systems configured; the default tiers.
fn anchor() -> TrustAnchor {
    let systems = SystemId::ALL
        .iter()
        .map(|s| SystemKey {
            system: *s,
            vk_id: vk_id(*s),
            key: Default::default(),
        })
        .collect();
    TrustAnchor {
        council: Address::from_public_key(council_key().verifying_key()),
        ..Scenario::small()
            .with_balance(10_000_000_000)
            .anchor(systems, TeeRegistry::default())
    }
}

fn council_key() -> k256::ecdsa::SigningKey {
    k256::ecdsa::SigningKey::from_slice(&[0x42; 32]).unwrap()
}

/// The council's 65-byte `r ‖ s ‖ v` signature resolving `batch` to `root`.
fn council_sign(key: &k256::ecdsa::SigningKey, batch: u64, root: &Digest) -> Vec<u8> {
    let digest = resolution_digest(CHAIN_ID, batch, root);
    let (sig, rec) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut out = sig.to_bytes().to_vec();
    out.push(27 + rec.to_byte());
    out
}

fn vk_id(s: SystemId) -> B256 {
    B256::repeat_byte(s as u8 + 1)
}

/// A "proof" is keccak256 of the statement bytes: it binds proof to statement, so a
/// tampered statement or proof is rejected.
#[derive(Debug)]
struct MockVerifier;

impl ProofVerifier for MockVerifier {
    fn verify(
        &self,
        _anchor: &TrustAnchor,
        envelope: &Envelope,
        _batch_timestamp: u64,
    ) -> Result<(), VerifyError> {
        // Stands for a verifier with a bug that hostile bytes can reach.
        assert!(envelope.proof != b"boom", "verifier bug");
        if envelope.proof.as_slice() == keccak256(envelope.statement.to_bytes()).as_slice() {
            Ok(())
        } else {
            Err(VerifyError::rejected(
                envelope.system,
                "mock proof does not match the statement",
            ))
        }
    }
}

fn mock() -> SharedVerifier {
    Arc::new(MockVerifier)
}

/// A valid (mock) envelope of `system` for `statement`.
fn envelope(system: SystemId, statement: &Statement) -> Vec<u8> {
    Envelope {
        system,
        vk_id: vk_id(system),
        statement: *statement,
        proof: keccak256(statement.to_bytes()).to_vec(),
    }
    .to_bytes()
}

fn config(db: &Path, lease_secs: u64) -> NodeConfig {
    let anchor = anchor();
    NodeConfig {
        anchor_json: anchor.to_json_pretty(),
        anchor,
        db_path: db.to_path_buf(),
        listen: "127.0.0.1:0".parse().unwrap(),
        static_dir: None,
        lease_secs,
    }
}

/// The fixture sequencer's key for this file's anchor.
fn seq() -> multiprover_node::Sequencer {
    multiprover_node::Sequencer::new(multiprover_testkit::SEQUENCER_SECRET, &anchor()).unwrap()
}

fn start(db: &Path) -> (NodeHandle, Client) {
    let node = spawn(config(db, 120), mock()).unwrap();
    let client = Client::new(&format!("http://{}", node.addr()));
    (node, client)
}

fn transfer(from: u32, to: u32, amount: u64, nonce: u32) -> Transfer {
    Transfer {
        from,
        to,
        amount,
        nonce,
    }
}

fn batch(number: u64, transfers: Vec<Transfer>) -> Batch {
    Batch {
        chain_id: CHAIN_ID,
        batch_number: number,
        transfers,
    }
}

/// Raw POST; returns (status, body).
fn post(url: &str, content_type: &str, body: &[u8]) -> (u16, String) {
    let agent = ureq::AgentBuilder::new()
        .timeout(std::time::Duration::from_secs(30))
        .build();
    answer(
        agent
            .post(url)
            .set("content-type", content_type)
            .send_bytes(body),
    )
}

/// Raw GET; returns (status, content type, body).
fn get(url: &str) -> (u16, String, String) {
    match ureq::get(url).call() {
        Ok(r) => {
            let ct = r.content_type().to_string();
            (r.status(), ct, r.into_string().unwrap_or_default())
        }
        Err(ureq::Error::Status(code, r)) => {
            let ct = r.content_type().to_string();
            (code, ct, r.into_string().unwrap_or_default())
        }
        Err(e) => panic!("transport error: {e}"),
    }
}

fn answer(r: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    match r {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => panic!("transport error: {e}"),
    }
}

fn http_status(e: &Error) -> u16 {
    match e {
        Error::Http { status, .. } => *status,
        other => panic!("expected an HTTP error, got {other}"),
    }
}

#[test]
fn invalid_batch_is_rejected_with_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let (node, client) = start(&dir.path().join("node.db"));

    let e = client
        .propose(
            &batch(1, vec![transfer(1, 2, 5, 0), transfer(1, 3, 1, 0)]),
            &seq(),
        )
        .unwrap_err();
    assert_eq!(http_status(&e), 400);
    let msg = e.to_string();
    assert!(
        msg.contains("transfer #1") && msg.contains("nonce"),
        "{msg}"
    );

    let e = client
        .propose(&batch(1, vec![transfer(1, 2, 20_000_000_000, 0)]), &seq())
        .unwrap_err();
    assert_eq!(http_status(&e), 400);
    assert!(e.to_string().contains("amount <= balance(from)"), "{e}");

    let mut wrong_chain = batch(1, vec![transfer(1, 2, 5, 0)]);
    wrong_chain.chain_id = 8;
    assert_eq!(
        http_status(&client.propose(&wrong_chain, &seq()).unwrap_err()),
        400
    );

    // Not the next number: 409.
    let e = client
        .propose(&batch(3, vec![transfer(1, 2, 5, 0)]), &seq())
        .unwrap_err();
    assert_eq!(http_status(&e), 409);

    assert!(client.batches().unwrap().is_empty(), "nothing was stored");
    // The node still takes a valid batch as number 1.
    assert_eq!(
        client
            .propose(&batch(1, vec![transfer(1, 2, 5, 0)]), &seq())
            .unwrap()
            .batch_number,
        1
    );
    node.shutdown();
}

#[test]
fn conflicting_roots_halt_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (node, client) = start(&dir.path().join("node.db"));
    let st = client
        .propose(&batch(1, vec![transfer(1, 2, 5, 0)]), &seq())
        .unwrap()
        .statement;
    let mut forged = st;
    forged.post_root = st.pre_root;
    client.submit(&envelope(SystemId::Halo2, &st)).unwrap();
    let r = client.submit(&envelope(SystemId::Stark, &forged)).unwrap();
    assert!(matches!(r.decision, Decision::Conflict { .. }));
    assert_eq!(client.batches().unwrap()[0].status, BatchStatus::Halted);
    assert_eq!(client.status().unwrap()["conflicts"][0], 1);
    // Nobody is sent to prove a halted batch.
    assert!(client.work(SystemId::Plonky2).unwrap().is_none());
    node.shutdown();
}

#[test]
fn malformed_and_oversized_bodies_do_not_hurt_the_node() {
    let dir = tempfile::tempdir().unwrap();
    let (node, client) = start(&dir.path().join("node.db"));
    let base = format!("http://{}", node.addr());
    let batches = format!("{base}/api/batches");
    let envelopes = format!("{base}/api/envelopes");

    for body in [
        &b"not json"[..],
        b"",
        b"{}",
        b"[1,2,3]",
        br#"{"chain_id":7,"transfers":[{"from":1}]}"#,
        br#"{"chain_id":7,"transfers":"x"}"#,
        br#"{"chain_id":-1,"transfers":[]}"#,
        &[0xff, 0xfe, 0x00],
    ] {
        let (code, text) = post(&batches, "application/json", body);
        assert_eq!(code, 400, "{:?} -> {text}", String::from_utf8_lossy(body));
        assert!(text.contains("\"error\""), "{text}");
    }
    for body in [&b""[..], b"\x00", b"garbage garbage", &[0xffu8; 300]] {
        let (code, text) = post(&envelopes, "application/octet-stream", body);
        assert_eq!(code, 400, "{text}");
    }
    // A valid envelope, truncated.
    let st = client
        .propose(&batch(1, vec![transfer(1, 2, 5, 0)]), &seq())
        .unwrap()
        .statement;
    let good = envelope(SystemId::Halo2, &st);
    for cut in [1, good.len() / 2, good.len() - 1] {
        let (code, _) = post(&envelopes, "application/octet-stream", &good[..cut]);
        assert_eq!(code, 400);
    }

    // (Oversized bodies: see tests/api.rs, which sends only the headers.)

    assert_eq!(get(&format!("{base}/api/batches/abc")).0, 400);
    assert_eq!(get(&format!("{base}/api/batches/0")).0, 404);
    assert_eq!(
        get(&format!("{base}/api/batches/99999999999999999999999")).0,
        400
    );
    assert_eq!(get(&format!("{base}/api/work?system=foo")).0, 400);
    assert_eq!(get(&format!("{base}/api/work")).0, 400);
    assert_eq!(get(&format!("{base}/no/such/file")).0, 404);

    // Still serving, state intact.
    client.submit(&good).unwrap();
    assert_eq!(client.batches().unwrap()[0].proofs.len(), 1);
    node.shutdown();
}

#[test]
fn restart_keeps_batches_envelopes_and_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("node.db");
    let (before, records, st2) = {
        let (node, client) = start(&db);
        let st1 = client
            .propose(
                &batch(1, vec![transfer(1, 2, 5, 0), transfer(2, 3, 7, 0)]),
                &seq(),
            )
            .unwrap()
            .statement;
        let st2 = client
            .propose(&batch(2, vec![transfer(3, 4, 1, 0)]), &seq())
            .unwrap()
            .statement;
        client.submit(&envelope(SystemId::Halo2, &st1)).unwrap();
        client.submit(&envelope(SystemId::Tee, &st1)).unwrap();
        client.submit(&envelope(SystemId::Stark, &st2)).unwrap();
        let before = client.batches().unwrap();
        assert_eq!(before[0].status, BatchStatus::Final);
        let records = vec![client.record(1).unwrap(), client.record(2).unwrap()];
        node.shutdown();
        (before, records, st2)
    };
    {
        let (node, client) = start(&db);
        assert_eq!(client.batches().unwrap(), before);
        assert_eq!(client.record(1).unwrap(), records[0]);
        assert_eq!(client.record(2).unwrap(), records[1]);
        // It continues where it stopped: the next batch chains on batch 2's root.
        let st3 = client
            .propose(&batch(3, vec![transfer(1, 4, 1, 1)]), &seq())
            .unwrap()
            .statement;
        assert_eq!(st3.pre_root, st2.post_root);
        client.submit(&envelope(SystemId::Halo2, &st2)).unwrap();
        assert_eq!(client.batches().unwrap()[1].status, BatchStatus::Final);
        drop(node); // Drop stops it too.
    }
    let (node, client) = start(&db);
    let list = client.batches().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[1].status, BatchStatus::Final);
    node.shutdown();

    // A database belongs to one anchor.
    let mut cfg = config(&db, 120);
    cfg.anchor.chain_id = 8;
    assert!(matches!(
        spawn(cfg, mock()),
        Err(Error::AnchorMismatch { .. })
    ));
}

#[test]
fn garbage_loop_does_not_starve_honest_workers() {
    let dir = tempfile::tempdir().unwrap();
    let (node, client) = start(&dir.path().join("node.db"));
    let st = client
        .propose(&batch(1, vec![transfer(1, 2, 5, 0)]), &seq())
        .unwrap()
        .statement;
    let url = format!("http://{}/api/envelopes", node.addr());
    let good = envelope(SystemId::Plonky2, &st);
    let mut forged = Envelope::from_bytes(&good).unwrap();
    forged.proof.reverse();
    let forged = forged.to_bytes();

    let attacker = std::thread::spawn(move || {
        let mut codes = Vec::new();
        for i in 0..200usize {
            let body: Vec<u8> = match i % 3 {
                0 => (0..(i * 7 % 500)).map(|j| (i * 31 + j) as u8).collect(),
                1 => forged.clone(),
                _ => forged[..i % forged.len()].to_vec(),
            };
            codes.push(post(&url, "application/octet-stream", &body).0);
        }
        codes
    });
    std::thread::sleep(Duration::from_millis(20));
    let ok = client.submit(&good).unwrap();
    assert_eq!(ok.system, SystemId::Plonky2);
    assert!(client.work(SystemId::Halo2).unwrap().is_some());
    let codes = attacker.join().unwrap();
    assert_eq!(codes.len(), 200);
    assert!(codes.iter().all(|c| *c == 400 || *c == 422), "{codes:?}");
    assert!(codes.contains(&422) && codes.contains(&400));
    assert_eq!(
        client.record(1).unwrap().envelopes,
        vec![multiprover_verifier::HexBytes(good)]
    );
    node.shutdown();
}

#[test]
fn serves_static_files() {
    let dir = tempfile::tempdir().unwrap();
    let web = dir.path().join("www");
    std::fs::create_dir_all(web.join("pkg")).unwrap();
    std::fs::write(web.join("index.html"), "<h1>demo</h1>").unwrap();
    std::fs::write(web.join("pkg/lc_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let mut cfg = config(&dir.path().join("node.db"), 120);
    cfg.static_dir = Some(web);
    let node = spawn(cfg, mock()).unwrap();
    let base = format!("http://{}", node.addr());
    let (code, ct, body) = get(&format!("{base}/"));
    assert_eq!((code, body.as_str()), (200, "<h1>demo</h1>"));
    assert!(ct.starts_with("text/html"), "{ct}");
    let (code, ct, _) = get(&format!("{base}/pkg/lc_bg.wasm"));
    assert_eq!((code, ct.as_str()), (200, "application/wasm"));
    // The API is still the API.
    let (code, ct, body) = get(&format!("{base}/api/anchor"));
    assert_eq!(code, 200);
    assert_eq!(ct, "application/json");
    assert_eq!(body, anchor().to_json_pretty());
    node.shutdown();
}

#[test]
fn verdicts_are_stored_with_the_envelopes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("node.db");
    let (node, client) = start(&db);
    let st = client
        .propose(&batch(1, vec![transfer(1, 2, 5, 0)]), &seq())
        .unwrap()
        .statement;
    client
        .propose(&batch(2, vec![transfer(2, 3, 1, 0)]), &seq())
        .unwrap();
    client.submit(&envelope(SystemId::Halo2, &st)).unwrap();
    client.submit(&envelope(SystemId::Tee, &st)).unwrap();
    // Rejected: nothing of it may reach the store.
    let mut bad = Envelope::from_bytes(&envelope(SystemId::Stark, &st)).unwrap();
    bad.proof.clear();
    assert_eq!(
        http_status(&client.submit(&bad.to_bytes()).unwrap_err()),
        422
    );
    node.shutdown();

    let conn = rusqlite::Connection::open(&db).unwrap();
    let verdicts: Vec<(i64, String)> = conn
        .prepare("SELECT batch_number, status FROM verdicts ORDER BY batch_number")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        verdicts,
        vec![(1, "\"final\"".to_string()), (2, "\"pending\"".to_string())]
    );
    let systems: Vec<String> = conn
        .prepare("SELECT system FROM envelopes ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(systems, vec!["halo2", "tee"]);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_tampered_store_is_refused_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("node.db");
    {
        let (node, client) = start(&db);
        client
            .propose(&batch(1, vec![transfer(1, 2, 5, 0)]), &seq())
            .unwrap();
        node.shutdown();
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let root: String = conn
        .query_row("SELECT claimed_post_root FROM batches", [], |r| r.get(0))
        .unwrap();
    let pre = serde_json::to_string(&anchor().genesis_root).unwrap();
    assert_ne!(root, pre);
    conn.execute("UPDATE batches SET claimed_post_root = ?1", [&pre])
        .unwrap();
    drop(conn);
    assert!(matches!(
        spawn(config(&db, 120), mock()),
        Err(Error::Corrupt { .. })
    ));
}

#[test]
fn a_panicking_verifier_rejects_and_the_node_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let (node, client) = start(&dir.path().join("node.db"));
    let st = client
        .propose(&batch(1, vec![transfer(1, 2, 5, 0)]), &seq())
        .unwrap()
        .statement;
    let mut boom = Envelope::from_bytes(&envelope(SystemId::Halo2, &st)).unwrap();
    boom.proof = b"boom".to_vec();
    for _ in 0..3 {
        let e = client.submit(&boom.to_bytes()).unwrap_err();
        assert_eq!(http_status(&e), 422, "{e}");
    }
    assert!(client.batches().unwrap()[0].proofs.is_empty());
    client.submit(&envelope(SystemId::Halo2, &st)).unwrap();
    assert_eq!(client.batches().unwrap()[0].proofs.len(), 1);
    node.shutdown();
}

#[test]
fn a_client_trickling_its_headers_is_cut_off() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let (node, client) = start(&dir.path().join("node.db"));
    let mut slow = std::net::TcpStream::connect(node.addr()).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    slow.write_all(b"GET /api/status HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let t = std::time::Instant::now();
    // Meanwhile everyone else is served.
    assert_eq!(client.status().unwrap()["head"], 0);
    let mut buf = [0u8; 256];
    let n = slow.read(&mut buf).unwrap_or(0);
    let waited = t.elapsed();
    // Closed (or answered with an error status), never served as a request.
    assert!(
        n == 0 || !String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
    assert!(
        waited >= Duration::from_secs(9) && waited < Duration::from_secs(25),
        "{waited:?}"
    );
    node.shutdown();
}

#[test]
fn an_oversized_chunked_body_is_cut_off() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let (node, client) = start(&dir.path().join("node.db"));
    let mut s = std::net::TcpStream::connect(node.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(
        b"POST /api/envelopes HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n",
    )
    .unwrap();
    // No declared length: 5 MiB streamed in 64 KiB chunks. The node may stop reading (and
    // close) once the limit is passed, so write errors are expected.
    let chunk = vec![0u8; 64 * 1024];
    for _ in 0..80 {
        if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .is_err()
            || s.write_all(&chunk).is_err()
            || s.write_all(b"\r\n").is_err()
        {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let mut head = [0u8; 32];
    let n = s.read(&mut head).unwrap();
    assert!(
        String::from_utf8_lossy(&head[..n]).starts_with("HTTP/1.1 413"),
        "{}",
        String::from_utf8_lossy(&head[..n])
    );
    assert_eq!(client.status().unwrap()["head"], 0);
    node.shutdown();
}

#[test]
fn the_council_resolves_a_halted_batch_and_it_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("node.db");
    let before = {
        let (node, client) = start(&db);
        let st1 = client
            .propose(&batch(1, vec![transfer(1, 2, 5, 0)]), &seq())
            .unwrap()
            .statement;
        let st2 = client
            .propose(&batch(2, vec![transfer(2, 3, 1, 0)]), &seq())
            .unwrap()
            .statement;
        let mut forged = st1;
        forged.post_root = st1.pre_root;
        client.submit(&envelope(SystemId::Halo2, &st1)).unwrap();
        client.submit(&envelope(SystemId::Stark, &forged)).unwrap();
        client.submit(&envelope(SystemId::Plonky2, &st1)).unwrap();
        assert_eq!(client.batches().unwrap()[0].status, BatchStatus::Halted);

        let key = council_key();
        let stranger = k256::ecdsa::SigningKey::from_slice(&[0x43; 32]).unwrap();
        let status = |r: Result<serde_json::Value, Error>| http_status(&r.unwrap_err());
        // Not the council.
        let sig = council_sign(&stranger, 1, &st1.post_root);
        assert_eq!(status(client.resolve(1, st1.post_root, &sig)), 403);
        // Garbage signature bytes.
        assert_eq!(status(client.resolve(1, st1.post_root, &[1, 2, 3])), 403);
        // A batch that is not halted.
        let sig = council_sign(&key, 2, &st2.post_root);
        assert_eq!(status(client.resolve(2, st2.post_root, &sig)), 409);
        // A proven root that is not the node's STF result.
        let sig = council_sign(&key, 1, &forged.post_root);
        assert_eq!(status(client.resolve(1, forged.post_root, &sig)), 422);
        // Unknown batch, malformed body.
        let sig = council_sign(&key, 9, &st1.post_root);
        assert_eq!(status(client.resolve(9, st1.post_root, &sig)), 404);
        let url = format!("http://{}/api/batches/1/resolve", node.addr());
        assert_eq!(post(&url, "application/json", b"{\"root\": 1}").0, 400);
        assert_eq!(client.batches().unwrap()[0].status, BatchStatus::Halted);

        let sig = council_sign(&key, 1, &st1.post_root);
        let r = client.resolve(1, st1.post_root, &sig).unwrap();
        assert_eq!(r["quarantined"], serde_json::json!(["stark"]));
        assert_eq!(r["status"], "final");
        // The quarantined system gets no work and its envelopes are refused with 409.
        assert!(client.work(SystemId::Stark).unwrap().is_none());
        assert_eq!(
            http_status(&client.submit(&envelope(SystemId::Stark, &st2)).unwrap_err()),
            409
        );
        client.submit(&envelope(SystemId::Halo2, &st2)).unwrap();
        client.submit(&envelope(SystemId::Tee, &st2)).unwrap();
        let list = client.batches().unwrap();
        assert_eq!(list[0].status, BatchStatus::Final);
        assert_eq!(list[0].final_root, Some(st1.post_root));
        assert_eq!(list[1].status, BatchStatus::Final);
        node.shutdown();
        list
    };
    let (node, client) = start(&db);
    assert_eq!(client.batches().unwrap(), before);
    assert_eq!(
        client.status().unwrap()["quarantined"],
        serde_json::json!(["stark"])
    );
    assert!(client.work(SystemId::Stark).unwrap().is_none());
    node.shutdown();
}
