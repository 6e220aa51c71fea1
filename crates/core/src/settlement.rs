//! The settlement state machine: what an L1 contract would do with proposals and proofs.
//!
//! - `propose`: a batch with its claimed post root must extend the chain (its pre root is the
//!   previous proposal's claimed post root, or genesis; its number is the next one), carry the
//!   anchor's sequencer's signature over its [`Proposal`], and a timestamp no earlier than its
//!   predecessor's (the time TEE registration windows are checked at).
//! - `submit`: an envelope for a proposed batch, accepted only if it matches the batch, names
//!   the anchor's verifying key, its system is not quarantined, and the injected
//!   [`ProofVerifier`] accepts it. The policy then decides the batch.
//! - Finality is monotone and chained: a batch is final only when the policy is met *and* its
//!   predecessor is final with the same root. Two valid proofs of different post roots halt
//!   the batch (`Conflict`); nothing after a halted batch finalizes.
//! - `resolve`: only the council key, only to one of the proven roots; the systems that
//!   proved another root are quarantined, and proposals built on a discarded root are dropped.

use alloc::vec::Vec;
use alloy_primitives::{keccak256, Signature, B256};
use serde::{Deserialize, Serialize};

use crate::anchor::TrustAnchor;
use crate::envelope::Envelope;
use crate::error::{CoreError, Resolution};
use crate::hash::Digest;
use crate::policy::{Decision, Policy};
use crate::proof_system::{Classify, ErrorKind, VerifyError};
use crate::proposal::{Proposal, ProposalSignature, SignedProposal};
use crate::statement::Statement;
use crate::stf::Batch;
use crate::system::SystemId;

/// Proof verification, injected so that core knows no proof system.
pub trait ProofVerifier {
    /// Verify one envelope against the trust anchor, for a batch with the signed timestamp
    /// `batch_timestamp` (the time TEE registration windows are checked at).
    fn verify(
        &self,
        anchor: &TrustAnchor,
        envelope: &Envelope,
        batch_timestamp: u64,
    ) -> Result<(), VerifyError>;
}

/// Why [`Settlement::submit`] refused an envelope.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The envelope does not belong to a proposed batch, names another key, or its system is
    /// quarantined (nothing was verified).
    #[error(transparent)]
    Check(#[from] CoreError),
    /// The proof was verified and rejected.
    #[error("proof rejected: {0}")]
    Proof(#[source] VerifyError),
}

impl Classify for SubmitError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Check(e) => e.kind(),
            Self::Proof(e) => e.kind,
        }
    }
}

/// Where a batch stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// Not final yet: the policy is not met, or the predecessor is not final.
    Pending,
    /// Final (monotone: never changes again).
    Final,
    /// Halted by a conflict until the council resolves it.
    Halted,
}

/// One proposed batch and what is known about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchState {
    /// The batch.
    pub batch: Batch,
    /// Pre root (the previous batch's claimed post root, or genesis).
    pub pre_root: Digest,
    /// The proposer's claimed post root.
    pub claimed_post_root: Digest,
    /// The batch hash.
    pub batch_hash: Digest,
    /// Sum of the transfer amounts.
    pub value_at_risk: u128,
    /// Valid proofs: system and the post root it proved.
    pub proofs: Vec<(SystemId, Digest)>,
    /// The policy's decision on the proofs.
    pub decision: Decision,
    /// Status.
    pub status: BatchStatus,
    /// The final root, once final.
    pub final_root: Option<Digest>,
    /// A valid proof of another root arrived after finality (evidence of an unsound system).
    pub conflict_after_final: bool,
    /// The root the council picked, if the batch was halted and resolved.
    pub resolved_root: Option<Digest>,
    /// The batch's signed timestamp (seconds since the Unix epoch).
    pub timestamp: u64,
    /// The sequencer's signature over the batch's [`Proposal`].
    pub signature: ProposalSignature,
}

impl BatchState {
    /// The signed proposal of this batch.
    pub fn signed_proposal(&self) -> SignedProposal {
        SignedProposal {
            proposal: Proposal {
                chain_id: self.batch.chain_id,
                batch_number: self.batch.batch_number,
                pre_root: self.pre_root,
                batch_hash: self.batch_hash,
                timestamp: self.timestamp,
            },
            signature: self.signature,
        }
    }
}

