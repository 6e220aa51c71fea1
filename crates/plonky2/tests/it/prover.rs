//! Prover and verifier on the small profile: honest batches verify, every STF rule is enforced
//! by the circuit, and tampered proofs are rejected without panicking.
#![cfg(feature = "prover")]

use multiprover_core::proof_system::PrecheckError;
use std::sync::OnceLock;

use crate::common::*;
use multiprover_core::field::P;
use multiprover_core::stf::{apply_batch, Batch};
use multiprover_core::{Envelope, GenesisAccount, Profile, SystemId, Transfer};
use multiprover_plonky2::{verify, Error, Prover};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};

fn prover() -> &'static Prover {
    static P: OnceLock<Prover> = OnceLock::new();
    P.get_or_init(|| Prover::setup(Profile::SMALL).unwrap())
}

fn honest() -> &'static Envelope {
    static E: OnceLock<Envelope> = OnceLock::new();
    E.get_or_init(|| prover().prove(&honest_witness().1).unwrap())
}

fn assert_unprovable(
    slots: &[(bool, Transfer)],
    count: u64,
    tree: Option<multiprover_core::SparseMerkleTree>,
) {
    let mut tree = tree.unwrap_or_else(genesis);
    let w = apply_unchecked(&mut tree, 1, slots, count, Profile::SMALL);
    match prover().prove(&w) {
        Err(e @ (Error::Unsatisfied { .. } | Error::PublicInputsDiffer { .. })) => {
            eprintln!("refused as expected: {e}")
        }
        other => panic!("expected the circuit to refuse, got {other:?}"),
    }
}

#[test]
fn circuit_size() {
    let s = prover().stats();
    let p = Profile::SMALL;
    let (d, t) = (p.depth as usize, p.capacity as usize);
    assert_eq!(s.permutations, 4 * t * (d + 1) + t + 1);
    println!("SMALL profile: {s:?}");
}

#[test]
fn honest_batch_verifies() {
    let key = prover().system_key();
    assert_eq!(key.vk_id, multiprover_plonky2::vk_id(&key.key));
    let env = honest();
    assert_eq!(env.statement, honest_witness().1.statement);
    verify(&key, env).unwrap();
    // Through the envelope codec too.
    let decoded = Envelope::from_bytes(&env.to_bytes()).unwrap();
    verify(&key, &decoded).unwrap();
}

#[test]
fn random_honest_batches_verify() {
    let key = prover().system_key();
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x91);
    let mut tree = genesis();
    for number in 1..=3u64 {
        let count = rng.gen_range(0..=Profile::SMALL.capacity as usize);
        let mut transfers = Vec::new();
        for _ in 0..count {
            let from = rng.gen_range(1..=4u32);
            let mut to = rng.gen_range(0..256u32);
            if to == from {
                to = (to + 1) % 256;
            }
            let bal = tree.account(from).balance;
            let nonce = tree.account(from).nonce as u32
                + transfers
                    .iter()
                    .filter(|t: &&Transfer| t.from == from)
                    .count() as u32;
            transfers.push(Transfer::new(from, to, rng.gen_range(0..=bal / 4), nonce));
        }
        let batch = Batch {
            chain_id: CHAIN_ID,
            batch_number: number,
            transfers,
        };
        let w = match apply_batch(&mut tree, &batch, Profile::SMALL) {
            Ok(w) => w,
            Err(_) => continue, // e.g. a later transfer spends more than remains
        };
        // `prove` checks that the circuit's public inputs equal the reference STF's statement.
        let env = prover().prove(&w).unwrap();
        verify(&key, &env).unwrap();
    }
}

#[test]
fn hand_built_witness_matches_reference_on_valid_batches() {
    let (_, reference) = honest_witness();
    let mut tree = genesis();
    let w = apply_unchecked(
        &mut tree,
        1,
        &slots_of(&batch1().transfers, Profile::SMALL),
        2,
        Profile::SMALL,
    );
    assert_eq!(w, reference);
    // An empty batch too.
    let mut t1 = genesis();
    let r = apply_batch(
        &mut t1,
        &Batch {
            chain_id: CHAIN_ID,
            batch_number: 1,
            transfers: vec![],
        },
        Profile::SMALL,
    )
    .unwrap();
    let mut t2 = genesis();
    let h = apply_unchecked(
        &mut t2,
        1,
        &slots_of(&[], Profile::SMALL),
        0,
        Profile::SMALL,
    );
    assert_eq!(h, r);
    prover().prove(&h).unwrap();
}

