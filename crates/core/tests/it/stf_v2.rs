//! Statement v2: rules 6 (signed by the sender's key over the transfer's message) and 7 (the
//! receiver's key), the v2 batch hash and public inputs, genesis keys. Every refusal names its
//! rule and changes nothing.

use multiprover_core::ecgfp5::{EcError, GFp5};
use multiprover_core::schnorr::{SecretKey, Signature};
use multiprover_core::{
    apply_batch_for, Batch, CoreError, Fp, GenesisAccount, Profile, SparseMerkleTree,
    StatementVersion, Transfer,
};
use multiprover_testkit::{account_key, transfer, Scenario, CHAIN_ID};
use proptest::prelude::*;

const V2: StatementVersion = StatementVersion::V2;

fn pk(i: u32) -> GFp5 {
    account_key(i).public_key().encoding()
}

/// `t` naming `to_pk` and signed by `key` for chain `chain`.
fn signed_by(t: Transfer, to_pk: GFp5, key: &SecretKey, chain: u64) -> Transfer {
    Transfer { to_pk, ..t }.signed(chain, key).unwrap()
}

/// `t` naming the receiver's key and signed by the sender's key, for the scenario's chain.
fn honest(t: Transfer) -> Transfer {
    signed_by(t, pk(t.to), &account_key(t.from), CHAIN_ID)
}

fn batch(number: u64, transfers: Vec<Transfer>) -> Batch {
    Batch {
        chain_id: CHAIN_ID,
        batch_number: number,
        transfers,
    }
}

/// Apply `b` to `tree` under v2; on error assert the tree is unchanged.
fn apply(tree: &mut SparseMerkleTree, b: &Batch) -> Result<(), CoreError> {
    let before = tree.root();
    let r = apply_batch_for(tree, b, Profile::SMALL, V2).map(|_| ());
    if r.is_err() {
        assert_eq!(tree.root(), before, "a refused batch changed the state");
    }
    r
}

fn genesis() -> SparseMerkleTree {
    Scenario::small_v2().genesis_tree()
}

#[test]
fn the_v2_scenario_applies_and_gives_the_new_account_its_key() {
    let s = Scenario::small_v2();
    let (tree, w) = s.state_and_witness(1);
    assert_eq!(w.version, V2);
    assert_eq!(tree.account(5).pk, pk(5));
    assert_eq!(tree.account(5).balance, 5);
    assert_eq!(tree.account(1).pk, pk(1));
    // The leaf commits to the key: the same balances without keys give another root.
    let mut keyless = SparseMerkleTree::new(8).unwrap();
    for i in 1..=5 {
        let mut a = tree.account(i);
        a.pk = GFp5::ZERO;
        keyless.set(i, a).unwrap();
    }
    assert_ne!(keyless.root(), tree.root());
}

#[test]
fn rule6_unsigned_transfer_is_refused() {
    let mut t = honest(transfer(1, 2, 10, 0));
    t.signature = None;
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![t])),
        Err(CoreError::Unsigned { transfer: 0 })
    ));
}

#[test]
fn rule6_signature_by_another_key_is_refused() {
    let t = signed_by(transfer(1, 2, 10, 0), pk(2), &account_key(3), CHAIN_ID);
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![t])),
        Err(CoreError::BadSignature {
            transfer: 0,
            source: EcError::BadSignature
        })
    ));
    // The second slot is named when it is the bad one.
    let good = honest(transfer(1, 2, 10, 0));
    let bad = signed_by(transfer(3, 4, 1, 0), pk(4), &account_key(1), CHAIN_ID);
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![good, bad])),
        Err(CoreError::BadSignature { transfer: 1, .. })
    ));
}

