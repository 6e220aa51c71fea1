//! Row offsets inside a slot's rule block, and the circuit's size for a profile.
//!
//! A slot's rule block is `SLOT_ROWS` rows of column `w`, read by the "slot rules" gate from
//! its first row. The offsets below name each row.

use multiprover_core::Profile;

use crate::gadgets::poseidon::PERM_ROWS;

/// Rows of one slot's rule block.
pub const SLOT_ROWS: usize = 16;
/// Smallest `k`: the 16-bit lookup table needs 2^16 usable rows.
pub const MIN_K: u32 = 17;
/// Rows kept free at the end of the domain for blinding (halo2 reserves max queries + 3).
const BLINDING_MARGIN: usize = 32;

/// The active bit `a` (1 for a transfer, 0 for a padding slot).
pub(super) const S_A: usize = 0;
/// The previous slot's active bit (copied; the constant 1 for the first slot).
pub(super) const S_APREV: usize = 1;
/// The transfer's sender index `from`.
pub(super) const S_F: usize = 2;
/// The transfer's receiver index `to`.
pub(super) const S_T: usize = 3;
/// The transfer's amount.
pub(super) const S_M: usize = 4;
/// The transfer's nonce.
pub(super) const S_N: usize = 5;
/// `1 / (from − to)` (0 when they are equal), the witness that `from ≠ to`.
pub(super) const S_INV: usize = 6;
/// The sender's balance before the transfer.
pub(super) const S_BALS: usize = 7;
/// The sender's nonce before the transfer.
pub(super) const S_NS: usize = 8;
/// The sender's nonce after it: `nonce + a`.
pub(super) const S_NS1: usize = 9;
/// The sender's balance after it: `balance − amount`, range-checked below 2^60.
pub(super) const S_BALS1: usize = 10;
/// The receiver's balance before the transfer.
pub(super) const S_BALR: usize = 11;
/// The receiver's nonce (a transfer does not change it).
pub(super) const S_NR: usize = 12;
/// The receiver's balance after it: `balance + amount`, range-checked below 2^60.
pub(super) const S_BALR1: usize = 13;
/// The previous slot's count of active slots (copied; the constant 0 for the first slot).
pub(super) const S_CNTPREV: usize = 14;
/// The count of active slots up to and including this one: `count_prev + a`.
pub(super) const S_CNT: usize = 15;
// A slot's region is as tall as its last assigned row, and the regions stack back to back:
// the block's last offset must be its last row, or every later row (and the key) would move.
const _: () = assert!(S_CNT == SLOT_ROWS - 1);

/// Rows the circuit uses for a profile.
pub fn rows_used(profile: Profile) -> usize {
    let d = profile.depth as usize;
    let t = profile.capacity as usize;
    t * (SLOT_ROWS + 4 * (d + 1) * PERM_ROWS) + (t + 1) * PERM_ROWS
}

/// The `k` (domain 2^k) for a profile.
pub fn k_for(profile: Profile) -> u32 {
    let need = rows_used(profile) + BLINDING_MARGIN;
    let mut k = MIN_K;
    while (1usize << k) < need {
        k += 1;
    }
    k
}
