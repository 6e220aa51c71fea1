//! Honest envelopes are accepted; each rejection the issue lists has its own test.
#![cfg(all(feature = "prover", not(target_arch = "wasm32")))]

use multiprover_core::alloy_primitives::{Bytes, Signature, B256, U256};
use multiprover_core::proof_system::PrecheckError;
use multiprover_core::{
    Batch, Digest, Envelope, Profile, SparseMerkleTree, SystemId, TeeRegistry, Transfer,
};
use multiprover_tee::{is_high_s, measurement, verify, Enclave, Error, TeeProof, PROOF_BYTES};
use multiprover_testkit::{Scenario, NOW};
use proptest::prelude::*;

const FROM: u64 = 1_700_000_000;
const UNTIL: u64 = 1_900_000_000;
const ID: u32 = 3;

struct Setup {
    enclave: Enclave,
    registry: TeeRegistry,
    tree: SparseMerkleTree,
    batch: Batch,
}

fn setup() -> Setup {
    let profile = Profile::SMALL;
    let enclave = Enclave::new(profile, [42u8; 32]);
    let registry = TeeRegistry {
        measurements: vec![enclave.measurement()],
        instances: vec![enclave.registration(ID, FROM, UNTIL)],
    };
    let scenario = Scenario::small();
    let tree = scenario.genesis_tree();
    let batch = scenario.batch(1).clone();
    Setup {
        enclave,
        registry,
        tree,
        batch,
    }
}

fn honest(s: &Setup) -> Envelope {
    s.enclave.attest(ID, &s.tree, &s.batch).unwrap()
}

#[test]
fn honest_envelope_is_accepted_and_small() {
    let s = setup();
    let env = honest(&s);
    verify(&s.registry, &s.enclave.system_key(), &env, NOW).unwrap();
    assert_eq!(env.proof.len(), PROOF_BYTES);
    assert!(env.proof.len() <= 100);
    assert_eq!(env.system, SystemId::Tee);
    assert_eq!(env.vk_id, measurement(Profile::SMALL));
    // The envelope survives its byte encoding.
    let decoded = Envelope::from_bytes(&env.to_bytes()).unwrap();
    verify(&s.registry, &s.enclave.system_key(), &decoded, NOW).unwrap();
}

#[test]
fn enclave_runs_the_reference_stf_and_leaves_the_state_alone() {
    let s = setup();
    let before = s.tree.root();
    let env = honest(&s);
    assert_eq!(s.tree.root(), before);
    let mut t = s.tree.clone();
    let w = multiprover_core::apply_batch(&mut t, &s.batch, Profile::SMALL).unwrap();
    assert_eq!(env.statement, w.statement);
    assert_eq!(env.statement.pre_root, before);
    assert_ne!(env.statement.post_root, before);
}

#[test]
fn enclave_refuses_an_invalid_batch() {
    let s = setup();
    let mut bad = s.batch.clone();
    bad.transfers[1].amount = 2_000_000; // more than the balance
    assert!(matches!(
        s.enclave.attest(ID, &s.tree, &bad),
        Err(Error::Stf(_))
    ));
    // A state of another depth than the enclave's profile.
    let other = SparseMerkleTree::new(9).unwrap();
    assert!(matches!(
        s.enclave.attest(ID, &other, &s.batch),
        Err(Error::Stf(_))
    ));
}

#[test]
fn keys_are_deterministic_per_seed() {
    let a = Enclave::new(Profile::SMALL, [1; 32]);
    let b = Enclave::new(Profile::SMALL, [1; 32]);
    let c = Enclave::new(Profile::SMALL, [2; 32]);
    assert_eq!(a.address(), b.address());
    assert_ne!(a.address(), c.address());
    assert_ne!(measurement(Profile::SMALL), measurement(Profile::DEFAULT));
    assert_ne!(
        measurement(Profile::SMALL),
        measurement(Profile {
            depth: 8,
            capacity: 3
        })
    );
    // The Debug form does not leak the secret key.
    let dbg = format!("{a:?}");
    assert!(dbg.contains("address") && !dbg.to_lowercase().contains("key"));
}

#[test]
fn rejects_unknown_instance() {
    let s = setup();
    let env = s.enclave.attest(ID + 1, &s.tree, &s.batch).unwrap();
    assert!(matches!(
        verify(&s.registry, &s.enclave.system_key(), &env, NOW),
        Err(Error::UnknownInstance(id)) if id == ID + 1
    ));
    // An empty registry knows nobody (and accepts no measurement).
    let mut empty = s.registry.clone();
    empty.instances.clear();
    assert!(matches!(
        verify(&empty, &s.enclave.system_key(), &honest(&s), NOW),
        Err(Error::UnknownInstance(_))
    ));
}

