//! The prover (native only, `prover` feature): builds the execution trace from a witness,
//! checks it against the AIR's constraints, and runs winterfell's prover.

use alloc::format;
use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;
use core::marker::PhantomData;

use air::{
    Air, AuxRandElements, BatchingMethod, ConstraintCompositionCoefficients, FieldExtension,
    PartitionOptions, ProofOptions, TraceInfo,
};
use math::fields::f64::BaseElement;
use math::FieldElement;
use multiprover_core::poseidon::{is_full_round, round_constant, ROUNDS, WIDTH};
use multiprover_core::{
    BatchWitness, Digest, Envelope, Fp, Profile, Statement, SystemId, SystemKey,
};
use prover::matrix::ColMatrix;
use prover::{
    CompositionPoly, CompositionPolyTrace, DefaultConstraintCommitment, DefaultConstraintEvaluator,
    DefaultTraceLde, Prover as WinterProver, StarkDomain, TracePolyTable, TraceTable,
};

use crate::air::{evaluate, BatchAir, PublicInputs, Variant, NUM_CONSTRAINTS};
use crate::error::Error;
use crate::key::{vk_id, KeyParams, DEFAULT_MIN_SECURITY_BITS};
use crate::layout::*;
use crate::verifier::{Coin, Hasher, VectorCommit};

type E = BaseElement;

/// The default proof options: 30 queries at blowup 8 (3 bits each) plus 16 bits of grinding,
/// quadratic extension of Goldilocks (128-bit field), FRI folding 8, remainder degree <= 31.
/// winterfell's conjectured security: min(128, 30 * 3 + 16) - 1 = 105 bits.
pub fn default_options() -> ProofOptions {
    ProofOptions::new(
        30,
        8,
        16,
        FieldExtension::Quadratic,
        8,
        31,
        BatchingMethod::Linear,
        BatchingMethod::Linear,
    )
}

/// One slot of a [`RawWitness`]: everything the trace needs, with no validity checks (values
/// are reduced modulo p). Built from a `SlotWitness` by [`RawWitness::from_witness`], or by
/// hand in tests to violate one rule at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawSlot {
    /// 1 for a real transfer, 0 for a padding slot.
    pub active: bool,
    /// `[from, to, amount, nonce]`.
    pub transfer: [u64; 4],
    /// Sender `(balance, nonce)` before the slot.
    pub sender: (u64, u64),
    /// Sender path siblings, leaf level first (length D).
    pub sender_siblings: Vec<[u64; 4]>,
    /// Receiver `(balance, nonce)` before the receiver update.
    pub receiver: (u64, u64),
    /// Receiver path siblings after the sender update (length D).
    pub receiver_siblings: Vec<[u64; 4]>,
    /// Added to the receiver's new balance on top of the amount (0 unless a demo fault).
    pub receiver_extra: u64,
    /// Siblings for the sender's *new* leaf walk (lane B) when they should differ from the old
    /// walk's; `None` (always, for honest witnesses) means the same siblings. Soundness tests
    /// only: the AIR requires both walks to use the same siblings.
    pub sender_new_siblings: Option<Vec<[u64; 4]>>,
}

/// The raw witness the trace builder consumes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawWitness {
    /// The profile.
    pub profile: Profile,
    /// Chain id (header lane 0).
    pub chain_id: u64,
    /// Batch number (header lane 1).
    pub batch_number: u64,
    /// Declared transfer count (header lane 2).
    pub count: u64,
    /// The state root before the batch.
    pub pre_root: [u64; 4],
    /// One entry per slot (`capacity` in all).
    pub slots: Vec<RawSlot>,
}

