//! Settlement scenarios: tiers, silent systems, conflicts, council resolution, replays.
//!
//! Proof verification is injected; here a mock system "proves" a statement by carrying the
//! keccak of its bytes, which binds the proof to the statement the way a real proof does.

use crate::common::{anchor, council_key, sign};
use multiprover_core::settlement::{
    resolution_digest, BatchStatus, ProofVerifier, Settlement, SubmitError,
};
use multiprover_core::VerifyError;
use multiprover_core::{
    apply_batch, genesis_tree, Batch, CoreError, Decision, Digest, Envelope, Family, Policy,
    SparseMerkleTree, Statement, SystemId, Tier, Transfer, TrustAnchor,
};
use multiprover_testkit::propose_signed;

fn keccak_statement(s: &Statement) -> Vec<u8> {
    multiprover_core::alloy_primitives::keccak256(s.to_bytes()).to_vec()
}

struct Mock;
impl ProofVerifier for Mock {
    fn verify(&self, _anchor: &TrustAnchor, e: &Envelope, _ts: u64) -> Result<(), VerifyError> {
        if e.proof == keccak_statement(&e.statement) {
            Ok(())
        } else {
            Err(VerifyError::rejected(
                e.system,
                "mock proof does not match the statement",
            ))
        }
    }
}

fn envelope(a: &TrustAnchor, system: SystemId, statement: Statement) -> Envelope {
    Envelope {
        system,
        vk_id: a.key(system).unwrap().vk_id,
        statement,
        proof: keccak_statement(&statement),
    }
}

struct Chain {
    s: Settlement,
    state: SparseMerkleTree,
    stmts: Vec<Statement>,
}

impl Chain {
    fn new(a: TrustAnchor) -> Chain {
        let state = genesis_tree(a.profile.depth, &a.genesis).unwrap();
        Chain {
            s: Settlement::new(a).unwrap(),
            state,
            stmts: vec![],
        }
    }
    /// Propose the next batch with one transfer of `amount`; returns its honest statement.
    fn propose(&mut self, amount: u64) -> Statement {
        let n = self.s.next_batch_number();
        let from = 1 + (n as u32 % 2);
        let batch = Batch {
            chain_id: self.s.anchor().chain_id,
            batch_number: n,
            transfers: vec![Transfer {
                from,
                to: 3,
                amount,
                nonce: self.state.account(from).nonce as u32,
            }],
        };
        let w = apply_batch(&mut self.state, &batch, self.s.anchor().profile).unwrap();
        propose_signed(&mut self.s, batch, w.statement.post_root).unwrap();
        self.stmts.push(w.statement);
        w.statement
    }
    fn prove(&mut self, st: Statement, sys: SystemId) -> Result<Decision, SubmitError> {
        let e = envelope(self.s.anchor(), sys, st);
        self.s.submit(&e, &Mock)
    }
    fn status(&self, n: u64) -> BatchStatus {
        self.s.batch(n).unwrap().status
    }
}

fn one_tier(min: u8, families: Vec<Family>) -> Policy {
    Policy {
        tiers: vec![Tier {
            below: None,
            min_systems: min,
            required_families: families,
        }],
        quarantined: vec![],
    }
}

fn inflated(st: Statement) -> Statement {
    let mut bad = st;
    bad.post_root = Digest::from_u64s([1, 2, 3, 4]).unwrap();
    bad
}

#[test]
fn two_of_three_finalizes_with_one_system_silent() {
    let mut c = Chain::new(anchor(
        one_tier(2, vec![Family::Zk]),
        &[SystemId::Plonky2, SystemId::Stark, SystemId::Tee],
    ));
    let st = c.propose(10);
    match c.prove(st, SystemId::Tee).unwrap() {
        Decision::Pending {
            missing,
            have,
            need,
            missing_families,
        } => {
            assert_eq!(missing, vec![SystemId::Plonky2, SystemId::Stark]);
            assert_eq!((have, need), (1, 2));
            assert_eq!(missing_families, vec![Family::Zk]);
        }
        d => panic!("expected pending, got {d:?}"),
    }
    assert_eq!(c.status(1), BatchStatus::Pending);
    assert!(c.prove(st, SystemId::Stark).unwrap().is_final());
    assert_eq!(c.status(1), BatchStatus::Final);
    assert_eq!(c.s.finalized(), (1, st.post_root));
}