#[test]
fn rejects_duplicate_registration() {
    let s = setup();
    let mut reg = s.registry.clone();
    let other = Enclave::new(Profile::SMALL, [9; 32]);
    reg.instances.push(other.registration(ID, FROM, UNTIL));
    assert!(matches!(
        verify(&reg, &s.enclave.system_key(), &honest(&s), NOW),
        Err(Error::DuplicateInstance(ID))
    ));
}

#[test]
fn rejects_expired_and_not_yet_valid_instances() {
    let s = setup();
    let env = honest(&s);
    let key = s.enclave.system_key();
    // The window is [FROM, UNTIL).
    verify(&s.registry, &key, &env, FROM).unwrap();
    verify(&s.registry, &key, &env, UNTIL - 1).unwrap();
    assert!(matches!(
        verify(&s.registry, &key, &env, UNTIL),
        Err(Error::Expired {
            valid_until: UNTIL,
            ..
        })
    ));
    assert!(matches!(
        verify(&s.registry, &key, &env, u64::MAX),
        Err(Error::Expired { .. })
    ));
    assert!(matches!(
        verify(&s.registry, &key, &env, FROM - 1),
        Err(Error::NotYetValid {
            valid_from: FROM,
            ..
        })
    ));
    assert!(matches!(
        verify(&s.registry, &key, &env, 0),
        Err(Error::NotYetValid { .. })
    ));
}

#[test]
fn rejects_a_signature_for_another_chain() {
    let s = setup();
    let key = s.enclave.system_key();
    // Signed for chain 7, presented as a statement for chain 8 (the domain binds chainId).
    let mut env = honest(&s);
    env.statement.chain_id = 8;
    assert!(matches!(
        verify(&s.registry, &key, &env, NOW),
        Err(Error::SignerMismatch { .. })
    ));
    // And a genuine chain-8 attestation is not valid for chain 7.
    let mut batch8 = s.batch.clone();
    batch8.chain_id = 8;
    let env8 = s.enclave.attest(ID, &s.tree, &batch8).unwrap();
    verify(&s.registry, &key, &env8, NOW).unwrap();
    let mut replay = env8.clone();
    replay.statement.chain_id = 7;
    assert!(matches!(
        verify(&s.registry, &key, &replay, NOW),
        Err(Error::SignerMismatch { .. })
    ));
    // Only the domain changed between the two digests' chain ids, not the roots alone.
    assert_ne!(
        env8.statement.domain_separator(),
        honest(&s).statement.domain_separator()
    );
}

#[test]
fn rejects_high_s_signature() {
    let s = setup();
    let key = s.enclave.system_key();
    let env = honest(&s);
    let p = TeeProof::from_bytes(&env.proof).unwrap();
    assert!(!is_high_s(&p.s), "the enclave must sign low-s");
    // The malleated twin: s' = n - s, parity flipped.
    let n = U256::from_be_slice(&k256_order());
    let s_hi = n - U256::from_be_bytes(p.s.0);
    let twin = TeeProof {
        s: B256::from(s_hi.to_be_bytes::<32>()),
        y_parity: !p.y_parity,
        ..p
    };
    assert!(is_high_s(&twin.s));
    // Plain ECDSA recovery accepts the twin and recovers the registered key...
    let recovered = Signature::from_scalars_and_parity(twin.r, twin.s, twin.y_parity)
        .recover_address_from_prehash(&env.statement.eip712_digest())
        .unwrap();
    assert_eq!(recovered, s.enclave.address());
    // ...so it is the explicit check that rejects it.
    let mut mal = env.clone();
    mal.proof = twin.to_bytes().to_vec();
    assert!(matches!(
        verify(&s.registry, &key, &mal, NOW),
        Err(Error::HighS)
    ));
}

fn k256_order() -> [u8; 32] {
    use k256::elliptic_curve::{bigint::Encoding, Curve};
    k256::Secp256k1::ORDER.to_be_bytes()
}

#[test]
fn half_order_constant_is_n_over_two() {
    let n = U256::from_be_slice(&k256_order());
    let half = U256::from_be_bytes(multiprover_tee::SECP256K1_HALF_ORDER);
    assert_eq!(half, n >> 1);
    assert!(!is_high_s(&B256::from(half.to_be_bytes::<32>())));
    assert!(is_high_s(&B256::from(
        (half + U256::from(1)).to_be_bytes::<32>()
    )));
}

