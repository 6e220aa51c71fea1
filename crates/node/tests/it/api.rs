//! The node over real HTTP on 127.0.0.1, with a mock proof system whose "proof" is the keccak
//! of the statement (binding proof to statement like a real one) and a real SQLite file.

use std::path::Path;
use std::sync::Arc;

use multiprover_core::anchor::{TeeRegistry, TrustAnchor};
use multiprover_core::settlement::{BatchStatus, ProofVerifier};
use multiprover_core::VerifyError;
use multiprover_core::{
    Batch, Envelope, Family, Policy, Statement, SystemId, SystemKey, Tier, Transfer, B256,
};
use multiprover_node::client::Client;
use multiprover_node::{spawn, Error, NodeConfig, NodeHandle};
use multiprover_testkit::{transfer as t, Scenario, CHAIN_ID};

struct Mock;
impl ProofVerifier for Mock {
    fn verify(&self, _: &TrustAnchor, e: &Envelope, _: u64) -> Result<(), VerifyError> {
        if e.proof == proof_of(&e.statement) {
            Ok(())
        } else {
            Err(VerifyError::rejected(
                e.system,
                "mock proof does not match the statement",
            ))
        }
    }
}

fn proof_of(s: &Statement) -> Vec<u8> {
    multiprover_core::alloy_primitives::keccak256(s.to_bytes()).to_vec()
}

fn anchor() -> TrustAnchor {
    let systems = [SystemId::Plonky2, SystemId::Stark, SystemId::Tee]
        .into_iter()
        .map(|s| SystemKey {
            system: s,
            vk_id: B256::repeat_byte(s as u8),
            key: Default::default(),
        })
        .collect();
    TrustAnchor {
        policy: Policy {
            tiers: vec![Tier {
                below: None,
                min_systems: 2,
                required_families: vec![Family::Zk],
            }],
            quarantined: vec![],
        },
        ..Scenario::small().anchor(systems, TeeRegistry::default())
    }
}

