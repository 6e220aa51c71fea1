//! Adversarial inputs against every verifier and against a running node (issue 10; the
//! claims they back are in docs/security.md).
//!
//! For each system, starting from its committed valid fixture (testdata/fixtures/<system>,
//! batch 1 of the small profile, chain 7), every input below must be rejected with an error —
//! never accepted, never a panic — both by `multiprover_verifier::verify_envelope_bytes` and
//! by a node (`POST /api/envelopes`), and the node's state must be byte for byte the same
//! afterwards:
//!
//! * the proof with one byte flipped, at positions spread over the whole proof;
//! * the proof truncated and extended; the envelope bytes truncated and extended;
//! * the proof under another system's id (with that system's pinned vk id, too);
//! * the proof moved to another batch (batch 2's statement) and to another chain;
//! * each of the 12 public inputs (pre root, post root, batch hash elements) changed;
//! * a wrong verifying-key id;
//! * for the STARK, an anchor whose key demands more security than the proof has, and an
//!   anchor that lowers the demanded security (its vk id and anchor hash change).
//!
//! The honest fixtures are accepted by both at the end, so the rejections are not an artefact
//! of a node that rejects everything. halo2's verifier setup (params and key at k = 17) is
//! paid once for the process.

use multiprover_core::alloy_primitives::{keccak256, Bytes};
use multiprover_core::{Batch, Digest, Envelope, Fp, SystemId, SystemKey, TrustAnchor};
use multiprover_node::client::Client;
use multiprover_node::{spawn, NodeConfig};
use multiprover_testkit::fixture::{envelope_bytes as fixture_envelope, key as fixture_key};
use multiprover_testkit::{Scenario, NOW};
use multiprover_verifier::verify_envelope_bytes;

/// The fixture scenario's anchor with the committed keys of all four systems and the fixture
/// enclave registry (halo2's params shared through the params directory).
fn anchor() -> TrustAnchor {
    multiprover_testkit::share_halo2_params();
    let a = Scenario::small().fixture_anchor(&SystemId::ALL);
    a.validate().expect("valid anchor");
    a
}

fn batch1() -> Batch {
    Scenario::small().batch(1).clone()
}

/// One named adversarial input.
struct Case {
    name: String,
    bytes: Vec<u8>,
}

fn with_proof(e: &Envelope, proof: Vec<u8>) -> Vec<u8> {
    Envelope { proof, ..e.clone() }.to_bytes()
}

fn bump(f: Fp) -> Fp {
    f + Fp::new(1)
}

