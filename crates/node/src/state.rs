//! The node's state: the settlement state machine, the reference state, the store and the
//! worker leases. Replayed from the store at startup.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use multiprover_core::ecgfp5::GFp5;
use multiprover_core::settlement::{statement_for, BatchState, BatchStatus, Settlement};
use multiprover_core::stf::check_transfer;
use multiprover_core::{
    genesis_tree, Account, Batch, Digest, MerklePath, ProposalSignature, SparseMerkleTree,
    Statement, StatementVersion, SystemId, Transfer, TrustAnchor,
};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Refusal};
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

/// An account as `GET /api/accounts/{index}` shows it: its state at the node's head (the
/// last proposed batch, final or not) with its Merkle path against that root, and its state
/// once the pending transfers are applied (what the next transfer must build on).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// Account index.
    pub index: u32,
    /// The head: the number of the last proposed batch (0 = genesis).
    pub head: u64,
    /// The state root after the head batch, which `path` leads to.
    pub root: Digest,
    /// Balance at the head.
    pub balance: u64,
    /// Nonce at the head.
    pub nonce: u64,
    /// Public key at the head (`null`: no key yet).
    pub pk: Option<GFp5>,
    /// The account's leaf hashed up this path gives `root`.
    pub path: MerklePath,
    /// The account with every pending transfer applied: `pending.nonce` is the nonce the
    /// account's next transfer carries, `pending.pk` the key a transfer to it names.
    pub pending: Account,
}

/// Most transfers the pending pool holds (in memory: a restarted node starts empty).
pub const MAX_PENDING: usize = 256;

/// Signed user transfers waiting for a batch, in arrival order, and the head state with them
/// applied. In memory only.
#[derive(Debug)]
struct Pool {
    transfers: Vec<Transfer>,
    /// The head state with `transfers` applied in order.
    state: SparseMerkleTree,
    /// The head root `state` was built on: when the head moves, the pool is replayed on it.
    base: Digest,
}

/// The node's mutable state.
#[derive(Debug)]
pub struct NodeState {
    pub(crate) settlement: Settlement,
    state: SparseMerkleTree,
    pub(crate) store: Store,
    leases: HashMap<(u64, SystemId), Instant>,
    lease: Duration,
    pool: Pool,
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
            anchor.apply(&mut state, &batch).map_err(|e| {
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
        let pool = Pool {
            transfers: Vec::new(),
            state: state.clone(),
            base: state.root(),
        };
        Ok(NodeState {
            settlement,
            state,
            store,
            leases: HashMap::new(),
            lease: Duration::from_secs(lease_secs),
            pool,
        })
    }

    /// Replay the pool on the head if the head moved since it was built; transfers that no
    /// longer apply (the head spent the balance, took the nonce) are dropped.
    fn refresh_pool(&mut self) {
        let head = self.state.root();
        if self.pool.base == head {
            return;
        }
        let anchor = self.settlement.anchor();
        let (depth, chain) = (anchor.profile.depth, anchor.chain_id);
        let version = anchor.statement_version;
        let mut state = self.state.clone();
        self.pool
            .transfers
            .retain(|t| apply_one(&mut state, t, depth, version, chain).is_ok());
        self.pool.state = state;
        self.pool.base = head;
    }

    /// The account `index` at the head, with its path, and with the pending transfers applied.
    pub fn account(&mut self, index: u64) -> Result<AccountView, Error> {
        let depth = self.settlement.anchor().profile.depth;
        let unknown = Refusal::UnknownAccount { index, depth };
        let i = u32::try_from(index).map_err(|_| Error::Refused(unknown))?;
        let path = self
            .state
            .path(i)
            .map_err(|_| Error::Refused(Refusal::UnknownAccount { index, depth }))?;
        self.refresh_pool();
        let a = self.state.account(i);
        Ok(AccountView {
            index: i,
            head: self.settlement.batches().len() as u64,
            root: self.state.root(),
            balance: a.balance,
            nonce: a.nonce,
            pk: (!a.pk.is_zero()).then_some(a.pk),
            path,
            pending: self.pool.state.account(i),
        })
    }

    /// Queue a signed user transfer (statement v2): it must follow the rules against the
    /// head state with the pending transfers applied, not repeat a pending (sender, nonce),
    /// and fit in the pool. Returns how many transfers are pending afterwards.
    pub fn queue_transfer(&mut self, t: Transfer) -> Result<usize, Error> {
        let anchor = self.settlement.anchor();
        let version = anchor.statement_version;
        if version != StatementVersion::V2 {
            return Err(Refusal::WrongVersion(version).into());
        }
        let (depth, chain) = (anchor.profile.depth, anchor.chain_id);
        self.refresh_pool();
        if self
            .pool
            .transfers
            .iter()
            .any(|p| (p.from, p.nonce) == (t.from, t.nonce))
        {
            return Err(Refusal::Duplicate {
                from: t.from,
                nonce: t.nonce,
            }
            .into());
        }
        if self.pool.transfers.len() >= MAX_PENDING {
            return Err(Refusal::PoolFull {
                capacity: MAX_PENDING,
            }
            .into());
        }
        apply_one(&mut self.pool.state, &t, depth, version, chain).map_err(Refusal::Rule)?;
        self.pool.transfers.push(t);
        Ok(self.pool.transfers.len())
    }

    /// The pending transfers, in arrival order (at most [`MAX_PENDING`]).
    pub fn pending(&mut self) -> &[Transfer] {
        self.refresh_pool();
        &self.pool.transfers
    }

    /// Take the next batch of pending transfers (at most the profile's capacity, oldest
    /// first) out of the pool: a batch numbered next, valid on the head, for the sequencer to
    /// propose. `None` when nothing is pending.
    pub fn take_batch(&mut self) -> Option<Batch> {
        self.refresh_pool();
        if self.pool.transfers.is_empty() {
            return None;
        }
        let anchor = self.settlement.anchor();
        let n = (anchor.profile.capacity as usize).min(self.pool.transfers.len());
        let transfers: Vec<Transfer> = self.pool.transfers.drain(..n).collect();
        Some(Batch {
            chain_id: anchor.chain_id,
            batch_number: self.settlement.next_batch_number(),
            transfers,
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
        let w = anchor.apply(&mut scratch, &batch)?;
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

/// Check `t` against `state` with the statement's rules and apply it (`state` unchanged on
/// error).
fn apply_one(
    state: &mut SparseMerkleTree,
    t: &Transfer,
    depth: u8,
    version: StatementVersion,
    chain_id: u64,
) -> Result<(), multiprover_core::CoreError> {
    // Rule 5's range check comes first: only then are the indices valid for the tree.
    let (from, to) = check_transfer(
        0,
        t,
        state.account(t.from),
        state.account(t.to),
        depth,
        version,
        chain_id,
    )?;
    state.set(t.from, from)?;
    state.set(t.to, to)?;
    Ok(())
}
