//! The sparse Merkle tree of accounts, depth `D`, with cached empty subtrees.
//!
//! Leaf of an account = `H_LEAF([balance, nonce, pk0, pk1, pk2, pk3, pk4, 0])` (`pk` is the
//! account's EcGFp5 key encoding, zero for "no key": statement v1 leaves are exactly the
//! keyless v2 leaves); inner node =
//! `H_NODE(left ‖ right)`. Bit `i` of the account index (from the leaf up) says whether the
//! node at level `i` on the path is a right child (1) or a left child (0).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::ecgfp5::GFp5;
use crate::error::CoreError;
use crate::field::Fp;
use crate::hash::{hash_node, hash_tagged, Digest, Tag};

/// Largest supported depth (account indices are `u32`).
pub const MAX_DEPTH: u8 = 32;

/// An account's state. An untouched account is `{ balance: 0, nonce: 0, pk: 0 }`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Balance, always below 2^60.
    pub balance: u64,
    /// Number of transfers sent.
    pub nonce: u64,
    /// The account's public key (statement v2): the encoding of an EcGFp5 point, zero when
    /// the account has no key yet. Always zero under statement v1. Omitted from JSON when
    /// zero.
    #[serde(default, skip_serializing_if = "GFp5::is_zero")]
    pub pk: GFp5,
}

impl Account {
    /// A keyless account.
    pub const fn new(balance: u64, nonce: u64) -> Account {
        Account {
            balance,
            nonce,
            pk: GFp5::ZERO,
        }
    }

    /// The leaf digest of this account.
    pub fn leaf(&self) -> Digest {
        let mut input = [Fp::ZERO; 8];
        input[0] = Fp::reduce_u64(self.balance);
        input[1] = Fp::reduce_u64(self.nonce);
        input[2..7].copy_from_slice(&self.pk.0);
        hash_tagged(Tag::Leaf, input)
    }
}

/// A Merkle path: the sibling at each level, from the leaf level up (`siblings[0]` is the
/// leaf's sibling).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerklePath {
    /// Siblings from the leaf level up; length = depth.
    pub siblings: Vec<Digest>,
}

impl MerklePath {
    /// The root obtained by hashing `leaf` at `index` up this path.
    pub fn root(&self, index: u32, leaf: Digest) -> Digest {
        let mut cur = leaf;
        for (level, sib) in self.siblings.iter().enumerate() {
            cur = if (index as u64 >> level) & 1 == 0 {
                hash_node(&cur, sib)
            } else {
                hash_node(sib, &cur)
            };
        }
        cur
    }
}

/// The account tree.
#[derive(Clone, Debug)]
pub struct SparseMerkleTree {
    depth: u8,
    accounts: BTreeMap<u32, Account>,
    /// Non-empty nodes keyed by (level, index at that level); level 0 = leaves.
    nodes: BTreeMap<(u8, u64), Digest>,
    /// `empty[l]` = the root of an all-empty subtree of height `l`.
    empty: Vec<Digest>,
}

impl SparseMerkleTree {
    /// An empty tree of the given depth (1..=32).
    pub fn new(depth: u8) -> Result<Self, CoreError> {
        if depth == 0 || depth > MAX_DEPTH {
            return Err(CoreError::BadDepth(depth));
        }
        let mut empty = Vec::with_capacity(depth as usize + 1);
        empty.push(Account::default().leaf());
        for l in 0..depth as usize {
            let e = empty[l];
            empty.push(hash_node(&e, &e));
        }
        Ok(Self {
            depth,
            accounts: BTreeMap::new(),
            nodes: BTreeMap::new(),
            empty,
        })
    }

    /// The tree's depth.
    pub fn depth(&self) -> u8 {
        self.depth
    }

    /// Number of account slots, `2^depth`.
    pub fn capacity(&self) -> u64 {
        1u64 << self.depth
    }

    /// The digest of an all-empty subtree of height `level`.
    pub fn empty_subtree(&self, level: usize) -> Digest {
        self.empty[level]
    }

    /// The current root.
    pub fn root(&self) -> Digest {
        self.node(self.depth, 0)
    }

    /// The account at `index` (zero if untouched or out of range).
    pub fn account(&self, index: u32) -> Account {
        self.accounts.get(&index).copied().unwrap_or_default()
    }

