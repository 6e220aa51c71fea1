//! The trace builder: a raw witness laid out cycle by cycle in the columns of
//! [`crate::layout`].
//!
//! Every cycle holds one permutation in lane A and one in lane B (rows 0..=30), the registers
//! on every row, and, at the link row and the copy row, what the schedule's link for that
//! cycle does: the next permutations' inputs, the next registers, the auxiliary cell and the
//! two range-checked values.

use alloc::format;
use alloc::vec::Vec;

use math::FieldElement;
use multiprover_core::hash::Tag;
use multiprover_core::poseidon::{is_full_round, round_constant, ROUNDS, WIDTH};

use super::{RawSlot, RawWitness, E};
use crate::error::Error;
use crate::layout::*;

/// Deterministic filler for unconstrained cells (splitmix64). The values are irrelevant for
/// soundness; they keep every column non-constant, which winterfell's debug-mode degree check
/// expects (a constraint that is identically zero would have a lower degree than declared).
struct Filler(u64);

impl Filler {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn elem(&mut self) -> E {
        E::new(self.next())
    }
    fn state(&mut self) -> [E; WIDTH] {
        core::array::from_fn(|_| self.elem())
    }
}

/// The current values of the register columns (constant within a cycle; a link changes them
/// on the copy row).
#[derive(Clone, Copy)]
struct Regs {
    /// The batch-hash accumulator (`ACC..ACC + 4`).
    acc: [E; 4],
    /// The current state root (`ROOT..ROOT + 4`).
    root: [E; 4],
    /// The slot's transfer `[from, to, amount, nonce]` (`FROM`, `TO`, `AMT`, `NONCE`).
    tx: [E; 4],
    /// 1 when the slot holds a real transfer, 0 for padding (`ACT`).
    act: E,
    /// Transfers still to come (`REM`).
    rem: E,
    /// The part of the account index the path walk has not consumed yet (`IDX`).
    idx: E,
}

/// What a cycle's link writes on its link and copy rows.
struct LinkOut {
    /// The registers from the copy row on.
    next: Regs,
    /// Lane A's next raw input.
    a_next: [E; WIDTH],
    /// Lane B's next raw input.
    b_next: [E; WIDTH],
    /// The values the two range-check units check below 2^60 (`None`: filler).
    range: [Option<u64>; 2],
}

/// The 31 rows of one permutation (positions 0..=30) in the AIR's layout: row k < 30 holds
/// the state entering round k with its constants added; row 30 the output.
fn perm_rows(input: &[E; WIDTH], mds: &[[E; WIDTH]; WIDTH]) -> Vec<[E; WIDTH]> {
    let rc = |round: usize, lane: usize| E::new(round_constant(round, lane));
    let mut rows = Vec::with_capacity(ROUNDS + 1);
    let mut s: [E; WIDTH] = core::array::from_fn(|i| input[i] + rc(0, i));
    rows.push(s);
    for round in 0..ROUNDS {
        let mut t = s;
        for (lane, v) in t.iter_mut().enumerate() {
            if lane == 0 || is_full_round(round) {
                *v = v.exp(7);
            }
        }
        for (j, out) in s.iter_mut().enumerate() {
            let mut acc = E::ZERO;
            for (col, v) in t.iter().enumerate() {
                acc += mds[j][col] * *v;
            }
            *out = if round + 1 < ROUNDS {
                acc + rc(round + 1, j)
            } else {
                acc
            };
        }
        rows.push(s);
    }
    rows
}

/// The MDS matrix as field elements.
fn mds() -> [[E; WIDTH]; WIDTH] {
    let mds_u = mds_matrix();
    core::array::from_fn(|r| core::array::from_fn(|c| E::new(mds_u[r][c])))
}

/// A domain tag (hash input lane 8) as a field element.
fn tag(t: Tag) -> E {
    E::new(t as u64)
}

