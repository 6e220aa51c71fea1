//! The node over real HTTP on 127.0.0.1, with a mock proof system whose "proof" is the keccak
//! of the statement (binding proof to statement like a real one) and a real SQLite file.

use std::path::Path;
use std::sync::Arc;

use multiprover_core::anchor::{TeeRegistry, TrustAnchor, ANCHOR_VERSION};
use multiprover_core::settlement::{BatchStatus, ProofVerifier};
use multiprover_core::{
    genesis_tree, Address, Batch, Envelope, Family, GenesisAccount, Policy, Profile, Statement,
    SystemId, SystemKey, Tier, Transfer, B256,
};
use multiprover_node::client::Client;
use multiprover_node::{spawn, Error, NodeConfig, NodeHandle};

struct Mock;
impl ProofVerifier for Mock {
    fn verify(&self, _: &TrustAnchor, e: &Envelope) -> Result<(), String> {
        if e.proof == proof_of(&e.statement) {
            Ok(())
        } else {
            Err("mock proof does not match the statement".into())
        }
    }
}

fn proof_of(s: &Statement) -> Vec<u8> {
    multiprover_core::alloy_primitives::keccak256(s.to_bytes()).to_vec()
}

fn anchor() -> TrustAnchor {
    let profile = Profile::SMALL;
    let genesis: Vec<GenesisAccount> = (1..=4)
        .map(|i| GenesisAccount {
            index: i,
            balance: 1_000_000,
        })
        .collect();
    TrustAnchor {
        version: ANCHOR_VERSION,
        chain_id: 7,
        profile,
        genesis_root: genesis_tree(profile.depth, &genesis).unwrap().root(),
        genesis,
        policy: Policy {
            tiers: vec![Tier {
                below: None,
                min_systems: 2,
                required_families: vec![Family::Zk],
            }],
            quarantined: vec![],
        },
        systems: [SystemId::Plonky2, SystemId::Stark, SystemId::Tee]
            .into_iter()
            .map(|s| SystemKey {
                system: s,
                vk_id: B256::repeat_byte(s as u8),
                key: Default::default(),
            })
            .collect(),
        tee: TeeRegistry::default(),
        council: Address::ZERO,
    }
}

fn start(db: &Path, lease_secs: u64) -> (NodeHandle, Client) {
    let a = anchor();
    let h = spawn(
        NodeConfig {
            anchor_json: a.to_json_pretty(),
            anchor: a,
            db_path: db.to_path_buf(),
            listen: "127.0.0.1:0".parse().unwrap(),
            static_dir: None,
            lease_secs,
        },
        Arc::new(Mock),
    )
    .unwrap();
    let c = Client::new(&format!("http://{}/", h.addr()));
    (h, c)
}

fn batch(n: u64, transfers: Vec<Transfer>) -> Batch {
    Batch {
        chain_id: 7,
        batch_number: n,
        transfers,
    }
}

fn t(from: u32, to: u32, amount: u64, nonce: u32) -> Transfer {
    Transfer {
        from,
        to,
        amount,
        nonce,
    }
}

fn envelope(system: SystemId, st: Statement) -> Vec<u8> {
    Envelope {
        system,
        vk_id: B256::repeat_byte(system as u8),
        statement: st,
        proof: proof_of(&st),
    }
    .to_bytes()
}

fn status_of(e: Error) -> u16 {
    match e {
        Error::Http { status, .. } => status,
        other => panic!("expected an HTTP error, got {other}"),
    }
}

#[test]
fn propose_submit_finalize() {
    let dir = tempfile::tempdir().unwrap();
    let (_h, c) = start(&dir.path().join("n.db"), 120);
    let r = c.propose(&batch(1, vec![t(1, 2, 10, 0)])).unwrap();
    assert_eq!(r.batch_number, 1);
    // an invalid batch is refused with the rule named
    let e = c.propose(&batch(2, vec![t(1, 2, 10, 0)])).unwrap_err();
    match e {
        Error::Http {
            status: 400,
            message,
        } => assert!(message.contains("nonce"), "{message}"),
        other => panic!("{other}"),
    }
    // a skipped number is a conflict
    assert_eq!(status_of(c.propose(&batch(5, vec![])).unwrap_err()), 409);
    let st = r.statement;
    let d = c.submit(&envelope(SystemId::Tee, st)).unwrap().decision;
    assert!(!d.is_final());
    let d = c.submit(&envelope(SystemId::Stark, st)).unwrap().decision;
    assert!(d.is_final(), "{d:?}");
    let list = c.batches().unwrap();
    assert_eq!(list[0].status, BatchStatus::Final);
    assert_eq!(list[0].final_root, Some(st.post_root));
    let rec = c.record(1).unwrap();
    assert_eq!(rec.envelopes.len(), 2);
    assert_eq!(rec.claimed_post_root, st.post_root);
    assert_eq!(c.anchor().unwrap(), anchor());
    assert_eq!(c.status().unwrap()["final_batch"], 1);
    assert_eq!(status_of(c.record(9).unwrap_err()), 404);
}

