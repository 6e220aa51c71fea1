//! The shape of the execution trace: column indices, the 32-row cycle, the schedule of cycles
//! and the periodic columns. Shared by the AIR (verifier) and the trace builder (prover).

use alloc::vec;
use alloc::vec::Vec;
use math::fields::f64::BaseElement;
use multiprover_core::poseidon::{
    is_full_round, round_constant, MDS_CIRC, MDS_DIAG, ROUNDS, WIDTH,
};

/// Rows per permutation cycle: 30 Poseidon rounds, one link row, one copy row.
pub const CYCLE: usize = 32;
/// Cycle position of the row that holds a permutation's output (and where links happen).
pub const LINK_POS: usize = 30;
/// Cycle position of the row that holds the next permutation's raw input.
pub const COPY_POS: usize = 31;

// ---- columns ---------------------------------------------------------------------------------

/// Lane A: the Poseidon state of the "old" path walk, the batch-hash chain, the header.
pub const A: usize = 0;
/// Lane B: the Poseidon state of the "new" path walk (same siblings, updated leaf).
pub const B: usize = 12;
/// Flag: end of the dummy cycle, the next cycle is the batch header `H_BATCH`.
pub const F_START: usize = 24;
/// Flag: end of the header cycle; slot 0 starts.
pub const F_HDR: usize = 25;
/// Flag: a slot other than slot 0 starts (always together with `F_END`).
pub const F_NXT: usize = 26;
/// Flag: end of a slot's `H_TX` cycle; the sender's leaf hashes start.
pub const F_TXOUT: usize = 27;
/// Flag: a Merkle step (level `l` digest -> level `l+1` node input).
pub const F_NODE: usize = 28;
/// Flag: end of the sender's path (root check); the receiver's leaf hashes start.
pub const F_MID: usize = 29;
/// Flag: end of the receiver's path (root check).
pub const F_END: usize = 30;
/// Flag columns in schedule order.
pub const FLAGS: [usize; 7] = [F_START, F_HDR, F_NXT, F_TXOUT, F_NODE, F_MID, F_END];
/// Register: the batch-hash accumulator (4 columns).
pub const ACC: usize = 31;
/// Register: the current state root (4 columns).
pub const ROOT: usize = 35;
/// Register: the slot's transfer `from`.
pub const FROM: usize = 39;
/// Register: the slot's transfer `to`.
pub const TO: usize = 40;
/// Register: the slot's transfer `amount`.
pub const AMT: usize = 41;
/// Register: the slot's transfer `nonce`.
pub const NONCE: usize = 42;
/// Register: 1 when the slot holds a real transfer, 0 for padding.
pub const ACT: usize = 43;
/// Register: transfers still to come (starts at `count`, ends at 0).
pub const REM: usize = 44;
/// Register: the part of the account index not yet consumed by the path walk.
pub const IDX: usize = 45;
/// Auxiliary cell at link rows: the path bit at `F_NODE`, `1/(from - to)` at `F_TXOUT`.
pub const AUX: usize = 46;
/// Range-check unit 1: accumulator.
pub const RA1: usize = 47;
/// Range-check unit 1: base-4 digit.
pub const DG1: usize = 48;
/// Range-check unit 2: accumulator.
pub const RA2: usize = 49;
/// Range-check unit 2: base-4 digit.
pub const DG2: usize = 50;
/// Trace width.
pub const TRACE_WIDTH: usize = 51;

// ---- periodic columns --------------------------------------------------------------------------

/// Periodic: 1 on round rows (positions 0..30).
pub const P_ROUND: usize = 0;
/// Periodic: 1 on the copy row (position 31).
pub const P_COPY: usize = 1;
/// Periodic: 1 on the link row (position 30).
pub const P_LINK: usize = 2;
/// Periodic: 1 on full-round rows (S-box on every lane).
pub const P_FULL: usize = 3;
/// Periodic: 1 on partial-round rows (S-box on lane 0 only).
pub const P_PART: usize = 4;
/// Periodic: the constants added after a row's round (12 columns).
pub const P_ARK: usize = 5;
/// Number of periodic columns.
pub const NUM_PERIODIC: usize = P_ARK + WIDTH;

/// The periodic columns, each of length [`CYCLE`].
///
/// Row at position `k < 30` holds `state_k + RC_k` (the state entering round `k` with its
/// constants already added); the transition `k -> k+1` is `MDS(S_k(row)) + RC_{k+1}` (no
/// constants after round 29). The copy row (31) holds the next raw input; `31 -> 0` adds `RC_0`.
pub fn periodic_columns() -> Vec<Vec<BaseElement>> {
    let mut cols = vec![vec![BaseElement::new(0); CYCLE]; NUM_PERIODIC];
    let one = BaseElement::new(1);
    for pos in 0..CYCLE {
        if pos < ROUNDS {
            cols[P_ROUND][pos] = one;
            if is_full_round(pos) {
                cols[P_FULL][pos] = one;
            } else {
                cols[P_PART][pos] = one;
            }
            if pos + 1 < ROUNDS {
                for lane in 0..WIDTH {
                    cols[P_ARK + lane][pos] = BaseElement::new(round_constant(pos + 1, lane));
                }
            }
        }
        if pos == COPY_POS {
            cols[P_COPY][pos] = one;
            for lane in 0..WIDTH {
                cols[P_ARK + lane][pos] = BaseElement::new(round_constant(0, lane));
            }
        }
        if pos == LINK_POS {
            cols[P_LINK][pos] = one;
        }
    }
    cols
}

