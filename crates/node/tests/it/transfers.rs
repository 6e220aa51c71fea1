//! Signed user transfers (statement v2) over real HTTP on 127.0.0.1 with a real SQLite file:
//! `GET /api/accounts/{index}`, `POST /api/transfers`, `GET /api/transfers/pending`, and the
//! sequencer's `NodeHandle::take_batch`.

use std::path::Path;
use std::sync::Arc;

use multiprover_core::anchor::{TeeRegistry, TrustAnchor};
use multiprover_core::ecgfp5::GFp5;
use multiprover_core::schnorr::SecretKey;
use multiprover_core::settlement::ProofVerifier;
use multiprover_core::{
    genesis_tree, Account, Envelope, GenesisAccount, StatementVersion, SystemId, SystemKey,
    Transfer, VerifyError, B256,
};
use multiprover_node::client::Client;
use multiprover_node::{spawn, Error, NodeConfig, NodeHandle, MAX_PENDING};
use multiprover_testkit::{Scenario, CHAIN_ID, GENESIS_BALANCE};

/// No proof is submitted in these tests.
struct NoProofs;
impl ProofVerifier for NoProofs {
    fn verify(&self, _: &TrustAnchor, e: &Envelope, _: u64) -> Result<(), VerifyError> {
        Err(VerifyError::rejected(e.system, "no proofs here"))
    }
}

fn key(i: u32) -> SecretKey {
    SecretKey::from_seed(format!("transfers test account {i}").as_bytes())
}

fn pk(i: u32) -> GFp5 {
    key(i).public_key().encoding()
}

/// The small scenario's accounts 1..=4, each keyed by `key(i)` under v2.
fn anchor(version: StatementVersion) -> TrustAnchor {
    let mut s = Scenario::small();
    if version == StatementVersion::V2 {
        s.genesis = (1..=4)
            .map(|i| GenesisAccount::with_key(i, GENESIS_BALANCE, pk(i)))
            .collect();
    }
    let tee = SystemKey {
        system: SystemId::Tee,
        vk_id: B256::repeat_byte(9),
        key: Default::default(),
    };
    let mut a = s.anchor(vec![tee], TeeRegistry::default());
    a.statement_version = version;
    a.genesis_root = genesis_tree(a.profile.depth, &a.genesis).unwrap().root();
    a
}

fn start(db: &Path, version: StatementVersion) -> (NodeHandle, Client) {
    let a = anchor(version);
    let h = spawn(
        NodeConfig {
            anchor_json: a.to_json_pretty(),
            anchor: a,
            db_path: db.to_path_buf(),
            listen: "127.0.0.1:0".parse().unwrap(),
            static_dir: None,
            lease_secs: 60,
        },
        Arc::new(NoProofs),
    )
    .unwrap();
    let c = Client::new(&format!("http://{}/", h.addr()));
    (h, c)
}

/// `from -> to` at `nonce`, naming `to_pk` as the receiver's key, signed by `signer`'s key.
fn signed(from: u32, to: u32, amount: u64, nonce: u32, to_pk: GFp5, signer: u32) -> Transfer {
    let mut t = Transfer::new(from, to, amount, nonce);
    t.to_pk = to_pk;
    t.signed(CHAIN_ID, &key(signer)).unwrap()
}

fn status_of(e: Error) -> u16 {
    match e {
        Error::Http { status, .. } => status,
        other => panic!("expected an HTTP error, got {other}"),
    }
}

/// POST a raw body to `path`: (status, JSON body).
fn post_raw(addr: std::net::SocketAddr, path: &str, body: &str) -> (u16, serde_json::Value) {
    match ureq::post(&format!("http://{addr}{path}"))
        .set("content-type", "application/json")
        .send_string(body)
    {
        Ok(r) => (
            r.status(),
            serde_json::from_str(&r.into_string().unwrap()).unwrap(),
        ),
        Err(ureq::Error::Status(s, r)) => {
            (s, serde_json::from_str(&r.into_string().unwrap()).unwrap())
        }
        Err(e) => panic!("transport: {e}"),
    }
}