#[test]
fn rule_nonce() {
    assert_unprovable(&slots_of(&[t(1, 2, 100, 1)], Profile::SMALL), 1, None);
    // second transfer of the same sender reusing nonce 0
    assert_unprovable(
        &slots_of(&[t(1, 2, 100, 0), t(1, 3, 1, 0)], Profile::SMALL),
        2,
        None,
    );
}

#[test]
fn rule_balance() {
    assert_unprovable(&slots_of(&[t(1, 2, 1_000_001, 0)], Profile::SMALL), 1, None);
    // an amount that wraps around the field: balance - amount would look small
    assert_unprovable(&slots_of(&[t(1, 2, P - 5, 0)], Profile::SMALL), 1, None);
    // spending from an empty account
    assert_unprovable(&slots_of(&[t(9, 2, 1, 0)], Profile::SMALL), 1, None);
}

#[test]
fn rule_balance_bound() {
    let accounts = [
        GenesisAccount::new(1, 1_000_000),
        GenesisAccount::new(5, (1 << 60) - 10),
    ];
    let tree = multiprover_core::genesis_tree(Profile::SMALL.depth, &accounts).unwrap();
    // 10 more would reach exactly 2^60: refused; 9 is fine.
    assert_unprovable(
        &slots_of(&[t(1, 5, 10, 0)], Profile::SMALL),
        1,
        Some(tree.clone()),
    );
    let mut ok = tree;
    let w = apply_unchecked(
        &mut ok,
        1,
        &slots_of(&[t(1, 5, 9, 0)], Profile::SMALL),
        1,
        Profile::SMALL,
    );
    prover().prove(&w).unwrap();
}

#[test]
fn rule_from_ne_to() {
    assert_unprovable(&slots_of(&[t(1, 1, 100, 0)], Profile::SMALL), 1, None);
    assert_unprovable(
        &slots_of(&[t(3, 4, 5, 0), t(2, 2, 0, 0)], Profile::SMALL),
        2,
        None,
    );
}

#[test]
fn rule_index_range() {
    let cap = 1u32 << Profile::SMALL.depth;
    // 257 aliases account 1 modulo 2^8; the circuit must not accept the alias.
    assert_unprovable(&slots_of(&[t(cap + 1, 2, 100, 0)], Profile::SMALL), 1, None);
    assert_unprovable(&slots_of(&[t(1, cap + 2, 100, 0)], Profile::SMALL), 1, None);
}

#[test]
fn rule_padding_is_all_zero() {
    let p = Profile::SMALL;
    // count = 1, but the padding slot carries a transfer (no state change).
    assert_unprovable(&[(true, t(1, 2, 100, 0)), (false, t(3, 4, 5, 0))], 1, None);
    for bad in [t(0, 0, 1, 0), t(0, 0, 0, 1), t(1, 0, 0, 0), t(0, 1, 0, 0)] {
        assert_unprovable(&[(true, t(1, 2, 100, 0)), (false, bad)], 1, None);
    }
    // A padding slot before an active one.
    assert_unprovable(
        &[(false, Transfer::PADDING), (true, t(3, 4, 5, 0))],
        1,
        None,
    );
    // A count that disagrees with the active slots.
    assert_unprovable(&slots_of(&[t(1, 2, 100, 0)], p), 2, None);
    assert_unprovable(&slots_of(&[t(1, 2, 100, 0)], p), 0, None);
}

#[test]
fn wrong_claimed_statement_is_refused() {
    let (_, mut w) = honest_witness();
    w.statement.post_root = digest_plus_one(&w.statement.post_root, 0);
    assert!(matches!(
        prover().prove(&w),
        Err(Error::PublicInputsDiffer { .. })
    ));
}