#[test]
fn rejects_any_change_to_the_statement() {
    let s = setup();
    let key = s.enclave.system_key();
    let env = honest(&s);
    let other = Digest::from_u64s([1, 2, 3, 4]).unwrap();
    type Change = Box<dyn Fn(&mut Envelope)>;
    let changes: Vec<Change> = vec![
        Box::new(|e| e.statement.batch_number += 1),
        Box::new(|e| e.statement.chain_id += 1),
        Box::new(move |e| e.statement.pre_root = other),
        Box::new(move |e| e.statement.post_root = other),
        Box::new(move |e| e.statement.batch_hash = other),
        Box::new(|e| std::mem::swap(&mut e.statement.pre_root, &mut e.statement.post_root)),
    ];
    for (i, change) in changes.iter().enumerate() {
        let mut e = env.clone();
        change(&mut e);
        assert_ne!(e.statement, env.statement);
        let r = verify(&s.registry, &key, &e, NOW);
        assert!(
            matches!(
                r,
                Err(Error::SignerMismatch { .. }) | Err(Error::InvalidSignature(_))
            ),
            "change #{i}: {r:?}"
        );
    }
}

#[test]
fn rejects_a_registered_id_signed_by_another_key() {
    let s = setup();
    let thief = Enclave::new(Profile::SMALL, [66; 32]);
    let env = thief.attest(ID, &s.tree, &s.batch).unwrap();
    assert!(matches!(
        verify(&s.registry, &s.enclave.system_key(), &env, NOW),
        Err(Error::SignerMismatch { recovered, .. }) if recovered == thief.address()
    ));
}

#[test]
fn rejects_wrong_system_measurement_and_key_material() {
    let s = setup();
    let key = s.enclave.system_key();
    let env = honest(&s);

    let mut e = env.clone();
    e.system = SystemId::Plonky2;
    assert!(matches!(
        verify(&s.registry, &key, &e, NOW),
        Err(Error::Precheck(PrecheckError::WrongSystem { .. }))
    ));
    let mut k = key.clone();
    k.system = SystemId::Stark;
    assert!(matches!(
        verify(&s.registry, &k, &env, NOW),
        Err(Error::Precheck(PrecheckError::WrongSystem { .. }))
    ));

    let mut k = key.clone();
    k.key = Bytes::from_static(&[1]);
    assert!(matches!(
        verify(&s.registry, &k, &env, NOW),
        Err(Error::KeyNotEmpty(1))
    ));

    // Envelope claims another measurement than the pinned one.
    let mut e = env.clone();
    e.vk_id = measurement(Profile::DEFAULT);
    assert!(matches!(
        verify(&s.registry, &key, &e, NOW),
        Err(Error::Precheck(PrecheckError::KeyMismatch { .. }))
    ));

    // The pinned measurement is not accepted by the registry.
    let mut reg = s.registry.clone();
    reg.measurements = vec![measurement(Profile::DEFAULT)];
    assert!(matches!(
        verify(&reg, &key, &env, NOW),
        Err(Error::MeasurementNotAccepted(_))
    ));

    // An enclave of another build (profile) registered under the accepted list, but its
    // envelope claims the pinned measurement: its registration record says otherwise.
    let other = Enclave::new(Profile::DEFAULT, [42; 32]);
    let mut reg = s.registry.clone();
    reg.measurements.push(other.measurement());
    reg.instances = vec![other.registration(ID, FROM, UNTIL)];
    assert!(matches!(
        verify(&reg, &key, &env, NOW),
        Err(Error::InstanceMeasurement { .. })
    ));
}

#[test]
fn rejects_malformed_proofs() {
    let s = setup();
    let key = s.enclave.system_key();
    let env = honest(&s);
    for len in [0, 1, 68, 70, 100] {
        let mut e = env.clone();
        e.proof.resize(len, 27);
        assert!(matches!(
            verify(&s.registry, &key, &e, NOW),
            Err(Error::ProofLength { got, .. }) if got == len
        ));
    }
    for v in [0u8, 1, 26, 29, 255] {
        let mut e = env.clone();
        e.proof[68] = v;
        assert!(
            matches!(verify(&s.registry, &key, &e, NOW), Err(Error::BadRecoveryByte(x)) if x == v)
        );
    }
    // r = 0 and s = 0 do not recover.
    for range in [4..36, 36..68] {
        let mut e = env.clone();
        e.proof[range].fill(0);
        assert!(matches!(
            verify(&s.registry, &key, &e, NOW),
            Err(Error::InvalidSignature(_))
        ));
    }
    // Flipping the parity recovers another key.
    let mut e = env.clone();
    e.proof[68] ^= 27 ^ 28;
    assert!(verify(&s.registry, &key, &e, NOW).is_err());
    // A non-canonical statement (batch number >= p) is refused before recovery.
    let mut e = env.clone();
    e.statement.batch_number = u64::MAX;
    assert!(matches!(
        verify(&s.registry, &key, &e, NOW),
        Err(Error::Statement(_))
    ));
}