#[test]
fn an_account_is_shown_with_a_path_to_the_head_root() {
    let dir = tempfile::tempdir().unwrap();
    let (h, c) = start(&dir.path().join("n.db"), StatementVersion::V2);
    let v = c.account(3).unwrap();
    assert_eq!(
        (v.index, v.head, v.balance, v.nonce),
        (3, 0, GENESIS_BALANCE, 0)
    );
    assert_eq!(v.pk, Some(pk(3)));
    assert_eq!(v.root, anchor(StatementVersion::V2).genesis_root);
    let leaf = Account {
        balance: v.balance,
        nonce: v.nonce,
        pk: pk(3),
    }
    .leaf();
    assert_eq!(v.path.root(3, leaf), v.root);
    // Another account's leaf does not lead there.
    assert_ne!(v.path.root(3, Account::new(v.balance, 0).leaf()), v.root);
    let empty = c.account(200).unwrap();
    assert_eq!((empty.balance, empty.nonce, empty.pk), (0, 0, None));
    assert_eq!(empty.path.root(200, Account::default().leaf()), v.root);
    assert_eq!(status_of(c.account(256).unwrap_err()), 404);
    let addr = h.addr();
    match ureq::get(&format!("http://{addr}/api/accounts/x")).call() {
        Err(ureq::Error::Status(s, _)) => assert_eq!(s, 400),
        other => panic!("expected 400, got {other:?}"),
    }
}

#[test]
fn signed_transfers_are_queued_in_order_and_become_the_next_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (h, c) = start(&dir.path().join("n.db"), StatementVersion::V2);
    let a = anchor(StatementVersion::V2);
    // Two transfers from account 1 (nonces 0 and 1: the second builds on the pending state),
    // and a first payment to keyless account 9, which gets the key named.
    let new_key = SecretKey::from_seed(b"account nine");
    let t1 = signed(1, 2, 100, 0, pk(2), 1);
    let t2 = signed(1, 9, 50, 1, new_key.public_key().encoding(), 1);
    let r = c.submit_transfer(&t1).unwrap();
    assert_eq!(
        (r["queued"].as_bool(), r["pending"].as_u64()),
        (Some(true), Some(1))
    );
    assert_eq!(c.submit_transfer(&t2).unwrap()["pending"], 2);
    // The same (sender, nonce) again, even re-signed with another amount: 409.
    assert_eq!(status_of(c.submit_transfer(&t1).unwrap_err()), 409);
    assert_eq!(
        status_of(
            c.submit_transfer(&signed(1, 2, 7, 0, pk(2), 1))
                .unwrap_err()
        ),
        409
    );
    assert_eq!(c.pending_transfers().unwrap(), vec![t1, t2]);
    let v = c.account(1).unwrap();
    assert_eq!((v.nonce, v.balance), (0, GENESIS_BALANCE));
    assert_eq!(
        (v.pending.nonce, v.pending.balance),
        (2, GENESIS_BALANCE - 150)
    );
    assert_eq!(
        c.account(9).unwrap().pending.pk,
        new_key.public_key().encoding()
    );
    // Account 9's first payment is pending, so it can already spend with its new key.
    let t3 = Transfer::new(9, 1, 50, 0);
    let t3 = Transfer { to_pk: pk(1), ..t3 }
        .signed(CHAIN_ID, &new_key)
        .unwrap();
    assert_eq!(c.submit_transfer(&t3).unwrap()["pending"], 3);

    // The sequencer takes a batch of at most the capacity (2), oldest first; it applies.
    let b = h.take_batch().unwrap();
    assert_eq!((b.chain_id, b.batch_number), (CHAIN_ID, 1));
    assert_eq!(b.transfers, vec![t1, t2]);
    let mut state = genesis_tree(a.profile.depth, &a.genesis).unwrap();
    a.apply(&mut state, &b).unwrap();
    assert_eq!(c.pending_transfers().unwrap(), vec![t3]);
    let seq = multiprover_node::Sequencer::new(multiprover_testkit::SEQUENCER_SECRET, &a).unwrap();
    let st = c.propose(&b, &seq).unwrap().statement;
    assert_eq!(st.post_root, state.root());
    // The head moved: the account shows the batch, the pool replays on it.
    let v = c.account(9).unwrap();
    assert_eq!(
        (v.head, v.balance, v.pk),
        (1, 50, Some(new_key.public_key().encoding()))
    );
    assert_eq!(v.root, state.root());
    assert_eq!(v.pending.balance, 0);
    let b2 = h.take_batch().unwrap();
    assert_eq!((b2.batch_number, b2.transfers.clone()), (2, vec![t3]));
    c.propose(&b2, &seq).unwrap();
    assert!(h.take_batch().is_none());
    assert_eq!(c.account(1).unwrap().balance, GENESIS_BALANCE - 100);
}

