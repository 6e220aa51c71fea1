//! Signed proposals: the EIP-712 digest against an independent implementation, signing and
//! recovery, every refusal (unsigned, another key, another anchor or chain, a changed field,
//! high s, bad v, no recovery), the settlement's checks (nothing recorded on a refusal,
//! timestamps never decrease) and the batch timestamp handed to the proof verifier.

use std::cell::RefCell;

use alloy_sol_types::{eip712_domain, sol, SolStruct};
use multiprover_core::error::ProposalFault;
use multiprover_core::proposal::{address_of_secret, Proposal, ProposalSignature};
use multiprover_core::settlement::{ProofVerifier, Settlement};
use multiprover_core::{
    Address, Batch, CoreError, Digest, Envelope, Policy, Statement, SystemId, Transfer,
    TrustAnchor, VerifyError, B256,
};
use multiprover_testkit::{sequencer, sign_next, SEQUENCER_SECRET};

use crate::common::anchor;

sol! {
    struct Proposal712 {
        uint64 chainId;
        uint64 batchNumber;
        bytes32 preRoot;
        bytes32 batchHash;
        uint64 timestamp;
    }
}

fn sample() -> Proposal {
    Proposal {
        chain_id: 7,
        batch_number: 3,
        pre_root: Digest::from_u64s([1, 2, 3, 4]).unwrap(),
        batch_hash: Digest::from_u64s([5, 6, 7, 8]).unwrap(),
        timestamp: 1_800_000_123,
    }
}

fn test_anchor() -> TrustAnchor {
    anchor(Policy::default_tiers(), &[SystemId::Stark])
}

#[test]
fn digest_matches_an_independent_eip712_implementation() {
    let salt = B256::repeat_byte(0xa5);
    for p in [
        sample(),
        Proposal {
            chain_id: u64::MAX - 1,
            timestamp: u64::MAX,
            ..sample()
        },
    ] {
        // The name is the Solidity struct's; the type string is checked separately.
        let t = Proposal712 {
            chainId: p.chain_id,
            batchNumber: p.batch_number,
            preRoot: p.pre_root.to_b256(),
            batchHash: p.batch_hash.to_b256(),
            timestamp: p.timestamp,
        };
        let domain = eip712_domain! {
            name: "multiprover",
            version: "1",
            chain_id: p.chain_id,
            salt: salt,
        };
        assert_eq!(
            Proposal::domain_separator(p.chain_id, &salt),
            domain.separator()
        );
        let data = t.eip712_hash_struct();
        // Same encoding, different type name: swap the type hash.
        let ours = p.struct_hash();
        let mut enc = Vec::new();
        enc.extend_from_slice(
            multiprover_core::alloy_primitives::keccak256(
                multiprover_core::proposal::PROPOSAL_TYPE.as_bytes(),
            )
            .as_slice(),
        );
        enc.extend_from_slice(&t.eip712_encode_data());
        assert_eq!(ours, multiprover_core::alloy_primitives::keccak256(&enc));
        assert_ne!(ours, data, "the type name is part of the hash");
        let mut digest = vec![0x19, 0x01];
        digest.extend_from_slice(domain.separator().as_slice());
        digest.extend_from_slice(ours.as_slice());
        assert_eq!(
            p.eip712_digest(&salt),
            multiprover_core::alloy_primitives::keccak256(&digest)
        );
    }
    assert_eq!(
        Proposal712::eip712_encode_type().replace("Proposal712", "Proposal"),
        multiprover_core::proposal::PROPOSAL_TYPE
    );
}

#[test]
fn a_signed_proposal_verifies_and_recovers_to_the_sequencer() {
    let a = test_anchor();
    let sp = sample().sign(&a.hash(), &SEQUENCER_SECRET).unwrap();
    assert_eq!(
        sp.proposal.recover(&a.hash(), &sp.signature).unwrap(),
        sequencer()
    );
    sp.verify(&a).unwrap();
    assert!(sp.signature.0[64] == 27 || sp.signature.0[64] == 28);
    // JSON round trip of the signature.
    let j = serde_json::to_string(&sp).unwrap();
    assert_eq!(
        serde_json::from_str::<multiprover_core::SignedProposal>(&j).unwrap(),
        sp
    );
}

