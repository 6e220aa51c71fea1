//! The node's state: the settlement state machine, the reference state, the store and the
//! worker leases. Replayed from the store at startup.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use multiprover_core::settlement::{statement_for, BatchState, BatchStatus, Settlement};
use multiprover_core::{
    apply_batch, genesis_tree, Batch, Digest, ProposalSignature, SparseMerkleTree, Statement,
    SystemId, TrustAnchor,
};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::store::{Store, StoredEnvelope};

/// One proof as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofSummary {
    /// The system.
    pub system: SystemId,
    /// The root it proved.
    pub post_root: Digest,
}

/// A batch as `GET /api/batches` lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchSummary {
    /// Batch number.
    pub batch_number: u64,
    /// Pre root.
    pub pre_root: Digest,
    /// The claimed post root (the node's own STF result).
    pub claimed_post_root: Digest,
    /// Batch hash.
    pub batch_hash: Digest,
    /// The batch's signed timestamp.
    pub timestamp: u64,
    /// Value at risk (decimal string).
    pub value_at_risk: String,
    /// Status.
    pub status: BatchStatus,
    /// The policy's decision.
    pub decision: multiprover_core::Decision,
    /// Final root, once final.
    pub final_root: Option<Digest>,
    /// Valid proofs recorded.
    pub proofs: Vec<ProofSummary>,
}

impl BatchSummary {
    pub(crate) fn of(b: &BatchState) -> BatchSummary {
        BatchSummary {
            batch_number: b.batch.batch_number,
            pre_root: b.pre_root,
            claimed_post_root: b.claimed_post_root,
            batch_hash: b.batch_hash,
            timestamp: b.timestamp,
            value_at_risk: b.value_at_risk.to_string(),
            status: b.status,
            decision: b.decision.clone(),
            final_root: b.final_root,
            proofs: b
                .proofs
                .iter()
                .map(|(s, r)| ProofSummary {
                    system: *s,
                    post_root: *r,
                })
                .collect(),
        }
    }
}

/// A unit of work for a prover worker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkItem {
    /// Batch number.
    pub batch_number: u64,
    /// The batch.
    pub batch: Batch,
    /// The root the proof must start from.
    pub pre_root: Digest,
}

/// The node's mutable state.
#[derive(Debug)]
pub struct NodeState {
    pub(crate) settlement: Settlement,
    state: SparseMerkleTree,
    pub(crate) store: Store,
    leases: HashMap<(u64, SystemId), Instant>,
    lease: Duration,
}

impl NodeState {
    /// Open the store and replay it.
    pub fn open(
        anchor: TrustAnchor,
        db: &std::path::Path,
        lease_secs: u64,
    ) -> Result<NodeState, Error> {
        let store = Store::open(db, &anchor.hash().to_string())?;
        let mut state = genesis_tree(anchor.profile.depth, &anchor.genesis)?;
        let mut settlement = Settlement::new(anchor.clone())?;
        for (batch, claimed, timestamp, signature) in store.batches()? {
            apply_batch(&mut state, &batch, anchor.profile).map_err(|e| {
                Error::corrupt_because(
                    format!("stored batch {} does not apply", batch.batch_number),
                    e,
                )
            })?;
            if state.root() != claimed {
                return Err(Error::corrupt(format!(
                    "stored batch {} claims a post root the STF does not give",
                    batch.batch_number
                )));
            }
            // The sequencer's signature is checked again: the store is not trusted with it.
            let n = batch.batch_number;
            settlement
                .propose(batch, claimed, timestamp, Some(&signature))
                .map_err(|e| Error::corrupt_because(format!("stored batch {n}"), e))?;
        }
        for e in store.envelopes()? {
            // Stored envelopes were verified before they were stored.
            let idx = e
                .batch_number
                .checked_sub(1)
                .ok_or_else(|| Error::corrupt("an envelope for batch 0"))?
                as usize;
            if idx >= settlement.batches().len() {
                return Err(Error::corrupt(format!(
                    "envelope for unknown batch {}",
                    e.batch_number
                )));
            }
            settlement.record_verified(idx, e.system, e.post_root);
        }
        for (n, root, sig) in store.resolutions()? {
            settlement.resolve(n, root, &sig).map_err(|e| {
                Error::corrupt_because(format!("stored resolution of batch {n}"), e)
            })?;
        }
        Ok(NodeState {
            settlement,
            state,
            store,
            leases: HashMap::new(),
            lease: Duration::from_secs(lease_secs),
        })
    }

