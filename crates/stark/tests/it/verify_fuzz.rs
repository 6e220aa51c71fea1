//! Verification of the committed fixture under tampering: every changed public input,
//! truncations, flipped bits, garbage and overwritten ranges give errors, never panics. Needs
//! no prover, so it also runs in the default (verifier-only) build.

use crate::common::*;
use multiprover_core::{Digest, Fp};
use multiprover_stark::verify;
use proptest::prelude::*;

#[test]
fn changed_public_input_is_rejected() {
    let key = fixture_key();
    for i in 0..12 {
        let mut env = fixture_envelope().clone();
        let bump = |d: &mut Digest, j: usize| d.0[j] += Fp::ONE;
        match i / 4 {
            0 => bump(&mut env.statement.pre_root, i % 4),
            1 => bump(&mut env.statement.post_root, i % 4),
            _ => bump(&mut env.statement.batch_hash, i % 4),
        }
        assert!(
            verify(&key, &env).is_err(),
            "public input {i} changed but accepted"
        );
    }
}

#[test]
fn truncated_proofs_are_errors() {
    let key = fixture_key();
    let len = fixture_envelope().proof.len();
    for cut in (0..len).step_by(97).chain([len - 1]) {
        let mut env = fixture_envelope().clone();
        env.proof.truncate(cut);
        assert!(verify(&key, &env).is_err(), "truncated at {cut}");
    }
    let mut env = fixture_envelope().clone();
    env.proof.push(0);
    assert!(verify(&key, &env).is_err(), "trailing byte accepted");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn flipped_proof_bytes_are_errors(pos in any::<usize>(), bit in 0u8..8) {
        let key = fixture_key();
        let mut env = fixture_envelope().clone();
        let p = pos % env.proof.len();
        env.proof[p] ^= 1 << bit;
        prop_assert!(verify(&key, &env).is_err(), "flip at byte {} accepted", p);
    }

    #[test]
    fn garbage_proofs_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), keep in 0usize..64) {
        let key = fixture_key();
        let mut env = fixture_envelope().clone();
        // a valid context prefix followed by garbage reaches the deep parser
        let k = keep.min(env.proof.len());
        let mut proof = env.proof[..k].to_vec();
        proof.extend_from_slice(&bytes);
        env.proof = proof;
        prop_assert!(verify(&key, &env).is_err());
    }

    #[test]
    fn overwritten_proof_ranges_never_panic(start in any::<usize>(), len in 1usize..64, val in any::<u8>()) {
        let key = fixture_key();
        let mut env = fixture_envelope().clone();
        let n = env.proof.len();
        let s = start % n;
        for b in env.proof[s..(s + len).min(n)].iter_mut() {
            *b = val;
        }
        let _ = verify(&key, &env);
    }
}

/// Every value of every proof-option byte (winterfell asserts on some of them when it
/// deserializes) gives an error, never a panic. Only the honest value verifies.
#[test]
fn every_option_byte_value_is_handled() {
    let key = fixture_key();
    let env = fixture_envelope();
    // context = trace info (6) ‖ modulus length (1) ‖ modulus (8) ‖ options (10)
    let options_at = 6 + 1 + 8;
    for i in options_at..options_at + 10 {
        for v in 0..=255u8 {
            if v == env.proof[i] {
                continue;
            }
            let mut e = env.clone();
            e.proof[i] = v;
            assert!(verify(&key, &e).is_err(), "option byte {i} = {v} accepted");
        }
    }
}

/// Exhaustive sweep: four mutations of every proof byte (about 200k verifications; a few
/// minutes in release, too slow for CI in debug). Run with
/// `cargo test --release -p multiprover-stark --test it verify_fuzz -- --ignored`.
#[test]
#[ignore = "slow exhaustive sweep; run on demand in release"]
fn every_byte_is_bound() {
    let key = fixture_key();
    let env = fixture_envelope();
    let mut accepted = Vec::new();
    for i in 0..env.proof.len() {
        for m in [|b: u8| b ^ 1, |b: u8| b ^ 0x80, |_| 0xff, |_| 0] {
            let mut e = env.clone();
            e.proof[i] = m(e.proof[i]);
            if e.proof[i] != env.proof[i] && verify(&key, &e).is_ok() {
                accepted.push(i);
            }
        }
    }
    assert!(
        accepted.is_empty(),
        "bytes whose flip is accepted: {accepted:?}"
    );
}