#[test]
fn another_key_is_not_the_sequencer() {
    let a = test_anchor();
    let sp = sample().sign(&a.hash(), &[0x77; 32]).unwrap();
    assert_eq!(
        sp.verify(&a).unwrap_err(),
        CoreError::BadProposalSignature(ProposalFault::NotSequencer)
    );
}

#[test]
fn a_signature_for_another_anchor_or_chain_does_not_verify() {
    let a = test_anchor();
    // Same chain, same sequencer, another deployment (another anchor hash: the salt).
    let mut other = a.clone();
    other.council = Address::repeat_byte(0x01);
    assert_ne!(other.hash(), a.hash());
    let sp = sample().sign(&other.hash(), &SEQUENCER_SECRET).unwrap();
    sp.verify(&other).unwrap();
    assert_eq!(
        sp.verify(&a).unwrap_err(),
        CoreError::BadProposalSignature(ProposalFault::NotSequencer)
    );
    // Signed for chain 8, presented as chain 7's.
    let p8 = Proposal {
        chain_id: 8,
        ..sample()
    };
    let mut sp8 = p8.sign(&a.hash(), &SEQUENCER_SECRET).unwrap();
    assert!(matches!(
        sp8.verify(&a),
        Err(CoreError::WrongChain {
            expected: 7,
            got: 8
        })
    ));
    sp8.proposal.chain_id = 7;
    assert_eq!(
        sp8.verify(&a).unwrap_err(),
        CoreError::BadProposalSignature(ProposalFault::NotSequencer)
    );
}

#[test]
fn every_changed_field_breaks_the_signature() {
    let a = test_anchor();
    let sp = sample().sign(&a.hash(), &SEQUENCER_SECRET).unwrap();
    let d = Digest::from_u64s([9, 9, 9, 9]).unwrap();
    let changed = [
        Proposal {
            batch_number: 4,
            ..sp.proposal
        },
        Proposal {
            pre_root: d,
            ..sp.proposal
        },
        Proposal {
            batch_hash: d,
            ..sp.proposal
        },
        Proposal {
            timestamp: sp.proposal.timestamp + 1,
            ..sp.proposal
        },
    ];
    for p in changed {
        let mut bad = sp;
        bad.proposal = p;
        assert!(
            matches!(
                bad.verify(&a),
                Err(CoreError::BadProposalSignature(
                    ProposalFault::NotSequencer | ProposalFault::DoesNotRecover
                ))
            ),
            "{p:?}"
        );
    }
}

/// secp256k1's group order n, big-endian.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

fn sub_be(a: &[u8; 32], b: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = a[i] as i16 - b[i] as i16 - borrow;
        borrow = 0;
        if d < 0 {
            d += 256;
            borrow = 1;
        }
        out[i] = d as u8;
    }
    out
}

#[test]
fn high_s_bad_v_and_unrecoverable_signatures_are_refused() {
    let a = test_anchor();
    let sp = sample().sign(&a.hash(), &SEQUENCER_SECRET).unwrap();
    // The same signature with s' = n - s and the other v: valid ECDSA, but malleable.
    let mut high = sp;
    let s_high = sub_be(&N, &sp.signature.0[32..64]);
    high.signature.0[32..64].copy_from_slice(&s_high);
    high.signature.0[64] = if sp.signature.0[64] == 27 { 28 } else { 27 };
    assert_eq!(
        high.verify(&a).unwrap_err(),
        CoreError::BadProposalSignature(ProposalFault::HighS)
    );
    for v in [0u8, 1, 26, 29, 255] {
        let mut bad = sp;
        bad.signature.0[64] = v;
        assert_eq!(
            bad.verify(&a).unwrap_err(),
            CoreError::BadProposalSignature(ProposalFault::Malformed),
            "v = {v}"
        );
    }
    let mut zero = sp;
    zero.signature.0[..32].fill(0);
    assert!(matches!(
        zero.verify(&a),
        Err(CoreError::BadProposalSignature(
            ProposalFault::DoesNotRecover | ProposalFault::Malformed
        ))
    ));
    assert!(ProposalSignature::from_hex("0x1234").is_err());
    assert!(ProposalSignature::from_slice(&[0u8; 64]).is_err());
    assert!(serde_json::from_str::<ProposalSignature>("\"0xzz\"").is_err());
}