/// `H_LEAF(balance, nonce)`'s raw input.
fn leaf_input(balance: E, nonce: E) -> [E; WIDTH] {
    let mut s = [E::ZERO; WIDTH];
    s[0] = balance;
    s[1] = nonce;
    s[8] = tag(Tag::Leaf);
    s
}

/// `H_NODE`'s raw input: the digest in lanes 0..4 and the sibling in 4..8, swapped when
/// `bit` is 1 (the digest is the right child).
fn node_input(digest: &[E], sibling: &[u64; 4], bit: bool) -> [E; WIDTH] {
    let mut s = [E::ZERO; WIDTH];
    let (dl, sl) = if bit { (4, 0) } else { (0, 4) };
    for j in 0..4 {
        s[dl + j] = digest[j];
        s[sl + j] = E::new(sibling[j]);
    }
    s[8] = tag(Tag::Node);
    s
}

/// Build the execution trace of a raw witness. Returns the columns and the 12 public inputs
/// the trace ends with (`pre_root ‖ post_root ‖ batch_hash`, as the registers hold them).
pub fn build_trace(raw: &RawWitness) -> Result<(Vec<Vec<E>>, [u64; 12]), Error> {
    let sched = check_shape(raw)?;
    let mut b = TraceBuilder::new(raw, sched);
    for c in 0..sched.num_cycles() {
        b.cycle(c);
    }
    Ok(b.finish())
}

/// The witness's schedule, if it has the profile's number of slots and path lengths.
fn check_shape(raw: &RawWitness) -> Result<Schedule, Error> {
    let d = raw.profile.depth as usize;
    let t = raw.profile.capacity as usize;
    raw.profile.validate()?;
    if raw.slots.len() != t {
        return Err(Error::BadWitness(format!(
            "{} slots for capacity {t}",
            raw.slots.len()
        )));
    }
    for s in &raw.slots {
        if s.sender_siblings.len() != d || s.receiver_siblings.len() != d {
            return Err(Error::BadWitness(
                "path length differs from the depth".into(),
            ));
        }
    }
    Ok(Schedule {
        depth: d,
        capacity: t,
    })
}

/// The trace being built, and the state carried from one cycle to the next.
struct TraceBuilder<'w> {
    raw: &'w RawWitness,
    sched: Schedule,
    mds: [[E; WIDTH]; WIDTH],
    fill: Filler,
    cols: Vec<Vec<E>>,
    /// The registers of the current cycle.
    regs: Regs,
    /// Lane A's raw input for the current cycle.
    a_in: [E; WIDTH],
    /// Lane B's raw input for the current cycle.
    b_in: [E; WIDTH],
}

impl<'w> TraceBuilder<'w> {
    /// Columns of filler, and the registers and inputs of cycle 0 (the dummy cycle).
    fn new(raw: &'w RawWitness, sched: Schedule) -> Self {
        let n = sched.trace_length();
        let mut fill =
            Filler(raw.pre_root[0] ^ raw.batch_number.rotate_left(17) ^ 0x5354_4152_4b00_0001);
        let cols: Vec<Vec<E>> = (0..TRACE_WIDTH)
            .map(|_| (0..n).map(|_| fill.elem()).collect())
            .collect();
        let regs = Regs {
            acc: core::array::from_fn(|_| fill.elem()),
            root: raw.pre_root.map(E::new),
            tx: core::array::from_fn(|_| fill.elem()),
            act: fill.elem(),
            rem: E::new(raw.count),
            idx: fill.elem(),
        };
        let a_in = fill.state();
        let b_in = fill.state();
        TraceBuilder {
            raw,
            sched,
            mds: mds(),
            fill,
            cols,
            regs,
            a_in,
            b_in,
        }
    }