    /// All non-default accounts, by index.
    pub fn accounts(&self) -> impl Iterator<Item = (u32, Account)> + '_ {
        self.accounts.iter().map(|(i, a)| (*i, *a))
    }

    fn node(&self, level: u8, index: u64) -> Digest {
        self.nodes
            .get(&(level, index))
            .copied()
            .unwrap_or(self.empty[level as usize])
    }

    fn check_index(&self, index: u32) -> Result<(), CoreError> {
        if (index as u64) < self.capacity() {
            Ok(())
        } else {
            Err(CoreError::IndexOutOfRange {
                index,
                depth: self.depth,
            })
        }
    }

    /// The membership path of `index`.
    pub fn path(&self, index: u32) -> Result<MerklePath, CoreError> {
        self.check_index(index)?;
        let mut siblings = Vec::with_capacity(self.depth as usize);
        let mut idx = index as u64;
        for level in 0..self.depth {
            siblings.push(self.node(level, idx ^ 1));
            idx >>= 1;
        }
        Ok(MerklePath { siblings })
    }

    /// Set the account at `index` and update the path to the root.
    pub fn set(&mut self, index: u32, account: Account) -> Result<(), CoreError> {
        self.check_index(index)?;
        if account == Account::default() {
            self.accounts.remove(&index);
        } else {
            self.accounts.insert(index, account);
        }
        let mut cur = account.leaf();
        let mut idx = index as u64;
        for level in 0..self.depth {
            self.store(level, idx, cur);
            let sib = self.node(level, idx ^ 1);
            cur = if idx & 1 == 0 {
                hash_node(&cur, &sib)
            } else {
                hash_node(&sib, &cur)
            };
            idx >>= 1;
        }
        self.store(self.depth, 0, cur);
        Ok(())
    }

    fn store(&mut self, level: u8, idx: u64, d: Digest) {
        if d == self.empty[level as usize] {
            self.nodes.remove(&(level, idx));
        } else {
            self.nodes.insert((level, idx), d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Obviously-correct reference: recompute every node from the leaves.
    fn naive_root(depth: u8, accounts: &BTreeMap<u32, Account>) -> Digest {
        let mut level: Vec<Digest> = (0..(1u64 << depth))
            .map(|i| {
                accounts
                    .get(&(i as u32))
                    .copied()
                    .unwrap_or_default()
                    .leaf()
            })
            .collect();
        while level.len() > 1 {
            level = level.chunks(2).map(|c| hash_node(&c[0], &c[1])).collect();
        }
        level[0]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn matches_naive_reference(
            depth in 1u8..=7,
            writes in proptest::collection::vec((any::<u32>(), 0u64..(1 << 60), 0u64..100), 0..20),
        ) {
            let mut tree = SparseMerkleTree::new(depth).unwrap();
            let mut map = BTreeMap::new();
            for (i, balance, nonce) in writes {
                let i = i % (1u32 << depth);
                let a = Account::new(balance, nonce);
                tree.set(i, a).unwrap();
                if a == Account::default() { map.remove(&i); } else { map.insert(i, a); }
                let path = tree.path(i).unwrap();
                prop_assert_eq!(path.root(i, a.leaf()), tree.root());
            }
            prop_assert_eq!(tree.root(), naive_root(depth, &map));
            for i in 0..(1u32 << depth) {
                let p = tree.path(i).unwrap();
                prop_assert_eq!(p.root(i, tree.account(i).leaf()), tree.root());
            }
        }
    }

    #[test]
    fn rejects_bad_depth_and_index() {
        assert!(SparseMerkleTree::new(0).is_err());
        assert!(SparseMerkleTree::new(33).is_err());
        let mut t = SparseMerkleTree::new(4).unwrap();
        assert!(t.path(16).is_err());
        assert!(t.set(16, Account::default()).is_err());
        assert!(t.set(15, Account::new(1, 0)).is_ok());
    }

    #[test]
    fn resetting_to_default_restores_empty_root() {
        let mut t = SparseMerkleTree::new(20).unwrap();
        let empty = t.root();
        t.set(12345, Account::new(7, 1)).unwrap();
        assert_ne!(t.root(), empty);
        t.set(12345, Account::default()).unwrap();
        assert_eq!(t.root(), empty);
    }
}