/// The settlement state machine.
#[derive(Clone, Debug)]
pub struct Settlement {
    anchor: TrustAnchor,
    anchor_hash: B256,
    policy: Policy,
    batches: Vec<BatchState>,
}

/// EIP-712 type of a council resolution.
pub const RESOLUTION_TYPE: &str = "Resolution(uint64 chainId,uint64 batchNumber,bytes32 postRoot)";

/// The digest the council signs to resolve `batch_number` of `chain_id` to `root`.
pub fn resolution_digest(chain_id: u64, batch_number: u64, root: &Digest) -> B256 {
    let probe = Statement {
        chain_id,
        batch_number,
        pre_root: Digest::ZERO,
        post_root: Digest::ZERO,
        batch_hash: Digest::ZERO,
    };
    let domain = probe.domain_separator();
    let mut s = [0u8; 128];
    s[0..32].copy_from_slice(keccak256(RESOLUTION_TYPE.as_bytes()).as_slice());
    s[56..64].copy_from_slice(&chain_id.to_be_bytes());
    s[88..96].copy_from_slice(&batch_number.to_be_bytes());
    s[96..128].copy_from_slice(root.to_b256().as_slice());
    let mut buf = [0u8; 66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    buf[2..34].copy_from_slice(domain.as_slice());
    buf[34..66].copy_from_slice(keccak256(s).as_slice());
    keccak256(buf)
}

impl Settlement {
    /// Start from a validated trust anchor.
    pub fn new(anchor: TrustAnchor) -> Result<Settlement, CoreError> {
        anchor.validate()?;
        Ok(Settlement {
            policy: anchor.policy.clone(),
            anchor_hash: anchor.hash(),
            anchor,
            batches: Vec::new(),
        })
    }

    /// The anchor.
    pub fn anchor(&self) -> &TrustAnchor {
        &self.anchor
    }

    /// The policy in force (the anchor's, plus quarantines from resolutions).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// All batches, in order (batch `n` at index `n - 1`).
    pub fn batches(&self) -> &[BatchState] {
        &self.batches
    }

    /// Batch `n`.
    pub fn batch(&self, n: u64) -> Option<&BatchState> {
        n.checked_sub(1).and_then(|i| self.batches.get(i as usize))
    }

    /// The next batch number.
    pub fn next_batch_number(&self) -> u64 {
        self.batches.len() as u64 + 1
    }

    /// The root the next proposal must start from.
    pub fn head_root(&self) -> Digest {
        self.batches
            .last()
            .map(|b| b.claimed_post_root)
            .unwrap_or(self.anchor.genesis_root)
    }

    /// The last final batch number and root (0 and genesis if none).
    pub fn finalized(&self) -> (u64, Digest) {
        let mut out = (0, self.anchor.genesis_root);
        for (i, b) in self.batches.iter().enumerate() {
            match (b.status, b.final_root) {
                (BatchStatus::Final, Some(r)) => out = (i as u64 + 1, r),
                _ => break,
            }
        }
        out
    }

    /// Check a proposal of the next batch without recording it, in this order: it is signed;
    /// it is for the anchor's chain and the next number; the sequencer's signature over its
    /// [`Proposal`] (this chain, this number, the head root, the batch hash, `timestamp`)
    /// recovers to the anchor's sequencer under the anchor's hash; `timestamp` is not before
    /// the previous batch's. Returns the batch hash.
    pub fn check_proposal(
        &self,
        batch: &Batch,
        timestamp: u64,
        signature: Option<&ProposalSignature>,
    ) -> Result<Digest, CoreError> {
        let signature = signature.ok_or(CoreError::UnsignedProposal(batch.batch_number))?;
        if batch.chain_id != self.anchor.chain_id {
            return Err(CoreError::WrongChain {
                expected: self.anchor.chain_id,
                got: batch.chain_id,
            });
        }
        let next = self.next_batch_number();
        if batch.batch_number != next {
            return Err(CoreError::NotNext {
                expected: next,
                got: batch.batch_number,
            });
        }
        let batch_hash = batch.hash(self.anchor.profile.capacity)?;
        let signed = SignedProposal {
            proposal: Proposal {
                chain_id: batch.chain_id,
                batch_number: batch.batch_number,
                pre_root: self.head_root(),
                batch_hash,
                timestamp,
            },
            signature: *signature,
        };
        signed.verify_hashed(&self.anchor, &self.anchor_hash)?;
        if let Some(prev) = self.batches.last() {
            if timestamp < prev.timestamp {
                return Err(CoreError::ProposalTimestamp {
                    batch: batch.batch_number,
                    previous: prev.timestamp,
                    got: timestamp,
                });
            }
        }
        Ok(batch_hash)
    }

    /// Propose the next batch with its claimed post root, its signed timestamp and the
    /// sequencer's signature ([`check_proposal`](Self::check_proposal) first).
    pub fn propose(
        &mut self,
        batch: Batch,
        claimed_post_root: Digest,
        timestamp: u64,
        signature: Option<&ProposalSignature>,
    ) -> Result<&BatchState, CoreError> {
        let batch_hash = self.check_proposal(&batch, timestamp, signature)?;
        let signature = *signature.ok_or(CoreError::UnsignedProposal(batch.batch_number))?;
        let value_at_risk = batch.value_at_risk();
        let decision = self
            .policy
            .decide(value_at_risk, &[], &self.anchor.configured_systems());
        self.batches.push(BatchState {
            pre_root: self.head_root(),
            claimed_post_root,
            batch_hash,
            value_at_risk,
            batch,
            proofs: Vec::new(),
            decision,
            status: BatchStatus::Pending,
            final_root: None,
            conflict_after_final: false,
            resolved_root: None,
            timestamp,
            signature,
        });
        Ok(&self.batches[self.batches.len() - 1])
    }

    /// The proposal of `batch` as the next batch: (chain, number, head
    /// root, batch hash, `timestamp`), for sequencers.
    pub fn next_proposal(&self, batch: &Batch, timestamp: u64) -> Result<Proposal, CoreError> {
        Ok(Proposal {
            chain_id: batch.chain_id,
            batch_number: batch.batch_number,
            pre_root: self.head_root(),
            batch_hash: batch.hash(self.anchor.profile.capacity)?,
            timestamp,
        })
    }

    /// The anchor's hash (the EIP-712 salt of proposals).
    pub fn anchor_hash(&self) -> B256 {
        self.anchor_hash
    }

    /// Check that an envelope belongs to a proposed batch and names the anchor's key, without
    /// verifying the proof. Returns the batch index.
    pub fn check_envelope(&self, envelope: &Envelope) -> Result<usize, CoreError> {
        envelope.pinned_key(&self.anchor)?;
        let st = &envelope.statement;
        let idx = st
            .batch_number
            .checked_sub(1)
            .map(|i| i as usize)
            .filter(|i| *i < self.batches.len())
            .ok_or(CoreError::UnknownBatch(st.batch_number))?;
        let b = &self.batches[idx];
        if st.pre_root != b.pre_root {
            return Err(CoreError::StatementMismatch {
                batch: st.batch_number,
                what: "pre_root",
            });
        }
        if st.batch_hash != b.batch_hash {
            return Err(CoreError::StatementMismatch {
                batch: st.batch_number,
                what: "batch_hash",
            });
        }
        if self.policy.quarantined.contains(&envelope.system) {
            return Err(CoreError::Quarantined(envelope.system));
        }
        Ok(idx)
    }

    /// Submit an envelope; it is verified by `verifier` before anything is recorded. Returns
    /// the batch's decision afterwards.
    pub fn submit(
        &mut self,
        envelope: &Envelope,
        verifier: &dyn ProofVerifier,
    ) -> Result<Decision, SubmitError> {
        let idx = self.check_envelope(envelope)?;
        verifier
            .verify(&self.anchor, envelope, self.batches[idx].timestamp)
            .map_err(SubmitError::Proof)?;
        self.record_verified(idx, envelope.system, envelope.statement.post_root);
        Ok(self.batches[idx].decision.clone())
    }

    /// Record a proof that was already verified (used when replaying a store).
    pub fn record_verified(&mut self, idx: usize, system: SystemId, root: Digest) {
        let b = &mut self.batches[idx];
        if !b.proofs.contains(&(system, root)) {
            b.proofs.push((system, root));
        }
        self.refresh(idx);
    }

    /// Re-run the policy from batch `from` onwards and cascade finality.
    fn refresh(&mut self, from: usize) {
        let configured = self.anchor.configured_systems();
        for i in from..self.batches.len() {
            let prev_final = if i == 0 {
                Some(self.anchor.genesis_root)
            } else {
                match self.batches[i - 1].status {
                    BatchStatus::Final => self.batches[i - 1].final_root,
                    _ => None,
                }
            };
            let b = &mut self.batches[i];
            b.decision = self.policy.decide(b.value_at_risk, &b.proofs, &configured);
            match b.status {
                BatchStatus::Final => {
                    if matches!(b.decision, Decision::Conflict { .. }) {
                        b.conflict_after_final = true;
                    }
                }
                BatchStatus::Halted => {}
                BatchStatus::Pending if b.resolved_root.is_some() => {
                    if prev_final == Some(b.pre_root) {
                        b.status = BatchStatus::Final;
                        b.final_root = b.resolved_root;
                    }
                }
                BatchStatus::Pending => match &b.decision {
                    Decision::Conflict { .. } => b.status = BatchStatus::Halted,
                    Decision::Final { root, .. } => {
                        if prev_final == Some(b.pre_root) {
                            b.status = BatchStatus::Final;
                            b.final_root = Some(*root);
                        }
                    }
                    Decision::Pending { .. } => {}
                },
            }
        }
    }

    /// Council resolution of a halted batch: pick one of the proven roots. `signature` is the
    /// council's 65-byte `r ‖ s ‖ v` signature over [`resolution_digest`].
    pub fn resolve(
        &mut self,
        batch_number: u64,
        root: Digest,
        signature: &[u8],
    ) -> Result<Vec<SystemId>, CoreError> {
        let idx = batch_number
            .checked_sub(1)
            .map(|i| i as usize)
            .filter(|i| *i < self.batches.len())
            .ok_or(CoreError::UnknownBatch(batch_number))?;
        let sig = Signature::from_raw(signature)
            .map_err(|_| CoreError::BadResolution(Resolution::MalformedSignature))?;
        if sig.normalize_s().is_some() {
            return Err(CoreError::BadResolution(Resolution::HighS));
        }
        let digest = resolution_digest(self.anchor.chain_id, batch_number, &root);
        let signer = sig
            .recover_address_from_prehash(&digest)
            .map_err(|_| CoreError::BadResolution(Resolution::DoesNotRecover))?;
        if signer != self.anchor.council {
            return Err(CoreError::BadResolution(Resolution::NotCouncil));
        }
        let b = &self.batches[idx];
        if b.status != BatchStatus::Halted {
            return Err(CoreError::BadResolution(Resolution::NotHalted));
        }
        if !b.proofs.iter().any(|(_, r)| *r == root) {
            return Err(CoreError::UnprovenRoot(root));
        }
        let mut losers: Vec<SystemId> = b
            .proofs
            .iter()
            .filter(|(_, r)| *r != root)
            .map(|(s, _)| *s)
            .collect();
        losers.sort();
        losers.dedup();
        for s in &losers {
            if !self.policy.quarantined.contains(s) {
                self.policy.quarantined.push(*s);
            }
        }
        let b = &mut self.batches[idx];
        b.status = BatchStatus::Pending;
        b.resolved_root = Some(root);
        // Proposals built on a discarded root can never be proven on this chain: drop them.
        if b.claimed_post_root != root {
            b.claimed_post_root = root;
            self.batches.truncate(idx + 1);
        }
        // The council's pick is final as soon as the predecessor is.
        self.refresh(0);
        Ok(losers)
    }
}

/// The statement a batch state implies for a given post root.
pub fn statement_for(b: &BatchState, post_root: Digest) -> Statement {
    Statement {
        chain_id: b.batch.chain_id,
        batch_number: b.batch.batch_number,
        pre_root: b.pre_root,
        post_root,
        batch_hash: b.batch_hash,
    }
}
