//! The AIR of one batch transition (docs/spec.md, "Transfers and batches"). Every constraint
//! is documented next to its code; the soundness argument is in the crate README.
//!
//! Notation in the comments: `cur`/`nxt` are the current and next row, `l`, `r`, `c` the
//! periodic link/round/copy selectors, `F_*` the flag columns (their values at link rows are
//! fixed by sequence assertions), `A[i]`/`B[i]` the two Poseidon lanes.

use air::{
    Air, AirContext, Assertion, EvaluationFrame, ProofOptions, TraceInfo,
    TransitionConstraintDegree,
};
use alloc::vec;
use alloc::vec::Vec;
use math::fields::f64::BaseElement;
use math::{FieldElement, ToElements};
use multiprover_core::poseidon::WIDTH;

use crate::layout::*;

/// Which AIR: the sound one, or (**unsound, for demos only**) the variant that omits the
/// receiver-credit constraint (`B_new.balance = A_old.balance + amount` at `F_MID`), so that an
/// inflated receiver balance can be proven.
pub use multiprover_core::Variant;

/// Public inputs of the AIR: the 12 statement elements plus the profile and the variant
/// (all absorbed into the Fiat-Shamir transcript).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicInputs {
    /// `pre_root(4) ‖ post_root(4) ‖ batch_hash(4)` as canonical `u64`s.
    pub statement: [u64; 12],
    /// Tree depth `D`.
    pub depth: u8,
    /// Batch capacity `T`.
    pub capacity: u32,
    /// AIR variant.
    pub variant: Variant,
}

impl ToElements<BaseElement> for PublicInputs {
    fn to_elements(&self) -> Vec<BaseElement> {
        let mut out: Vec<BaseElement> = self
            .statement
            .iter()
            .map(|v| BaseElement::new(*v))
            .collect();
        out.push(BaseElement::new(self.depth as u64));
        out.push(BaseElement::new(self.capacity as u64));
        out.push(BaseElement::new(u64::from(self.variant.to_byte())));
        out
    }
}

/// The batch-transition AIR.
pub struct BatchAir {
    context: AirContext<BaseElement>,
    pub_inputs: PublicInputs,
    schedule: Schedule,
}

/// Number of transition constraints.
pub const NUM_CONSTRAINTS: usize = 86;

/// The degree descriptor of every transition constraint, in evaluation order.
pub fn constraint_degrees() -> Vec<TransitionConstraintDegree> {
    let cyc = |d: usize| TransitionConstraintDegree::with_cycles(d, vec![CYCLE]);
    let mut d = Vec::with_capacity(NUM_CONSTRAINTS);
    // 24 round constraints (lanes A and B)
    d.extend((0..2 * WIDTH).map(|_| cyc(7)));
    // 12 lane-A link constraints, 12 lane-B link constraints
    for lane in 0..WIDTH {
        d.push(cyc(if lane < 8 { 3 } else { 2 }));
    }
    for lane in 0..WIDTH {
        d.push(cyc(if lane < 8 { 3 } else { 2 }));
    }
    // 4 sibling equalities
    d.extend((0..4).map(|_| cyc(3)));
    // 4 root checks
    d.extend((0..4).map(|_| cyc(2)));
    // 4 acc registers, 4 root registers
    d.extend((0..8).map(|_| cyc(2)));
    // 5 slot registers (from, to, amount, nonce, act)
    d.extend((0..5).map(|_| cyc(2)));
    // rem, idx, idx == 0 at path ends
    d.push(cyc(2));
    d.push(cyc(2));
    d.push(cyc(2));
    // bit binary, act binary, active prefix
    d.push(cyc(3));
    d.push(cyc(3));
    d.push(cyc(3));
    // from != to, 4 padding-slot zeros
    d.push(cyc(4));
    d.extend((0..4).map(|_| cyc(3)));
    // range checks: 2 links, 2 accumulators, 2 digits
    d.push(cyc(3));
    d.push(cyc(3));
    d.push(cyc(1));
    d.push(cyc(1));
    d.push(TransitionConstraintDegree::new(4));
    d.push(TransitionConstraintDegree::new(4));
    debug_assert_eq!(d.len(), NUM_CONSTRAINTS);
    d
}

impl core::fmt::Debug for BatchAir {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BatchAir")
            .field("pub_inputs", &self.pub_inputs)
            .field("schedule", &self.schedule)
            .finish_non_exhaustive()
    }
}

impl BatchAir {
    /// The schedule of this AIR's profile.
    pub fn schedule(&self) -> Schedule {
        self.schedule
    }
}