#[test]
fn rule6_a_signature_does_not_replay() {
    let mut tree = genesis();
    let t = honest(transfer(1, 2, 10, 0));
    apply(&mut tree, &batch(1, vec![t])).unwrap();
    // The same signed transfer in the next batch: its nonce is spent.
    assert!(matches!(
        apply(&mut tree, &batch(2, vec![t])),
        Err(CoreError::BadNonce { .. })
    ));
    // Its signature on the next nonce: the message binds the nonce.
    let renumbered = Transfer { nonce: 1, ..t };
    assert!(matches!(
        apply(&mut tree, &batch(2, vec![renumbered])),
        Err(CoreError::BadSignature { .. })
    ));
    // On another chain: the message binds the chain id.
    let other_chain = signed_by(transfer(1, 2, 10, 0), pk(2), &account_key(1), CHAIN_ID + 1);
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![other_chain])),
        Err(CoreError::BadSignature { .. })
    ));
    // A changed amount under the original signature.
    let more = Transfer { amount: 11, ..t };
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![more])),
        Err(CoreError::BadSignature { .. })
    ));
}

#[test]
fn rule6_an_account_without_a_key_cannot_send() {
    // Account 9 was never paid: no key, no balance; a zero-amount "transfer" out of it passes
    // rules 1 to 5 and is refused by rule 6.
    let t = signed_by(transfer(9, 2, 0, 0), pk(2), &account_key(9), CHAIN_ID);
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![t])),
        Err(CoreError::SenderHasNoKey {
            transfer: 0,
            account: 9
        })
    ));
}

#[test]
fn rule7_wrong_to_pk_for_a_keyed_receiver_is_refused() {
    let t = signed_by(transfer(1, 2, 10, 0), pk(3), &account_key(1), CHAIN_ID);
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![t])),
        Err(CoreError::ReceiverKeyMismatch {
            transfer: 0,
            account: 2
        })
    ));
}

#[test]
fn rule7_a_new_account_needs_a_valid_key() {
    // Zero: "no key" is not a key.
    let zero = signed_by(transfer(1, 9, 10, 0), GFp5::ZERO, &account_key(1), CHAIN_ID);
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![zero])),
        Err(CoreError::InvalidKey {
            transfer: 0,
            source: EcError::NeutralKey
        })
    ));
    // A field element that encodes no point.
    let not_a_point = (1u64..)
        .map(|i| GFp5::new([i, 0, 0, 0, 0]))
        .find(|w| multiprover_core::ecgfp5::Point::decode(w).is_err())
        .unwrap();
    let bad = signed_by(
        transfer(1, 9, 10, 0),
        not_a_point,
        &account_key(1),
        CHAIN_ID,
    );
    assert!(matches!(
        apply(&mut genesis(), &batch(1, vec![bad])),
        Err(CoreError::InvalidKey {
            transfer: 0,
            source: EcError::InvalidPoint
        })
    ));
}

#[test]
fn first_payment_assigns_the_key_then_only_that_key_spends() {
    let mut tree = genesis();
    let new_key = SecretKey::from_seed(b"a wallet's fresh key");
    let new_pk = new_key.public_key().encoding();
    let pay = signed_by(transfer(1, 9, 500, 0), new_pk, &account_key(1), CHAIN_ID);
    apply(&mut tree, &batch(1, vec![pay])).unwrap();
    assert_eq!(tree.account(9).pk, new_pk);
    // Spending signed by the payer's key (who knew nothing of 9's key) fails.
    let theft = signed_by(transfer(9, 1, 100, 0), pk(1), &account_key(1), CHAIN_ID);
    assert!(matches!(
        apply(&mut tree, &batch(2, vec![theft])),
        Err(CoreError::BadSignature { .. })
    ));
    // A second payment cannot change the key.
    let rekey = signed_by(transfer(2, 9, 1, 0), pk(2), &account_key(2), CHAIN_ID);
    assert!(matches!(
        apply(&mut tree, &batch(2, vec![rekey])),
        Err(CoreError::ReceiverKeyMismatch { .. })
    ));
    // The new key spends.
    let spend = signed_by(transfer(9, 1, 100, 0), pk(1), &new_key, CHAIN_ID);
    apply(&mut tree, &batch(2, vec![spend])).unwrap();
    assert_eq!(tree.account(9).balance, 400);
    assert_eq!(tree.account(9).nonce, 1);
}

