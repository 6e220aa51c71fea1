//! Segments: the public inputs of one segment proof, the envelope's proof container, and
//! the native checks that chain the segments into the statement.
//!
//! A batch of `count` transfers has `count` segments, one per active slot `i < count`.
//! Segment `i` proves that one valid transfer takes the state root `root_before` to
//! `root_after` and the batch-hash accumulator `acc_before` to
//! `acc_after = H_TX(acc_before, from, to, amount, nonce)`. The verifier supplies the
//! chain: `root_before` of segment 0 is `pre_root`, `acc_before` of segment 0 is the header
//! hash `H_BATCH(chain_id, batch_number, count, T)`, each next segment starts where the one
//! before ended (the container carries every `root_after` and `acc_after`), the last
//! `root_after` is `post_root`, and the last `acc_after` folded through the `T − count`
//! padding slots (`acc = H_TX(acc, 0, 0, 0, 0)`: public values only) is `batch_hash`. A
//! padding slot leaves the root alone, so it needs no proof (`docs/halo2.md`).
//!
//! Container (the envelope's `proof` bytes):
//!
//! | bytes | field |
//! |---|---|
//! | 0..4 | magic `"mph2"` |
//! | 4 | container version ([`CONTAINER_VERSION`]) |
//! | 5..7 | `count`, u16 LE (at most the profile's capacity) |
//! | then `count` × 64 | per segment: `root_after` ‖ `acc_after` (digests, 32 bytes each) |
//! | then `count` × (4 + n) | per segment: proof length n (u32 LE, `1..=MAX_SEGMENT_PROOF`) ‖ proof |
//!
//! Nothing may follow. The parser checks every length against the bytes left before it
//! slices, and allocates only `count ≤ capacity` entries.

use alloy_primitives::B256;
use halo2_proofs::pasta::Fp;
use multiprover_core::field::Fp as Gl;
use multiprover_core::hash::{hash_tagged, Tag};
use multiprover_core::{Digest, Statement};

use crate::error::Error;

/// Container magic.
pub const CONTAINER_MAGIC: [u8; 4] = *b"mph2";
/// Container version.
pub const CONTAINER_VERSION: u8 = 1;
/// Largest proof of one segment the parser accepts (a real one is a few kB).
pub const MAX_SEGMENT_PROOF: usize = 1 << 16;
/// Bytes of the container's fixed header.
const HEADER_BYTES: usize = 7;
/// Bytes of one segment's intermediate values.
const LINK_BYTES: usize = 64;

/// Instance rows 0..16: the statement and the segment's position. Not used by any gate:
/// they are bound by the transcript (halo2 hashes the instance commitment before any
/// challenge), so a proof made for one value never verifies for another.
pub const INST_CHAIN_ID: usize = 0;
/// Instance row of the batch number.
pub const INST_BATCH_NUMBER: usize = 1;
/// Instance rows of `pre_root` (four).
pub const INST_PRE_ROOT: usize = 2;
/// Instance rows of `post_root` (four).
pub const INST_POST_ROOT: usize = 6;
/// Instance rows of `batch_hash` (four).
pub const INST_BATCH_HASH: usize = 10;
/// Instance row of the slot index.
pub const INST_SLOT: usize = 14;
/// Instance row of the active-slot count.
pub const INST_COUNT: usize = 15;
/// Instance rows of the root before the slot (four; copy-constrained to the sender's old
/// walk's root).
pub const INST_ROOT_BEFORE: usize = 16;
/// Instance rows of the root after the slot (the receiver's new walk's root).
pub const INST_ROOT_AFTER: usize = 20;
/// Instance rows of the accumulator before the slot (the `H_TX` input lanes 0..3).
pub const INST_ACC_BEFORE: usize = 24;
/// Instance rows of the accumulator after the slot (the `H_TX` output).
pub const INST_ACC_AFTER: usize = 28;
/// Number of public inputs of a segment.
pub const INSTANCE_LEN: usize = 32;

