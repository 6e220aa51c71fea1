//! Transfers, batches and the state-transition function (docs/spec.md, "Transfers and
//! batches"), with the witness that
//! every circuit consumes.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::ecgfp5::GFp5;
use crate::error::CoreError;
use crate::field::{Fp, P};
use crate::hash::{hash_tagged, sponge_digest, Digest, Tag};
use crate::schnorr::{self, PublicKey, SecretKey, Signature};
use crate::statement::{Statement, StatementVersion};
use crate::tree::{Account, MerklePath, SparseMerkleTree, MAX_DEPTH};

/// Balances stay strictly below this bound.
pub const BALANCE_BOUND: u64 = 1 << 60;

/// A profile fixes the tree depth `D` and the batch capacity `T`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Tree depth `D` (accounts `0 .. 2^D`).
    pub depth: u8,
    /// Batch capacity `T`.
    pub capacity: u32,
}

impl Profile {
    /// The default profile: D = 20, T = 8.
    pub const DEFAULT: Profile = Profile {
        depth: 20,
        capacity: 8,
    };
    /// The small profile used by tests and CI: D = 8, T = 2.
    pub const SMALL: Profile = Profile {
        depth: 8,
        capacity: 2,
    };

    /// Check the profile's bounds (1 <= D <= 32, 1 <= T <= 1024).
    pub fn validate(&self) -> Result<(), CoreError> {
        if self.depth == 0 || self.depth > MAX_DEPTH || self.capacity == 0 || self.capacity > 1024 {
            return Err(CoreError::BadProfile {
                depth: self.depth,
                capacity: self.capacity,
            });
        }
        Ok(())
    }
}

impl Default for Profile {
    fn default() -> Self {
        Profile::DEFAULT
    }
}

/// One transfer. All-zero is the padding slot.
///
/// Under statement v2 a transfer also names the receiver's key (`to_pk`) and carries the
/// sender's Schnorr signature over [`Transfer::message`]; under v1 both must be absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// Sender account index.
    pub from: u32,
    /// Receiver account index.
    pub to: u32,
    /// Amount moved.
    pub amount: u64,
    /// Must equal the sender's nonce.
    pub nonce: u32,
    /// The receiver's key (v2, rule 7): the key it already has, or the key it gets if it has
    /// none. Zero (and omitted from JSON) under v1.
    #[serde(default, skip_serializing_if = "GFp5::is_zero")]
    pub to_pk: GFp5,
    /// The sender's signature over [`Transfer::message`] (v2, rule 6). A witness: published
    /// with the batch for provers, not absorbed by the batch hash. Absent under v1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

impl Transfer {
    /// The padding transfer.
    pub const PADDING: Transfer = Transfer {
        from: 0,
        to: 0,
        amount: 0,
        nonce: 0,
        to_pk: GFp5::ZERO,
        signature: None,
    };

    /// An unsigned transfer with no receiver key (a v1 transfer).
    pub const fn new(from: u32, to: u32, amount: u64, nonce: u32) -> Transfer {
        Transfer {
            from,
            to,
            amount,
            nonce,
            to_pk: GFp5::ZERO,
            signature: None,
        }
    }

    /// The four elements `[from, to, amount, nonce]`; `None` when `amount >= p`.
    pub fn to_elements(&self) -> Option<[Fp; 4]> {
        Some([
            Fp::from(self.from),
            Fp::from(self.to),
            Fp::from_canonical(self.amount)?,
            Fp::from(self.nonce),
        ])
    }

    /// The message digest the sender signs (statement v2, rule 6):
    /// `m = H_MSG(chain_id, from, to, amount, nonce, to_pk0..to_pk4)`, the tagged sponge
    /// ([`crate::hash::sponge_tagged`]) with tag [`Tag::Message`] over these 10 elements
    /// (two blocks), first four lanes. It binds the chain, both accounts, the amount, the
    /// nonce (so it never replays) and the receiver's key.
    pub fn message(&self, chain_id: u64) -> Result<Digest, CoreError> {
        let chain = Fp::from_canonical(chain_id).ok_or(CoreError::NonCanonical("chain_id"))?;
        let e = self
            .to_elements()
            .ok_or(CoreError::NonCanonical("amount"))?;
        let mut input = [Fp::ZERO; 10];
        input[0] = chain;
        input[1..5].copy_from_slice(&e);
        input[5..10].copy_from_slice(&self.to_pk.0);
        Ok(sponge_digest(Tag::Message, &input))
    }