#[test]
fn the_same_system_twice_is_not_two_systems() {
    let mut c = Chain::new(anchor(
        one_tier(2, vec![]),
        &[SystemId::Plonky2, SystemId::Stark],
    ));
    let st = c.propose(10);
    c.prove(st, SystemId::Plonky2).unwrap();
    assert!(!c.prove(st, SystemId::Plonky2).unwrap().is_final());
    assert_eq!(c.status(1), BatchStatus::Pending);
}

#[test]
fn required_family_blocks_finality_until_present() {
    let mut c = Chain::new(anchor(one_tier(2, vec![Family::Tee]), &SystemId::ALL));
    let st = c.propose(10);
    c.prove(st, SystemId::Plonky2).unwrap();
    let d = c.prove(st, SystemId::Stark).unwrap();
    assert!(
        matches!(d, Decision::Pending { ref missing_families, .. } if missing_families == &vec![Family::Tee]),
        "{d:?}"
    );
    assert!(c.prove(st, SystemId::Tee).unwrap().is_final());
}

#[test]
fn tier_escalates_with_value_at_risk() {
    let mut c = Chain::new(anchor(Policy::default_tiers(), &SystemId::ALL));
    // below 10^6: two systems with a zk one
    let small = c.propose(999_999);
    c.prove(small, SystemId::Tee).unwrap();
    assert!(c.prove(small, SystemId::Halo2).unwrap().is_final());
    // below 10^9: three, including hash-based; halo2 + tee + (no hash-based) is not enough
    let mid = c.propose(1_000_000);
    c.prove(mid, SystemId::Tee).unwrap();
    let d = c.prove(mid, SystemId::Halo2).unwrap();
    assert!(
        matches!(
            d,
            Decision::Pending {
                need: 3,
                have: 2,
                ..
            }
        ),
        "{d:?}"
    );
    assert!(c.prove(mid, SystemId::Stark).unwrap().is_final());
    // above: all four
    let big = c.propose(5_000_000_000);
    for s in [SystemId::Tee, SystemId::Halo2, SystemId::Stark] {
        assert!(!c.prove(big, s).unwrap().is_final());
    }
    assert_eq!(c.status(3), BatchStatus::Pending);
    assert!(c.prove(big, SystemId::Plonky2).unwrap().is_final());
    assert_eq!(c.s.finalized().0, 3);
}

#[test]
fn finality_is_chained_in_order() {
    let mut c = Chain::new(anchor(one_tier(1, vec![]), &[SystemId::Stark]));
    let a = c.propose(1);
    let b = c.propose(2);
    assert!(c.prove(b, SystemId::Stark).unwrap().is_final());
    assert_eq!(
        c.status(2),
        BatchStatus::Pending,
        "batch 2 cannot be final before batch 1"
    );
    c.prove(a, SystemId::Stark).unwrap();
    assert_eq!(
        (c.status(1), c.status(2)),
        (BatchStatus::Final, BatchStatus::Final)
    );
}

#[test]
fn conflict_halts_and_nothing_finalizes_on_top() {
    let mut c = Chain::new(anchor(one_tier(2, vec![]), &SystemId::ALL));
    let a = c.propose(10);
    let b = c.propose(20);
    c.prove(a, SystemId::Plonky2).unwrap();
    let d = c.prove(inflated(a), SystemId::Halo2).unwrap();
    match d {
        Decision::Conflict { roots } => {
            assert_eq!(roots.len(), 2);
            assert!(roots
                .iter()
                .any(|(r, s)| *r == a.post_root && s == &vec![SystemId::Plonky2]));
            assert!(roots
                .iter()
                .any(|(r, s)| *r == inflated(a).post_root && s == &vec![SystemId::Halo2]));
        }
        d => panic!("expected conflict, got {d:?}"),
    }
    assert_eq!(c.status(1), BatchStatus::Halted);
    // more honest proofs do not un-halt it
    c.prove(a, SystemId::Stark).unwrap();
    c.prove(a, SystemId::Tee).unwrap();
    assert_eq!(c.status(1), BatchStatus::Halted);
    // batch 2 is fully proven but sits on a halted root
    for s in SystemId::ALL {
        c.prove(b, s).unwrap();
    }
    assert!(c.s.batch(2).unwrap().decision.is_final());
    assert_eq!(c.status(2), BatchStatus::Pending);
    assert_eq!(c.s.finalized().0, 0);
}

