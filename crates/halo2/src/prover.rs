//! The native prover (`prover` feature): one proof per active slot, proved in parallel.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use alloy_primitives::Bytes;
use halo2_proofs::dev::{MockProver, VerifyFailure};
use halo2_proofs::pasta::EqAffine;
use halo2_proofs::plonk::{create_proof, keygen_pk, keygen_vk, ProvingKey};
use halo2_proofs::poly::commitment::Params;
use halo2_proofs::transcript::{Blake2bWrite, Challenge255};
use multiprover_core::{BatchWitness, Envelope, Profile, Statement, SystemId, SystemKey};
use rand_core::UnwrapErr;

use crate::circuit::{k_for, SegmentCircuit, SegmentWitness};
use crate::error::Error;
use crate::key::{vk_id, KeyMaterial, CIRCUIT_VERSION, MAX_K};
use crate::segment::{chain, header_hash, tx_step, Link, SegmentPublic, SegmentedProof};
use crate::verify::{insert_cached, VerifierData};

/// Proves batches for one profile. Build once ([`Prover::setup`]: one keygen shared by every
/// segment), prove many.
#[derive(Debug)]
pub struct Prover {
    data: Arc<VerifierData>,
    pk: ProvingKey<EqAffine>,
    key: SystemKey,
    key_material: KeyMaterial,
}

/// One segment's proof and the values that link it to the next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentProof {
    /// The slot index.
    pub slot: u32,
    /// The root and the batch-hash accumulator after the slot.
    pub link: Link,
    /// The halo2 proof bytes.
    pub proof: Vec<u8>,
}

/// Check that a witness has the profile's shape (so that synthesis never indexes past it)
/// and that its active slots come first.
pub fn check_witness_shape(profile: Profile, w: &BatchWitness) -> Result<(), Error> {
    if w.profile != profile {
        return Err(Error::BadWitness("profile differs from the prover's"));
    }
    if w.slots.len() != profile.capacity as usize {
        return Err(Error::BadWitness("slot count differs from the capacity"));
    }
    if w.count as usize > w.slots.len() {
        return Err(Error::BadWitness("count above the capacity"));
    }
    for (i, s) in w.slots.iter().enumerate() {
        if s.sender_path.siblings.len() != profile.depth as usize
            || s.receiver_path.siblings.len() != profile.depth as usize
        {
            return Err(Error::BadWitness("path length differs from the depth"));
        }
        if s.active != (i < w.count as usize) {
            return Err(Error::BadWitness("active slots are not the first `count`"));
        }
    }
    Ok(())
}

/// The segments of a witness: per active slot, its circuit witness and its public inputs,
/// the chain computed natively from the witness (roots from its slots, accumulators from its
/// transfers). Nothing here checks the rules: the circuit does.
pub fn segments(w: &BatchWitness) -> Result<Vec<(SegmentWitness, SegmentPublic)>, Error> {
    check_witness_shape(w.profile, w)?;
    let count = w.count;
    let mut acc = header_hash(&w.statement, count, w.profile.capacity)?;
    let mut out = Vec::with_capacity(count as usize);
    for (slot, s) in (0u32..).zip(w.slots.iter().take(count as usize)) {
        let t = &s.transfer;
        let acc_after = tx_step(&acc, [t.from as u64, t.to as u64, t.amount, t.nonce as u64]);
        let public = SegmentPublic {
            statement: w.statement,
            slot,
            count,
            root_before: s.root_before,
            root_after: s.root_after,
            acc_before: acc,
            acc_after,
        };
        out.push((
            SegmentWitness {
                slot: s.clone(),
                acc_before: acc,
            },
            public,
        ));
        acc = acc_after;
    }
    Ok(out)
}

/// What [`mock_check`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum MockOutcome {
    /// Every segment satisfies the circuit and the segments chain into the statement.
    Satisfied,
    /// A segment's circuit is not satisfied (the first such slot, with MockProver's
    /// failures).
    Segment {
        /// The slot.
        slot: u32,
        /// What MockProver reported.
        failures: Vec<VerifyFailure>,
    },
    /// Every segment is satisfied but they do not chain into the statement (the verifier's
    /// native check).
    Chain(&'static str),
}

/// Run every segment of a witness with halo2's `MockProver`, then the verifier's native
/// chain check (tests and diagnostics).
pub fn mock_check(w: &BatchWitness) -> Result<MockOutcome, Error> {
    let k = k_for(w.profile);
    let segs = segments(w)?;
    for (sw, public) in &segs {
        let circuit = SegmentCircuit {
            profile: w.profile,
            witness: Some(sw.clone()),
        };
        let prover = MockProver::run(k, &circuit, vec![public.instance()])?;
        if let Err(failures) = prover.verify() {
            return Ok(MockOutcome::Segment {
                slot: public.slot,
                failures,
            });
        }
    }
    let links: Vec<Link> = segs.iter().map(|(_, p)| link_of(p)).collect();
    match chain(&w.statement, w.profile.capacity, &links) {
        Ok(_) => Ok(MockOutcome::Satisfied),
        Err(Error::Chain(why)) => Ok(MockOutcome::Chain(why)),
        Err(e) => Err(e),
    }
}

fn link_of(p: &SegmentPublic) -> Link {
    Link {
        root_after: p.root_after,
        acc_after: p.acc_after,
    }
}

/// Run `f` on `0..n` on every core (at most `n` threads), results in index order.
fn par_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1)
        .min(n);
    if threads <= 1 {
        return (0..n).map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let r = f(i);
                if let Some(slot) = out
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get_mut(i)
                {
                    *slot = Some(r);
                }
            });
        }
    });
    out.into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}

