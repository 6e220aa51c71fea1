//! The light client: pinned anchor in, batch records in, its own verdicts out.
//!
//! It recomputes every batch hash from the published transfers, verifies every envelope
//! itself, checks the root chain from genesis and applies the policy itself, with
//! [`multiprover_core::Settlement`] as the state machine, which also checks the sequencer's
//! signature over each batch's proposal. It fetches nothing and reads no clock: envelopes are
//! verified at their batch's signed timestamp, and the caller passes a millisecond timer.

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use multiprover_core::alloy_primitives::keccak256;
use multiprover_core::proof_system::{Classify, ErrorKind, VerifyError};
use multiprover_core::settlement::{BatchStatus, ProofVerifier, Settlement, SubmitError};
use multiprover_core::{Decision, Digest, Envelope, SystemId, TrustAnchor, B256};
use serde::{Deserialize, Serialize};

use crate::dispatch::{verify_envelope, verify_envelopes_at};
use crate::error::Error;
use crate::record::BatchRecord;

/// The result of verifying one envelope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProofResult {
    /// The system the envelope claims (absent when the bytes do not decode).
    pub system: Option<SystemId>,
    /// The post root it proves (absent when the bytes do not decode).
    pub post_root: Option<Digest>,
    /// Whether it was accepted.
    pub ok: bool,
    /// Why it was rejected.
    pub error: Option<ProofError>,
    /// Verification time in milliseconds.
    pub millis: f64,
}

/// Why an envelope was rejected: the kind to switch on, and a message for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The full error, for display.
    pub message: String,
}

impl ProofError {
    /// The kind and message of any classified error.
    pub fn of<E: Classify + core::fmt::Display>(e: &E) -> Self {
        Self {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

impl From<&SubmitError> for ProofError {
    fn from(e: &SubmitError) -> Self {
        match e {
            SubmitError::Check(c) => Self::of(c),
            SubmitError::Proof(v) => Self::of(v),
        }
    }
}

/// The client's own verdict on one batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchVerdict {
    /// Batch number.
    pub batch_number: u64,
    /// Pre root (from the client's own chain).
    pub pre_root: Digest,
    /// The claimed post root.
    pub claimed_post_root: Digest,
    /// Batch hash recomputed from the transfers.
    pub batch_hash: Digest,
    /// Number of transfers.
    pub transfers: usize,
    /// Value at risk (as a decimal string: it may exceed 2^53).
    pub value_at_risk: String,
    /// Every envelope's result, in the published order.
    pub proofs: Vec<ProofResult>,
    /// The policy's decision.
    pub decision: Decision,
    /// Final / pending / halted.
    pub status: BatchStatus,
    /// The final root once final.
    pub final_root: Option<Digest>,
}

/// The chain as the client sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainStatus {
    /// Chain id.
    pub chain_id: u64,
    /// Hash of the pinned anchor.
    pub anchor_hash: B256,
    /// Highest batch ingested.
    pub head: u64,
    /// Highest final batch (0 = genesis).
    pub final_batch: u64,
    /// Its root.
    pub final_root: Digest,
    /// Batches halted by a conflict.
    pub conflicts: Vec<u64>,
}

/// The light client.
#[derive(Debug)]
pub struct LightClient {
    settlement: Settlement,
    anchor_hash: B256,
    proofs: Vec<Vec<ProofResult>>,
    seen: Vec<Vec<B256>>,
}

impl LightClient {
    /// Pin an anchor.
    pub fn new(anchor: TrustAnchor) -> Result<LightClient, Error> {
        let anchor_hash = anchor.hash();
        Ok(LightClient {
            settlement: Settlement::new(anchor)?,
            anchor_hash,
            proofs: Vec::new(),
            seen: Vec::new(),
        })
    }

    /// The pinned anchor.
    pub fn anchor(&self) -> &TrustAnchor {
        self.settlement.anchor()
    }

    /// Ingest one batch record: the next batch (signed by the anchor's sequencer), or again a
    /// batch already seen (new envelopes are then added). Envelopes are verified at the
    /// batch's signed timestamp; `clock` returns milliseconds and times each verification.
    pub fn ingest(
        &mut self,
        record: &BatchRecord,
        clock: &mut dyn FnMut() -> f64,
    ) -> Result<BatchVerdict, Error> {
        self.ingest_with(record, clock, &mut BTreeMap::new())
    }