#[test]
fn council_can_only_pick_a_proven_root_and_quarantines_the_other_side() {
    let mut c = Chain::new(anchor(one_tier(2, vec![]), &SystemId::ALL));
    let a = c.propose(10);
    let b = c.propose(20);
    c.prove(a, SystemId::Plonky2).unwrap();
    c.prove(inflated(a), SystemId::Halo2).unwrap();
    assert_eq!(c.status(1), BatchStatus::Halted);
    let key = council_key();
    // an unproven root is refused even when the council signs it
    let other = Digest::from_u64s([9, 9, 9, 9]).unwrap();
    let sig = sign(&key, resolution_digest(7, 1, &other));
    assert_eq!(
        c.s.resolve(1, other, &sig),
        Err(CoreError::UnprovenRoot(other))
    );
    // a proven root signed by someone else is refused
    let mallory = k256::ecdsa::SigningKey::from_slice(&[0x13; 32]).unwrap();
    let sig = sign(&mallory, resolution_digest(7, 1, &a.post_root));
    assert!(matches!(
        c.s.resolve(1, a.post_root, &sig),
        Err(CoreError::BadResolution(_))
    ));
    // a council signature for another batch or root does not transfer
    let sig_b2 = sign(&key, resolution_digest(7, 2, &a.post_root));
    assert!(matches!(
        c.s.resolve(1, a.post_root, &sig_b2),
        Err(CoreError::BadResolution(_))
    ));
    // garbage signature bytes are an error, not a panic
    assert!(c.s.resolve(1, a.post_root, &[0u8; 3]).is_err());
    assert_eq!(c.status(1), BatchStatus::Halted);
    // the council picks the honest root: halo2 is quarantined, the batch is final
    let sig = sign(&key, resolution_digest(7, 1, &a.post_root));
    assert_eq!(
        c.s.resolve(1, a.post_root, &sig).unwrap(),
        vec![SystemId::Halo2]
    );
    assert_eq!(c.status(1), BatchStatus::Final);
    assert_eq!(c.s.batch(1).unwrap().final_root, Some(a.post_root));
    assert!(c.s.policy().quarantined.contains(&SystemId::Halo2));
    // a quarantined system's proofs are refused from now on
    assert!(matches!(
        c.prove(b, SystemId::Halo2),
        Err(SubmitError::Check(CoreError::Quarantined(SystemId::Halo2)))
    ));
    // and the chain goes on
    c.prove(b, SystemId::Stark).unwrap();
    assert!(c.prove(b, SystemId::Tee).unwrap().is_final());
    assert_eq!(c.s.finalized(), (2, b.post_root));
    // resolving a batch that is not halted is refused
    let sig = sign(&key, resolution_digest(7, 2, &b.post_root));
    assert!(matches!(
        c.s.resolve(2, b.post_root, &sig),
        Err(CoreError::BadResolution(_))
    ));
}