#[test]
fn any_changed_public_input_is_rejected() {
    let key = prover().system_key();
    let env = honest();
    for i in 0..12 {
        let mut e = env.clone();
        let s = &mut e.statement;
        let d = match i / 4 {
            0 => &mut s.pre_root,
            1 => &mut s.post_root,
            _ => &mut s.batch_hash,
        };
        *d = digest_plus_one(d, i % 4);
        assert!(
            matches!(verify(&key, &e), Err(Error::PublicInputsMismatch)),
            "input {i}"
        );
    }
}

#[test]
fn proof_for_batch_n_is_not_batch_n_plus_1() {
    let key = prover().system_key();
    let env = honest();
    // Batch 2 with the same transfers, on top of batch 1's post root.
    let (mut tree, _) = honest_witness();
    let b2 = Batch {
        chain_id: CHAIN_ID,
        batch_number: 2,
        transfers: vec![t(1, 2, 100, 1), t(3, 4, 5, 1)],
    };
    let w2 = apply_batch(&mut tree, &b2, Profile::SMALL).unwrap();
    let mut e = env.clone();
    e.statement = w2.statement;
    assert!(verify(&key, &e).is_err());
    // Same transfers and roots, only the number changed: the batch hash differs.
    let mut b1_as_2 = batch1();
    b1_as_2.batch_number = 2;
    let mut e = env.clone();
    e.statement.batch_number = 2;
    e.statement.batch_hash = b1_as_2.hash(Profile::SMALL.capacity).unwrap();
    assert!(matches!(verify(&key, &e), Err(Error::PublicInputsMismatch)));
    // And the real batch 2 proof verifies.
    verify(&key, &prover().prove(&w2).unwrap()).unwrap();
}

#[test]
fn wrong_system_and_vk_id_are_rejected() {
    let key = prover().system_key();
    let env = honest();
    let mut e = env.clone();
    e.system = SystemId::Stark;
    assert!(matches!(
        verify(&key, &e),
        Err(Error::Precheck(PrecheckError::WrongSystem { .. }))
    ));
    let mut e = env.clone();
    e.vk_id.0[0] ^= 1;
    assert!(matches!(
        verify(&key, &e),
        Err(Error::Precheck(
            PrecheckError::KeyMismatch { .. } | PrecheckError::KeyIdMismatch { .. }
        ))
    ));
    let mut k = key.clone();
    k.vk_id.0[0] ^= 1;
    assert!(matches!(
        verify(&k, env),
        Err(Error::Precheck(
            PrecheckError::KeyMismatch { .. } | PrecheckError::KeyIdMismatch { .. }
        ))
    ));
}

#[test]
fn truncated_and_extended_proofs_are_rejected() {
    let key = prover().system_key();
    let env = honest();
    let n = env.proof.len();
    for cut in [0, 1, 7, 8, 100, n / 2, n - 8, n - 1] {
        let mut e = env.clone();
        e.proof.truncate(cut);
        assert!(verify(&key, &e).is_err(), "cut at {cut}");
    }
    let mut e = env.clone();
    e.proof.push(0);
    assert!(matches!(verify(&key, &e), Err(Error::MalformedProof(_))));
}