#[test]
fn rejected_and_malformed_input_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (h, c) = start(&dir.path().join("n.db"), 120);
    let st = c
        .propose(&batch(1, vec![t(1, 2, 10, 0)]))
        .unwrap()
        .statement;
    let before = serde_json::to_value(c.batches().unwrap()).unwrap();
    // a proof of another statement
    let mut other = st;
    other.post_root = multiprover_core::Digest::from_u64s([1, 2, 3, 4]).unwrap();
    let mut bad = Envelope::from_bytes(&envelope(SystemId::Stark, st)).unwrap();
    bad.statement = other;
    assert_eq!(status_of(c.submit(&bad.to_bytes()).unwrap_err()), 422);
    // wrong verifying key, unknown batch, garbage
    let mut wrong_key = Envelope::from_bytes(&envelope(SystemId::Stark, st)).unwrap();
    wrong_key.vk_id = B256::repeat_byte(0xaa);
    assert_eq!(status_of(c.submit(&wrong_key.to_bytes()).unwrap_err()), 422);
    let mut future = st;
    future.batch_number = 3;
    assert_eq!(
        status_of(c.submit(&envelope(SystemId::Stark, future)).unwrap_err()),
        404
    );
    assert_eq!(status_of(c.submit(b"junk").unwrap_err()), 400);
    // malformed and oversized bodies
    let url = format!("http://{}/api/batches", h.addr());
    let code = |r: Result<ureq::Response, ureq::Error>| match r {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(s, _)) => s,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(code(ureq::post(&url).send_string("{not json")), 400);
    assert_eq!(
        code(ureq::post(&url).send_string("{\"transfers\": 5}")),
        400
    );
    // Oversized bodies are refused from their declared length, before the body is read.
    assert_eq!(
        declared_too_large(h.addr(), "/api/batches", 2 * 1024 * 1024),
        413
    );
    assert_eq!(
        declared_too_large(h.addr(), "/api/envelopes", 5 * 1024 * 1024),
        413
    );
    assert_eq!(
        code(ureq::get(&format!("http://{}/api/work?system=nope", h.addr())).call()),
        400
    );
    assert_eq!(
        code(ureq::get(&format!("http://{}/api/batches/xyz", h.addr())).call()),
        400
    );
    // nothing changed, and the node still serves
    assert_eq!(serde_json::to_value(c.batches().unwrap()).unwrap(), before);
    assert!(c.submit(&envelope(SystemId::Stark, st)).is_ok());
}

/// Send only the headers of a POST declaring `len` bytes and read the status code.
fn declared_too_large(addr: std::net::SocketAddr, path: &str, len: usize) -> u16 {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(s, "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: {len}\r\n\r\n").unwrap();
    s.write_all(&[0u8; 1024]).unwrap();
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap();
    let line = String::from_utf8_lossy(&buf[..n]).to_string();
    line.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_restart_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let (before, rec) = {
        let (_h, c) = start(&db, 120);
        let s1 = c
            .propose(&batch(1, vec![t(1, 2, 10, 0)]))
            .unwrap()
            .statement;
        let s2 = c.propose(&batch(2, vec![t(2, 3, 5, 0)])).unwrap().statement;
        c.submit(&envelope(SystemId::Stark, s1)).unwrap();
        c.submit(&envelope(SystemId::Tee, s1)).unwrap();
        c.submit(&envelope(SystemId::Plonky2, s2)).unwrap();
        (
            serde_json::to_value(c.batches().unwrap()).unwrap(),
            c.record(2).unwrap(),
        )
    };
    let (_h, c) = start(&db, 120);
    assert_eq!(serde_json::to_value(c.batches().unwrap()).unwrap(), before);
    assert_eq!(c.record(2).unwrap(), rec);
    // and it goes on from there
    assert_eq!(
        c.propose(&batch(3, vec![t(3, 4, 1, 0)]))
            .unwrap()
            .batch_number,
        3
    );
}

#[test]
fn leases_spread_work_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let (_h, c) = start(&dir.path().join("n.db"), 1);
    let s1 = c
        .propose(&batch(1, vec![t(1, 2, 10, 0)]))
        .unwrap()
        .statement;
    c.propose(&batch(2, vec![t(2, 3, 5, 0)])).unwrap();
    let a = c.work(SystemId::Stark).unwrap().unwrap();
    let b = c.work(SystemId::Stark).unwrap().unwrap();
    assert_eq!(
        (a.batch_number, b.batch_number),
        (1, 2),
        "two workers of one system get different batches"
    );
    assert!(c.work(SystemId::Stark).unwrap().is_none());
    // another system is not affected by stark's leases
    assert_eq!(c.work(SystemId::Tee).unwrap().unwrap().batch_number, 1);
    // a worker that died: its lease expires and the batch is handed out again
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(c.work(SystemId::Stark).unwrap().unwrap().batch_number, 1);
    // once proven, stark is not asked for batch 1 again
    c.submit(&envelope(SystemId::Stark, s1)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(c.work(SystemId::Stark).unwrap().unwrap().batch_number, 2);
    // a system the anchor does not configure gets nothing
    assert!(c.work(SystemId::Halo2).unwrap().is_none());
}

#[test]
fn a_garbage_loop_does_not_stop_honest_work() {
    let dir = tempfile::tempdir().unwrap();
    let (_h, c) = start(&dir.path().join("n.db"), 120);
    let st = c
        .propose(&batch(1, vec![t(1, 2, 10, 0)]))
        .unwrap()
        .statement;
    let c2 = c.clone();
    let spam = std::thread::spawn(move || {
        let mut rejected = 0;
        for i in 0..200u32 {
            let junk = i.to_le_bytes().repeat(40);
            if c2.submit(&junk).is_err() {
                rejected += 1;
            }
        }
        rejected
    });
    let d = c.submit(&envelope(SystemId::Stark, st)).unwrap();
    assert_eq!(d.batch_number, 1);
    assert_eq!(spam.join().unwrap(), 200);
    assert_eq!(c.batches().unwrap()[0].proofs.len(), 1);
}