    /// Propose the next batch, signed by the anchor's sequencer at `timestamp`: core checks
    /// the proposal (signature, chain, number, timestamp) before anything else runs, then the
    /// node runs the STF itself and claims its post root. Nothing is stored on any refusal.
    pub fn propose(
        &mut self,
        mut batch: Batch,
        explicit_number: bool,
        timestamp: u64,
        signature: Option<&ProposalSignature>,
    ) -> Result<Statement, Error> {
        let next = self.settlement.next_batch_number();
        if !explicit_number {
            batch.batch_number = next;
        }
        // Who proposes first: nothing else runs for an unsigned or wrongly signed proposal.
        self.settlement
            .check_proposal(&batch, timestamp, signature)?;
        if batch.batch_number != next {
            return Err(Error::Core(multiprover_core::CoreError::NotNext {
                expected: next,
                got: batch.batch_number,
            }));
        }
        let anchor = self.settlement.anchor().clone();
        if batch.chain_id != anchor.chain_id {
            return Err(Error::Core(multiprover_core::CoreError::WrongChain {
                expected: anchor.chain_id,
                got: batch.chain_id,
            }));
        }
        let mut scratch = self.state.clone();
        let w = apply_batch(&mut scratch, &batch, anchor.profile)?;
        let mut settlement = self.settlement.clone();
        let b = settlement.propose(batch, w.statement.post_root, timestamp, signature)?;
        let (batch, ts, sig) = (b.batch.clone(), b.timestamp, b.signature);
        self.store.insert_batch(
            &batch,
            &w.statement.post_root,
            ts,
            &sig,
            settlement.batches(),
        )?;
        // Only after the transaction committed does memory change.
        self.settlement = settlement;
        self.state = scratch;
        Ok(w.statement)
    }

    /// The next batch worker `system` should prove, leased to it.
    pub fn work(&mut self, system: SystemId) -> Option<WorkItem> {
        if self.settlement.policy().quarantined.contains(&system)
            || self.settlement.anchor().key(system).is_none()
        {
            return None;
        }
        let now = Instant::now();
        self.leases.retain(|_, exp| *exp > now);
        let lease = self.lease;
        for b in self.settlement.batches() {
            let n = b.batch.batch_number;
            if b.status == BatchStatus::Halted || b.proofs.iter().any(|(s, _)| *s == system) {
                continue;
            }
            if self.leases.contains_key(&(n, system)) {
                continue;
            }
            self.leases.insert((n, system), now + lease);
            return Some(WorkItem {
                batch_number: n,
                batch: b.batch.clone(),
                pre_root: b.pre_root,
            });
        }
        None
    }

    /// Record an envelope that was verified; store it and every verdict in one transaction.
    pub fn record(&mut self, idx: usize, e: StoredEnvelope) -> Result<(), Error> {
        let mut settlement = self.settlement.clone();
        settlement.record_verified(idx, e.system, e.post_root);
        self.store.insert_envelope(&e, settlement.batches())?;
        self.settlement = settlement;
        self.leases.remove(&(e.batch_number, e.system));
        Ok(())
    }

    /// A council resolution of halted batch `n` to `root` (core checks the signature, that
    /// the batch is halted and that `root` was proven). Only the node's own STF root is
    /// accepted: any other root would leave the node's reference state behind the chain.
    /// Returns the systems quarantined.
    pub fn resolve(
        &mut self,
        n: u64,
        root: Digest,
        signature: &[u8],
    ) -> Result<Vec<SystemId>, Error> {
        let b = self
            .settlement
            .batch(n)
            .ok_or(multiprover_core::CoreError::UnknownBatch(n))?;
        if b.claimed_post_root != root {
            return Err(Error::Core(multiprover_core::CoreError::BadResolution(
                multiprover_core::error::Resolution::NotOwnRoot,
            )));
        }
        let mut settlement = self.settlement.clone();
        let losers = settlement.resolve(n, root, signature)?;
        self.store
            .insert_resolution(n, &root, signature, settlement.batches())?;
        self.settlement = settlement;
        Ok(losers)
    }

    /// The statement batch `n` implies for `root`.
    pub fn statement(&self, n: u64, root: Digest) -> Option<Statement> {
        self.settlement.batch(n).map(|b| statement_for(b, root))
    }
}