impl Prover {
    /// Generate params, the verifying key and the proving key of the segment circuit for a
    /// profile.
    pub fn setup(profile: Profile) -> Result<Prover, Error> {
        profile.validate()?;
        let k = k_for(profile);
        if k > MAX_K {
            return Err(Error::BadKey("profile needs k above MAX_K"));
        }
        let params = Params::clone(&crate::params::params(k));
        let shape = SegmentCircuit::shape(profile);
        let vk = keygen_vk(&params, &shape)?;
        let pk = keygen_pk(&params, vk.clone(), &shape)?;
        let key_material = KeyMaterial {
            circuit_version: CIRCUIT_VERSION,
            profile,
            k,
        };
        let bytes = key_material.to_bytes();
        let key = SystemKey {
            system: SystemId::Halo2,
            vk_id: vk_id(&bytes),
            key: Bytes::copy_from_slice(&bytes),
        };
        let data = Arc::new(VerifierData {
            profile,
            params,
            vk,
            proof_len: std::sync::OnceLock::new(),
        });
        insert_cached(data.clone());
        Ok(Prover {
            data,
            pk,
            key,
            key_material,
        })
    }

    /// The key a trust anchor pins.
    pub fn system_key(&self) -> SystemKey {
        self.key.clone()
    }

    /// The parsed key material (profile, k).
    pub fn key_material(&self) -> KeyMaterial {
        self.key_material
    }

    /// The number of segments (proofs) a witness needs: its active-slot count.
    pub fn segment_count(&self, witness: &BatchWitness) -> Result<u32, Error> {
        check_witness_shape(self.data.profile, witness)?;
        Ok(witness.count)
    }

    /// Prove segment `slot` (`< count`) of a batch. Not checked here: [`Prover::assemble`]
    /// verifies the envelope.
    pub fn prove_segment(&self, witness: &BatchWitness, slot: u32) -> Result<SegmentProof, Error> {
        check_witness_shape(self.data.profile, witness)?;
        let segs = segments(witness)?;
        let (sw, public) = segs
            .into_iter()
            .nth(slot as usize)
            .ok_or(Error::BadWitness("no such active slot"))?;
        self.prove_one(sw, &public)
    }

    fn prove_one(&self, sw: SegmentWitness, public: &SegmentPublic) -> Result<SegmentProof, Error> {
        let circuit = SegmentCircuit {
            profile: self.data.profile,
            witness: Some(sw),
        };
        let instance = public.instance();
        let mut transcript = Blake2bWrite::<_, EqAffine, Challenge255<EqAffine>>::init(vec![]);
        create_proof(
            &self.data.params,
            &self.pk,
            &[circuit],
            &[&[instance.as_slice()]],
            UnwrapErr(getrandom::SysRng),
            &mut transcript,
        )
        .map_err(|e| match e {
            // A looked-up value that is not in the table (e.g. a balance range row of an
            // overspend): the witness breaks a rule.
            halo2_proofs::plonk::Error::ConstraintSystemFailure => Error::Unsatisfied,
            e => Error::Plonk(e),
        })?;
        Ok(SegmentProof {
            slot: public.slot,
            link: link_of(public),
            proof: transcript.finalize(),
        })
    }

    /// The envelope of a statement from its segment proofs (in any order; exactly one per
    /// slot `0..count`), verified before it is returned: proofs that do not verify or do not
    /// chain into the statement give [`Error::Unsatisfied`].
    pub fn assemble(
        &self,
        statement: &Statement,
        mut parts: Vec<SegmentProof>,
    ) -> Result<Envelope, Error> {
        parts.sort_by_key(|p| p.slot);
        if parts.iter().enumerate().any(|(i, p)| p.slot as usize != i) {
            return Err(Error::BadWitness(
                "segments are not exactly the slots 0..count",
            ));
        }
        let sp = SegmentedProof {
            links: parts.iter().map(|p| p.link).collect(),
            proofs: parts.into_iter().map(|p| p.proof).collect(),
        };
        let envelope = Envelope {
            system: SystemId::Halo2,
            vk_id: self.key.vk_id,
            statement: *statement,
            proof: sp.to_bytes()?,
        };
        match crate::verify::verify(&self.key, &envelope) {
            Ok(()) => Ok(envelope),
            Err(Error::Rejected(_) | Error::Chain(_)) => Err(Error::Unsatisfied),
            Err(e) => Err(e),
        }
    }

    /// Prove one batch: every segment, in parallel on all cores, then [`Prover::assemble`]
    /// (which verifies the result: a witness that breaks a rule gives
    /// [`Error::Unsatisfied`], never an envelope).
    pub fn prove(&self, witness: &BatchWitness) -> Result<Envelope, Error> {
        let segs = segments(witness)?;
        let jobs: Vec<Mutex<Option<(SegmentWitness, SegmentPublic)>>> =
            segs.into_iter().map(|s| Mutex::new(Some(s))).collect();
        let proofs = par_map(jobs.len(), |i| {
            let job = jobs
                .get(i)
                .and_then(|j| j.lock().unwrap_or_else(PoisonError::into_inner).take());
            match job {
                Some((sw, public)) => self.prove_one(sw, &public),
                None => Err(Error::BadWitness("segment taken twice")),
            }
        });
        if proofs.len() != jobs.len() {
            return Err(Error::BadWitness("a segment was not proved"));
        }
        let parts = proofs.into_iter().collect::<Result<Vec<_>, _>>()?;
        self.assemble(&witness.statement, parts)
    }
}