    /// This transfer signed by `key` for chain `chain_id` (deterministic: no RNG needed).
    pub fn signed(mut self, chain_id: u64, key: &SecretKey) -> Result<Transfer, CoreError> {
        self.signature = Some(key.sign(&self.message(chain_id)?));
        Ok(self)
    }
}

/// A batch as a sequencer proposes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// Chain id (must be < p).
    pub chain_id: u64,
    /// Batch number (first batch is 1; must be < p).
    pub batch_number: u64,
    /// The transfers, at most the profile's capacity.
    pub transfers: Vec<Transfer>,
}

impl Batch {
    /// Value at risk: the sum of the transfer amounts.
    pub fn value_at_risk(&self) -> u128 {
        self.transfers.iter().map(|t| t.amount as u128).sum()
    }

    /// The statement-v1 batch hash for capacity `T` ([`Batch::hash_for`] with
    /// [`StatementVersion::V1`]).
    pub fn hash(&self, capacity: u32) -> Result<Digest, CoreError> {
        self.hash_for(capacity, StatementVersion::V1)
    }

    /// The batch hash for capacity `T` under `version` (docs/spec.md, "Transfers and
    /// batches"), padding slots all zero:
    ///
    /// - v1: `acc = H_BATCH([chain_id, batch_number, count, T, 0, 0, 0, 0])`, then per slot
    ///   `acc = H_TX([acc(4), from, to, amount, nonce])`.
    /// - v2: `acc = H_BATCH([chain_id, batch_number, count, T, 2, 0, 0, 0])`, then per slot
    ///   `acc = H_TX2(acc(4), from, to, amount, nonce, to_pk(5))`, the tagged sponge with
    ///   [`Tag::TxV2`] over those 13 elements (two blocks). Signatures are not absorbed.
    ///
    /// Under v1 a transfer with a `to_pk` or a signature is refused
    /// ([`CoreError::NotInVersion`]): the v1 hash would not bind them.
    pub fn hash_for(&self, capacity: u32, version: StatementVersion) -> Result<Digest, CoreError> {
        let count = self.transfers.len();
        if count > capacity as usize {
            return Err(CoreError::TooManyTransfers { count, capacity });
        }
        let chain_id =
            Fp::from_canonical(self.chain_id).ok_or(CoreError::NonCanonical("chain_id"))?;
        let number =
            Fp::from_canonical(self.batch_number).ok_or(CoreError::NonCanonical("batch_number"))?;
        let marker = match version {
            StatementVersion::V1 => Fp::ZERO,
            StatementVersion::V2 => Fp::from(u32::from(version.number())),
        };
        let mut acc = hash_tagged(
            Tag::Batch,
            [
                chain_id,
                number,
                Fp::new(count as u64),
                Fp::from(capacity),
                marker,
                Fp::ZERO,
                Fp::ZERO,
                Fp::ZERO,
            ],
        );
        for slot in 0..capacity as usize {
            let t = self
                .transfers
                .get(slot)
                .copied()
                .unwrap_or(Transfer::PADDING);
            let e = t.to_elements().ok_or(CoreError::NonCanonical("amount"))?;
            acc = match version {
                StatementVersion::V1 => {
                    if !t.to_pk.is_zero() || t.signature.is_some() {
                        return Err(CoreError::NotInVersion {
                            transfer: slot,
                            version,
                        });
                    }
                    hash_tagged(
                        Tag::Tx,
                        [
                            acc.0[0], acc.0[1], acc.0[2], acc.0[3], e[0], e[1], e[2], e[3],
                        ],
                    )
                }
                StatementVersion::V2 => {
                    let mut input = [Fp::ZERO; 13];
                    input[..4].copy_from_slice(&acc.0);
                    input[4..8].copy_from_slice(&e);
                    input[8..].copy_from_slice(&t.to_pk.0);
                    sponge_digest(Tag::TxV2, &input)
                }
            };
        }
        Ok(acc)
    }
}