    /// Ingest several batch records in order, with the same verdicts as [`ingest`](Self::ingest)
    /// called on each, but halo2's new envelopes among them are verified together first (one
    /// `BatchVerifier` check through [`verify_envelopes_at`]: a single halo2 verification is
    /// dominated by a multi-scalar multiplication that a batch pays once). Each of them is
    /// reported with an equal share of the batch check's time. Stops at the first record
    /// that is rejected, with its error; the records before it stay ingested.
    pub fn ingest_many(
        &mut self,
        records: &[BatchRecord],
        clock: &mut dyn FnMut() -> f64,
    ) -> Result<Vec<BatchVerdict>, Error> {
        let mut ids = BTreeSet::new();
        // Each new envelope with the timestamp of the record it came with (used only if that
        // record's batch is ingested with that timestamp).
        let mut pending: Vec<(B256, Envelope, u64)> = Vec::new();
        for r in records {
            let seen = r
                .batch
                .batch_number
                .checked_sub(1)
                .and_then(|i| self.seen.get(i as usize));
            for bytes in &r.envelopes {
                let id = keccak256(&bytes.0);
                if seen.is_some_and(|s| s.contains(&id)) || !ids.insert(id) {
                    continue;
                }
                if let Ok(e) = Envelope::from_bytes(&bytes.0) {
                    pending.push((id, e, r.timestamp));
                }
            }
        }
        let mut decided = BTreeMap::new();
        for system in SystemId::ALL {
            let mut ids = Vec::new();
            let mut list = Vec::new();
            let mut times = Vec::new();
            for (id, e, t) in pending.iter().filter(|(_, e, _)| e.system == system) {
                ids.push((*id, *t));
                list.push(e.clone());
                times.push(*t);
            }
            if list.len() < 2 {
                continue;
            }
            let t0 = clock();
            let results = verify_envelopes_at(self.anchor(), &list, &times);
            let share = (clock() - t0) / list.len() as f64;
            for ((id, t), r) in ids.into_iter().zip(results) {
                decided.insert(id, (r.map_err(|e| as_verify_error(system, e)), share, t));
            }
        }
        records
            .iter()
            .map(|r| self.ingest_with(r, clock, &mut decided))
            .collect()
    }

    /// [`ingest`](Self::ingest), with some envelopes' proof checks already decided (by hash
    /// of their bytes: the result, the milliseconds it cost and the batch timestamp it was
    /// verified at).
    fn ingest_with(
        &mut self,
        record: &BatchRecord,
        clock: &mut dyn FnMut() -> f64,
        decided: &mut Decided,
    ) -> Result<BatchVerdict, Error> {
        let n = record.batch.batch_number;
        let idx = match self.settlement.batch(n) {
            Some(known) => {
                if known.batch != record.batch
                    || known.claimed_post_root != record.claimed_post_root
                    || known.timestamp != record.timestamp
                    || Some(known.signature) != record.signature
                {
                    return Err(Error::BatchMismatch(
                        "a different batch was already published under this number",
                    ));
                }
                (n - 1) as usize
            }
            None => {
                self.settlement.propose(
                    record.batch.clone(),
                    record.claimed_post_root,
                    record.timestamp,
                    record.signature.as_ref(),
                )?;
                self.proofs.push(Vec::new());
                self.seen.push(Vec::new());
                self.proofs.len() - 1
            }
        };
        for bytes in &record.envelopes {
            let id = keccak256(&bytes.0);
            if self.seen[idx].contains(&id) {
                continue;
            }
            self.seen[idx].push(id);
            let t0 = clock();
            let at = self.settlement.batches()[idx].timestamp;
            let (result, share) = match decided.remove(&id) {
                Some((proof, share, t)) if t == at => (self.check_one(&bytes.0, |_| proof), share),
                _ => {
                    let anchor = self.anchor().clone();
                    (
                        self.check_one(&bytes.0, |e| Dispatcher.verify(&anchor, e, at)),
                        0.0,
                    )
                }
            };
            let millis = clock() - t0 + share;
            self.proofs[idx].push(match result {
                Ok(e) => ProofResult {
                    system: Some(e.system),
                    post_root: Some(e.statement.post_root),
                    ok: true,
                    error: None,
                    millis,
                },
                Err(boxed) => {
                    let (e, err) = *boxed;
                    ProofResult {
                        system: e.as_ref().map(|e| e.system),
                        post_root: e.as_ref().map(|e| e.statement.post_root),
                        ok: false,
                        error: Some(err),
                        millis,
                    }
                }
            });
        }
        self.verdict(n)
            .ok_or(Error::BatchMismatch("batch vanished"))
    }

