//! Real keygen, proofs and verification for the small profile: the test matrix shared with
//! the other systems.

use multiprover_core::proof_system::PrecheckError;
use std::sync::OnceLock;

use crate::common::*;
use multiprover_core::{apply_batch, Batch, Envelope, SystemId};
use multiprover_halo2::{verify, verify_many, Error, Prover};

fn prover() -> &'static Prover {
    static P: OnceLock<Prover> = OnceLock::new();
    P.get_or_init(|| {
        multiprover_testkit::share_halo2_params();
        let t = std::time::Instant::now();
        let p = Prover::setup(PROFILE).expect("setup");
        eprintln!("setup: {:?}", t.elapsed());
        p
    })
}

fn honest_envelope() -> &'static Envelope {
    static E: OnceLock<Envelope> = OnceLock::new();
    E.get_or_init(|| {
        let t = std::time::Instant::now();
        let e = prover().prove(&fixture_witness()).expect("prove");
        eprintln!("prove: {:?}", t.elapsed());
        e
    })
}

#[test]
#[ignore = "real halo2 keygen and proving at k = 17 take ~10-15 min on 2 cores; run with `cargo test -p multiprover-halo2 --features prover -- --ignored`"]
fn honest_proof_verifies_and_everything_else_is_rejected() {
    let p = prover();
    let key = p.system_key();
    let env = honest_envelope();
    assert_eq!(p.key_material().k, multiprover_halo2::k_for(PROFILE));
    let t = std::time::Instant::now();
    verify(&key, env).expect("honest proof verifies");
    eprintln!("verify: {:?}", t.elapsed());
    // The envelope survives its byte encoding.
    let decoded = Envelope::from_bytes(&env.to_bytes()).expect("decode");
    verify(&key, &decoded).expect("decoded envelope verifies");

    // A changed public input.
    for i in 0..3 {
        let mut e = env.clone();
        let d = match i {
            0 => &mut e.statement.pre_root,
            1 => &mut e.statement.post_root,
            _ => &mut e.statement.batch_hash,
        };
        d.0[i] += multiprover_core::Fp::ONE;
        assert!(
            matches!(verify(&key, &e), Err(Error::Rejected(_))),
            "public input {i}"
        );
    }

    // Cross-batch reuse: batch 1's proof presented for batch 2.
    let mut tree = fixture_genesis();
    apply_batch(&mut tree, &fixture_batch(), PROFILE).expect("batch 1");
    let batch2 = Batch {
        chain_id: CHAIN_ID,
        batch_number: 2,
        transfers: vec![tx(2, 1, 7, 0)],
    };
    let w2 = apply_batch(&mut tree, &batch2, PROFILE).expect("batch 2");
    let mut e = env.clone();
    e.statement = w2.statement;
    assert!(matches!(verify(&key, &e), Err(Error::Rejected(_))));
    // The same transfers under another batch number change the batch hash.
    let mut tree = fixture_genesis();
    let mut b = fixture_batch();
    b.batch_number = 9;
    let w9 = apply_batch(&mut tree, &b, PROFILE).expect("batch 9");
    let mut e = env.clone();
    e.statement = w9.statement;
    assert!(matches!(verify(&key, &e), Err(Error::Rejected(_))));

    // Flipped bytes anywhere in the proof: an error, never a panic.
    let n = env.proof.len();
    for pos in [0, 1, 31, 32, 100, n / 3, n / 2, n - 33, n - 1] {
        let mut e = env.clone();
        e.proof[pos] ^= 0x01;
        assert!(verify(&key, &e).is_err(), "flipped byte {pos}");
    }
    // Truncated and extended proofs.
    for len in [0, 1, n / 2, n - 1] {
        let mut e = env.clone();
        e.proof.truncate(len);
        assert!(verify(&key, &e).is_err(), "truncated to {len}");
    }
    let mut e = env.clone();
    e.proof.push(0);
    assert!(matches!(verify(&key, &e), Err(Error::BadProof(_))));

    // Wrong system, wrong vk ids, bad key material.
    let mut e = env.clone();
    e.system = SystemId::Plonky2;
    assert!(matches!(
        verify(&key, &e),
        Err(Error::Precheck(PrecheckError::WrongSystem { .. }))
    ));
    let mut e = env.clone();
    e.vk_id = multiprover_core::B256::repeat_byte(1);
    assert!(matches!(
        verify(&key, &e),
        Err(Error::Precheck(
            PrecheckError::KeyMismatch { .. } | PrecheckError::KeyIdMismatch { .. }
        ))
    ));
    let mut k2 = key.clone();
    let mut material = k2.key.to_vec();
    material[11] += 1; // k
    k2.key = material.into();
    k2.vk_id = multiprover_halo2::vk_id(&k2.key);
    let mut e = env.clone();
    e.vk_id = k2.vk_id;
    assert!(matches!(verify(&k2, &e), Err(Error::BadKey(_))));
    for cut in 0..k2.key.len() {
        let mut k3 = key.clone();
        k3.key = key.key[..cut].to_vec().into();
        k3.vk_id = multiprover_halo2::vk_id(&k3.key);
        let mut e = env.clone();
        e.vk_id = k3.vk_id;
        assert!(verify(&k3, &e).is_err());
    }
}

#[test]
#[ignore = "real halo2 keygen and proving at k = 17 take ~10-15 min on 2 cores; run with `cargo test -p multiprover-halo2 --features prover -- --ignored`"]
fn batch_verification_reports_each_envelope() {
    let key = prover().system_key();
    let env = honest_envelope();
    let mut bad = env.clone();
    bad.statement.post_root = bad.statement.pre_root;
    let mut short = env.clone();
    short.proof.truncate(10);
    let km = multiprover_halo2::KeyMaterial::from_bytes(&key.key).expect("key material");
    let all_good = vec![env, env, env];
    let res = verify_many(&km, &all_good);
    assert!(res.iter().all(|r| r.is_ok()), "{res:?}");
    let mixed = vec![env, &bad, env, &short];
    let res = verify_many(&km, &mixed);
    assert!(res[0].is_ok() && res[2].is_ok(), "{res:?}");
    assert!(matches!(res[1], Err(Error::Rejected(_))), "{res:?}");
    assert!(matches!(res[3], Err(Error::BadProof(_))), "{res:?}");
}

#[test]
#[ignore = "real halo2 keygen and proving at k = 17 take ~10-15 min on 2 cores; run with `cargo test -p multiprover-halo2 --features prover -- --ignored`"]
fn a_witness_of_the_wrong_shape_is_an_error() {
    // (Rule-breaking witnesses are covered by `statement_mock.rs`: one real proof of each
    // would cost minutes. `Prover::prove` checks its own proof and returns
    // `Error::Unsatisfied` instead of an envelope when the circuit is not satisfied.)
    let mut w = fixture_witness();
    w.slots.pop();
    assert!(matches!(prover().prove(&w), Err(Error::BadWitness(_))));
    let mut w = fixture_witness();
    w.slots[0].sender_path.siblings.pop();
    assert!(matches!(prover().prove(&w), Err(Error::BadWitness(_))));
    let mut w = fixture_witness();
    w.profile.depth += 1;
    assert!(matches!(prover().prove(&w), Err(Error::BadWitness(_))));
}