/// What a circuit needs for one slot of a batch.
///
/// For an active slot: the sender's account and path in the tree before the slot, the
/// receiver's account and path after the sender's leaf was updated, and the three roots.
/// For a padding slot (`active == false`) the transfer is all zero, both "accounts" are
/// account 0 with its current path, and all three roots are equal: a circuit must leave the
/// state unchanged for such a slot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotWitness {
    /// Whether this slot holds a real transfer (`slot < count`).
    pub active: bool,
    /// The transfer (all zero when not active).
    pub transfer: Transfer,
    /// Sender account before the slot.
    pub sender: Account,
    /// Sender path before the slot.
    pub sender_path: MerklePath,
    /// Receiver account before the slot (unchanged by the sender update since `from != to`).
    pub receiver: Account,
    /// Receiver path after the sender's leaf was updated.
    pub receiver_path: MerklePath,
    /// Root before the slot.
    pub root_before: Digest,
    /// Root after the sender update.
    pub root_mid: Digest,
    /// Root after the receiver update.
    pub root_after: Digest,
}

/// Everything a prover needs for one batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchWitness {
    /// The profile the batch was applied under.
    pub profile: Profile,
    /// The statement version whose rules the batch was applied under.
    #[serde(default)]
    pub version: StatementVersion,
    /// The statement proven.
    pub statement: Statement,
    /// Number of real transfers.
    pub count: u32,
    /// One entry per slot, `capacity` in all.
    pub slots: Vec<SlotWitness>,
}

/// Check one transfer of a batch for chain `chain_id` against the accounts as they are,
/// under `version`'s rules; return the new sender and receiver. Rules 1 to 5 hold in every
/// version; rules 6 (signature) and 7 (receiver key) are statement v2's.
pub fn check_transfer(
    slot: usize,
    t: &Transfer,
    sender: Account,
    receiver: Account,
    depth: u8,
    version: StatementVersion,
    chain_id: u64,
) -> Result<(Account, Account), CoreError> {
    if t.from == t.to {
        return Err(CoreError::SelfTransfer {
            transfer: slot,
            account: t.from,
        });
    }
    for account in [t.from, t.to] {
        if (account as u64) >= (1u64 << depth) {
            return Err(CoreError::AccountOutOfRange {
                transfer: slot,
                account,
                depth,
            });
        }
    }
    if t.nonce as u64 != sender.nonce {
        return Err(CoreError::BadNonce {
            transfer: slot,
            expected: sender.nonce,
            got: t.nonce,
        });
    }
    if t.amount > sender.balance {
        return Err(CoreError::InsufficientBalance {
            transfer: slot,
            balance: sender.balance,
            amount: t.amount,
        });
    }
    let new_to = receiver.balance as u128 + t.amount as u128;
    if new_to >= BALANCE_BOUND as u128 {
        return Err(CoreError::BalanceOverflow {
            transfer: slot,
            balance: receiver.balance,
            amount: t.amount,
        });
    }
    let receiver_pk = match version {
        StatementVersion::V1 => {
            if !t.to_pk.is_zero() || t.signature.is_some() {
                return Err(CoreError::NotInVersion {
                    transfer: slot,
                    version,
                });
            }
            receiver.pk
        }
        StatementVersion::V2 => {
            // Rule 6: signed by the sender's key over the transfer's message.
            if sender.pk.is_zero() {
                return Err(CoreError::SenderHasNoKey {
                    transfer: slot,
                    account: t.from,
                });
            }
            let sig = t
                .signature
                .as_ref()
                .ok_or(CoreError::Unsigned { transfer: slot })?;
            let m = t.message(chain_id)?;
            schnorr::verify(&sender.pk, &m, sig).map_err(|source| CoreError::BadSignature {
                transfer: slot,
                source,
            })?;
            // Rule 7: the receiver's key is `to_pk`: the one it has, or a valid new one.
            if receiver.pk.is_zero() {
                PublicKey::from_encoding(&t.to_pk).map_err(|source| CoreError::InvalidKey {
                    transfer: slot,
                    source,
                })?;
                t.to_pk
            } else if t.to_pk != receiver.pk {
                return Err(CoreError::ReceiverKeyMismatch {
                    transfer: slot,
                    account: t.to,
                });
            } else {
                receiver.pk
            }
        }
    };
    Ok((
        Account {
            balance: sender.balance - t.amount,
            nonce: sender.nonce + 1,
            pk: sender.pk,
        },
        Account {
            balance: new_to as u64,
            nonce: receiver.nonce,
            pk: receiver_pk,
        },
    ))
}