/// The public inputs of one segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentPublic {
    /// The envelope's statement.
    pub statement: Statement,
    /// The slot index (`0..count`).
    pub slot: u32,
    /// The number of active slots (segments) of the batch.
    pub count: u32,
    /// The root before the slot.
    pub root_before: Digest,
    /// The root after the slot.
    pub root_after: Digest,
    /// The batch-hash accumulator before the slot.
    pub acc_before: Digest,
    /// The batch-hash accumulator after the slot.
    pub acc_after: Digest,
}

impl SegmentPublic {
    /// The [`INSTANCE_LEN`] public inputs as native elements (every value canonical: the
    /// statement's numbers are checked below p by [`chain`], the digests by decoding).
    pub fn instance(&self) -> Vec<Fp> {
        let mut v = vec![0u64; INSTANCE_LEN];
        let st = &self.statement;
        v[INST_CHAIN_ID] = st.chain_id;
        v[INST_BATCH_NUMBER] = st.batch_number;
        for (at, d) in [
            (INST_PRE_ROOT, &st.pre_root),
            (INST_POST_ROOT, &st.post_root),
            (INST_BATCH_HASH, &st.batch_hash),
            (INST_ROOT_BEFORE, &self.root_before),
            (INST_ROOT_AFTER, &self.root_after),
            (INST_ACC_BEFORE, &self.acc_before),
            (INST_ACC_AFTER, &self.acc_after),
        ] {
            v[at..at + 4].copy_from_slice(&d.to_u64s());
        }
        v[INST_SLOT] = self.slot as u64;
        v[INST_COUNT] = self.count as u64;
        v.into_iter().map(Fp::from).collect()
    }
}

/// The values between segment `i` and segment `i + 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// The root after the segment's slot.
    pub root_after: Digest,
    /// The batch-hash accumulator after it.
    pub acc_after: Digest,
}

/// The parsed proof container of a halo2 envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentedProof {
    /// One per segment, in slot order.
    pub links: Vec<Link>,
    /// One per segment, in slot order.
    pub proofs: Vec<Vec<u8>>,
}

/// A bounded reader over untrusted bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.0.len() < n {
            return Err(Error::BadProof("container truncated"));
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }

    fn digest(&mut self) -> Result<Digest, Error> {
        let b = B256::from_slice(self.take(32)?);
        Digest::from_b256(&b).ok_or(Error::BadProof("non-canonical digest in the container"))
    }
}

impl SegmentedProof {
    /// Encode (the envelope's proof bytes). Fails only if there are more than `u16::MAX`
    /// segments, a proof is empty or longer than [`MAX_SEGMENT_PROOF`], or the two lists
    /// differ in length.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let count =
            u16::try_from(self.links.len()).map_err(|_| Error::BadProof("too many segments"))?;
        if self.proofs.len() != self.links.len() {
            return Err(Error::BadProof("one proof per segment"));
        }
        let total: usize = self.proofs.iter().map(|p| 4 + p.len()).sum();
        let mut out = Vec::with_capacity(HEADER_BYTES + LINK_BYTES * self.links.len() + total);
        out.extend_from_slice(&CONTAINER_MAGIC);
        out.push(CONTAINER_VERSION);
        out.extend_from_slice(&count.to_le_bytes());
        for l in &self.links {
            out.extend_from_slice(l.root_after.to_b256().as_slice());
            out.extend_from_slice(l.acc_after.to_b256().as_slice());
        }
        for p in &self.proofs {
            if p.is_empty() || p.len() > MAX_SEGMENT_PROOF {
                return Err(Error::BadProof("segment proof length out of range"));
            }
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(p);
        }
        Ok(out)
    }

    /// Parse untrusted bytes with at most `max_count` segments (the profile's capacity).
    /// Never panics; allocates at most `max_count` entries plus the proof bytes present.
    pub fn from_bytes(bytes: &[u8], max_count: u32) -> Result<SegmentedProof, Error> {
        let mut r = Reader(bytes);
        if r.take(4)? != CONTAINER_MAGIC {
            return Err(Error::BadProof("container magic"));
        }
        if r.take(1)?[0] != CONTAINER_VERSION {
            return Err(Error::BadProof("container version"));
        }
        let c = r.take(2)?;
        let count = u16::from_le_bytes([c[0], c[1]]) as usize;
        if count > max_count as usize {
            return Err(Error::BadProof("more segments than the capacity"));
        }
        if r.0.len() < count * (LINK_BYTES + 4) {
            return Err(Error::BadProof("container truncated"));
        }
        let mut links = Vec::with_capacity(count);
        for _ in 0..count {
            let root_after = r.digest()?;
            let acc_after = r.digest()?;
            links.push(Link {
                root_after,
                acc_after,
            });
        }
        let mut proofs = Vec::with_capacity(count);
        for _ in 0..count {
            let l = r.take(4)?;
            let n = u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize;
            if n == 0 || n > MAX_SEGMENT_PROOF {
                return Err(Error::BadProof("segment proof length out of range"));
            }
            proofs.push(r.take(n)?.to_vec());
        }
        if !r.0.is_empty() {
            return Err(Error::BadProof("trailing bytes after the last segment"));
        }
        Ok(SegmentedProof { links, proofs })
    }
}