impl RawWitness {
    /// The raw form of a core witness.
    pub fn from_witness(w: &BatchWitness) -> Result<RawWitness, Error> {
        let mut slots = Vec::with_capacity(w.slots.len());
        for s in &w.slots {
            let sib = |p: &multiprover_core::MerklePath| {
                p.siblings.iter().map(|d| d.to_u64s()).collect::<Vec<_>>()
            };
            slots.push(RawSlot {
                active: s.active,
                transfer: [
                    s.transfer.from as u64,
                    s.transfer.to as u64,
                    s.transfer.amount,
                    s.transfer.nonce as u64,
                ],
                sender: (s.sender.balance, s.sender.nonce),
                sender_siblings: sib(&s.sender_path),
                receiver: (s.receiver.balance, s.receiver.nonce),
                receiver_siblings: sib(&s.receiver_path),
                receiver_extra: 0,
                sender_new_siblings: None,
            });
        }
        Ok(RawWitness {
            profile: w.profile,
            chain_id: w.statement.chain_id,
            batch_number: w.statement.batch_number,
            count: w.count as u64,
            pre_root: w.statement.pre_root.to_u64s(),
            slots,
        })
    }
}

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

/// The current values of the register columns.
#[derive(Clone, Copy)]
struct Regs {
    acc: [E; 4],
    root: [E; 4],
    tx: [E; 4],
    act: E,
    rem: E,
    idx: E,
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

fn leaf_input(balance: E, nonce: E) -> [E; WIDTH] {
    let mut s = [E::ZERO; WIDTH];
    s[0] = balance;
    s[1] = nonce;
    s[8] = E::ONE;
    s
}

fn node_input(digest: &[E], sibling: &[u64; 4], bit: bool) -> [E; WIDTH] {
    let mut s = [E::ZERO; WIDTH];
    let (dl, sl) = if bit { (4, 0) } else { (0, 4) };
    for j in 0..4 {
        s[dl + j] = digest[j];
        s[sl + j] = E::new(sibling[j]);
    }
    s[8] = E::new(2);
    s
}

/// Build the execution trace of a raw witness. Returns the columns and the 12 public inputs
/// the trace ends with (`pre_root ‖ post_root ‖ batch_hash`, as the registers hold them).
pub fn build_trace(raw: &RawWitness) -> Result<(Vec<Vec<E>>, [u64; 12]), Error> {
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
    let sched = Schedule {
        depth: d,
        capacity: t,
    };
    let n = sched.trace_length();
    let cycles = sched.num_cycles();
    let mds_u = mds_matrix();
    let mds: [[E; WIDTH]; WIDTH] =
        core::array::from_fn(|r| core::array::from_fn(|c| E::new(mds_u[r][c])));
    let mut fill =
        Filler(raw.pre_root[0] ^ raw.batch_number.rotate_left(17) ^ 0x5354_4152_4b00_0001);
    let mut cols: Vec<Vec<E>> = (0..TRACE_WIDTH)
        .map(|_| (0..n).map(|_| fill.elem()).collect())
        .collect();

    let e = E::new;
    let slot_regs = |s: &RawSlot| -> ([E; 4], E) {
        (
            s.transfer.map(E::new),
            if s.active { E::ONE } else { E::ZERO },
        )
    };
    let mut regs = Regs {
        acc: core::array::from_fn(|_| fill.elem()),
        root: raw.pre_root.map(E::new),
        tx: core::array::from_fn(|_| fill.elem()),
        act: fill.elem(),
        rem: e(raw.count),
        idx: fill.elem(),
    };
    let mut a_in = fill.state();
    let mut b_in = fill.state();

    for c in 0..cycles {
        let base = c * CYCLE;
        let a_rows = perm_rows(&a_in, &mds);
        let b_rows = perm_rows(&b_in, &mds);
        for pos in 0..=LINK_POS {
            for j in 0..WIDTH {
                cols[A + j][base + pos] = a_rows[pos][j];
                cols[B + j][base + pos] = b_rows[pos][j];
            }
        }
        let a_out = a_rows[LINK_POS];
        let b_out = b_rows[LINK_POS];
        let flags = sched.flags(c);
        for (k, col) in FLAGS.iter().enumerate() {
            cols[*col][base + LINK_POS] = if flags[k] { E::ONE } else { E::ZERO };
        }
        for pos in 0..=LINK_POS {
            write_regs(&mut cols, base + pos, &regs);
        }

        // The link: next inputs, next registers, aux cell and range-checked values.
        let mut next = regs;
        let mut a_next = fill.state();
        let mut b_next = fill.state();
        let mut rc1: Option<u64> = None;
        let mut rc2: Option<u64> = None;
        let slot = c
            .checked_sub(2)
            .map(|x| x / sched.slot_cycles())
            .unwrap_or(0);
        let off = c
            .checked_sub(2)
            .map(|x| x % sched.slot_cycles())
            .unwrap_or(0);
        let load_slot = |i: usize, next: &mut Regs, a_next: &mut [E; WIDTH]| {
            let (tx, act) = slot_regs(&raw.slots[i]);
            next.tx = tx;
            next.act = act;
            next.rem = regs.rem - act;
            a_next[..4].copy_from_slice(&next.acc);
            a_next[4..8].copy_from_slice(&tx);
            a_next[8] = e(3);
            a_next[9..].fill(E::ZERO);
        };
        match sched.link(c) {
            Link::Start => {
                a_next = [E::ZERO; WIDTH];
                a_next[0] = e(raw.chain_id);
                a_next[1] = e(raw.batch_number);
                a_next[2] = regs.rem;
                a_next[3] = e(t as u64);
                a_next[8] = e(4);
            }
            Link::Hdr => {
                next.acc.copy_from_slice(&a_out[..4]);
                load_slot(0, &mut next, &mut a_next);
            }
            Link::TxOut => {
                let s = &raw.slots[slot];
                next.acc.copy_from_slice(&a_out[..4]);
                next.idx = regs.tx[0];
                let (bal, non) = (e(s.sender.0), e(s.sender.1));
                a_next = leaf_input(bal, non);
                b_next = leaf_input(bal - regs.act * regs.tx[2], non + regs.act);
                let diff = regs.tx[0] - regs.tx[1];
                if diff != E::ZERO {
                    cols[AUX][base + LINK_POS] = diff.inv();
                }
                rc1 = Some(regs.tx[2].as_int());
                rc2 = Some(b_next[0].as_int());
            }
            Link::Node => {
                let level = if off <= d { off - 1 } else { off - d - 2 };
                let s = &raw.slots[slot];
                let sib = if off <= d {
                    &s.sender_siblings[level]
                } else {
                    &s.receiver_siblings[level]
                };
                let idx = regs.idx.as_int();
                let bit = idx & 1 == 1;
                cols[AUX][base + LINK_POS] = if bit { E::ONE } else { E::ZERO };
                next.idx = e(idx >> 1);
                let sib_b = match &s.sender_new_siblings {
                    Some(alt) if off <= d => alt.get(level).unwrap_or(sib),
                    _ => sib,
                };
                a_next = node_input(&a_out[..4], sib, bit);
                b_next = node_input(&b_out[..4], sib_b, bit);
            }
            Link::Mid => {
                let s = &raw.slots[slot];
                next.root.copy_from_slice(&b_out[..4]);
                next.idx = regs.tx[1];
                let (bal, non) = (e(s.receiver.0), e(s.receiver.1));
                a_next = leaf_input(bal, non);
                b_next = leaf_input(bal + regs.act * (regs.tx[2] + e(s.receiver_extra)), non);
                rc1 = Some(b_next[0].as_int());
            }
            Link::End(more) => {
                next.root.copy_from_slice(&b_out[..4]);
                if more {
                    load_slot(slot + 1, &mut next, &mut a_next);
                }
            }
            Link::None => {}
        }
        // range-check units: 30 base-4 digits at positions 1..=30, accumulator from 0
        for (unit, (ra, dg)) in [(rc1, (RA1, DG1)), (rc2, (RA2, DG2))] {
            let v = unit.unwrap_or_else(|| fill.next()) & ((1u64 << 60) - 1);
            let mut acc = E::ZERO;
            cols[dg][base] = e(fill.next() & 3);
            cols[ra][base] = E::ZERO;
            for pos in 1..=LINK_POS {
                let digit = (v >> (2 * (LINK_POS - pos))) & 3;
                acc = acc * e(4) + e(digit);
                cols[dg][base + pos] = e(digit);
                cols[ra][base + pos] = acc;
            }
            cols[dg][base + COPY_POS] = e(fill.next() & 3);
        }
        // copy row: the next raw inputs and the next registers
        for j in 0..WIDTH {
            cols[A + j][base + COPY_POS] = a_next[j];
            cols[B + j][base + COPY_POS] = b_next[j];
        }
        write_regs(&mut cols, base + COPY_POS, &next);
        regs = next;
        a_in = a_next;
        b_in = b_next;
    }
    let mut pi = [0u64; 12];
    for j in 0..4 {
        pi[j] = raw.pre_root[j];
        pi[4 + j] = regs.root[j].as_int();
        pi[8 + j] = regs.acc[j].as_int();
    }
    Ok((cols, pi))
}

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

/// Check a trace against every transition constraint and every assertion of the AIR (what
/// winterfell's debug build does, but returning an error that names the first failure).
pub fn check_trace(cols: &[Vec<E>], pub_inputs: &PublicInputs) -> Result<(), Error> {
    let sched = Schedule {
        depth: pub_inputs.depth as usize,
        capacity: pub_inputs.capacity as usize,
    };
    let n = sched.trace_length();
    if cols.len() != TRACE_WIDTH || cols.iter().any(|c| c.len() != n) {
        return Err(Error::Unsatisfied("trace shape".into()));
    }
    let periodic = periodic_columns();
    let mut cur = vec![E::ZERO; TRACE_WIDTH];
    let mut nxt = vec![E::ZERO; TRACE_WIDTH];
    let mut res = vec![E::ZERO; NUM_CONSTRAINTS];
    for row in 0..n - 1 {
        for (k, col) in cols.iter().enumerate() {
            cur[k] = col[row];
            nxt[k] = col[row + 1];
        }
        let p: Vec<E> = periodic.iter().map(|pc| pc[row % CYCLE]).collect();
        evaluate(
            &cur,
            &nxt,
            &p,
            pub_inputs.capacity,
            pub_inputs.variant,
            &mut res,
        );
        if let Some(k) = res.iter().position(|v| *v != E::ZERO) {
            return Err(Error::Unsatisfied(format!(
                "transition constraint {k} at row {row}"
            )));
        }
    }
    // assertions, re-derived from the AIR itself
    let air = BatchAir::new(
        TraceInfo::new(TRACE_WIDTH, n),
        pub_inputs.clone(),
        default_options(),
    );
    for a in air.get_assertions() {
        let mut ok = true;
        a.apply(n, |step, value| {
            if cols[a.column()][step] != value {
                ok = false;
            }
        });
        if !ok {
            return Err(Error::Unsatisfied(format!(
                "assertion on column {}",
                a.column()
            )));
        }
    }
    Ok(())
}

/// The prover of one profile.
#[derive(Debug)]
pub struct Prover {
    params: KeyParams,
    options: ProofOptions,
}

impl Prover {
    /// The prover of the sound AIR for `profile`, with the default options (105 conjectured
    /// bits) and a key that demands at least [`DEFAULT_MIN_SECURITY_BITS`].
    pub fn setup(profile: Profile) -> Result<Prover, Error> {
        Prover::with_options(
            profile,
            Variant::Sound,
            default_options(),
            DEFAULT_MIN_SECURITY_BITS,
        )
    }

