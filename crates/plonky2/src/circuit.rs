//! The circuit of the statement (docs/spec.md) for one profile `(D, T)`.
//!
//! Per slot (sender leaf first, then receiver), with `a` the slot's active bit:
//! - `from`, `to` split into `D` bits (index range, and the path directions);
//! - `amount < 2^60`, `nonce < 2^32`;
//! - padding: `(1 - a) · x = 0` for each of `from, to, amount, nonce`;
//! - `from != to` when active: `(from - to) · inv = a` with `inv` a witness;
//! - nonce: `a · (nonce - sender.nonce) = 0`; the sender's new nonce is `sender.nonce + a`;
//! - balances: `sender.balance`, `sender.balance - amount`, `receiver.balance`,
//!   `receiver.balance + amount` are all `< 2^60`;
//! - Merkle: the sender's old leaf opens the current root; the same path with the new leaf
//!   gives the mid root; the receiver's old leaf opens the mid root; its new leaf gives the
//!   slot's new root;
//! - batch hash: `H_TX` of the accumulator with `[from, to, amount, nonce]`.
//!
//! Per batch: the active bits are non-increasing (`a_{i+1} · (1 - a_i) = 0`), `count = Σ a_i`,
//! the accumulator starts at `H_BATCH([chain_id, batch_number, count, T, 0, 0, 0, 0])`.
//! Public inputs: `pre_root ‖ post_root ‖ batch_hash`.

use alloc::vec::Vec;

use plonky2::field::types::Field;
use plonky2::hash::hashing::PlonkyPermutation;
use plonky2::hash::poseidon::{PoseidonHash, PoseidonPermutation};
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::CircuitData;
use plonky2::plonk::config::AlgebraicHasher;

use crate::config::{circuit_config, C, EXT, F};
use multiprover_core::hash::Tag;
use multiprover_core::Profile;

/// log2 of the balance bound.
pub(crate) const BALANCE_BITS: usize = 60;
/// Nonces in transfers are `u32`.
pub(crate) const NONCE_BITS: usize = 32;

/// Size figures of a built circuit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CircuitStats {
    /// Poseidon permutations (one Poseidon gate each).
    pub permutations: usize,
    /// Gates (rows) before padding to a power of two.
    pub gates: usize,
    /// log2 of the padded number of rows.
    pub degree_bits: usize,
}

/// The targets of one slot that the prover fills.
pub(crate) struct SlotTargets {
    pub active: BoolTarget,
    pub from: Target,
    pub to: Target,
    pub amount: Target,
    pub nonce: Target,
    pub inv_diff: Target,
    pub sender_balance: Target,
    pub sender_nonce: Target,
    pub sender_path: Vec<[Target; 4]>,
    pub receiver_balance: Target,
    pub receiver_nonce: Target,
    pub receiver_path: Vec<[Target; 4]>,
    /// Only in the faulty circuit, slot 0: the slot's new root, unconstrained.
    pub free_root_after: Option<[Target; 4]>,
}

/// All witness targets.
pub(crate) struct CircuitTargets {
    pub chain_id: Target,
    pub batch_number: Target,
    pub pre_root: [Target; 4],
    pub slots: Vec<SlotTargets>,
}

struct Gadgets<'a> {
    b: &'a mut CircuitBuilder<F, EXT>,
    permutations: usize,
}

impl Gadgets<'_> {
    /// `H_tag(input)`, with the two halves of `input` swapped when `swap` is true.
    fn hash(&mut self, tag: Tag, input: [Target; 8], swap: Option<BoolTarget>) -> [Target; 4] {
        let zero = self.b.zero();
        let t = self.b.constant(F::from_canonical_u64(tag as u64));
        let mut state = [zero; 12];
        state[..8].copy_from_slice(&input);
        state[8] = t;
        let perm = PoseidonPermutation::new(state);
        let out = match swap {
            Some(s) => PoseidonHash::permute_swapped(perm, s, self.b),
            None => self.b.permute::<PoseidonHash>(perm),
        };
        self.permutations += 1;
        let o = out.as_ref();
        [o[0], o[1], o[2], o[3]]
    }

    fn leaf(&mut self, balance: Target, nonce: Target) -> [Target; 4] {
        let z = self.b.zero();
        self.hash(Tag::Leaf, [balance, nonce, z, z, z, z, z, z], None)
    }

    /// The root from `leaf` up `path`; bit `i` set means the node at level `i` is a right child.
    fn walk(
        &mut self,
        leaf: [Target; 4],
        path: &[[Target; 4]],
        bits: &[BoolTarget],
    ) -> [Target; 4] {
        let mut cur = leaf;
        for (sib, bit) in path.iter().zip(bits) {
            let input = [
                cur[0], cur[1], cur[2], cur[3], sib[0], sib[1], sib[2], sib[3],
            ];
            cur = self.hash(Tag::Node, input, Some(*bit));
        }
        cur
    }

    fn connect4(&mut self, x: [Target; 4], y: [Target; 4]) {
        for (a, b) in x.into_iter().zip(y) {
            self.b.connect(a, b);
        }
    }

    fn virtual4(&mut self) -> [Target; 4] {
        [
            self.b.add_virtual_target(),
            self.b.add_virtual_target(),
            self.b.add_virtual_target(),
            self.b.add_virtual_target(),
        ]
    }

    /// Assert `(1 - a) · x = 0`.
    fn zero_unless(&mut self, a: BoolTarget, x: Target) {
        let r = self.b.arithmetic(-F::ONE, F::ONE, a.target, x, x);
        self.b.assert_zero(r);
    }
}