/// Apply a batch to the state under statement v1 ([`apply_batch_for`] with
/// [`StatementVersion::V1`]).
pub fn apply_batch(
    tree: &mut SparseMerkleTree,
    batch: &Batch,
    profile: Profile,
) -> Result<BatchWitness, CoreError> {
    apply_inner(tree, batch, profile, StatementVersion::V1, 0)
}

/// Apply a batch to the state under `version`'s rules. On error the state is unchanged and
/// the error names the first transfer that breaks a rule and the rule.
pub fn apply_batch_for(
    tree: &mut SparseMerkleTree,
    batch: &Batch,
    profile: Profile,
    version: StatementVersion,
) -> Result<BatchWitness, CoreError> {
    apply_inner(tree, batch, profile, version, 0)
}

/// **Fault injection for demos only.** What an implementation with a missing constraint
/// would compute: the batch applied as usual, except that the first transfer's receiver is
/// credited `extra` more than the amount. Used by the `demo-faults` provers and the
/// compromised-enclave mode to produce a valid-looking proof of an inflated post root.
#[cfg(feature = "demo-faults")]
pub fn apply_batch_inflated(
    tree: &mut SparseMerkleTree,
    batch: &Batch,
    profile: Profile,
    version: StatementVersion,
    extra: u64,
) -> Result<BatchWitness, CoreError> {
    apply_inner(tree, batch, profile, version, extra)
}

fn apply_inner(
    tree: &mut SparseMerkleTree,
    batch: &Batch,
    profile: Profile,
    version: StatementVersion,
    extra: u64,
) -> Result<BatchWitness, CoreError> {
    profile.validate()?;
    if tree.depth() != profile.depth {
        return Err(CoreError::BadProfile {
            depth: tree.depth(),
            capacity: profile.capacity,
        });
    }
    let batch_hash = batch.hash_for(profile.capacity, version)?;
    // Validate everything against an overlay first, so that a failure changes nothing.
    let mut overlay: BTreeMap<u32, Account> = BTreeMap::new();
    for (slot, t) in batch.transfers.iter().enumerate() {
        let get = |o: &BTreeMap<u32, Account>, i: u32| {
            o.get(&i).copied().unwrap_or_else(|| tree.account(i))
        };
        let (s, r) = check_transfer(
            slot,
            t,
            get(&overlay, t.from),
            get(&overlay, t.to),
            profile.depth,
            version,
            batch.chain_id,
        )?;
        overlay.insert(t.from, s);
        overlay.insert(t.to, r);
    }
    let pre_root = tree.root();
    let mut slots = Vec::with_capacity(profile.capacity as usize);
    for slot in 0..profile.capacity as usize {
        let root_before = tree.root();
        match batch.transfers.get(slot) {
            Some(t) => {
                let sender = tree.account(t.from);
                let receiver = tree.account(t.to);
                let (s, mut r) = check_transfer(
                    slot,
                    t,
                    sender,
                    receiver,
                    profile.depth,
                    version,
                    batch.chain_id,
                )?;
                if slot == 0 && extra > 0 {
                    r.balance = (r.balance + extra) % BALANCE_BOUND;
                }
                let sender_path = tree.path(t.from)?;
                tree.set(t.from, s)?;
                let root_mid = tree.root();
                let receiver_path = tree.path(t.to)?;
                tree.set(t.to, r)?;
                slots.push(SlotWitness {
                    active: true,
                    transfer: *t,
                    sender,
                    sender_path,
                    receiver,
                    receiver_path,
                    root_before,
                    root_mid,
                    root_after: tree.root(),
                });
            }
            None => {
                let path = tree.path(0)?;
                let a = tree.account(0);
                slots.push(SlotWitness {
                    active: false,
                    transfer: Transfer::PADDING,
                    sender: a,
                    sender_path: path.clone(),
                    receiver: a,
                    receiver_path: path,
                    root_before,
                    root_mid: root_before,
                    root_after: root_before,
                });
            }
        }
    }
    Ok(BatchWitness {
        profile,
        version,
        statement: Statement {
            chain_id: batch.chain_id,
            batch_number: batch.batch_number,
            pre_root,
            post_root: tree.root(),
            batch_hash,
        },
        count: batch.transfers.len() as u32,
        slots,
    })
}