#[test]
fn an_anchor_must_pin_a_nonzero_sequencer() {
    let mut a = test_anchor();
    a.sequencer = Address::ZERO;
    assert!(matches!(a.validate(), Err(CoreError::BadAnchor(_))));
    // The field is required in JSON.
    let mut v: serde_json::Value = serde_json::from_str(&test_anchor().to_json()).unwrap();
    v.as_object_mut().unwrap().remove("sequencer");
    assert!(matches!(
        TrustAnchor::from_json(v.to_string().as_bytes()),
        Err(CoreError::BadAnchor(_))
    ));
    assert_eq!(
        address_of_secret(&SEQUENCER_SECRET).unwrap(),
        test_anchor().sequencer
    );
}

fn batch(n: u64, transfers: Vec<Transfer>) -> Batch {
    Batch {
        chain_id: 7,
        batch_number: n,
        transfers,
    }
}

#[test]
fn settlement_refuses_unsigned_and_wrongly_signed_proposals_and_records_nothing() {
    let mut s = Settlement::new(test_anchor()).unwrap();
    let b = batch(1, vec![]);
    assert_eq!(
        s.propose(b.clone(), Digest::ZERO, 10, None).unwrap_err(),
        CoreError::UnsignedProposal(1)
    );
    assert!(s.batches().is_empty());
    // Signed by another key.
    let p = s.next_proposal(&b, 10).unwrap();
    let other = p.sign(&s.anchor_hash(), &[0x77; 32]).unwrap().signature;
    assert_eq!(
        s.propose(b.clone(), Digest::ZERO, 10, Some(&other))
            .unwrap_err(),
        CoreError::BadProposalSignature(ProposalFault::NotSequencer)
    );
    // Signed by the sequencer, but for another timestamp than the one proposed.
    let sig = sign_next(&s, &b, 10);
    assert_eq!(
        s.propose(b.clone(), Digest::ZERO, 11, Some(&sig))
            .unwrap_err(),
        CoreError::BadProposalSignature(ProposalFault::NotSequencer)
    );
    assert!(s.batches().is_empty());
    s.propose(b, Digest::ZERO, 10, Some(&sig)).unwrap();
    assert_eq!(s.batch(1).unwrap().timestamp, 10);
    assert_eq!(s.batch(1).unwrap().signature, sig);
    s.batch(1)
        .unwrap()
        .signed_proposal()
        .verify(s.anchor())
        .unwrap();
}

#[test]
fn timestamps_never_decrease() {
    let mut s = Settlement::new(test_anchor()).unwrap();
    let b1 = batch(1, vec![]);
    let sig = sign_next(&s, &b1, 100);
    s.propose(b1, Digest::ZERO, 100, Some(&sig)).unwrap();
    let b2 = batch(2, vec![]);
    let early = sign_next(&s, &b2, 99);
    assert_eq!(
        s.propose(b2.clone(), Digest::ZERO, 99, Some(&early))
            .unwrap_err(),
        CoreError::ProposalTimestamp {
            batch: 2,
            previous: 100,
            got: 99
        }
    );
    assert_eq!(s.batches().len(), 1);
    // Equal is fine (two batches in one second).
    let same = sign_next(&s, &b2, 100);
    s.propose(b2, Digest::ZERO, 100, Some(&same)).unwrap();
}

/// A verifier that accepts everything and notes the timestamps it was given.
struct Spy(RefCell<Vec<u64>>);
impl ProofVerifier for Spy {
    fn verify(&self, _: &TrustAnchor, _: &Envelope, ts: u64) -> Result<(), VerifyError> {
        self.0.borrow_mut().push(ts);
        Ok(())
    }
}

#[test]
fn submit_verifies_at_the_batch_timestamp() {
    let a = test_anchor();
    let mut s = Settlement::new(a.clone()).unwrap();
    let b1 = batch(1, vec![]);
    let sig = sign_next(&s, &b1, 1_000);
    s.propose(b1, Digest::ZERO, 1_000, Some(&sig)).unwrap();
    let st = s.batch(1).unwrap();
    let e = Envelope {
        system: SystemId::Stark,
        vk_id: a.key(SystemId::Stark).unwrap().vk_id,
        statement: Statement {
            chain_id: 7,
            batch_number: 1,
            pre_root: st.pre_root,
            post_root: Digest::ZERO,
            batch_hash: st.batch_hash,
        },
        proof: vec![],
    };
    let spy = Spy(RefCell::new(vec![]));
    s.submit(&e, &spy).unwrap();
    assert_eq!(*spy.0.borrow(), vec![1_000]);
}