/// Build the circuit for `profile`. `faulty` builds the demo circuit that leaves slot 0's new
/// root unconstrained.
pub(crate) fn build(
    profile: Profile,
    faulty: bool,
) -> (CircuitData<F, C, EXT>, CircuitTargets, CircuitStats) {
    let depth = profile.depth as usize;
    let capacity = profile.capacity as usize;
    let mut builder = CircuitBuilder::<F, EXT>::new(circuit_config());
    let mut g = Gadgets {
        b: &mut builder,
        permutations: 0,
    };

    let chain_id = g.b.add_virtual_target();
    let batch_number = g.b.add_virtual_target();
    let pre_root = g.virtual4();

    // Active bits: boolean, non-increasing; their sum is `count`.
    let active: Vec<BoolTarget> = (0..capacity)
        .map(|_| g.b.add_virtual_bool_target_safe())
        .collect();
    for w in active.windows(2) {
        // a_{i+1} - a_i · a_{i+1} = 0
        let r =
            g.b.arithmetic(-F::ONE, F::ONE, w[0].target, w[1].target, w[1].target);
        g.b.assert_zero(r);
    }
    let count = g.b.add_many(active.iter().map(|a| a.target));

    let zero = g.b.zero();
    let cap_t = g.b.constant(F::from_canonical_u64(profile.capacity as u64));
    let mut acc = g.hash(
        Tag::Batch,
        [chain_id, batch_number, count, cap_t, zero, zero, zero, zero],
        None,
    );

    let mut root = pre_root;
    let mut slots = Vec::with_capacity(capacity);
    for (i, &a) in active.iter().enumerate() {
        let from = g.b.add_virtual_target();
        let to = g.b.add_virtual_target();
        let amount = g.b.add_virtual_target();
        let nonce = g.b.add_virtual_target();

        // Index range (and path directions), amount and nonce ranges.
        let from_bits = g.b.split_le(from, depth);
        let to_bits = g.b.split_le(to, depth);
        g.b.range_check(amount, BALANCE_BITS);
        g.b.range_check(nonce, NONCE_BITS);

        // Padding slots are all zero.
        for x in [from, to, amount, nonce] {
            g.zero_unless(a, x);
        }

        // from != to for an active slot: (from - to) · inv = a.
        let inv_diff = g.b.add_virtual_target();
        let diff = g.b.sub(from, to);
        let prod = g.b.mul(diff, inv_diff);
        g.b.connect(prod, a.target);

        // Sender.
        let sender_balance = g.b.add_virtual_target();
        let sender_nonce = g.b.add_virtual_target();
        let sender_path: Vec<[Target; 4]> = (0..depth).map(|_| g.virtual4()).collect();
        g.b.range_check(sender_balance, BALANCE_BITS);
        let dn = g.b.sub(nonce, sender_nonce);
        let nonce_check = g.b.mul(a.target, dn);
        g.b.assert_zero(nonce_check);
        let sender_balance_new = g.b.sub(sender_balance, amount);
        g.b.range_check(sender_balance_new, BALANCE_BITS);
        let sender_nonce_new = g.b.add(sender_nonce, a.target);

        let old_leaf = g.leaf(sender_balance, sender_nonce);
        let r0 = g.walk(old_leaf, &sender_path, &from_bits);
        g.connect4(r0, root);
        let new_leaf = g.leaf(sender_balance_new, sender_nonce_new);
        let mid = g.walk(new_leaf, &sender_path, &from_bits);

        // Receiver.
        let receiver_balance = g.b.add_virtual_target();
        let receiver_nonce = g.b.add_virtual_target();
        let receiver_path: Vec<[Target; 4]> = (0..depth).map(|_| g.virtual4()).collect();
        g.b.range_check(receiver_balance, BALANCE_BITS);
        let receiver_balance_new = g.b.add(receiver_balance, amount);
        g.b.range_check(receiver_balance_new, BALANCE_BITS);

        let old_leaf = g.leaf(receiver_balance, receiver_nonce);
        let r1 = g.walk(old_leaf, &receiver_path, &to_bits);
        g.connect4(r1, mid);
        let new_leaf = g.leaf(receiver_balance_new, receiver_nonce);
        let after = g.walk(new_leaf, &receiver_path, &to_bits);

        let free_root_after = if faulty && i == 0 {
            // THE DELIBERATE FAULT: the slot's new root is a free witness, not `after`.
            let free = g.virtual4();
            root = free;
            Some(free)
        } else {
            root = after;
            None
        };

        acc = g.hash(
            Tag::Tx,
            [acc[0], acc[1], acc[2], acc[3], from, to, amount, nonce],
            None,
        );

        slots.push(SlotTargets {
            active: a,
            from,
            to,
            amount,
            nonce,
            inv_diff,
            sender_balance,
            sender_nonce,
            sender_path,
            receiver_balance,
            receiver_nonce,
            receiver_path,
            free_root_after,
        });
    }

    let permutations = g.permutations;
    builder.register_public_inputs(&pre_root);
    builder.register_public_inputs(&root);
    builder.register_public_inputs(&acc);
    let gates = builder.num_gates();
    let data = builder.build::<C>();
    let stats = CircuitStats {
        permutations,
        gates,
        degree_bits: data.common.degree_bits(),
    };
    (
        data,
        CircuitTargets {
            chain_id,
            batch_number,
            pre_root,
            slots,
        },
        stats,
    )
}