/// The MDS matrix as `M[row][col]`: `out[r] = sum_c M[r][c] * in[c]`.
pub fn mds_matrix() -> [[u64; WIDTH]; WIDTH] {
    let mut m = [[0u64; WIDTH]; WIDTH];
    for (r, row) in m.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            *v = MDS_CIRC[(c + WIDTH - r) % WIDTH] + if r == c { MDS_DIAG[r] } else { 0 };
        }
    }
    m
}

// ---- schedule ----------------------------------------------------------------------------------

/// What the link at the end of a cycle does (the schedule fixed by the profile).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Dummy cycle -> header input.
    Start,
    /// Header output -> slot 0's `H_TX` input.
    Hdr,
    /// Slot `slot`'s `H_TX` output -> sender leaf inputs.
    TxOut {
        /// The slot.
        slot: usize,
    },
    /// Merkle step of one of slot `slot`'s two path walks: the level `level` digest (0: the
    /// leaf) and sibling `level` -> the level `level + 1` node input.
    Node {
        /// The slot.
        slot: usize,
        /// Whose path.
        party: Party,
        /// The level, leaf side first (indexes the path's siblings).
        level: usize,
    },
    /// Slot `slot`'s sender root -> receiver leaf inputs.
    Mid {
        /// The slot.
        slot: usize,
    },
    /// Slot `slot`'s receiver root.
    End {
        /// The slot.
        slot: usize,
        /// Another slot follows.
        more: bool,
    },
    /// Padding cycle: nothing linked.
    None,
}

/// The account whose path a [`Link::Node`] walks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    /// The sender (the slot's first path).
    Sender,
    /// The receiver (its second path).
    Receiver,
}

/// The cycle layout for a profile `(depth, capacity)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Tree depth `D`.
    pub depth: usize,
    /// Batch capacity `T`.
    pub capacity: usize,
}

impl Schedule {
    /// Cycles one slot occupies: `H_TX`, sender path (`D + 1`), receiver path (`D + 1`).
    pub const fn slot_cycles(&self) -> usize {
        2 * self.depth + 3
    }

    /// Cycles in use: dummy, header, and the slots.
    pub const fn used_cycles(&self) -> usize {
        2 + self.capacity * self.slot_cycles()
    }

    /// Total cycles (a power of two).
    pub fn num_cycles(&self) -> usize {
        self.used_cycles().next_power_of_two()
    }

    /// Trace length.
    pub fn trace_length(&self) -> usize {
        self.num_cycles() * CYCLE
    }

    /// First cycle of slot `i` (its `H_TX` cycle).
    pub const fn slot_start(&self, i: usize) -> usize {
        2 + i * self.slot_cycles()
    }

    /// The link at the end of cycle `c`.
    pub fn link(&self, c: usize) -> Link {
        match c {
            0 => Link::Start,
            1 => Link::Hdr,
            _ if c >= self.used_cycles() => Link::None,
            _ => {
                let slot = (c - 2) / self.slot_cycles();
                let off = (c - 2) % self.slot_cycles();
                let d = self.depth;
                if off == 0 {
                    Link::TxOut { slot }
                } else if off <= d {
                    Link::Node {
                        slot,
                        party: Party::Sender,
                        level: off - 1,
                    }
                } else if off == d + 1 {
                    Link::Mid { slot }
                } else if off <= 2 * d + 1 {
                    Link::Node {
                        slot,
                        party: Party::Receiver,
                        level: off - d - 2,
                    }
                } else {
                    Link::End {
                        slot,
                        more: slot + 1 < self.capacity,
                    }
                }
            }
        }
    }

    /// The value of each flag column (in [`FLAGS`] order) at the link row of cycle `c`.
    pub fn flags(&self, c: usize) -> [bool; 7] {
        let mut f = [false; 7];
        match self.link(c) {
            Link::Start => f[0] = true,
            Link::Hdr => f[1] = true,
            Link::TxOut { .. } => f[3] = true,
            Link::Node { .. } => f[4] = true,
            Link::Mid { .. } => f[5] = true,
            Link::End { more, .. } => {
                f[6] = true;
                f[2] = more;
            }
            Link::None => {}
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use multiprover_core::poseidon::mds;
    use multiprover_core::Fp;

    #[test]
    fn mds_matrix_matches_core() {
        let m = mds_matrix();
        let state: [Fp; WIDTH] = core::array::from_fn(|i| Fp::new(1 + 7 * i as u64 * i as u64));
        let out = mds(&state);
        for r in 0..WIDTH {
            let mut acc: u128 = 0;
            for c in 0..WIDTH {
                acc += m[r][c] as u128 * state[c].as_u64() as u128;
            }
            assert_eq!(Fp::reduce_u128(acc), out[r]);
        }
    }

    #[test]
    fn schedule_counts() {
        let s = Schedule {
            depth: 20,
            capacity: 8,
        };
        assert_eq!(s.used_cycles(), 346);
        assert_eq!(s.trace_length(), 16384);
        let nodes = (0..s.num_cycles())
            .filter(|c| matches!(s.link(*c), Link::Node { .. }))
            .count();
        assert_eq!(nodes, 8 * 2 * 20);
        let end = |slot, more| Link::End { slot, more };
        assert_eq!(s.link(s.used_cycles() - 1), end(7, false));
        assert_eq!(s.link(s.slot_start(1) - 1), end(0, true));
        assert_eq!(
            s.link(s.slot_start(1) + 1),
            Link::Node {
                slot: 1,
                party: Party::Sender,
                level: 0
            }
        );
        assert_eq!(
            s.link(s.slot_start(1) + 20 + 2),
            Link::Node {
                slot: 1,
                party: Party::Receiver,
                level: 0
            }
        );
    }
}