/// The fixture sequencer's key for this file's anchor.
fn seq() -> multiprover_node::Sequencer {
    multiprover_node::Sequencer::new(multiprover_testkit::SEQUENCER_SECRET, &anchor()).unwrap()
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
        chain_id: CHAIN_ID,
        batch_number: n,
        transfers,
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
    let r = c.propose(&batch(1, vec![t(1, 2, 10, 0)]), &seq()).unwrap();
    assert_eq!(r.batch_number, 1);
    // an invalid batch is refused with the rule named
    let e = c
        .propose(&batch(2, vec![t(1, 2, 10, 0)]), &seq())
        .unwrap_err();
    match e {
        Error::Http {
            status: 400,
            message,
        } => assert!(message.contains("nonce"), "{message}"),
        other => panic!("{other}"),
    }
    // a skipped number is a conflict
    assert_eq!(
        status_of(c.propose(&batch(5, vec![]), &seq()).unwrap_err()),
        409
    );
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
        .propose(&batch(1, vec![t(1, 2, 10, 0)]), &seq())
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
            .propose(&batch(1, vec![t(1, 2, 10, 0)]), &seq())
            .unwrap()
            .statement;
        let s2 = c
            .propose(&batch(2, vec![t(2, 3, 5, 0)]), &seq())
            .unwrap()
            .statement;
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
        c.propose(&batch(3, vec![t(3, 4, 1, 0)]), &seq())
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
        .propose(&batch(1, vec![t(1, 2, 10, 0)]), &seq())
        .unwrap()
        .statement;
    c.propose(&batch(2, vec![t(2, 3, 5, 0)]), &seq()).unwrap();
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
        .propose(&batch(1, vec![t(1, 2, 10, 0)]), &seq())
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

// ---------------------------------------------------------------- load and slow clients

/// A bounded loopback load test: 40 batches proposed, then 8 submitter threads post every
/// batch's three envelopes (each twice: duplicates must be idempotent) while 4 reader threads
/// fetch batch records and the status. Prints throughput and error rate; nothing may be lost:
/// every acknowledged envelope is in its batch record afterwards, and every batch is final.
#[test]
fn loopback_load_loses_nothing() {
    use std::time::Instant;
    const BATCHES: u64 = 40;
    const SUBMITTERS: u64 = 8;
    const READERS: usize = 4;
    const READS_PER_READER: usize = 250;
    let dir = tempfile::tempdir().unwrap();
    let (_h, c) = start(&dir.path().join("n.db"), 120);
    let mut statements = Vec::new();
    for n in 1..=BATCHES {
        let r = c
            .propose(&batch(n, vec![t(1, 2, 1, (n - 1) as u32)]), &seq())
            .unwrap();
        statements.push(r.statement);
    }
    let jobs: Vec<(SystemId, Statement)> = statements
        .iter()
        .flat_map(|st| [SystemId::Plonky2, SystemId::Stark, SystemId::Tee].map(|s| (s, *st)))
        .collect();
    let jobs = Arc::new(jobs);
    let start_at = Instant::now();
    let submitters: Vec<_> = (0..SUBMITTERS)
        .map(|w| {
            let (c, jobs) = (c.clone(), jobs.clone());
            std::thread::spawn(move || {
                let (mut ok, mut err, mut acked) = (0u64, 0u64, Vec::new());
                for round in 0..2 {
                    for (i, (s, st)) in jobs.iter().enumerate() {
                        if (i as u64 + round) % SUBMITTERS != w {
                            continue;
                        }
                        match c.submit(&envelope(*s, *st)) {
                            Ok(_) => {
                                ok += 1;
                                acked.push((*s, st.batch_number));
                            }
                            Err(_) => err += 1,
                        }
                    }
                }
                (ok, err, acked)
            })
        })
        .collect();
    let readers: Vec<_> = (0..READERS)
        .map(|r| {
            let c = c.clone();
            std::thread::spawn(move || {
                let (mut ok, mut err) = (0u64, 0u64);
                for i in 0..READS_PER_READER {
                    let n = 1 + ((i * 7 + r) as u64 % BATCHES);
                    let res = if i % 10 == 0 {
                        c.status().map(|_| ())
                    } else {
                        c.record(n).map(|_| ())
                    };
                    match res {
                        Ok(()) => ok += 1,
                        Err(_) => err += 1,
                    }
                }
                (ok, err)
            })
        })
        .collect();
    let (mut sub_ok, mut sub_err, mut acked) = (0, 0, Vec::new());
    for h in submitters {
        let (o, e, a) = h.join().unwrap();
        sub_ok += o;
        sub_err += e;
        acked.extend(a);
    }
    let submit_secs = start_at.elapsed().as_secs_f64();
    let (mut read_ok, mut read_err) = (0, 0);
    for h in readers {
        let (o, e) = h.join().unwrap();
        read_ok += o;
        read_err += e;
    }
    let secs = start_at.elapsed().as_secs_f64();
    println!(
        "load: {sub_ok} envelope submissions ok, {sub_err} failed in {submit_secs:.2} s ({:.0}/s); \
         {read_ok} reads ok, {read_err} failed; {secs:.2} s total",
        sub_ok as f64 / submit_secs
    );
    assert_eq!(sub_err, 0, "submissions failed under load");
    assert_eq!(read_err, 0, "reads failed under load");
    assert_eq!(sub_ok, 2 * jobs.len() as u64);
    // Nothing lost: each acknowledged envelope is in its batch's record, stored once.
    for n in 1..=BATCHES {
        let rec = c.record(n).unwrap();
        let systems: Vec<SystemId> = rec
            .envelopes
            .iter()
            .map(|e| Envelope::from_bytes(&e.0).unwrap().system)
            .collect();
        for (s, _) in acked.iter().filter(|(_, b)| *b == n) {
            assert!(
                systems.contains(s),
                "batch {n}: acknowledged {s} envelope missing"
            );
        }
        assert_eq!(
            systems.len(),
            3,
            "batch {n}: duplicates stored twice or lost"
        );
    }
    assert!(c
        .batches()
        .unwrap()
        .iter()
        .all(|b| b.status == BatchStatus::Final));
}

/// 64 connections that send half a request and stall do not keep the node from serving
/// others, and the node closes each of them (header timeout) instead of holding them.
#[test]
fn many_stalled_connections_do_not_block_others() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let (h, c) = start(&dir.path().join("n.db"), 120);
    let mut stalled: Vec<std::net::TcpStream> = (0..64)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(h.addr()).unwrap();
            s.write_all(b"POST /api/envelopes HTTP/1.1\r\nHost: x\r\nContent-")
                .unwrap();
            s
        })
        .collect();
    for _ in 0..20 {
        let t0 = Instant::now();
        assert_eq!(c.status().unwrap()["head"], 0);
        assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    }
    let t0 = Instant::now();
    for s in &mut stalled {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut buf = [0u8; 64];
        // 0 = closed by the node; an error status would also do; never a hang.
        let n = s.read(&mut buf).unwrap_or(0);
        assert!(
            n == 0 || !String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 2"),
            "{}",
            String::from_utf8_lossy(&buf[..n])
        );
    }
    println!(
        "64 stalled connections closed by the node after {:?}",
        t0.elapsed()
    );
    assert!(t0.elapsed() < Duration::from_secs(25));
}