#[test]
fn resolving_to_the_other_root_drops_proposals_built_on_the_discarded_one() {
    let mut c = Chain::new(anchor(
        one_tier(1, vec![]),
        &[SystemId::Plonky2, SystemId::Stark],
    ));
    let a = c.propose(10);
    c.propose(20);
    c.prove(a, SystemId::Plonky2).unwrap();
    // stark proves another root before plonky2's proof made batch 1 final? No: min 1 means
    // plonky2 alone made it final, so a later conflicting proof is evidence, not a halt.
    c.prove(inflated(a), SystemId::Stark).unwrap();
    assert_eq!(c.status(1), BatchStatus::Final, "finality is monotone");
    assert!(c.s.batch(1).unwrap().conflict_after_final);

    let mut c = Chain::new(anchor(
        one_tier(2, vec![]),
        &[SystemId::Plonky2, SystemId::Stark],
    ));
    let a = c.propose(10);
    c.propose(20);
    c.prove(a, SystemId::Plonky2).unwrap();
    c.prove(inflated(a), SystemId::Stark).unwrap();
    let sig = sign(
        &council_key(),
        resolution_digest(7, 1, &inflated(a).post_root),
    );
    assert_eq!(
        c.s.resolve(1, inflated(a).post_root, &sig).unwrap(),
        vec![SystemId::Plonky2]
    );
    assert_eq!(
        c.s.batches().len(),
        1,
        "batch 2 was built on the discarded root"
    );
    assert_eq!(c.s.head_root(), inflated(a).post_root);
}

#[test]
fn replayed_envelopes_are_rejected() {
    let mut c = Chain::new(anchor(one_tier(2, vec![]), &SystemId::ALL));
    let a = c.propose(10);
    let b = c.propose(20);
    // batch 1's statement relabelled as batch 2: the pre root and batch hash do not match
    let mut replay = a;
    replay.batch_number = 2;
    assert!(matches!(
        c.prove(replay, SystemId::Stark),
        Err(SubmitError::Check(CoreError::StatementMismatch {
            batch: 2,
            ..
        }))
    ));
    // batch 1's proof carried under batch 2's statement: the proof does not verify
    let mut e = envelope(c.s.anchor(), SystemId::Stark, b);
    e.proof = keccak_statement(&a);
    assert!(matches!(c.s.submit(&e, &Mock), Err(SubmitError::Proof(_))));
    // another chain
    let mut other_chain = a;
    other_chain.chain_id = 8;
    assert!(matches!(
        c.prove(other_chain, SystemId::Stark),
        Err(SubmitError::Check(CoreError::WrongChain {
            expected: 7,
            got: 8
        }))
    ));
    // an unknown batch
    let mut future = a;
    future.batch_number = 3;
    assert!(matches!(
        c.prove(future, SystemId::Stark),
        Err(SubmitError::Check(CoreError::UnknownBatch(3)))
    ));
    // a wrong verifying key id
    let mut e = envelope(c.s.anchor(), SystemId::Stark, a);
    e.vk_id = multiprover_core::B256::repeat_byte(0xee);
    assert!(matches!(
        c.s.submit(&e, &Mock),
        Err(SubmitError::Check(CoreError::WrongVerifyingKey { .. }))
    ));
    // nothing was recorded by any of this
    assert!(c.s.batch(1).unwrap().proofs.is_empty());
    assert!(c.s.batch(2).unwrap().proofs.is_empty());
}

#[test]
fn proposals_must_extend_the_chain() {
    let mut c = Chain::new(anchor(one_tier(1, vec![]), &[SystemId::Stark]));
    let batch = Batch {
        chain_id: 7,
        batch_number: 2,
        transfers: vec![],
    };
    assert_eq!(
        propose_signed(&mut c.s, batch, Digest::ZERO).unwrap_err(),
        CoreError::NotNext {
            expected: 1,
            got: 2
        }
    );
    let batch = Batch {
        chain_id: 9,
        batch_number: 1,
        transfers: vec![],
    };
    assert!(matches!(
        propose_signed(&mut c.s, batch, Digest::ZERO),
        Err(CoreError::WrongChain { .. })
    ));
    let too_many = Batch {
        chain_id: 7,
        batch_number: 1,
        transfers: vec![Transfer::default(); 3],
    };
    assert!(matches!(
        propose_signed(&mut c.s, too_many, Digest::ZERO),
        Err(CoreError::TooManyTransfers { .. })
    ));
    let a = c.propose(5);
    assert_eq!(c.s.batch(1).unwrap().pre_root, c.s.anchor().genesis_root);
    c.propose(6);
    assert_eq!(c.s.batch(2).unwrap().pre_root, a.post_root);
}
