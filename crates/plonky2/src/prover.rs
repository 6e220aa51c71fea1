//! The native prover (`prover` feature).

use alloc::vec::Vec;

use alloy_primitives::B256;
use multiprover_core::{BatchWitness, Digest, Envelope, Profile, SystemId, SystemKey};
use plonky2::field::types::{Field, Field64, PrimeField64};
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_data::CircuitData;

use crate::circuit::{build, CircuitStats, CircuitTargets};
use crate::config::{C, EXT, F};
use crate::key::{encode_key, KeyInfo, Variant};
use crate::{vk_id, Error};

/// A built circuit with its proving data and key material.
pub struct Prover {
    profile: Profile,
    variant: Variant,
    data: CircuitData<F, C, EXT>,
    targets: CircuitTargets,
    stats: CircuitStats,
    key_material: Vec<u8>,
    vk_id: B256,
}

impl core::fmt::Debug for Prover {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Prover")
            .field("profile", &self.profile)
            .field("variant", &self.variant)
            .field("stats", &self.stats)
            .field("vk_id", &self.vk_id)
            .finish_non_exhaustive()
    }
}

fn fe(v: u64) -> Result<F, Error> {
    if v < F::ORDER {
        Ok(F::from_canonical_u64(v))
    } else {
        Err(Error::Witness("value not below p"))
    }
}

fn set(pw: &mut PartialWitness<F>, t: Target, v: F) -> Result<(), Error> {
    pw.set_target(t, v).map_err(|e| Error::Unsatisfied {
        what: "a wire is set twice to different values",
        source: Some(e.into()),
    })
}

fn set4(pw: &mut PartialWitness<F>, t: &[Target; 4], d: &Digest) -> Result<(), Error> {
    for (t, v) in t.iter().zip(d.0.iter()) {
        set(pw, *t, F::from_canonical_u64(v.as_u64()))?;
    }
    Ok(())
}

impl Prover {
    /// Build the sound circuit for `profile` (a few seconds at D = 20, T = 8 in release).
    pub fn setup(profile: Profile) -> Result<Prover, Error> {
        Self::setup_variant(profile, Variant::Sound)
    }

    /// The unsound circuit: slot 0's post-update root is a free witness instead of the
    /// receiver's recomputed root, so `prove` accepts a witness made by
    /// `multiprover_core::stf::apply_batch_inflated` and proves an inflated post root.
    /// For the devnet's conflict demo only.
    #[cfg(feature = "demo-faults")]
    pub fn setup_faulty(profile: Profile) -> Result<Prover, Error> {
        Self::setup_variant(profile, Variant::Faulty)
    }

    fn setup_variant(profile: Profile, variant: Variant) -> Result<Prover, Error> {
        profile.validate().map_err(|_| Error::Profile)?;
        let (data, targets, stats) = build(profile, variant == Variant::Faulty);
        let info = KeyInfo {
            variant,
            depth: profile.depth,
            capacity: profile.capacity,
            degree_bits: u8::try_from(stats.degree_bits).map_err(|_| Error::Profile)?,
        };
        let key_material = encode_key(info, &data.verifier_data())?;
        let vk_id = vk_id(&key_material);
        Ok(Prover {
            profile,
            variant,
            data,
            targets,
            stats,
            key_material,
            vk_id,
        })
    }

    /// The key to pin in the trust anchor.
    pub fn system_key(&self) -> SystemKey {
        SystemKey {
            system: SystemId::Plonky2,
            vk_id: self.vk_id,
            key: self.key_material.clone().into(),
        }
    }

    /// The profile this circuit was built for.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Size figures of the circuit (permutations, gates, rows).
    pub fn stats(&self) -> CircuitStats {
        self.stats
    }

