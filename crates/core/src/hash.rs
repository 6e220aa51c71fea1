//! The tagged hash of the statement: one Poseidon permutation with a domain tag in the capacity.
//!
//! `H_tag(a0..a7) = P([a0..a7, tag, 0, 0, 0])[0..4]`.

use alloy_primitives::B256;
use core::fmt;
use serde::{Deserialize, Serialize};

use crate::field::Fp;
use crate::poseidon::{permute, WIDTH};

/// Domain tags (docs/spec.md, "Permutation and tagged hash").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u64)]
pub enum Tag {
    /// Account leaf.
    Leaf = 1,
    /// Inner Merkle node.
    Node = 2,
    /// One batch slot folded into the batch accumulator.
    Tx = 3,
    /// Batch header, the accumulator's start.
    Batch = 4,
    /// The Schnorr challenge sponge (statement v2; [`crate::schnorr::challenge`]).
    Challenge = 5,
    /// One batch slot folded into the batch accumulator, statement v2 (a two-block sponge:
    /// it also absorbs `to_pk`).
    TxV2 = 6,
    /// The message digest a transfer's signature signs (statement v2).
    Message = 7,
}

impl Tag {
    /// Every tag, in numeric order.
    pub const ALL: [Tag; 7] = [
        Tag::Leaf,
        Tag::Node,
        Tag::Tx,
        Tag::Batch,
        Tag::Challenge,
        Tag::TxV2,
        Tag::Message,
    ];

    /// The tag as a field element (lane 8 of the initial state).
    pub fn element(self) -> Fp {
        Fp::new(self as u64)
    }
}

/// A 4-element digest (a Merkle root, a leaf, the batch hash).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Digest(pub [Fp; 4]);

impl Digest {
    /// The all-zero digest.
    pub const ZERO: Digest = Digest([Fp::ZERO; 4]);

    /// The spec's byte encoding: the four elements as u64 little-endian, in order.
    pub fn to_b256(&self) -> B256 {
        let mut out = [0u8; 32];
        for (i, e) in self.0.iter().enumerate() {
            out[8 * i..8 * i + 8].copy_from_slice(&e.to_le_bytes());
        }
        B256::from(out)
    }

    /// Parse the byte encoding; `None` when any element is not canonical.
    pub fn from_b256(b: &B256) -> Option<Digest> {
        let mut out = [Fp::ZERO; 4];
        for (i, o) in out.iter_mut().enumerate() {
            let mut chunk = [0u8; 8];
            chunk.copy_from_slice(&b[8 * i..8 * i + 8]);
            *o = Fp::from_le_bytes(chunk)?;
        }
        Some(Digest(out))
    }

    /// The elements as `u64`s.
    pub fn to_u64s(&self) -> [u64; 4] {
        self.0.map(|e| e.as_u64())
    }

    /// Build from `u64`s; `None` if any is not canonical.
    pub fn from_u64s(v: [u64; 4]) -> Option<Digest> {
        Some(Digest([
            Fp::from_canonical(v[0])?,
            Fp::from_canonical(v[1])?,
            Fp::from_canonical(v[2])?,
            Fp::from_canonical(v[3])?,
        ]))
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_b256())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_b256())
    }
}

impl Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_b256().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Digest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b = B256::deserialize(d)?;
        Digest::from_b256(&b).ok_or_else(|| {
            serde::de::Error::custom("digest element is not a canonical Goldilocks value")
        })
    }
}

/// `H_tag(input)`: permute `[input(8), tag, 0, 0, 0]` and keep the first four lanes.
pub fn hash_tagged(tag: Tag, input: [Fp; 8]) -> Digest {
    let mut state = [Fp::ZERO; WIDTH];
    state[..8].copy_from_slice(&input);
    state[8] = Fp::new(tag as u64);
    let out = permute(state);
    Digest([out[0], out[1], out[2], out[3]])
}

/// The tagged sponge of the statement (docs/spec.md, "Tagged sponge"): the state starts as
/// `[0; 12]` with `tag` in lane 8; the input, zero-padded to a multiple of 8, is absorbed 8
/// elements at a time by **overwriting** lanes 0..8, each block followed by the permutation.
/// Returns the whole final state. Every tag has one fixed input length, so the zero padding
/// is unambiguous; an empty input still permutes once.
///
/// With one block this is exactly [`hash_tagged`]'s permutation.
pub fn sponge_tagged(tag: Tag, input: &[Fp]) -> [Fp; WIDTH] {
    let mut state = [Fp::ZERO; WIDTH];
    state[8] = tag.element();
    let mut blocks = input.chunks(8).peekable();
    if blocks.peek().is_none() {
        return permute(state);
    }
    for block in blocks {
        state[..8].fill(Fp::ZERO);
        state[..block.len()].copy_from_slice(block);
        state = permute(state);
    }
    state
}

/// [`sponge_tagged`] keeping the first four lanes as a digest.
pub fn sponge_digest(tag: Tag, input: &[Fp]) -> Digest {
    let s = sponge_tagged(tag, input);
    Digest([s[0], s[1], s[2], s[3]])
}

/// `H_NODE(left ‖ right)`.
pub fn hash_node(left: &Digest, right: &Digest) -> Digest {
    let mut input = [Fp::ZERO; 8];
    input[..4].copy_from_slice(&left.0);
    input[4..].copy_from_slice(&right.0);
    hash_tagged(Tag::Node, input)
}