    /// **Unsound, for demos only.** The AIR without the receiver-credit constraint, so that
    /// `prove` accepts a witness made by `multiprover_core::stf::apply_batch_inflated` and
    /// proves the inflated post root. Its key says `variant = 1` and so has its own vk id.
    #[cfg(feature = "demo-faults")]
    pub fn setup_faulty(profile: Profile) -> Result<Prover, Error> {
        Prover::with_options(
            profile,
            Variant::Faulty,
            default_options(),
            DEFAULT_MIN_SECURITY_BITS,
        )
    }

    /// A prover with explicit options and key minimum (tests, benchmarks).
    pub fn with_options(
        profile: Profile,
        variant: Variant,
        options: ProofOptions,
        min_security_bits: u32,
    ) -> Result<Prover, Error> {
        profile.validate()?;
        if options.blowup_factor() < 8 {
            return Err(Error::WeakOptions("blowup factor below 8"));
        }
        Ok(Prover {
            params: KeyParams {
                profile,
                variant,
                min_security_bits,
            },
            options,
        })
    }

    /// The parsed key parameters.
    pub fn params(&self) -> &KeyParams {
        &self.params
    }

    /// The key the trust anchor pins for this prover.
    pub fn system_key(&self) -> SystemKey {
        let key = self.params.to_bytes();
        SystemKey {
            system: SystemId::Stark,
            vk_id: vk_id(&key),
            key: key.into(),
        }
    }