#[test]
fn v1_refuses_v2_fields() {
    let v1 = Scenario::small();
    let mut tree = v1.genesis_tree();
    let t = Transfer {
        to_pk: pk(2),
        ..transfer(1, 2, 10, 0)
    };
    let r = apply_batch_for(
        &mut tree,
        &batch(1, vec![t]),
        Profile::SMALL,
        StatementVersion::V1,
    );
    assert!(matches!(
        r,
        Err(CoreError::NotInVersion { transfer: 0, .. })
    ));
    let s = transfer(1, 2, 10, 0)
        .signed(CHAIN_ID, &account_key(1))
        .unwrap();
    let r = apply_batch_for(
        &mut tree,
        &batch(1, vec![s]),
        Profile::SMALL,
        StatementVersion::V1,
    );
    assert!(matches!(r, Err(CoreError::NotInVersion { .. })));
}

#[test]
fn the_v2_batch_hash_binds_to_pk_not_the_signature() {
    let b = Scenario::small_v2().batches[0].clone();
    let h = b.hash_for(2, V2).unwrap();
    // v1 and v2 hashes of the same unsigned content differ (the header says the version).
    let plain = batch(1, vec![transfer(1, 2, 100, 0)]);
    assert_ne!(
        plain.hash_for(2, StatementVersion::V1).unwrap(),
        plain.hash_for(2, V2).unwrap()
    );
    // Each coefficient of to_pk is absorbed.
    for i in 0..5 {
        let mut c = b.clone();
        c.transfers[0].to_pk.0[i] += Fp::ONE;
        assert_ne!(c.hash_for(2, V2).unwrap(), h, "to_pk[{i}] not bound");
    }
    // The signature is a witness, not published in the hash.
    let mut c = b.clone();
    c.transfers[0].signature = None;
    assert_eq!(c.hash_for(2, V2).unwrap(), h);
}

#[test]
fn the_v2_public_inputs_are_the_whole_statement() {
    let w = Scenario::small_v2().witness(1);
    let pi = w.statement.public_inputs_v2().unwrap();
    assert_eq!(pi[0], Fp::new(CHAIN_ID));
    assert_eq!(pi[1], Fp::new(1));
    assert_eq!(&pi[2..6], &w.statement.pre_root.0);
    assert_eq!(&pi[6..10], &w.statement.post_root.0);
    assert_eq!(&pi[10..14], &w.statement.batch_hash.0);
    assert_eq!(w.statement.public_inputs_for(V2).unwrap().len(), 14);
    assert_eq!(
        w.statement
            .public_inputs_for(StatementVersion::V1)
            .unwrap()
            .len(),
        12
    );
}

#[test]
fn genesis_keys_follow_the_version() {
    use multiprover_core::stf::check_genesis;
    let keyed = [GenesisAccount::with_key(1, 10, pk(1))];
    let keyless = [GenesisAccount::new(1, 10)];
    assert!(check_genesis(&keyed, V2).is_ok());
    assert!(matches!(
        check_genesis(&keyless, V2),
        Err(CoreError::InvalidGenesisKey { index: 1, .. })
    ));
    assert!(check_genesis(&keyless, StatementVersion::V1).is_ok());
    assert!(matches!(
        check_genesis(&keyed, StatementVersion::V1),
        Err(CoreError::BadGenesis(_))
    ));
    // And the anchor checks them.
    let s = Scenario::small_v2();
    let mut anchor = s.anchor(vec![], Default::default());
    anchor.validate().unwrap();
    anchor.genesis[0].pk = GFp5::ZERO;
    assert!(anchor.validate().is_err());
}

