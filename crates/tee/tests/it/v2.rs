//! Statement v2: the enclave runs the v2 rules (signatures checked natively) and attests; its
//! key says which version it attests, and a key of the other version is refused.
#![cfg(all(feature = "prover", not(target_arch = "wasm32")))]

use multiprover_core::proof_system::{verify_with, PrecheckError, VerifyContext};
use multiprover_core::{
    Classify, CoreError, ErrorKind, Profile, StatementVersion, SystemKey, TeeRegistry, TrustAnchor,
};
use multiprover_tee::{check_key, measurement, measurement_for, Enclave, Error, Tee};
use multiprover_testkit::{account_key, Scenario, NOW};

const ID: u32 = 1;

fn anchor_for(scenario: &Scenario, enclave: &Enclave) -> TrustAnchor {
    let registry = TeeRegistry {
        measurements: vec![enclave.measurement()],
        instances: vec![enclave.registration(ID, NOW - 10, NOW + 10)],
    };
    scenario.anchor(vec![enclave.system_key()], registry)
}

fn v2_enclave() -> Enclave {
    Enclave::for_version(Profile::SMALL, StatementVersion::V2, [9u8; 32])
}

#[test]
fn a_v2_enclave_attests_the_v2_scenario() {
    let s = Scenario::small_v2();
    let enclave = v2_enclave();
    let anchor = anchor_for(&s, &enclave);
    anchor.validate().unwrap();
    let env = enclave.attest(ID, &s.genesis_tree(), s.batch(1)).unwrap();
    assert_eq!(env.statement, s.witness(1).statement);
    let cx = VerifyContext {
        anchor: &anchor,
        batch_timestamp: NOW,
    };
    verify_with::<Tee>(
        anchor.key(multiprover_core::SystemId::Tee).unwrap(),
        &env,
        &cx,
    )
    .unwrap();
}

#[test]
fn the_enclave_checks_signatures_itself() {
    let s = Scenario::small_v2();
    let mut batch = s.batch(1).clone();
    // Re-sign transfer 0 with another account's key: the enclave's STF refuses it.
    batch.transfers[0] = batch.transfers[0]
        .signed(s.chain_id, &account_key(4))
        .unwrap();
    let err = v2_enclave()
        .attest(ID, &s.genesis_tree(), &batch)
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Stf(CoreError::BadSignature { transfer: 0, .. })
    ));
    assert_eq!(err.kind(), ErrorKind::Unprovable);
    // A v1 enclave refuses the v2 batch outright.
    let v1 = Enclave::new(Profile::SMALL, [9u8; 32]);
    assert!(matches!(
        v1.attest(ID, &s.genesis_tree(), s.batch(1)),
        Err(Error::Stf(CoreError::NotInVersion { .. }))
    ));
}

#[test]
fn a_key_of_the_other_version_is_refused() {
    // A v1 enclave's key pinned in a v2 anchor.
    let s2 = Scenario::small_v2();
    let v1 = Enclave::new(Profile::SMALL, [9u8; 32]);
    let anchor = anchor_for(&s2, &v1);
    let env = v2_enclave()
        .attest(ID, &s2.genesis_tree(), s2.batch(1))
        .unwrap();
    let env = multiprover_core::Envelope {
        vk_id: v1.measurement(),
        ..env
    };
    let cx = VerifyContext {
        anchor: &anchor,
        batch_timestamp: NOW,
    };
    let err = verify_with::<Tee>(&v1.system_key(), &env, &cx).unwrap_err();
    assert_eq!(err.kind, ErrorKind::WrongKey);
    assert!(matches!(
        err.downcast_ref::<PrecheckError>(),
        Some(PrecheckError::VersionMismatch {
            anchor: StatementVersion::V2,
            key: StatementVersion::V1
        })
    ));
    // A v2 key in a v1 anchor.
    let s1 = Scenario::small();
    let enclave = v2_enclave();
    let anchor = anchor_for(&s1, &enclave);
    let env = Enclave::new(Profile::SMALL, [9u8; 32])
        .attest(ID, &s1.genesis_tree(), s1.batch(1))
        .unwrap();
    let env = multiprover_core::Envelope {
        vk_id: enclave.measurement(),
        ..env
    };
    let cx = VerifyContext {
        anchor: &anchor,
        batch_timestamp: NOW,
    };
    let err = verify_with::<Tee>(&enclave.system_key(), &env, &cx).unwrap_err();
    assert!(matches!(
        err.downcast_ref::<PrecheckError>(),
        Some(PrecheckError::VersionMismatch {
            anchor: StatementVersion::V1,
            key: StatementVersion::V2
        })
    ));
}

#[test]
fn measurement_and_key_material_name_the_version() {
    let p = Profile::SMALL;
    assert_eq!(measurement_for(p, StatementVersion::V1), measurement(p));
    assert_ne!(measurement_for(p, StatementVersion::V2), measurement(p));
    let key = |material: &'static [u8]| SystemKey {
        system: multiprover_core::SystemId::Tee,
        vk_id: measurement(p),
        key: multiprover_core::alloy_primitives::Bytes::from_static(material),
    };
    assert_eq!(check_key(&key(&[])).unwrap(), StatementVersion::V1);
    assert_eq!(check_key(&key(&[2])).unwrap(), StatementVersion::V2);
    for bad in [&[1u8][..], &[3], &[2, 0]] {
        assert!(matches!(check_key(&key(bad)), Err(Error::KeyNotEmpty(_))));
    }
    assert_eq!(v2_enclave().system_key().key.as_ref(), &[2]);
}