    /// Prove a batch witness (from `multiprover_core::apply_batch`).
    pub fn prove(&self, witness: &BatchWitness) -> Result<Envelope, Error> {
        if witness.profile != self.params.profile {
            return Err(Error::BadWitness(
                "witness profile differs from the prover's".into(),
            ));
        }
        let mut raw = RawWitness::from_witness(witness)?;
        if self.params.variant == Variant::Faulty {
            recover_inflation(&mut raw, witness);
        }
        let (proof, pi) = self.prove_raw(&raw, true)?;
        if pi != witness.statement.public_inputs_u64() {
            return Err(Error::BadWitness(
                "the trace does not end in the witness's statement".into(),
            ));
        }
        let sk = self.system_key();
        Ok(Envelope {
            system: SystemId::Stark,
            vk_id: sk.vk_id,
            statement: witness.statement,
            proof,
        })
    }

    /// Build the trace of a raw witness and prove it. With `self_check`, a trace that violates
    /// any constraint is refused with [`Error::Unsatisfied`]; without it (tests of soundness),
    /// the trace goes to winterfell as it is. Returns the proof bytes and the public inputs.
    pub fn prove_raw(
        &self,
        raw: &RawWitness,
        self_check: bool,
    ) -> Result<(Vec<u8>, [u64; 12]), Error> {
        if raw.profile != self.params.profile {
            return Err(Error::BadWitness(
                "witness profile differs from the prover's".into(),
            ));
        }
        let (cols, pi) = build_trace(raw)?;
        let pub_inputs = PublicInputs {
            statement: pi,
            depth: self.params.profile.depth,
            capacity: self.params.profile.capacity,
            variant: self.params.variant,
        };
        if self_check {
            check_trace(&cols, &pub_inputs)?;
        }
        let trace = TraceTable::init(cols);
        let inner = InnerProver {
            options: self.options.clone(),
            pub_inputs,
            _h: PhantomData,
        };
        let proof = inner
            .prove(trace)
            .map_err(|e| Error::Prove(e.to_string()))?;
        Ok((proof.to_bytes(), pi))
    }
}

/// Demo faults only: find the extra credit `apply_batch_inflated` gave slot 0's receiver, by
/// trying the honest credit plus candidate amounts until the receiver's new root matches the
/// witness (the witness carries roots, not the inflated account).
fn recover_inflation(raw: &mut RawWitness, w: &BatchWitness) {
    let Some(s) = w.slots.first() else { return };
    if !s.active {
        return;
    }
    let mut candidates: Vec<u64> = vec![0, 1_000_000];
    let mut p = 1u64;
    for _ in 0..19 {
        candidates.push(p);
        p = p.saturating_mul(10);
    }
    candidates.extend((0..60).map(|k| 1u64 << k));
    for extra in candidates {
        let bal = ((s.receiver.balance as u128 + s.transfer.amount as u128 + extra as u128)
            % (1u128 << 60)) as u64;
        let acct = multiprover_core::Account {
            balance: bal,
            nonce: s.receiver.nonce,
        };
        if s.receiver_path.root(s.transfer.to, acct.leaf()) == s.root_after {
            if let Some(r) = raw.slots.first_mut() {
                r.receiver_extra = bal
                    .wrapping_sub(s.receiver.balance)
                    .wrapping_sub(s.transfer.amount);
            }
            return;
        }
    }
}

struct InnerProver {
    options: ProofOptions,
    pub_inputs: PublicInputs,
    _h: PhantomData<Hasher>,
}

impl WinterProver for InnerProver {
    type BaseField = BaseElement;
    type Air = BatchAir;
    type Trace = TraceTable<BaseElement>;
    type HashFn = Hasher;
    type VC = VectorCommit;
    type RandomCoin = Coin;
    type TraceLde<F: FieldElement<BaseField = BaseElement>> =
        DefaultTraceLde<F, Hasher, VectorCommit>;
    type ConstraintCommitment<F: FieldElement<BaseField = BaseElement>> =
        DefaultConstraintCommitment<F, Hasher, VectorCommit>;
    type ConstraintEvaluator<'a, F: FieldElement<BaseField = BaseElement>> =
        DefaultConstraintEvaluator<'a, BatchAir, F>;