/// `H_BATCH(chain_id, batch_number, count, capacity)`: the accumulator before slot 0.
pub fn header_hash(statement: &Statement, count: u32, capacity: u32) -> Result<Digest, Error> {
    let chain_id =
        Gl::from_canonical(statement.chain_id).ok_or(Error::Chain("chain id is not canonical"))?;
    let number = Gl::from_canonical(statement.batch_number)
        .ok_or(Error::Chain("batch number is not canonical"))?;
    Ok(hash_tagged(
        Tag::Batch,
        [
            chain_id,
            number,
            Gl::new(count as u64),
            Gl::from(capacity),
            Gl::ZERO,
            Gl::ZERO,
            Gl::ZERO,
            Gl::ZERO,
        ],
    ))
}

/// One slot's step of the batch hash, `H_TX(acc, from, to, amount, nonce)` (each element
/// reduced mod p, as the circuit's input rows do).
pub fn tx_step(acc: &Digest, elements: [u64; 4]) -> Digest {
    let e = elements.map(Gl::reduce_u64);
    hash_tagged(
        Tag::Tx,
        [
            acc.0[0], acc.0[1], acc.0[2], acc.0[3], e[0], e[1], e[2], e[3],
        ],
    )
}

/// The native half of verification: the public inputs of every segment, after checking
/// that the segments chain `pre_root → … → post_root` and `header → … → batch_hash` (the
/// padding slots folded natively). `capacity` is the profile's `T`; `links.len() ≤ T` is
/// the parser's.
pub fn chain(
    statement: &Statement,
    capacity: u32,
    links: &[Link],
) -> Result<Vec<SegmentPublic>, Error> {
    let count = u32::try_from(links.len())
        .ok()
        .filter(|c| *c <= capacity)
        .ok_or(Error::Chain("more segments than the capacity"))?;
    let mut root = statement.pre_root;
    let mut acc = header_hash(statement, count, capacity)?;
    let mut publics = Vec::with_capacity(links.len());
    for (slot, l) in (0u32..).zip(links) {
        publics.push(SegmentPublic {
            statement: *statement,
            slot,
            count,
            root_before: root,
            root_after: l.root_after,
            acc_before: acc,
            acc_after: l.acc_after,
        });
        root = l.root_after;
        acc = l.acc_after;
    }
    if root != statement.post_root {
        return Err(Error::Chain("the last segment does not end at post_root"));
    }
    for _ in count..capacity {
        acc = tx_step(&acc, [0; 4]);
    }
    if acc != statement.batch_hash {
        return Err(Error::Chain("the segments do not hash to batch_hash"));
    }
    Ok(publics)
}