impl Air for BatchAir {
    type BaseField = BaseElement;
    type PublicInputs = PublicInputs;

    fn new(trace_info: TraceInfo, pub_inputs: PublicInputs, options: ProofOptions) -> Self {
        // The verifier checks width, length and blowup before constructing this AIR (see
        // `verifier::verify`), so the context's own assertions cannot fire on untrusted input.
        let schedule = Schedule {
            depth: pub_inputs.depth as usize,
            capacity: pub_inputs.capacity as usize,
        };
        let num_assertions = 4 + 4 + 4 + 1 + FLAGS.len();
        BatchAir {
            context: AirContext::new(trace_info, constraint_degrees(), num_assertions, options),
            pub_inputs,
            schedule,
        }
    }

    fn context(&self) -> &AirContext<BaseElement> {
        &self.context
    }

    fn evaluate_transition<E: FieldElement<BaseField = BaseElement>>(
        &self,
        frame: &EvaluationFrame<E>,
        periodic_values: &[E],
        result: &mut [E],
    ) {
        evaluate(
            frame.current(),
            frame.next(),
            periodic_values,
            self.pub_inputs.capacity,
            self.pub_inputs.variant,
            result,
        );
    }

    fn get_assertions(&self) -> Vec<Assertion<BaseElement>> {
        let last = self.trace_length() - 1;
        let s = &self.pub_inputs.statement;
        let e = |v: u64| BaseElement::new(v);
        let mut out = Vec::with_capacity(13 + FLAGS.len());
        for i in 0..4 {
            // The state root register starts at pre_root and ends at post_root.
            out.push(Assertion::single(ROOT + i, 0, e(s[i])));
            out.push(Assertion::single(ROOT + i, last, e(s[4 + i])));
            // The batch-hash accumulator ends at batch_hash.
            out.push(Assertion::single(ACC + i, last, e(s[8 + i])));
        }
        // Every slot's activity has been counted down: `count` equals the number of active slots.
        out.push(Assertion::single(REM, last, BaseElement::ZERO));
        // The flag columns follow the schedule at every link row.
        let cycles = self.trace_length() / CYCLE;
        for (k, col) in FLAGS.iter().enumerate() {
            let values = (0..cycles)
                .map(|c| {
                    if self.schedule.flags(c)[k] {
                        BaseElement::ONE
                    } else {
                        BaseElement::ZERO
                    }
                })
                .collect();
            out.push(Assertion::sequence(*col, LINK_POS, CYCLE, values));
        }
        out
    }

    fn get_periodic_column_values(&self) -> Vec<Vec<BaseElement>> {
        periodic_columns()
    }
}