    /// Cycle `c`: the two permutations, the flags, the registers, then the link.
    fn cycle(&mut self, c: usize) {
        let base = c * CYCLE;
        let (a_out, b_out) = self.write_permutations(base);
        let flags = self.sched.flags(c);
        for (k, col) in FLAGS.iter().enumerate() {
            self.cols[*col][base + LINK_POS] = if flags[k] { E::ONE } else { E::ZERO };
        }
        for pos in 0..=LINK_POS {
            write_regs(&mut self.cols, base + pos, &self.regs);
        }
        let out = self.link(c, &a_out, &b_out);
        self.write_range_checks(base, out.range);
        // copy row: the next raw inputs and the next registers
        for j in 0..WIDTH {
            self.cols[A + j][base + COPY_POS] = out.a_next[j];
            self.cols[B + j][base + COPY_POS] = out.b_next[j];
        }
        write_regs(&mut self.cols, base + COPY_POS, &out.next);
        self.regs = out.next;
        self.a_in = out.a_next;
        self.b_in = out.b_next;
    }

    /// Lanes A and B's permutation rows of the cycle at `base`; returns their outputs.
    fn write_permutations(&mut self, base: usize) -> ([E; WIDTH], [E; WIDTH]) {
        let a_rows = perm_rows(&self.a_in, &self.mds);
        let b_rows = perm_rows(&self.b_in, &self.mds);
        for pos in 0..=LINK_POS {
            for j in 0..WIDTH {
                self.cols[A + j][base + pos] = a_rows[pos][j];
                self.cols[B + j][base + pos] = b_rows[pos][j];
            }
        }
        (a_rows[LINK_POS], b_rows[LINK_POS])
    }

    /// The link at the end of cycle `c`: the next inputs, the next registers, the aux cell
    /// (written here) and the range-checked values.
    fn link(&mut self, c: usize, a_out: &[E; WIDTH], b_out: &[E; WIDTH]) -> LinkOut {
        let (raw, regs, e) = (self.raw, self.regs, E::new);
        let aux = c * CYCLE + LINK_POS;
        let mut out = LinkOut {
            next: regs,
            a_next: self.fill.state(),
            b_next: self.fill.state(),
            range: [None, None],
        };
        match self.sched.link(c) {
            Link::Start => {
                out.a_next = [E::ZERO; WIDTH];
                out.a_next[0] = e(raw.chain_id);
                out.a_next[1] = e(raw.batch_number);
                out.a_next[2] = regs.rem;
                out.a_next[3] = e(self.sched.capacity as u64);
                out.a_next[8] = tag(Tag::Batch);
            }
            Link::Hdr => {
                out.next.acc.copy_from_slice(&a_out[..4]);
                load_slot(&raw.slots[0], &regs, &mut out);
            }
            Link::TxOut { slot } => {
                let s = &raw.slots[slot];
                out.next.acc.copy_from_slice(&a_out[..4]);
                out.next.idx = regs.tx[0];
                let (bal, non) = (e(s.sender.0), e(s.sender.1));
                out.a_next = leaf_input(bal, non);
                out.b_next = leaf_input(bal - regs.act * regs.tx[2], non + regs.act);
                let diff = regs.tx[0] - regs.tx[1];
                if diff != E::ZERO {
                    self.cols[AUX][aux] = diff.inv();
                }
                out.range = [Some(regs.tx[2].as_int()), Some(out.b_next[0].as_int())];
            }
            Link::Node { slot, party, level } => {
                let s = &raw.slots[slot];
                let sib = match party {
                    Party::Sender => &s.sender_siblings[level],
                    Party::Receiver => &s.receiver_siblings[level],
                };
                let idx = regs.idx.as_int();
                let bit = idx & 1 == 1;
                self.cols[AUX][aux] = if bit { E::ONE } else { E::ZERO };
                out.next.idx = e(idx >> 1);
                let sib_b = match &s.sender_new_siblings {
                    Some(alt) if party == Party::Sender => alt.get(level).unwrap_or(sib),
                    _ => sib,
                };
                out.a_next = node_input(&a_out[..4], sib, bit);
                out.b_next = node_input(&b_out[..4], sib_b, bit);
            }
            Link::Mid { slot } => {
                let s = &raw.slots[slot];
                out.next.root.copy_from_slice(&b_out[..4]);
                out.next.idx = regs.tx[1];
                let (bal, non) = (e(s.receiver.0), e(s.receiver.1));
                out.a_next = leaf_input(bal, non);
                out.b_next = leaf_input(bal + regs.act * (regs.tx[2] + e(s.receiver_extra)), non);
                out.range[0] = Some(out.b_next[0].as_int());
            }
            Link::End { slot, more } => {
                out.next.root.copy_from_slice(&b_out[..4]);
                if more {
                    load_slot(&raw.slots[slot + 1], &regs, &mut out);
                }
            }
            Link::None => {}
        }
        out
    }