#[test]
fn every_flipped_byte_region_is_rejected() {
    // Deterministic sweep: flip one bit in every 97th byte (covers caps, openings, FRI
    // query rounds, final polynomial, PoW witness, public inputs).
    let key = prover().system_key();
    let env = honest();
    for pos in (0..env.proof.len())
        .step_by(97)
        .chain([env.proof.len() - 1])
    {
        let mut e = env.clone();
        e.proof[pos] ^= 0x10;
        assert!(verify(&key, &e).is_err(), "flip at {pos}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn mutated_proofs_are_errors_not_panics(pos in any::<usize>(), val in any::<u8>(), cut in any::<usize>(), len_byte in any::<bool>()) {
        let key = prover().system_key();
        let env = honest();
        let mut e = env.clone();
        let p = pos % e.proof.len();
        if e.proof[p] != val {
            e.proof[p] = val;
            prop_assert!(verify(&key, &e).is_err());
        }
        if len_byte {
            let c = cut % e.proof.len();
            e.proof.truncate(c);
            prop_assert!(verify(&key, &e).is_err());
        }
    }

    #[test]
    fn mutated_keys_are_errors_not_panics(pos in any::<usize>(), val in any::<u8>(), cut in any::<usize>(), truncate in any::<bool>()) {
        let env = honest();
        let mut key = prover().system_key();
        let mut bytes = key.key.to_vec();
        let p = pos % bytes.len();
        let changed = bytes[p] != val;
        bytes[p] = val;
        let full = bytes.len();
        if truncate {
            bytes.truncate(cut % full);
        }
        key.key = bytes.into();
        key.vk_id = multiprover_plonky2::vk_id(&key.key);
        let mut e = env.clone();
        e.vk_id = key.vk_id;
        let r = verify(&key, &e);
        // The variant and profile bytes of the header (5..=10) are labels, not checked
        // against the circuit; any other change must be a clean error.
        if truncate || (changed && !(5..=10).contains(&p)) {
            prop_assert!(r.is_err(), "mutation at {} (truncate {}) accepted", p, truncate);
        }
    }
}

#[test]
fn garbage_keys_are_errors() {
    let env = honest();
    for len in [0usize, 1, 20, 200, 5000] {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
        let key = multiprover_core::SystemKey {
            system: SystemId::Plonky2,
            vk_id: multiprover_plonky2::vk_id(&bytes),
            key: bytes.into(),
        };
        let mut e = env.clone();
        e.vk_id = key.vk_id;
        assert!(matches!(verify(&key, &e), Err(Error::MalformedKey(_))));
    }
}

#[cfg(feature = "demo-faults")]
mod faulty {
    use super::*;
    use multiprover_core::stf::apply_batch_inflated;

    fn faulty() -> &'static Prover {
        static P: OnceLock<Prover> = OnceLock::new();
        P.get_or_init(|| Prover::setup_faulty(Profile::SMALL).unwrap())
    }

    #[test]
    fn unsound_variant_proves_an_inflated_root_that_the_sound_circuit_refuses() {
        let mut tree = genesis();
        let w = apply_batch_inflated(
            &mut tree,
            &batch1(),
            Profile::SMALL,
            multiprover_core::StatementVersion::V1,
            1_000_000,
        )
        .unwrap();
        let (_, honest_w) = honest_witness();
        assert_ne!(w.statement.post_root, honest_w.statement.post_root);

        let fkey = faulty().system_key();
        assert_ne!(fkey.vk_id, prover().system_key().vk_id);
        let forged = faulty().prove(&w).unwrap();
        verify(&fkey, &forged).unwrap();
        assert_eq!(
            multiprover_plonky2::key_info(&fkey.key).unwrap().variant,
            multiprover_plonky2::Variant::Faulty
        );

        // The sound circuit cannot prove it, and its key rejects the forged proof.
        assert!(matches!(prover().prove(&w), Err(Error::Unsatisfied { .. })));
        let key = prover().system_key();
        let mut e = forged.clone();
        e.vk_id = key.vk_id;
        assert!(verify(&key, &e).is_err());
        // The faulty circuit still proves honest batches (it is only missing a constraint).
        verify(&fkey, &faulty().prove(&honest_w).unwrap()).unwrap();
    }
}

#[test]
fn every_key_byte_is_bound() {
    // Flip the low bit of every byte of the key material (vk id recomputed, as a hostile
    // anchor would): only the header's label bytes (variant, D, T: 5..=10) may still verify.
    let env = honest();
    let key = prover().system_key();
    let mut accepted = Vec::new();
    for p in 0..key.key.len() {
        let mut bytes = key.key.to_vec();
        bytes[p] ^= 1;
        let mut k = key.clone();
        k.key = bytes.into();
        k.vk_id = multiprover_plonky2::vk_id(&k.key);
        let mut e = env.clone();
        e.vk_id = k.vk_id;
        if verify(&k, &e).is_ok() {
            accepted.push(p);
        }
    }
    assert!(
        accepted.iter().all(|p| (5..=10).contains(p)),
        "accepted flips at {accepted:?}"
    );
}
