//! Cross-batch reuse, weak options, wrong systems and keys are rejected (flipped, truncated and
//! garbage proofs: `verify_fuzz.rs`).

#![cfg(feature = "prover")]

use crate::common::*;
use multiprover_core::proof_system::PrecheckError;
use multiprover_core::{apply_batch, Batch, Profile, SystemId, Transfer};
use multiprover_stark::prover::default_options;
use multiprover_stark::{verify, Error, Prover, Variant};

#[test]
fn cross_batch_reuse_is_rejected() {
    let key = prover().system_key();
    let mut tree = genesis();
    apply_batch(&mut tree, &batch1(), Profile::SMALL).unwrap();
    let batch2 = Batch {
        chain_id: CHAIN_ID,
        batch_number: 2,
        transfers: vec![Transfer::new(2, 1, 7, 0)],
    };
    let w2 = apply_batch(&mut tree, &batch2, Profile::SMALL).unwrap();
    let env2 = prover().prove(&w2).unwrap();
    verify(&key, &env2).unwrap();
    // batch 1's proof under batch 2's statement, and the other way round
    let mut a = envelope1().clone();
    a.statement = env2.statement;
    assert!(verify(&key, &a).is_err());
    let mut b = env2.clone();
    b.statement = envelope1().statement;
    assert!(verify(&key, &b).is_err());
    // the same transfers under another batch number or chain id hash differently
    let mut c = envelope1().clone();
    c.statement.batch_number = 2;
    c.statement.batch_hash = Batch {
        batch_number: 2,
        ..batch1()
    }
    .hash(2)
    .unwrap();
    assert!(verify(&key, &c).is_err());
}

#[test]
fn weaker_options_are_rejected_by_the_anchor_minimum() {
    use air::{BatchingMethod, FieldExtension, ProofOptions};
    // 8 queries at blowup 8 and no grinding: 23 conjectured bits
    let weak = ProofOptions::new(
        8,
        8,
        0,
        FieldExtension::Quadratic,
        8,
        31,
        BatchingMethod::Linear,
        BatchingMethod::Linear,
    );
    let weak_prover =
        Prover::with_options(Profile::SMALL, Variant::Sound, weak.clone(), 100).unwrap();
    let env = weak_prover.prove(&witness1()).unwrap();
    // the key demands 100 bits (same key material as the default prover's): rejected
    assert_eq!(weak_prover.system_key(), prover().system_key());
    let err = verify(&prover().system_key(), &env).unwrap_err();
    assert!(matches!(err, Error::Rejected(_)), "{err}");
    // a key that asks for only 20 bits accepts it: the minimum is what rejected it
    let lax = Prover::with_options(Profile::SMALL, Variant::Sound, weak, 20).unwrap();
    let mut env_lax = env.clone();
    env_lax.vk_id = lax.system_key().vk_id;
    verify(&lax.system_key(), &env_lax).unwrap();
    // and the default options meet the default minimum
    assert!(default_options().num_queries() >= 29);
}

#[test]
fn wrong_system_and_key_are_rejected() {
    let key = prover().system_key();
    let mut env = envelope1().clone();
    env.system = SystemId::Plonky2;
    assert!(matches!(
        verify(&key, &env),
        Err(Error::Precheck(PrecheckError::WrongSystem { .. }))
    ));
    let mut env = envelope1().clone();
    env.vk_id.0[0] ^= 1;
    assert!(matches!(
        verify(&key, &env),
        Err(Error::Precheck(
            PrecheckError::KeyMismatch { .. } | PrecheckError::KeyIdMismatch { .. }
        ))
    ));
    // a key for another profile: vk ids differ
    let other = Prover::setup(Profile {
        depth: 8,
        capacity: 4,
    })
    .unwrap()
    .system_key();
    assert!(matches!(
        verify(&other, envelope1()),
        Err(Error::Precheck(
            PrecheckError::KeyMismatch { .. } | PrecheckError::KeyIdMismatch { .. }
        ))
    ));
    // consistent vk id but the proof is for another profile: trace shape rejected
    let mut env = envelope1().clone();
    env.vk_id = other.vk_id;
    assert!(matches!(verify(&other, &env), Err(Error::TraceShape(_))));
    // key material that does not parse
    let mut bad = key.clone();
    bad.key = vec![1, 2, 3].into();
    bad.vk_id = multiprover_stark::vk_id(&bad.key);
    let mut env = envelope1().clone();
    env.vk_id = bad.vk_id;
    assert!(matches!(verify(&bad, &env), Err(Error::BadKey(_))));
}