#[test]
fn transfer_json_round_trips_and_rejects_a_non_canonical_s() {
    let t = honest(transfer(1, 2, 10, 0));
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(serde_json::from_str::<Transfer>(&json).unwrap(), t);
    // A v1 transfer's JSON has no v2 fields.
    let v1 = serde_json::to_value(transfer(1, 2, 10, 0)).unwrap();
    assert_eq!(v1.as_object().unwrap().len(), 4);
    // s = n (the group order) in the signature bytes: refused when parsed.
    let mut bytes = t.signature.unwrap().to_bytes();
    let n: [u8; 40] = {
        let mut out = [0u8; 40];
        for (i, limb) in multiprover_core::ecgfp5::ORDER.iter().enumerate() {
            out[8 * i..8 * i + 8].copy_from_slice(&limb.to_le_bytes());
        }
        out
    };
    bytes[40..].copy_from_slice(&n);
    assert_eq!(
        Signature::from_bytes(&bytes),
        Err(EcError::NonCanonicalScalar)
    );
    let mut v = serde_json::to_value(t).unwrap();
    v["signature"] = serde_json::Value::String(format!("0x{}", hex::encode(bytes)));
    assert!(serde_json::from_value::<Transfer>(v).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The message binds every field it lists: changing any one changes the digest, and the
    /// signature stops verifying.
    #[test]
    fn the_message_binds_every_field(
        from in 0u32..256, to in 0u32..256, amount in 0u64..(1 << 40), nonce in 0u32..1000,
        field in 0usize..6, seed in any::<[u8; 8]>(),
    ) {
        let key = SecretKey::from_seed(&seed);
        let t = Transfer { to_pk: pk(3), ..transfer(from, to, amount, nonce) };
        let m = t.message(CHAIN_ID).unwrap();
        let sig = key.sign(&m);
        let mut u = t;
        let mut chain = CHAIN_ID;
        match field {
            0 => chain += 1,
            1 => u.from ^= 1,
            2 => u.to ^= 1,
            3 => u.amount ^= 1,
            4 => u.nonce ^= 1,
            _ => u.to_pk = pk(4),
        }
        let m2 = u.message(chain).unwrap();
        prop_assert_ne!(m, m2);
        prop_assert!(key.public_key().verify(&m2, &sig).is_err());
        prop_assert!(key.public_key().verify(&m, &sig).is_ok());
    }
}

/// A circuit that proves v1 only is refused a v2 setup and a v2 witness
/// (`VersionNotProven`, kind `setup`), before any key generation or proving.
#[test]
fn a_v1_circuit_refuses_v2_work() {
    use multiprover_core::proof_system::{
        setup_boxed, ProveJob, ProverSetup, Variant, VersionNotProven, WitnessProver,
    };
    use multiprover_core::{BatchWitness, Classify, Envelope, ErrorKind, SystemId, SystemKey};

    #[derive(Debug, thiserror::Error)]
    #[error("never")]
    struct Never;
    impl Classify for Never {
        fn kind(&self) -> ErrorKind {
            ErrorKind::Internal
        }
    }
    #[derive(Debug)]
    struct V1Only;
    impl WitnessProver for V1Only {
        const SYSTEM: SystemId = SystemId::Plonky2;
        type Error = Never;
        fn build_sound(_: Profile) -> Result<Self, Never> {
            Ok(V1Only)
        }
        fn system_key(&self) -> SystemKey {
            unreachable!("not called")
        }
        fn prove_witness(&self, _: &BatchWitness) -> Result<Envelope, Never> {
            Err(Never)
        }
    }
    let setup = |version| ProverSetup {
        profile: Profile::SMALL,
        variant: Variant::Sound,
        seed: None,
        instance_id: 0,
        version,
    };
    let err = setup_boxed::<V1Only>(&setup(V2)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Setup);
    assert!(err.downcast_ref::<VersionNotProven>().is_some());
    let prover = setup_boxed::<V1Only>(&setup(StatementVersion::V1)).unwrap();
    let s = Scenario::small_v2();
    let w = s.witness(1);
    let job = ProveJob {
        pre_state: &s.genesis_tree(),
        batch: s.batch(1),
        witness: &w,
        inflate: 0,
    };
    let err = prover.prove(&job).unwrap_err();
    assert!(err.downcast_ref::<VersionNotProven>().is_some());
}