#[cfg(feature = "demo-faults")]
#[test]
fn compromised_enclave_signs_an_inflated_root_that_verifies() {
    let s = setup();
    let key = s.enclave.system_key();
    let honest = honest(&s);
    let bad = s
        .enclave
        .attest_inflated(ID, &s.tree, &s.batch, 1_000)
        .unwrap();
    // Key theft is invisible to the signature check: the registered key signed it.
    verify(&s.registry, &key, &bad, NOW).unwrap();
    // Same pre-state and batch, different post root: a conflict the policy must catch.
    assert_eq!(bad.statement.pre_root, honest.statement.pre_root);
    assert_eq!(bad.statement.batch_hash, honest.statement.batch_hash);
    assert_ne!(bad.statement.post_root, honest.statement.post_root);
    // extra = 0 is the honest transition.
    let same = s.enclave.attest_inflated(ID, &s.tree, &s.batch, 0).unwrap();
    assert_eq!(same.statement, honest.statement);
}

fn arb_batch() -> impl Strategy<Value = Vec<(u32, u32, u64)>> {
    proptest::collection::vec((1u32..=4, 1u32..=4, 0u64..2_000), 0..=2)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Honest attestations of random valid batches verify; an envelope byte flip never panics
    /// and never verifies for another statement.
    #[test]
    fn random_batches_attest_and_verify(txs in arb_batch(), number in 1u64..1_000, flip in 0usize..300, bit in 0u8..8) {
        let s = setup();
        let mut nonces = [0u32; 8];
        let mut transfers = Vec::new();
        for (from, to, amount) in txs {
            if from == to { continue; }
            transfers.push(Transfer::new(from, to, amount, nonces[from as usize]));
            nonces[from as usize] += 1;
        }
        let batch = Batch { chain_id: 7, batch_number: number, transfers };
        let env = s.enclave.attest(ID, &s.tree, &batch).unwrap();
        let key = s.enclave.system_key();
        prop_assert!(verify(&s.registry, &key, &env, NOW).is_ok());

        let mut bytes = env.to_bytes();
        let pos = flip % bytes.len();
        bytes[pos] ^= 1 << bit;
        // Every accepted envelope encoding decodes to a different envelope after a bit flip:
        // none of them may verify.
        if let Ok(e) = Envelope::from_bytes(&bytes) {
            prop_assert_ne!(&e, &env);
            prop_assert!(verify(&s.registry, &key, &e, NOW).is_err());
        }
    }

    /// The verifier never panics on arbitrary proof bytes, statements and times.
    #[test]
    fn verify_never_panics(proof in proptest::collection::vec(any::<u8>(), 0..120),
                           id in any::<u32>(), r in any::<[u8; 32]>(), sv in any::<[u8; 32]>(),
                           v in any::<u8>(), chain in any::<u64>(), now in any::<u64>()) {
        let s = setup();
        let key = s.enclave.system_key();
        let mut env = honest(&s);
        env.statement.chain_id = chain;
        env.proof = proof;
        let _ = verify(&s.registry, &key, &env, now);
        let mut structured = Vec::with_capacity(PROOF_BYTES);
        structured.extend_from_slice(&id.to_le_bytes());
        structured.extend_from_slice(&r);
        structured.extend_from_slice(&sv);
        structured.push(v);
        env.proof = structured.clone();
        let _ = verify(&s.registry, &key, &env, now);
        structured[0..4].copy_from_slice(&ID.to_le_bytes());
        structured[68] = 27 + (v & 1);
        env.proof = structured;
        let _ = verify(&s.registry, &key, &env, now);
    }

    /// Arbitrary envelope bytes never panic the decoder + verifier.
    #[test]
    fn arbitrary_envelope_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let s = setup();
        if let Ok(e) = Envelope::from_bytes(&bytes) {
            let _ = verify(&s.registry, &s.enclave.system_key(), &e, NOW);
        }
    }
}
