//! Signed proposals over real HTTP: an unsigned proposal is refused with 401, one signed by
//! another key, for another chain or anchor, or over another field with 403, and neither
//! stores anything (the SQLite file, `/api/batches` and `/api/status` are unchanged); a
//! proposal signed by the anchor's sequencer is accepted and its record carries the signed
//! proposal.

use std::path::Path;
use std::sync::Arc;

use multiprover_core::anchor::{TeeRegistry, TrustAnchor};
use multiprover_core::settlement::ProofVerifier;
use multiprover_core::{
    Address, Batch, Envelope, Proposal, ProposalSignature, Transfer, VerifyError,
};
use multiprover_node::{spawn, Client, Error, NodeConfig, NodeHandle, Sequencer};
use multiprover_testkit::{
    sign_proposal, sign_proposal_with, Scenario, CHAIN_ID, SEQUENCER_SECRET,
};

struct AcceptAll;
impl ProofVerifier for AcceptAll {
    fn verify(&self, _: &TrustAnchor, _: &Envelope, _: u64) -> Result<(), VerifyError> {
        Ok(())
    }
}

fn anchor() -> TrustAnchor {
    Scenario::small().anchor(vec![], TeeRegistry::default())
}

fn start(db: &Path) -> (NodeHandle, Client) {
    let a = anchor();
    let h = spawn(
        NodeConfig {
            anchor_json: a.to_json_pretty(),
            anchor: a,
            db_path: db.to_path_buf(),
            listen: "127.0.0.1:0".parse().unwrap(),
            static_dir: None,
            lease_secs: 60,
        },
        Arc::new(AcceptAll),
    )
    .unwrap();
    let c = Client::new(&format!("http://{}/", h.addr()));
    (h, c)
}

fn batch(n: u64, from: u32, nonce: u32) -> Batch {
    Batch {
        chain_id: CHAIN_ID,
        batch_number: n,
        transfers: vec![Transfer {
            from,
            to: 4,
            amount: 10,
            nonce,
        }],
    }
}

fn status_of(e: Error) -> u16 {
    match e {
        Error::Http { status, .. } => status,
        other => panic!("expected an HTTP error, got {other}"),
    }
}

/// What must not change on a refusal: the stored batches (counted in the SQLite file itself),
/// the batch list and the status.
fn snapshot(db: &Path, c: &Client) -> (i64, serde_json::Value, serde_json::Value) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let stored: i64 = conn
        .query_row("SELECT COUNT(*) FROM batches", [], |r| r.get(0))
        .unwrap();
    (
        stored,
        serde_json::to_value(c.batches().unwrap()).unwrap(),
        c.status().unwrap(),
    )
}