    /// Decode, check against the chain, verify with `verify`, record: the settlement's own
    /// checks of the envelope against the anchor and the batch always run.
    fn check_one(
        &mut self,
        bytes: &[u8],
        verify: impl FnOnce(&Envelope) -> Result<(), VerifyError>,
    ) -> Result<Envelope, Box<(Option<Envelope>, ProofError)>> {
        let e =
            Envelope::from_bytes(bytes).map_err(|err| Box::new((None, ProofError::of(&err))))?;
        let checked = self
            .settlement
            .check_envelope(&e)
            .map_err(SubmitError::Check)
            .and_then(|idx| verify(&e).map(|()| idx).map_err(SubmitError::Proof));
        match checked {
            Ok(idx) => {
                self.settlement
                    .record_verified(idx, e.system, e.statement.post_root);
                Ok(e)
            }
            Err(err) => {
                let pe = ProofError::from(&err);
                Err(Box::new((Some(e), pe)))
            }
        }
    }

    /// The verdict on batch `n`.
    pub fn verdict(&self, n: u64) -> Option<BatchVerdict> {
        let b = self.settlement.batch(n)?;
        let proofs = self.proofs.get((n - 1) as usize)?.clone();
        Some(BatchVerdict {
            batch_number: n,
            pre_root: b.pre_root,
            claimed_post_root: b.claimed_post_root,
            batch_hash: b.batch_hash,
            transfers: b.batch.transfers.len(),
            value_at_risk: b.value_at_risk.to_string(),
            proofs,
            decision: b.decision.clone(),
            status: b.status,
            final_root: b.final_root,
        })
    }

    /// Every verdict (statuses cascade: a later envelope can finalize earlier batches).
    pub fn verdicts(&self) -> Vec<BatchVerdict> {
        (1..=self.settlement.batches().len() as u64)
            .filter_map(|n| self.verdict(n))
            .collect()
    }

    /// The chain head, the final root and any conflict.
    pub fn status(&self) -> ChainStatus {
        let (final_batch, final_root) = self.settlement.finalized();
        ChainStatus {
            chain_id: self.anchor().chain_id,
            anchor_hash: self.anchor_hash,
            head: self.settlement.batches().len() as u64,
            final_batch,
            final_root,
            conflicts: self
                .settlement
                .batches()
                .iter()
                .enumerate()
                .filter(|(_, b)| b.status == BatchStatus::Halted)
                .map(|(i, _)| i as u64 + 1)
                .collect(),
        }
    }
}

/// A verifier error as the [`VerifyError`] the settlement records (anchor-level failures keep
/// their own kind).
fn as_verify_error(system: SystemId, e: Error) -> VerifyError {
    match e {
        Error::Verify(v) => v,
        other => VerifyError::with_kind(system, other.kind(), other),
    }
}

/// Proof checks decided ahead, by hash of the envelope bytes: the result, its milliseconds
/// and the batch timestamp it was verified at.
type Decided = BTreeMap<B256, (Result<(), VerifyError>, f64, u64)>;

/// The dispatching verifier ([`crate::verify_envelope`]) as core's injected
/// [`ProofVerifier`]: each envelope at its batch's signed timestamp.
#[derive(Clone, Copy, Debug, Default)]
pub struct Dispatcher;

impl ProofVerifier for Dispatcher {
    fn verify(
        &self,
        anchor: &TrustAnchor,
        envelope: &Envelope,
        batch_timestamp: u64,
    ) -> Result<(), VerifyError> {
        verify_envelope(anchor, envelope, batch_timestamp)
            .map_err(|e| as_verify_error(envelope.system, e))
    }
}