/// A genesis account: index, starting balance (nonce 0) and, under statement v2, its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisAccount {
    /// Account index.
    pub index: u32,
    /// Starting balance (< 2^60).
    pub balance: u64,
    /// The account's key (statement v2: a valid key, checked by [`check_genesis`]; v1: zero).
    /// Omitted from JSON when zero.
    #[serde(default, skip_serializing_if = "GFp5::is_zero")]
    pub pk: GFp5,
}

impl GenesisAccount {
    /// A keyless genesis account (statement v1).
    pub const fn new(index: u32, balance: u64) -> GenesisAccount {
        GenesisAccount {
            index,
            balance,
            pk: GFp5::ZERO,
        }
    }

    /// A genesis account owning `pk` (statement v2).
    pub const fn with_key(index: u32, balance: u64, pk: GFp5) -> GenesisAccount {
        GenesisAccount { index, balance, pk }
    }
}

/// Check genesis keys against `version`: under v1 no account has a key; under v2 every
/// account has a valid key (a keyless account could never spend its balance).
pub fn check_genesis(
    accounts: &[GenesisAccount],
    version: StatementVersion,
) -> Result<(), CoreError> {
    for a in accounts {
        match version {
            StatementVersion::V1 if !a.pk.is_zero() => {
                return Err(CoreError::BadGenesis("statement v1 accounts have no key"));
            }
            StatementVersion::V1 => {}
            StatementVersion::V2 => {
                PublicKey::from_encoding(&a.pk).map_err(|source| CoreError::InvalidGenesisKey {
                    index: a.index,
                    source,
                })?;
            }
        }
    }
    Ok(())
}

/// Build the genesis state. Indices must be in range and distinct, balances below 2^60.
pub fn genesis_tree(depth: u8, accounts: &[GenesisAccount]) -> Result<SparseMerkleTree, CoreError> {
    let mut tree = SparseMerkleTree::new(depth)?;
    for a in accounts {
        if (a.index as u64) >= (1u64 << depth) {
            return Err(CoreError::BadGenesis("account index out of range"));
        }
        if a.balance >= BALANCE_BOUND {
            return Err(CoreError::BadGenesis("balance must be below 2^60"));
        }
        if tree.account(a.index) != Account::default() {
            return Err(CoreError::BadGenesis("duplicate account index"));
        }
        tree.set(
            a.index,
            Account {
                balance: a.balance,
                nonce: 0,
                pk: a.pk,
            },
        )
        .map_err(|_| CoreError::BadGenesis("account index out of range"))?;
    }
    Ok(tree)
}

/// Largest value a batch number or chain id may take (elements are canonical).
pub const MAX_ELEMENT: u64 = P - 1;