/// Every adversarial variant of one system's fixture envelope.
fn cases(system: SystemId, anchor: &TrustAnchor) -> Vec<Case> {
    let bytes = fixture_envelope(system);
    let e = Envelope::from_bytes(&bytes).expect("fixture decodes");
    let mut out = Vec::new();
    let mut push = |name: String, bytes: Vec<u8>| out.push(Case { name, bytes });

    // Byte flips spread over the proof (halo2 costs ~0.5 s per verification: fewer).
    let samples = if system == SystemId::Halo2 { 5 } else { 24 };
    let n = e.proof.len();
    let mut positions: Vec<usize> = (0..samples).map(|i| i * n / samples).collect();
    positions.push(n - 1);
    for pos in positions {
        for mask in [0x01u8, 0x80] {
            let mut p = e.proof.clone();
            p[pos] ^= mask;
            push(format!("proof byte {pos} ^ {mask:#04x}"), with_proof(&e, p));
        }
    }
    // Truncated and extended proofs, and raw envelope bytes cut or extended.
    for keep in [0, 1, n / 2, n - 1] {
        push(
            format!("proof truncated to {keep} bytes"),
            with_proof(&e, e.proof[..keep].to_vec()),
        );
    }
    for extra in [1usize, 32] {
        let mut p = e.proof.clone();
        p.extend(std::iter::repeat_n(0u8, extra));
        push(
            format!("proof extended by {extra} bytes"),
            with_proof(&e, p),
        );
    }
    push(
        "envelope cut by one byte".into(),
        bytes[..bytes.len() - 1].to_vec(),
    );
    let mut longer = bytes.clone();
    longer.push(0);
    push("envelope with a trailing byte".into(), longer);
    push("envelope header only".into(), bytes[..150].to_vec());

    // The right statement's proof under another system's id.
    for other in SystemId::ALL.into_iter().filter(|s| *s != system) {
        let mut x = e.clone();
        x.system = other;
        push(format!("labelled {other}"), x.to_bytes());
        if let Some(k) = anchor.key(other) {
            x.vk_id = k.vk_id;
            push(
                format!("labelled {other} with its pinned vk id"),
                x.to_bytes(),
            );
        }
    }

    // Moved to another batch / chain.
    let mut x = e.clone();
    x.statement.batch_number = 2;
    x.statement.pre_root = e.statement.post_root;
    push("moved to batch 2".into(), x.to_bytes());
    let mut x = e.clone();
    x.statement.chain_id = 8;
    push("chain 8".into(), x.to_bytes());

    // Each of the 12 public inputs changed.
    for (field, pick) in [("pre_root", 0usize), ("post_root", 1), ("batch_hash", 2)] {
        for j in 0..4 {
            let mut x = e.clone();
            let d: &mut Digest = match pick {
                0 => &mut x.statement.pre_root,
                1 => &mut x.statement.post_root,
                _ => &mut x.statement.batch_hash,
            };
            d.0[j] = bump(d.0[j]);
            push(format!("{field}[{j}] + 1"), x.to_bytes());
        }
    }

    // A verifying-key id the anchor does not pin.
    let mut x = e.clone();
    x.vk_id = keccak256(b"not the pinned key");
    push("unpinned vk id".into(), x.to_bytes());
    out
}

/// Everything the node serves about its state, for before/after comparison.
fn snapshot(client: &Client) -> String {
    let batches = serde_json::to_string(&client.batches().expect("batches")).expect("json");
    let record = client.record(1).expect("record").to_json();
    let mut status = client.status().expect("status");
    // Not state: the same anchor.
    status.as_object_mut().map(|o| o.remove("anchor_hash"));
    format!("{batches}\n{record}\n{status}")
}

#[test]
fn every_adversarial_envelope_is_rejected_and_changes_nothing() {
    let anchor = anchor();
    let dir = tempfile::tempdir().expect("tempdir");
    let node = spawn(
        NodeConfig {
            anchor: anchor.clone(),
            anchor_json: anchor.to_json(),
            db_path: dir.path().join("node.db"),
            listen: "127.0.0.1:0".parse().expect("addr"),
            static_dir: None,
            lease_secs: 60,
        },
        multiprover_node::default_verifier(),
    )
    .expect("node");
    let client = Client::new(&format!("http://{}", node.addr()));
    // Signed at the fixture time (inside the fixture enclave's window).
    let sig = multiprover_testkit::sign_proposal(&anchor, &batch1(), anchor.genesis_root, NOW);
    client
        .propose_signed(&batch1(), NOW, Some(&sig))
        .expect("propose batch 1");
    let before = snapshot(&client);

    let mut total = 0;
    for system in SystemId::ALL {
        // The honest fixture verifies: the suite starts from something valid.
        verify_envelope_bytes(&anchor, &fixture_envelope(system), NOW)
            .unwrap_or_else(|e| panic!("{system} fixture: {e}"));
        for case in cases(system, &anchor) {
            assert!(
                verify_envelope_bytes(&anchor, &case.bytes, NOW).is_err(),
                "{system}: verifier accepted `{}`",
                case.name
            );
            match client.submit(&case.bytes) {
                Err(multiprover_node::Error::Http { status, .. }) => assert!(
                    (400..500).contains(&status),
                    "{system}: `{}` answered HTTP {status}",
                    case.name
                ),
                other => panic!("{system}: node did not reject `{}`: {other:?}", case.name),
            }
            total += 1;
        }
        assert_eq!(
            snapshot(&client),
            before,
            "{system}: rejected input changed the node's state"
        );
    }
    println!("{total} adversarial envelopes rejected by the verifier and the node");

    // The honest fixtures are accepted and do change the state.
    for system in SystemId::ALL {
        client
            .submit(&fixture_envelope(system))
            .unwrap_or_else(|e| panic!("{system} fixture refused by the node: {e}"));
    }
    assert_ne!(snapshot(&client), before);
    node.shutdown();
}

