//! Row offsets inside a segment's rule block, and the segment circuit's size for a profile.
//!
//! A rule block is `SLOT_ROWS` rows of column `w`, read by the "slot rules" gate from its
//! first row. The offsets below name each row; the rows marked "range-checked" are also
//! range rows (`q_range60`), so they cost no extra rows.

use multiprover_core::Profile;

use crate::gadgets::goldilocks::LIMB_BITS;
use crate::gadgets::poseidon::PERM_ROWS;

/// Rows of a segment's rule block.
pub const SLOT_ROWS: usize = 12;
/// Smallest `k`: the lookup table `0..2^LIMB_BITS` must fit in the usable rows (below the
/// blinding rows), so `2^k > 2^LIMB_BITS`.
pub const MIN_K: u32 = LIMB_BITS as u32 + 1;
/// Rows kept free at the end of the domain for blinding (halo2 reserves max queries + 3).
const BLINDING_MARGIN: usize = 32;

/// The transfer's sender index `from`.
pub(super) const S_F: usize = 0;
/// The transfer's receiver index `to`.
pub(super) const S_T: usize = 1;
/// The transfer's amount, range-checked below 2^60.
pub(super) const S_M: usize = 2;
/// The transfer's nonce.
pub(super) const S_N: usize = 3;
/// `1 / (from − to)`, the witness that `from ≠ to`.
pub(super) const S_INV: usize = 4;
/// The sender's balance before the transfer, range-checked below 2^60.
pub(super) const S_BALS: usize = 5;
/// The sender's nonce before the transfer.
pub(super) const S_NS: usize = 6;
/// The sender's nonce after it: `nonce + 1`.
pub(super) const S_NS1: usize = 7;
/// The sender's balance after it: `balance − amount`, range-checked below 2^60.
pub(super) const S_BALS1: usize = 8;
/// The receiver's balance before the transfer, range-checked below 2^60.
pub(super) const S_BALR: usize = 9;
/// The receiver's nonce (a transfer does not change it).
pub(super) const S_NR: usize = 10;
/// The receiver's balance after it: `balance + amount`, range-checked below 2^60.
pub(super) const S_BALR1: usize = 11;
// A region is as tall as its last assigned row, and the regions stack back to back: the
// block's last offset must be its last row, or every later row (and the key) would move.
const _: () = assert!(S_BALR1 == SLOT_ROWS - 1);

/// Rows one segment uses for a profile: the rule block, four Merkle walks of a leaf and `D`
/// nodes each, and one `H_TX` step of the batch hash.
pub fn rows_used(profile: Profile) -> usize {
    let d = profile.depth as usize;
    SLOT_ROWS + 4 * (d + 1) * PERM_ROWS + PERM_ROWS
}

/// The `k` (domain 2^k) of a segment for a profile: the rows and the lookup table must both
/// fit below the blinding rows.
pub fn k_for(profile: Profile) -> u32 {
    let need = rows_used(profile).max(1usize << LIMB_BITS) + BLINDING_MARGIN;
    let mut k = MIN_K;
    while (1usize << k) < need {
        k += 1;
    }
    k
}