    /// Prove one batch. Fails with [`Error::Unsatisfied`] when the witness breaks any rule of
    /// the circuit, or when the proven public inputs differ from `witness.statement`.
    pub fn prove(&self, witness: &BatchWitness) -> Result<Envelope, Error> {
        let pw = self.fill(witness)?;
        let data = &self.data;
        // plonky2's witness generators `debug_assert!` on some inconsistent inputs; turn
        // those into errors (native prover only; the verifier never relies on this).
        let proof = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| data.prove(pw)))
            .map_err(|_| Error::Unsatisfied {
                what: "witness generation panicked",
                source: None,
            })?
            .map_err(|e| Error::Unsatisfied {
                what: "witness generation failed",
                source: Some(e.into()),
            })?;
        let expected = witness.statement.public_inputs_u64();
        let got: Vec<u64> = proof
            .public_inputs
            .iter()
            .map(|x| x.to_canonical_u64())
            .collect();
        if got.as_slice() != expected.as_slice() {
            return Err(Error::PublicInputsDiffer {
                got,
                expected: expected.to_vec(),
            });
        }
        // An unsatisfied constraint that is not a copy constraint yields a proof that does not
        // verify: check before handing it out.
        data.verify(proof.clone()).map_err(|e| Error::Unsatisfied {
            what: "the proof does not verify",
            source: Some(e.into()),
        })?;
        Ok(Envelope {
            system: SystemId::Plonky2,
            vk_id: self.vk_id,
            statement: witness.statement,
            proof: proof.to_bytes(),
        })
    }

    fn fill(&self, w: &BatchWitness) -> Result<PartialWitness<F>, Error> {
        if w.profile != self.profile {
            return Err(Error::Profile);
        }
        if w.slots.len() != self.targets.slots.len() {
            return Err(Error::Witness("number of slots differs from the capacity"));
        }
        w.statement.validate().map_err(Error::Statement)?;
        let depth = self.profile.depth as usize;
        let mut pw = PartialWitness::new();
        let t = &self.targets;
        set(&mut pw, t.chain_id, fe(w.statement.chain_id)?)?;
        set(&mut pw, t.batch_number, fe(w.statement.batch_number)?)?;
        let pre = w
            .slots
            .first()
            .map(|s| s.root_before)
            .unwrap_or(w.statement.pre_root);
        set4(&mut pw, &t.pre_root, &pre)?;
        for (st, s) in t.slots.iter().zip(&w.slots) {
            if s.sender_path.siblings.len() != depth || s.receiver_path.siblings.len() != depth {
                return Err(Error::Witness("path length differs from the depth"));
            }
            let tr = &s.transfer;
            let from = F::from_canonical_u64(tr.from as u64);
            let to = F::from_canonical_u64(tr.to as u64);
            set(&mut pw, st.active.target, F::from_bool(s.active))?;
            set(&mut pw, st.from, from)?;
            set(&mut pw, st.to, to)?;
            set(&mut pw, st.amount, fe(tr.amount)?)?;
            set(&mut pw, st.nonce, F::from_canonical_u64(tr.nonce as u64))?;
            set(
                &mut pw,
                st.inv_diff,
                (from - to).try_inverse().unwrap_or(F::ZERO),
            )?;
            set(
                &mut pw,
                st.sender_balance,
                F::from_noncanonical_u64(s.sender.balance),
            )?;
            set(
                &mut pw,
                st.sender_nonce,
                F::from_noncanonical_u64(s.sender.nonce),
            )?;
            set(
                &mut pw,
                st.receiver_balance,
                F::from_noncanonical_u64(s.receiver.balance),
            )?;
            set(
                &mut pw,
                st.receiver_nonce,
                F::from_noncanonical_u64(s.receiver.nonce),
            )?;
            for (tt, d) in st.sender_path.iter().zip(&s.sender_path.siblings) {
                set4(&mut pw, tt, d)?;
            }
            for (tt, d) in st.receiver_path.iter().zip(&s.receiver_path.siblings) {
                set4(&mut pw, tt, d)?;
            }
            if let Some(free) = &st.free_root_after {
                set4(&mut pw, free, &s.root_after)?;
            }
        }
        Ok(pw)
    }
}