    fn get_pub_inputs(&self, _trace: &Self::Trace) -> PublicInputs {
        self.pub_inputs.clone()
    }

    fn options(&self) -> &ProofOptions {
        &self.options
    }

    fn new_trace_lde<F: FieldElement<BaseField = BaseElement>>(
        &self,
        trace_info: &TraceInfo,
        main_trace: &ColMatrix<BaseElement>,
        domain: &StarkDomain<BaseElement>,
        partition_option: PartitionOptions,
    ) -> (Self::TraceLde<F>, TracePolyTable<F>) {
        DefaultTraceLde::new(trace_info, main_trace, domain, partition_option)
    }

    fn new_evaluator<'a, F: FieldElement<BaseField = BaseElement>>(
        &self,
        air: &'a BatchAir,
        aux_rand_elements: Option<AuxRandElements<F>>,
        composition_coefficients: ConstraintCompositionCoefficients<F>,
    ) -> Self::ConstraintEvaluator<'a, F> {
        DefaultConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
    }

    fn build_constraint_commitment<F: FieldElement<BaseField = BaseElement>>(
        &self,
        composition_poly_trace: CompositionPolyTrace<F>,
        num_constraint_composition_columns: usize,
        domain: &StarkDomain<BaseElement>,
        partition_options: PartitionOptions,
    ) -> (Self::ConstraintCommitment<F>, CompositionPoly<F>) {
        DefaultConstraintCommitment::new(
            composition_poly_trace,
            num_constraint_composition_columns,
            domain,
            partition_options,
        )
    }
}

/// The statement a raw witness's trace ends in (for tests that build witnesses by hand).
pub fn statement_of(raw: &RawWitness, public_inputs: &[u64; 12]) -> Statement {
    let d = |o: usize| Digest([0, 1, 2, 3].map(|j| Fp::reduce_u64(public_inputs[o + j])));
    Statement {
        chain_id: raw.chain_id,
        batch_number: raw.batch_number,
        pre_root: d(0),
        post_root: d(4),
        batch_hash: d(8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use multiprover_core::poseidon::permute;

    #[test]
    fn perm_rows_match_core_poseidon() {
        let mds_u = mds_matrix();
        let mds: [[E; WIDTH]; WIDTH] =
            core::array::from_fn(|r| core::array::from_fn(|c| E::new(mds_u[r][c])));
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