/// The batch number is not one of the 12 public inputs: it is bound through the batch hash
/// (whose header commits to chain id and batch number). A bare proof verification cannot
/// see a relabelled number; the node and the light client, which hold the batch, do.
#[test]
fn a_relabelled_batch_number_is_caught_by_whoever_holds_the_batch() {
    let anchor = anchor();
    let batch = batch1();
    let capacity = anchor.profile.capacity;
    for system in [SystemId::Plonky2, SystemId::Stark, SystemId::Tee] {
        let e = Envelope::from_bytes(&fixture_envelope(system)).expect("decodes");
        let mut x = e.clone();
        x.statement.batch_number = 2;
        // Documented limit: the proof alone still verifies.
        let bare = verify_envelope_bytes(&anchor, &x.to_bytes(), NOW);
        // What the node and the light client check: the statement's batch hash is the hash
        // of the batch they hold under that number.
        let relabelled = Batch {
            batch_number: 2,
            ..batch.clone()
        };
        assert_eq!(batch.hash(capacity).expect("hash"), e.statement.batch_hash);
        assert_ne!(
            relabelled.hash(capacity).expect("hash"),
            x.statement.batch_hash
        );
        println!(
            "{system}: bare verification of a relabelled number: {:?}",
            bare.map(|_| ())
        );
    }
}

/// Rebuild a STARK key with another minimum security; returns it with its vk id.
fn stark_key_with_security(bits: u32) -> SystemKey {
    let mut material = fixture_key(SystemId::Stark).key.to_vec();
    material[7..11].copy_from_slice(&bits.to_le_bytes());
    SystemKey {
        system: SystemId::Stark,
        vk_id: multiprover_stark::vk_id(&material),
        key: Bytes::from(material),
    }
}

#[test]
fn security_levels_are_bound_to_the_key_and_enforced() {
    let anchor = anchor();
    let bytes = fixture_envelope(SystemId::Stark);
    let e = Envelope::from_bytes(&bytes).expect("decodes");
    verify_envelope_bytes(&anchor, &bytes, NOW).expect("fixture verifies");

    // An anchor that quietly lowers the demanded security is another anchor: its hash
    // differs (a light client pins the hash) and its key id differs, so the fixture's
    // envelope no longer names it.
    let mut weaker = anchor.clone();
    let weak_key = stark_key_with_security(1);
    weaker.systems.retain(|k| k.system != SystemId::Stark);
    weaker.systems.push(weak_key.clone());
    assert_ne!(weaker.hash(), anchor.hash());
    assert_ne!(weak_key.vk_id, fixture_key(SystemId::Stark).vk_id);
    assert!(verify_envelope_bytes(&weaker, &bytes, NOW).is_err());

    // A key that demands more than the proof's options give (the fixture proves at 105
    // conjectured bits) rejects the proof even when the envelope names that key.
    let mut stricter = anchor.clone();
    let strict_key = stark_key_with_security(120);
    stricter.systems.retain(|k| k.system != SystemId::Stark);
    stricter.systems.push(strict_key.clone());
    let renamed = Envelope {
        vk_id: strict_key.vk_id,
        ..e.clone()
    };
    let err = verify_envelope_bytes(&stricter, &renamed.to_bytes(), NOW)
        .expect_err("a proof below the key's minimum security must be rejected");
    println!("below minimum security: {err}");
    // The same renamed envelope under a key that demands just below what the proof has (104
    // bits) verifies, so the rejection above is the security check and not the renaming.
    let mut enough = anchor.clone();
    let enough_key = stark_key_with_security(104);
    enough.systems.retain(|k| k.system != SystemId::Stark);
    enough.systems.push(enough_key.clone());
    let renamed = Envelope {
        vk_id: enough_key.vk_id,
        ..e
    };
    verify_envelope_bytes(&enough, &renamed.to_bytes(), NOW).expect("104 bits demanded: verifies");
}