    /// The two range-check units of the cycle at `base`: 30 base-4 digits at positions
    /// 1..=30, the accumulator from 0; `None` checks a filler value.
    fn write_range_checks(&mut self, base: usize, range: [Option<u64>; 2]) {
        let e = E::new;
        for (unit, (ra, dg)) in range.into_iter().zip([(RA1, DG1), (RA2, DG2)]) {
            let v = unit.unwrap_or_else(|| self.fill.next()) & ((1u64 << 60) - 1);
            let mut acc = E::ZERO;
            self.cols[dg][base] = e(self.fill.next() & 3);
            self.cols[ra][base] = E::ZERO;
            for pos in 1..=LINK_POS {
                let digit = (v >> (2 * (LINK_POS - pos))) & 3;
                acc = acc * e(4) + e(digit);
                self.cols[dg][base + pos] = e(digit);
                self.cols[ra][base + pos] = acc;
            }
            self.cols[dg][base + COPY_POS] = e(self.fill.next() & 3);
        }
    }

    /// The columns, and the public inputs the registers end with.
    fn finish(self) -> (Vec<Vec<E>>, [u64; 12]) {
        let mut pi = [0u64; 12];
        for j in 0..4 {
            pi[j] = self.raw.pre_root[j];
            pi[4 + j] = self.regs.root[j].as_int();
            pi[8 + j] = self.regs.acc[j].as_int();
        }
        (self.cols, pi)
    }
}

/// Load slot `s` into the next registers and lane A's next input (its `H_TX` over the
/// accumulator `out.next.acc` and the transfer).
fn load_slot(s: &RawSlot, regs: &Regs, out: &mut LinkOut) {
    let tx = s.transfer.map(E::new);
    let act = if s.active { E::ONE } else { E::ZERO };
    out.next.tx = tx;
    out.next.act = act;
    out.next.rem = regs.rem - act;
    out.a_next[..4].copy_from_slice(&out.next.acc);
    out.a_next[4..8].copy_from_slice(&tx);
    out.a_next[8] = tag(Tag::Tx);
    out.a_next[9..].fill(E::ZERO);
}

/// The registers `r` on row `row`.
fn write_regs(cols: &mut [Vec<E>], row: usize, r: &Regs) {
    for j in 0..4 {
        cols[ACC + j][row] = r.acc[j];
        cols[ROOT + j][row] = r.root[j];
    }
    cols[FROM][row] = r.tx[0];
    cols[TO][row] = r.tx[1];
    cols[AMT][row] = r.tx[2];
    cols[NONCE][row] = r.tx[3];
    cols[ACT][row] = r.act;
    cols[REM][row] = r.rem;
    cols[IDX][row] = r.idx;
}

#[cfg(test)]
mod tests {
    use super::*;
    use multiprover_core::poseidon::permute;
    use multiprover_core::Fp;

    #[test]
    fn perm_rows_match_core_poseidon() {
        let mds = mds();
        let mut f = Filler(42);
        for _ in 0..20 {
            let input: [u64; WIDTH] =
                core::array::from_fn(|_| f.next() % multiprover_core::field::P);
            let rows = perm_rows(&input.map(E::new), &mds);
            let want = permute(input.map(Fp::new));
            for j in 0..WIDTH {
                assert_eq!(rows[LINK_POS][j].as_int(), want[j].as_u64());
            }
        }
    }
}
