//! A toy fifth proof system added through the contract alone: one type implementing
//! `ProofSystem`, one registry entry. It is dispatched, verified (its typed errors arrive as
//! `VerifyError`s with their kind) and counted by the policy of a settlement, like the four
//! real systems.
//!
//! `SystemId` is a closed enum of the four systems on the wire, so the toy takes the stark's
//! id here; a real fifth system also adds its variant and families to `SystemId`
//! (`docs/architecture.md`).

use multiprover_core::alloy_primitives::{keccak256, Address};
use multiprover_core::anchor::{TeeRegistry, ANCHOR_VERSION};
use multiprover_core::proof_system::{
    vk_id, Classify, DynProofSystem, ErrorKind, ProofSystem, Registered, VerifyContext, VerifyError,
};
use multiprover_core::settlement::{ProofVerifier, SubmitError};
use multiprover_core::{
    apply_batch, genesis_tree, Batch, BatchStatus, Envelope, Family, GenesisAccount, Policy,
    Profile, Settlement, SystemId, SystemKey, Tier, Transfer, TrustAnchor,
};

/// A "proof" is keccak256 of the key tag and the statement bytes.
struct Toy;

/// The toy's own error type.
#[derive(Debug, thiserror::Error)]
enum ToyError {
    #[error("toy key material must be 4 bytes")]
    Key,
    #[error("toy proof does not commit to the statement")]
    Mismatch,
}

impl Classify for ToyError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Key => ErrorKind::WrongKey,
            Self::Mismatch => ErrorKind::Rejected,
        }
    }
}

fn toy_proof(tag: [u8; 4], e: &Envelope) -> Vec<u8> {
    let mut buf = tag.to_vec();
    buf.extend_from_slice(&e.statement.to_bytes());
    keccak256(buf).to_vec()
}

impl ProofSystem for Toy {
    const ID: SystemId = SystemId::Stark;
    const VK_DOMAIN: &'static [u8] = b"multiprover-toy-vk-v1";
    type Key = [u8; 4];
    type Error = ToyError;

    fn parse_key(key: &SystemKey) -> Result<[u8; 4], ToyError> {
        key.key.as_ref().try_into().map_err(|_| ToyError::Key)
    }

    fn verify(key: &[u8; 4], e: &Envelope, _: &VerifyContext<'_>) -> Result<(), ToyError> {
        if e.proof == toy_proof(*key, e) {
            Ok(())
        } else {
            Err(ToyError::Mismatch)
        }
    }
}

/// The registry: the one line that adds the system.
static REGISTRY: &[&dyn DynProofSystem] = &[&Registered::<Toy>::NEW];

/// The settlement's verifier, dispatching over that registry.
struct Dispatch;

impl ProofVerifier for Dispatch {
    fn verify(&self, anchor: &TrustAnchor, e: &Envelope, at: u64) -> Result<(), VerifyError> {
        multiprover_verifier::verify_envelope_in(REGISTRY, anchor, e, at).map_err(|err| match err {
            multiprover_verifier::Error::Verify(v) => v,
            other => VerifyError::with_kind(e.system, other.kind(), other),
        })
    }
}

const TAG: [u8; 4] = *b"toy!";

fn toy_key() -> SystemKey {
    SystemKey {
        system: Toy::ID,
        vk_id: vk_id(Toy::VK_DOMAIN, &TAG),
        key: TAG.to_vec().into(),
    }
}

fn anchor() -> TrustAnchor {
    let profile = Profile::SMALL;
    let genesis: Vec<GenesisAccount> = (1..=4)
        .map(|index| GenesisAccount::new(index, 1_000_000))
        .collect();
    let genesis_root = genesis_tree(profile.depth, &genesis).unwrap().root();
    TrustAnchor {
        version: ANCHOR_VERSION,
        chain_id: 7,
        profile,
        statement_version: multiprover_core::StatementVersion::V1,
        genesis_root,
        genesis,
        policy: Policy {
            tiers: vec![Tier {
                below: None,
                min_systems: 1,
                required_families: vec![Family::Zk],
            }],
            quarantined: vec![],
        },
        systems: vec![toy_key()],
        tee: TeeRegistry::default(),
        council: Address::repeat_byte(0xc0),
        sequencer: multiprover_testkit::sequencer(),
    }
}

#[test]
fn a_toy_fifth_system_is_dispatched_verified_and_counted() {
    let anchor = anchor();
    let mut state = genesis_tree(anchor.profile.depth, &anchor.genesis).unwrap();
    let batch = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers: vec![Transfer::new(1, 2, 100, 0)],
    };
    let w = apply_batch(&mut state, &batch, anchor.profile).unwrap();
    let mut settlement = Settlement::new(anchor.clone()).unwrap();
    multiprover_testkit::propose_signed(&mut settlement, batch, w.statement.post_root).unwrap();
    let mut e = Envelope {
        system: Toy::ID,
        vk_id: toy_key().vk_id,
        statement: w.statement,
        proof: vec![],
    };

    // A bad proof: the toy's typed error arrives with its kind, and nothing is counted.
    e.proof = vec![0; 32];
    match settlement.submit(&e, &Dispatch) {
        Err(SubmitError::Proof(v)) => {
            assert_eq!(v.kind, ErrorKind::Rejected);
            assert_eq!(v.system, Toy::ID);
            assert!(matches!(
                v.downcast_ref::<ToyError>(),
                Some(ToyError::Mismatch)
            ));
        }
        other => panic!("expected the toy to reject, got {other:?}"),
    }
    assert_eq!(settlement.batch(1).unwrap().status, BatchStatus::Pending);

    // The shared pre-check runs for the toy too: another key id is refused before it.
    let mut wrong = e.clone();
    wrong.vk_id = vk_id(b"another domain", &TAG);
    assert!(matches!(
        settlement.submit(&wrong, &Dispatch),
        Err(SubmitError::Check(_))
    ));

    // A good proof: verified by the toy and counted by the policy, so the batch is final.
    e.proof = toy_proof(TAG, &e);
    let decision = settlement.submit(&e, &Dispatch).unwrap();
    assert!(decision.is_final(), "{decision:?}");
    assert_eq!(settlement.batch(1).unwrap().status, BatchStatus::Final);

    // The same envelope against a registry without the toy: not compiled, by kind.
    let none: &[&dyn DynProofSystem] = &[];
    let err = multiprover_verifier::verify_envelope_in(none, &anchor, &e, 0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotCompiled);
}