#[test]
fn unsigned_and_wrongly_signed_proposals_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let (h, c) = start(&db);
    let a = anchor();
    let t0 = 1_800_000_000;
    let b1 = batch(1, 1, 0);
    let before = snapshot(&db, &c);
    assert_eq!(before.0, 0);

    // Unsigned: 401 (with or without a timestamp).
    assert_eq!(status_of(c.propose_signed(&b1, t0, None).unwrap_err()), 401);
    let raw = format!("http://{}/api/batches", h.addr());
    let body = serde_json::to_string(&b1).unwrap();
    match ureq::post(&raw).send_string(&body) {
        Err(ureq::Error::Status(401, _)) => {}
        other => panic!("{other:?}"),
    }
    // Signed by another key: 403, also through the client's own signing path.
    let stranger = sign_proposal_with(&[0x77; 32], &a, &b1, a.genesis_root, t0);
    assert_eq!(
        status_of(c.propose_signed(&b1, t0, Some(&stranger)).unwrap_err()),
        403
    );
    let wrong = Sequencer::new_unchecked([0x77; 32], &a);
    assert!(Sequencer::new([0x77; 32], &a).is_err());
    assert_eq!(status_of(c.propose(&b1, &wrong).unwrap_err()), 403);
    // The sequencer's key, signed for another deployment (another anchor hash).
    let mut other = a.clone();
    other.council = Address::repeat_byte(1);
    let foreign = sign_proposal(&other, &b1, a.genesis_root, t0);
    assert_eq!(
        status_of(c.propose_signed(&b1, t0, Some(&foreign)).unwrap_err()),
        403
    );
    // ... for another chain (chain 8's proposal, presented as chain 7's batch).
    let chain8 = Proposal {
        chain_id: 8,
        batch_number: 1,
        pre_root: a.genesis_root,
        batch_hash: b1.hash(a.profile.capacity).unwrap(),
        timestamp: t0,
    }
    .sign(&a.hash(), &SEQUENCER_SECRET)
    .unwrap()
    .signature;
    assert_eq!(
        status_of(c.propose_signed(&b1, t0, Some(&chain8)).unwrap_err()),
        403
    );
    // ... over another timestamp, another transfer, another pre root.
    let good = sign_proposal(&a, &b1, a.genesis_root, t0);
    assert_eq!(
        status_of(c.propose_signed(&b1, t0 + 1, Some(&good)).unwrap_err()),
        403
    );
    let changed = batch(1, 2, 0);
    assert_eq!(
        status_of(c.propose_signed(&changed, t0, Some(&good)).unwrap_err()),
        403
    );
    let off_root = sign_proposal(&a, &b1, multiprover_core::Digest::ZERO, t0);
    assert_eq!(
        status_of(c.propose_signed(&b1, t0, Some(&off_root)).unwrap_err()),
        403
    );
    // A high-s copy of the good signature (same ECDSA signature, malleated).
    let mut high = good;
    let n: [u8; 32] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36,
        0x41, 0x41,
    ];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = n[i] as i16 - good.0[32 + i] as i16 - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        high.0[32 + i] = d as u8;
    }
    high.0[64] ^= 27 ^ 28;
    assert_eq!(
        status_of(c.propose_signed(&b1, t0, Some(&high)).unwrap_err()),
        403
    );
    // A signature that is not 65 bytes of hex: a bad request.
    let mut v = serde_json::to_value(&b1).unwrap();
    v["timestamp"] = t0.into();
    v["signature"] = "0x1234".into();
    match ureq::post(&raw).send_string(&v.to_string()) {
        Err(ureq::Error::Status(400, _)) => {}
        other => panic!("{other:?}"),
    }
    // A signature without its timestamp: a bad request.
    let mut v = serde_json::to_value(&b1).unwrap();
    v["signature"] = ProposalSignature::to_hex(&good).into();
    match ureq::post(&raw).send_string(&v.to_string()) {
        Err(ureq::Error::Status(400, _)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        snapshot(&db, &c),
        before,
        "a refused proposal changed the node"
    );

    // Signed by the sequencer: accepted, and the record carries the signed proposal.
    let r = c.propose_signed(&b1, t0, Some(&good)).unwrap();
    assert_eq!(r.batch_number, 1);
    let rec = c.record(1).unwrap();
    assert_eq!(rec.timestamp, t0);
    assert_eq!(rec.signature, Some(good));
    assert_eq!(c.batches().unwrap()[0].timestamp, t0);
    assert_eq!(snapshot(&db, &c).0, 1);
    let head = c.head().unwrap();
    assert_eq!((head.head, head.head_timestamp), (1, t0));
    assert_eq!(head.head_root, r.statement.post_root);

    // Timestamps never decrease: an earlier one, even signed, conflicts with the chain.
    let b2 = batch(2, 2, 0);
    let early = sign_proposal(&a, &b2, r.statement.post_root, t0 - 1);
    let before = snapshot(&db, &c);
    assert_eq!(
        status_of(c.propose_signed(&b2, t0 - 1, Some(&early)).unwrap_err()),
        409
    );
    assert_eq!(snapshot(&db, &c), before);
    // The client signs on the head at a timestamp no earlier than the head's.
    let seq = Sequencer::new(SEQUENCER_SECRET, &a).unwrap();
    assert_eq!(c.propose(&batch(0, 2, 0), &seq).unwrap().batch_number, 2);
    assert!(c.record(2).unwrap().timestamp >= t0);

    // A restart replays the stored batches, checking their signatures again.
    h.shutdown();
    let (_h, c) = start(&db);
    assert_eq!(c.batches().unwrap().len(), 2);
    assert_eq!(c.record(1).unwrap().signature, Some(good));
}

#[test]
fn a_stored_batch_with_a_forged_signature_is_refused_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let (h, c) = start(&db);
    let a = anchor();
    let b1 = batch(1, 1, 0);
    let sig = sign_proposal(&a, &b1, a.genesis_root, 5);
    c.propose_signed(&b1, 5, Some(&sig)).unwrap();
    h.shutdown();
    // Someone with the database file swaps in another key's signature.
    let forged = sign_proposal_with(&[0x77; 32], &a, &b1, a.genesis_root, 5);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE batches SET signature = ?1 WHERE number = 1",
        [forged.to_hex()],
    )
    .unwrap();
    drop(conn);
    let a = anchor();
    let e = spawn(
        NodeConfig {
            anchor_json: a.to_json_pretty(),
            anchor: a,
            db_path: db.clone(),
            listen: "127.0.0.1:0".parse().unwrap(),
            static_dir: None,
            lease_secs: 60,
        },
        Arc::new(AcceptAll),
    )
    .unwrap_err();
    assert!(matches!(e, Error::Corrupt { .. }), "{e}");
}

#[test]
fn a_database_of_the_old_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    // Schema 1: no version in meta, batches without timestamp and signature.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         INSERT INTO meta (key, value) VALUES ('anchor_hash', '0x00');
         CREATE TABLE batches (number INTEGER PRIMARY KEY, batch TEXT NOT NULL,
             claimed_post_root TEXT NOT NULL, created_at INTEGER NOT NULL);",
    )
    .unwrap();
    drop(conn);
    let e = multiprover_node::store::Store::open(&db, &anchor().hash().to_string()).unwrap_err();
    assert!(e.to_string().contains("schema version 1"), "{e}");
    // A new file gets the current version and opens again.
    let fresh = dir.path().join("new.db");
    drop(multiprover_node::store::Store::open(&fresh, &anchor().hash().to_string()).unwrap());
    multiprover_node::store::Store::open(&fresh, &anchor().hash().to_string()).unwrap();
}
