//! The prover (native only, `prover` feature): builds the execution trace from a witness,
//! checks it against the AIR's constraints, and runs winterfell's prover.
//!
//! * `options`: the default proof options;
//! * `witness`: the raw witness ([`RawWitness`], [`RawSlot`]);
//! * `trace`: the trace builder ([`build_trace`]);
//! * `validation`: the debug constraint check ([`check_trace`]);
//! * `faults` (`demo-faults`): the inflated credit a faulty witness gives;
//! * this module: [`Prover`], and the winterfell prover it drives.

use alloc::vec::Vec;
use core::marker::PhantomData;

use air::{
    AuxRandElements, ConstraintCompositionCoefficients, PartitionOptions, ProofOptions, TraceInfo,
};
use math::fields::f64::BaseElement;
use math::FieldElement;
use multiprover_core::{BatchWitness, Envelope, Profile, SystemId, SystemKey};
use prover::matrix::ColMatrix;
use prover::{
    CompositionPoly, CompositionPolyTrace, DefaultConstraintCommitment, DefaultConstraintEvaluator,
    DefaultTraceLde, Prover as WinterProver, StarkDomain, TracePolyTable, TraceTable,
};

use crate::air::{BatchAir, PublicInputs, Variant};
use crate::error::Error;
use crate::key::{vk_id, KeyParams, DEFAULT_MIN_SECURITY_BITS};
use crate::verifier::{Coin, Hasher, VectorCommit};

#[cfg(feature = "demo-faults")]
mod faults;
mod options;
mod trace;
mod validation;
mod witness;

pub use options::default_options;
pub use trace::build_trace;
pub use validation::check_trace;
pub use witness::{RawSlot, RawWitness};

type E = BaseElement;

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
        #[cfg_attr(not(feature = "demo-faults"), allow(unused_mut))]
        let mut raw = RawWitness::from_witness(witness)?;
        #[cfg(feature = "demo-faults")]
        if self.params.variant == Variant::Faulty {
            faults::recover_inflation(&mut raw, witness);
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
        let proof = inner.prove(trace).map_err(Error::Prove)?;
        Ok((proof.to_bytes(), pi))
    }
}

/// winterfell's prover over the trace [`Prover::prove_raw`] built.
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