/// Evaluate every transition constraint on one pair of rows. Shared by the AIR and by the
/// prover's trace self-check ([`crate::prover`] uses it to report which constraint fails).
pub fn evaluate<E: FieldElement<BaseField = BaseElement>>(
    cur: &[E],
    nxt: &[E],
    p: &[E],
    capacity: u32,
    variant: Variant,
    result: &mut [E],
) {
    let k = |v: u64| E::from(BaseElement::new(v));
    let one = E::ONE;
    let (r, c, l) = (p[P_ROUND], p[P_COPY], p[P_LINK]);
    let (pf, pp) = (p[P_FULL], p[P_PART]);
    let ark = &p[P_ARK..P_ARK + WIDTH];
    let mds = mds_matrix();

    let f_start = cur[F_START];
    let f_hdr = cur[F_HDR];
    let f_nxt = cur[F_NXT];
    let f_tx = cur[F_TXOUT];
    let f_node = cur[F_NODE];
    let f_mid = cur[F_MID];
    let f_end = cur[F_END];
    // slot start (registers reloaded) and path end (root check)
    let f_ss = f_hdr + f_nxt;
    let f_pe = f_mid + f_end;
    let act = cur[ACT];
    let act_n = nxt[ACT];
    let amt = cur[AMT];
    let bit = cur[AUX];

    let mut i = 0;
    let mut push = |v: E| {
        result[i] = v;
        i += 1;
    };

    // ---- Poseidon rounds (24 constraints) ----
    // For each lane X in {A, B}: on round rows (r = 1, positions 0..29)
    //   nxt = MDS(S(cur)) + ARK, S = x^7 on lane 0 and, in full rounds, on every lane;
    // on the copy row (c = 1, position 31) nxt = cur + RC_0 (the raw input gets round 0's
    // constants); on the link row (position 30) nothing: links are constrained below.
    for base in [A, B] {
        let x = &cur[base..base + WIDTH];
        let mut s = [E::ZERO; WIDTH];
        for (lane, sv) in s.iter_mut().enumerate() {
            let v = x[lane];
            let v2 = v * v;
            let v7 = v2 * v2 * v2 * v;
            *sv = if lane == 0 { r * v7 } else { pf * v7 + pp * v };
        }
        for j in 0..WIDTH {
            let mut m = E::ZERO;
            for (col, sv) in s.iter().enumerate() {
                m += k(mds[j][col]) * *sv;
            }
            push((r + c) * nxt[base + j] - m - c * x[j] - ark[j]);
        }
    }

    // ---- link constraints on lane A's next input (12 constraints) ----
    // START: header input = [chain_id, batch_number, rem, T, 0, 0, 0, 0, BATCH=4, 0, 0, 0]
    //        (chain id and batch number are free; they are bound through batch_hash).
    // SS:    H_TX input = [acc', from', to', amount', nonce', TX=3, 0, 0, 0] (primes: the
    //        registers of the next row, i.e. of the slot that starts).
    // TXOUT: sender's old leaf input = [balance, nonce, 0 x 6, LEAF=1, 0, 0, 0], with
    //        act * (nonce_leaf - nonce) = 0 (rule: nonce == nonce(from)).
    // NODE:  next input = bit ? [sibling, digest] : [digest, sibling], NODE=2, 0, 0, 0.
    // MID:   receiver's old leaf input = [balance, nonce, 0 x 6, LEAF, 0, 0, 0].
    let acc_n = &nxt[ACC..ACC + 4];
    let tx_regs = [nxt[FROM], nxt[TO], nxt[AMT], nxt[NONCE]];
    for lane in 0..WIDTH {
        let n = nxt[A + lane];
        let mut v = E::ZERO;
        // START
        let start_target = match lane {
            0 | 1 => None,
            2 => Some(cur[REM]),
            3 => Some(E::from(capacity)),
            8 => Some(k(4)),
            _ => Some(E::ZERO),
        };
        if let Some(t) = start_target {
            v += f_start * (n - t);
        }
        // SS
        let ss_target = match lane {
            0..=3 => acc_n[lane],
            4..=7 => tx_regs[lane - 4],
            8 => k(3),
            _ => E::ZERO,
        };
        v += f_ss * (n - ss_target);
        // TXOUT and MID: leaf inputs
        match lane {
            0 => {}
            1 => v += f_tx * act * (n - cur[NONCE]),
            8 => v += (f_tx + f_mid) * (n - one),
            _ => v += (f_tx + f_mid) * n,
        }
        // NODE
        v += f_node * node_expr(lane, &cur[A..A + WIDTH], &nxt[A..A + WIDTH], bit);
        push(l * v);
    }

    // ---- link constraints on lane B's next input (12 constraints) ----
    // TXOUT: sender's new leaf = [balance - act*amount, nonce + act, 0 x 6, LEAF, 0, 0, 0]
    //        (rule: from.balance -= amount, from.nonce += 1; a padding slot changes nothing).
    // MID:   receiver's new leaf = [balance + act*amount, nonce, 0 x 6, LEAF, 0, 0, 0]
    //        (rule: to.balance += amount). The demo `Faulty` variant omits the balance part.
    // NODE:  as lane A.
    for lane in 0..WIDTH {
        let n = nxt[B + lane];
        let na = &nxt[A..A + WIDTH];
        let mut v = E::ZERO;
        match lane {
            0 => {
                v += f_tx * (n - na[0] + act * amt);
                if variant == Variant::Sound {
                    v += f_mid * (n - na[0] - act * amt);
                }
            }
            1 => {
                v += f_tx * (n - na[1] - act);
                v += f_mid * (n - na[1]);
            }
            8 => v += (f_tx + f_mid) * (n - one),
            _ => v += (f_tx + f_mid) * n,
        }
        v += f_node * node_expr(lane, &cur[B..B + WIDTH], &nxt[B..B + WIDTH], bit);
        push(l * v);
    }

    // ---- same siblings on both walks (4 constraints) ----
    // NODE: the sibling of lane A (the half not holding the digest) equals lane B's, so the old
    // and the new leaf are hashed up the same path (the bit is shared by construction).
    for j in 0..4 {
        let sib_a = (one - bit) * nxt[A + 4 + j] + bit * nxt[A + j];
        let sib_b = (one - bit) * nxt[B + 4 + j] + bit * nxt[B + j];
        push(l * f_node * (sib_a - sib_b));
    }

    // ---- root checks (4 constraints) ----
    // MID/END: the old walk's root (lane A's digest) is the current state root.
    for j in 0..4 {
        push(l * f_pe * (cur[A + j] - cur[ROOT + j]));
    }

    // ---- registers (general form: nxt - cur + l * sum_F F * (cur - target_F)) ----
    // acc (4): HDR and TXOUT load lane A's digest (the chained batch hash); else copied.
    for j in 0..4 {
        push(nxt[ACC + j] - cur[ACC + j] + l * (f_hdr + f_tx) * (cur[ACC + j] - cur[A + j]));
    }
    // root (4): MID and END load lane B's digest (the new root); else copied.
    for j in 0..4 {
        push(nxt[ROOT + j] - cur[ROOT + j] + l * f_pe * (cur[ROOT + j] - cur[B + j]));
    }
    // from, to, amount, nonce, act (5): free at a slot start, copied everywhere else.
    for col in [FROM, TO, AMT, NONCE, ACT] {
        push((one - l * f_ss) * (nxt[col] - cur[col]));
    }
    // rem: decremented by the starting slot's act at each slot start; else copied.
    push(nxt[REM] - cur[REM] + l * f_ss * act_n);
    // idx: TXOUT loads `from`, MID loads `to`; NODE consumes one bit: 2 * idx' + bit = idx;
    // else copied.
    push(
        nxt[IDX] - cur[IDX]
            + l * (f_node * (nxt[IDX] + bit)
                + f_tx * (cur[IDX] - cur[FROM])
                + f_mid * (cur[IDX] - cur[TO])),
    );
    // MID/END: all D bits consumed, so the index equals sum bit_i 2^i (rule: index < 2^D).
    push(l * f_pe * cur[IDX]);

    // ---- booleans (3 constraints) ----
    // NODE: the path bit is 0 or 1.
    push(l * f_node * bit * (bit - one));
    // SS: the starting slot's act is 0 or 1.
    push(l * f_ss * act_n * (act_n - one));
    // NXT: a slot after a padding slot is padding (active slots form the prefix 0..count).
    push(l * f_nxt * act_n * (one - act));

    // ---- STF rules at TXOUT (5 constraints) ----
    // from != to for active slots: (from - to) * aux = 1.
    push(l * f_tx * act * ((cur[FROM] - cur[TO]) * bit - one));
    // padding slots hold the all-zero transfer.
    for col in [FROM, TO, AMT, NONCE] {
        push(l * f_tx * (one - act) * cur[col]);
    }

    // ---- range checks (6 constraints) ----
    // Unit 1 holds a 60-bit value at the link row: amount (TXOUT) and the receiver's new
    // balance (MID). Unit 2: the sender's new balance (TXOUT). With amount < 2^60 and
    // balance - amount in [0, 2^60), amount <= balance; balance(to) + amount < 2^60.
    push(l * act * (f_tx * (cur[RA1] - amt) + f_mid * (cur[RA1] - nxt[B])));
    push(l * act * f_tx * (cur[RA2] - nxt[B]));
    // Accumulators: 0 at position 0, ra' = 4 ra + dg' on positions 0..29, so at position 30
    // ra = sum of 30 base-4 digits < 4^30 = 2^60.
    for (ra, dg) in [(RA1, DG1), (RA2, DG2)] {
        push(r * (nxt[ra] - k(4) * cur[ra] - nxt[dg]) + c * nxt[ra]);
    }
    // Digits are in {0, 1, 2, 3} on every row.
    for dg in [DG1, DG2] {
        let d = cur[dg];
        push(d * (d - one) * (d - k(2)) * (d - k(3)));
    }
    debug_assert_eq!(i, NUM_CONSTRAINTS);
}

/// The Merkle-step expression for one lane of a walk: `bit ? [sib, o] : [o, sib]` on lanes
/// 0..8 (`o` = the current digest), `NODE = 2` on lane 8, zero on lanes 9..11.
fn node_expr<E: FieldElement<BaseField = BaseElement>>(
    lane: usize,
    cur: &[E],
    nxt: &[E],
    bit: E,
) -> E {
    let one = E::ONE;
    match lane {
        0..=3 => (one - bit) * (nxt[lane] - cur[lane]),
        4..=7 => bit * (nxt[lane] - cur[lane - 4]),
        8 => nxt[8] - E::from(2u32),
        _ => nxt[lane],
    }
}
