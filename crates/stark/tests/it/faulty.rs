//! The `demo-faults` variant: an AIR without the receiver-credit constraint proves the inflated
//! root that `apply_batch_inflated` computes; the sound AIR does not, and the two keys differ.
#![cfg(feature = "demo-faults")]

use crate::common::*;
use multiprover_core::proof_system::PrecheckError;
use multiprover_core::stf::apply_batch_inflated;
use multiprover_core::Profile;
use multiprover_stark::{verify, Error, Prover};

#[test]
fn faulty_air_proves_an_inflated_root_and_the_sound_one_does_not() {
    let mut tree = genesis();
    let w = apply_batch_inflated(
        &mut tree,
        &batch1(),
        Profile::SMALL,
        multiprover_core::StatementVersion::V1,
        1_000_000,
    )
    .unwrap();
    assert_ne!(w.statement.post_root, witness1().statement.post_root);

    let faulty = Prover::setup_faulty(Profile::SMALL).unwrap();
    let env = faulty.prove(&w).unwrap();
    assert_eq!(env.statement, w.statement);
    verify(&faulty.system_key(), &env).unwrap();

    // the sound prover refuses the inflated witness
    assert!(prover().prove(&w).is_err());
    // the faulty key is a different key
    let sound = prover().system_key();
    assert_ne!(faulty.system_key().vk_id, sound.vk_id);
    assert!(matches!(
        verify(&sound, &env),
        Err(Error::Precheck(
            PrecheckError::KeyMismatch { .. } | PrecheckError::KeyIdMismatch { .. }
        ))
    ));
    // relabelling the faulty proof as a sound one does not help: the variant is in the
    // transcript and the sound AIR's constraints fail
    let mut relabelled = env.clone();
    relabelled.vk_id = sound.vk_id;
    assert!(verify(&sound, &relabelled).is_err());
}