#[test]
fn refused_transfers_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (h, c) = start(&dir.path().join("n.db"), StatementVersion::V2);
    let before = c.account(1).unwrap();
    let good = signed(1, 2, 100, 0, pk(2), 1);
    let unsigned = Transfer {
        signature: None,
        ..good
    };
    let cases: Vec<(Transfer, u16, &str)> = vec![
        (unsigned, 401, "unsigned"),
        // Signed by account 2's key, not the sender's.
        (signed(1, 2, 100, 0, pk(2), 2), 403, "bad_signature"),
        // A valid signature over another transfer.
        (
            Transfer {
                amount: 101,
                ..good
            },
            403,
            "bad_signature",
        ),
        // Signed for another chain.
        (
            {
                let mut t = Transfer::new(1, 2, 100, 0);
                t.to_pk = pk(2);
                t.signed(CHAIN_ID + 1, &key(1)).unwrap()
            },
            403,
            "bad_signature",
        ),
        (signed(1, 2, 100, 0, pk(3), 1), 422, "rule"),
        (signed(1, 2, 100, 1, pk(2), 1), 422, "rule"),
        (signed(1, 2, GENESIS_BALANCE + 1, 0, pk(2), 1), 422, "rule"),
        (signed(1, 1, 100, 0, pk(1), 1), 422, "rule"),
        (signed(1, 300, 100, 0, pk(2), 1), 422, "rule"),
        // Keyless account 9 cannot send at all (amount 0: only the key rule is broken).
        (signed(9, 1, 0, 0, pk(1), 1), 403, "bad_signature"),
    ];
    for (t, status, reason) in cases {
        let (s, body) = post_raw(
            h.addr(),
            "/api/transfers",
            &serde_json::to_string(&t).unwrap(),
        );
        assert_eq!(
            (s, body["reason"].as_str()),
            (status, Some(reason)),
            "{t:?}: {body}"
        );
        assert!(
            body["error"].is_string() && body["kind"].is_string(),
            "{body}"
        );
    }
    for bad in [
        "",
        "{",
        "[]",
        r#"{"from": 1}"#,
        r#"{"from":1,"to":2,"amount":1,"nonce":0,"extra":1}"#,
    ] {
        let (s, body) = post_raw(h.addr(), "/api/transfers", bad);
        assert_eq!(
            (s, body["kind"].as_str()),
            (400, Some("malformed")),
            "{bad}: {body}"
        );
    }
    let too_large = multiprover_node::api::MAX_TRANSFER_BODY + 1;
    assert_eq!(
        crate::api::declared_too_large(h.addr(), "/api/transfers", too_large),
        413
    );
    assert!(c.pending_transfers().unwrap().is_empty());
    assert!(h.take_batch().is_none());
    assert_eq!(c.account(1).unwrap(), before);
    // The good one still goes in.
    c.submit_transfer(&good).unwrap();
}

#[test]
fn a_v1_chain_takes_no_user_transfers() {
    let dir = tempfile::tempdir().unwrap();
    let (h, c) = start(&dir.path().join("n.db"), StatementVersion::V1);
    let (s, body) = post_raw(
        h.addr(),
        "/api/transfers",
        r#"{"from":1,"to":2,"amount":1,"nonce":0}"#,
    );
    assert_eq!(
        (s, body["reason"].as_str()),
        (409, Some("wrong_version")),
        "{body}"
    );
    assert!(c.pending_transfers().unwrap().is_empty());
}

#[test]
fn a_full_pool_refuses_with_503_until_a_batch_drains_it() {
    let dir = tempfile::tempdir().unwrap();
    let (h, c) = start(&dir.path().join("n.db"), StatementVersion::V2);
    for nonce in 0..MAX_PENDING as u32 {
        c.submit_transfer(&signed(1, 2, 1, nonce, pk(2), 1))
            .unwrap();
    }
    let next = signed(3, 4, 1, 0, pk(4), 3);
    let (s, body) = post_raw(
        h.addr(),
        "/api/transfers",
        &serde_json::to_string(&next).unwrap(),
    );
    assert_eq!(
        (s, body["reason"].as_str()),
        (503, Some("pool_full")),
        "{body}"
    );
    assert_eq!(c.pending_transfers().unwrap().len(), MAX_PENDING);
    let b = h.take_batch().unwrap();
    assert_eq!(b.transfers.len(), 2);
    c.submit_transfer(&next).unwrap();
}
