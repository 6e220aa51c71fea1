//! A segment's witness values, read from its slot's witness (unknown during key generation).

use halo2_proofs::circuit::Value;
use halo2_proofs::pasta::Fp;
use multiprover_core::{MerklePath, SlotWitness};

use super::fe;

/// The values one slot's rule block and its four Merkle walks assign. Every field is
/// `Value::unknown()` when there is no witness (key generation).
pub(super) struct SlotVals {
    /// The transfer's sender index.
    pub(super) from: Value<Fp>,
    /// The transfer's receiver index.
    pub(super) to: Value<Fp>,
    /// The transfer's amount.
    pub(super) amount: Value<Fp>,
    /// The transfer's nonce.
    pub(super) nonce: Value<Fp>,
    /// `1 / (from − to)` in the native field, 0 when they are equal (then the rule fails).
    pub(super) inv: Value<Fp>,
    /// The sender's balance before the slot.
    pub(super) sender_balance: Value<Fp>,
    /// The sender's nonce before the slot.
    pub(super) sender_nonce: Value<Fp>,
    /// The receiver's balance before the slot.
    pub(super) receiver_balance: Value<Fp>,
    /// The receiver's nonce.
    pub(super) receiver_nonce: Value<Fp>,
    /// `from`'s `depth` bits, least significant (leaf side) first: the sender's path.
    pub(super) from_bits: Vec<Value<Fp>>,
    /// `to`'s `depth` bits, least significant first: the receiver's path.
    pub(super) to_bits: Vec<Value<Fp>>,
    /// The sender's siblings before the slot, leaf side first, four lanes each.
    pub(super) sender_sibs: Vec<[Value<Fp>; 4]>,
    /// The receiver's siblings after the sender's update, leaf side first.
    pub(super) receiver_sibs: Vec<[Value<Fp>; 4]>,
}

impl SlotVals {
    /// The values of slot witness `s` on a tree of depth `depth`.
    pub(super) fn new(s: Option<&SlotWitness>, depth: usize) -> SlotVals {
        let v = |f: &dyn Fn(&SlotWitness) -> Fp| match s {
            Some(s) => Value::known(f(s)),
            None => Value::unknown(),
        };
        let bits = |idx: &dyn Fn(&SlotWitness) -> u32| {
            (0..depth)
                .map(|i| v(&|s| fe(((idx(s) as u64) >> i) & 1)))
                .collect::<Vec<_>>()
        };
        let sibs = |path: &dyn Fn(&SlotWitness) -> &MerklePath| {
            (0..depth)
                .map(|i| {
                    core::array::from_fn(|j| {
                        v(&|s| {
                            path(s)
                                .siblings
                                .get(i)
                                .map(|d| fe(d.0[j].as_u64()))
                                .unwrap_or(Fp::zero())
                        })
                    })
                })
                .collect::<Vec<_>>()
        };
        SlotVals {
            from: v(&|s| fe(s.transfer.from as u64)),
            to: v(&|s| fe(s.transfer.to as u64)),
            amount: v(&|s| fe(s.transfer.amount)),
            nonce: v(&|s| fe(s.transfer.nonce as u64)),
            inv: v(&|s| {
                let d = fe(s.transfer.from as u64) - fe(s.transfer.to as u64);
                Option::<Fp>::from(halo2_proofs::pasta::group::ff::Field::invert(&d))
                    .unwrap_or(Fp::zero())
            }),
            sender_balance: v(&|s| fe(s.sender.balance)),
            sender_nonce: v(&|s| fe(s.sender.nonce)),
            receiver_balance: v(&|s| fe(s.receiver.balance)),
            receiver_nonce: v(&|s| fe(s.receiver.nonce)),
            from_bits: bits(&|s| s.transfer.from),
            to_bits: bits(&|s| s.transfer.to),
            sender_sibs: sibs(&|s| &s.sender_path),
            receiver_sibs: sibs(&|s| &s.receiver_path),
        }
    }
}
