//! Key material: the serialized plonky2 verifier data for one circuit, in a small strict
//! container, and its parser.
//!
//! ```text
//! magic "MPP2" (4) ‖ version u8 (= 1) ‖ variant u8 (0 sound, 1 demo-faulty) ‖ depth u8
//!   ‖ capacity u32 LE ‖ degree_bits u8 ‖ common_len u32 LE ‖ common (common_len bytes)
//!   ‖ verifier-only data (plonky2 encoding: cap height, cap, circuit digest)
//! ```
//!
//! plonky2's own deserializers trust their input (they pre-allocate from length fields, shift by
//! read heights, and `debug_assert!` canonical field elements). Everything here goes through
//! `StrictReader`, which caps every length, rejects every non-canonical field element and
//! every implausible cap height, and only knows the gates this circuit uses. After parsing,
//! `validate_common` checks the common data field by field against what
//! [`plonky2::plonk::circuit_builder::CircuitBuilder::build`] produces for this circuit, so
//! that the plonky2 verifier never indexes out of bounds on a hostile key.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::any::Any;

use plonky2::field::extension::Extendable;
use plonky2::field::goldilocks_field::GoldilocksField;
use plonky2::field::types::{Field, Field64};
use plonky2::gates::arithmetic_base::ArithmeticGate;
use plonky2::gates::base_sum::BaseSumGate;
use plonky2::gates::constant::ConstantGate;
use plonky2::gates::gate::{Gate, GateRef};
use plonky2::gates::noop::NoopGate;
use plonky2::gates::poseidon::PoseidonGate;
use plonky2::gates::poseidon_mds::PoseidonMdsGate;
use plonky2::gates::public_input::PublicInputGate;
use plonky2::hash::hash_types::RichField;
use plonky2::hash::merkle_tree::MerkleCap;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::iop::generator::WitnessGeneratorRef;
use plonky2::plonk::circuit_data::{
    CircuitConfig, CommonCircuitData, VerifierCircuitData, VerifierOnlyCircuitData,
};
use plonky2::plonk::config::{GenericHashOut, Hasher, PoseidonGoldilocksConfig};
use plonky2::util::serialization::{
    Buffer, GateSerializer, IoError, IoResult, Read, Remaining, WitnessGeneratorSerializer,
};

use crate::Error;

/// The base field.
pub type F = GoldilocksField;
/// The plonky2 configuration: Poseidon over Goldilocks, quadratic extension.
pub type C = PoseidonGoldilocksConfig;
/// The extension degree (plonky2's `D`, not the tree depth).
pub const EXT: usize = 2;

/// Magic bytes of the key material.
pub const KEY_MAGIC: [u8; 4] = *b"MPP2";
/// Key material format version.
pub const KEY_VERSION: u8 = 1;
/// Number of public inputs of every proof.
pub const NUM_PUBLIC_INPUTS: usize = 12;
/// Largest length/count field accepted anywhere in key or proof.
const MAX_LEN: usize = 4096;
/// Largest Merkle-cap height accepted.
const MAX_CAP_HEIGHT: usize = 8;
/// Plausible circuit sizes: 2^3 ..= 2^24 rows.
const MIN_DEGREE_BITS: usize = 3;
const MAX_DEGREE_BITS: usize = 24;
/// Largest number of distinct gate types.
const MAX_GATES: usize = 16;
const HEADER: usize = 4 + 1 + 1 + 1 + 4 + 1 + 4;

/// Which circuit a key is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The sound circuit.
    Sound = 0,
    /// The deliberately unsound demo circuit (`demo-faults`).
    Faulty = 1,
}

/// What the key material's header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    /// Sound or demo-faulty circuit.
    pub variant: Variant,
    /// Tree depth `D`.
    pub depth: u8,
    /// Batch capacity `T`.
    pub capacity: u32,
    /// log2 of the number of rows of the circuit.
    pub degree_bits: u8,
}

/// Height of the Merkle caps (plonky2's standard recursion config uses 4).
///
/// A cap of height `h` publishes the `2^h` nodes of that level in the proof and shortens every
/// opening path by `h` hashes; at 6 a native verification runs about 15 % faster and the
/// proof is about 10 KB smaller than at 4 (docs/benchmarks.md). Soundness does not depend on it.
pub const CAP_HEIGHT: usize = 6;

/// Routed wires (columns under copy constraints; the standard recursion config has 80).
///
/// The Poseidon gate routes 25 (12 inputs, 12 outputs, the swap bit). Every routed wire adds
/// a sigma polynomial, so each FRI query opens a wider constants/sigmas leaf and more
/// partial products: at 32 instead of 80 a native verification hashes about 8 permutations
/// fewer per query and runs about 11 % faster, and the proof is 14 KB smaller; the circuit
/// needs 813 rows instead of 752 (range checks split into 31-bit instead of 63-bit limbs,
/// 8 instead of 20 arithmetic operations per row) and still fits 2^10. Measured in
/// bench/analysis.md. Soundness does not depend on it.
pub const ROUTED_WIRES: usize = 32;

/// The circuit configuration every key must use: plonky2's standard recursion config (135
/// wires, rate 2^-3, 28 queries, 16 bits of proof of work, ~100-bit conjectured security)
/// with [`ROUTED_WIRES`] routed wires and Merkle caps of height [`CAP_HEIGHT`].
pub fn circuit_config() -> CircuitConfig {
    let mut config = CircuitConfig::standard_recursion_config();
    config.num_routed_wires = ROUTED_WIRES;
    config.fri_config.cap_height = CAP_HEIGHT;
    config
}

/// The gate serializer: only the gates this circuit is built from, with fixed tags.
#[derive(Debug, Clone, Copy, Default)]
pub struct CircuitGateSerializer;

fn tag_of(g: &dyn Any) -> Option<u32> {
    if g.is::<ArithmeticGate>() {
        Some(0)
    } else if g.is::<BaseSumGate<2>>() {
        Some(1)
    } else if g.is::<ConstantGate>() {
        Some(2)
    } else if g.is::<NoopGate>() {
        Some(3)
    } else if g.is::<PoseidonGate<F, EXT>>() {
        Some(4)
    } else if g.is::<PublicInputGate>() {
        Some(5)
    } else if g.is::<PoseidonMdsGate<F, EXT>>() {
        Some(6)
    } else {
        None
    }
}

impl GateSerializer<F, EXT> for CircuitGateSerializer {
    fn read_gate(
        &self,
        buf: &mut Buffer<'_>,
        common: &CommonCircuitData<F, EXT>,
    ) -> IoResult<GateRef<F, EXT>> {
        let tag = buf.read_u32()?;
        Ok(match tag {
            0 => GateRef::new(<ArithmeticGate as Gate<F, EXT>>::deserialize(buf, common)?),
            1 => GateRef::new(<BaseSumGate<2> as Gate<F, EXT>>::deserialize(buf, common)?),
            2 => GateRef::new(<ConstantGate as Gate<F, EXT>>::deserialize(buf, common)?),
            3 => GateRef::new(<NoopGate as Gate<F, EXT>>::deserialize(buf, common)?),
            4 => GateRef::new(PoseidonGate::<F, EXT>::deserialize(buf, common)?),
            5 => GateRef::new(<PublicInputGate as Gate<F, EXT>>::deserialize(buf, common)?),
            6 => GateRef::new(PoseidonMdsGate::<F, EXT>::deserialize(buf, common)?),
            _ => return Err(IoError),
        })
    }

    fn write_gate(
        &self,
        buf: &mut Vec<u8>,
        gate: &GateRef<F, EXT>,
        common: &CommonCircuitData<F, EXT>,
    ) -> IoResult<()> {
        let tag = tag_of(gate.0.as_any()).ok_or(IoError)?;
        plonky2::util::serialization::Write::write_u32(buf, tag)?;
        gate.0.serialize(buf, common)
    }
}

/// The exact ids (`Debug` forms with parameters) of the gates the circuit may contain.
fn allowed_gate_ids(config: &CircuitConfig) -> [String; 7] {
    [
        <ArithmeticGate as Gate<F, EXT>>::id(&ArithmeticGate::new_from_config(config)),
        <BaseSumGate<2> as Gate<F, EXT>>::id(&BaseSumGate::<2>::new_from_config::<F>(config)),
        <ConstantGate as Gate<F, EXT>>::id(&ConstantGate::new(config.num_constants)),
        <NoopGate as Gate<F, EXT>>::id(&NoopGate),
        PoseidonGate::<F, EXT>::new().id(),
        <PublicInputGate as Gate<F, EXT>>::id(&PublicInputGate),
        PoseidonMdsGate::<F, EXT>::new().id(),
    ]
}

/// A plonky2 reader that refuses what plonky2's own reader would trust: lengths above
/// [`MAX_LEN`], non-canonical field elements, cap heights above [`MAX_CAP_HEIGHT`], gates
/// outside [`CircuitGateSerializer`], and any witness generator.
pub(crate) struct StrictReader<'a> {
    buf: Buffer<'a>,
}

impl<'a> StrictReader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self {
            buf: Buffer::new(bytes),
        }
    }
}

fn canonical_u64(b: &[u8], order: u64) -> IoResult<u64> {
    let arr: [u8; 8] = b.try_into().map_err(|_| IoError)?;
    let v = u64::from_le_bytes(arr);
    if v < order {
        Ok(v)
    } else {
        Err(IoError)
    }
}

impl Remaining for StrictReader<'_> {
    fn remaining(&self) -> usize {
        self.buf.remaining()
    }
}

impl Read for StrictReader<'_> {
    fn read_exact(&mut self, bytes: &mut [u8]) -> IoResult<()> {
        self.buf.read_exact(bytes)
    }

    fn read_usize(&mut self) -> IoResult<usize> {
        let mut b = [0u8; 8];
        self.read_exact(&mut b)?;
        let v = u64::from_le_bytes(b);
        if v > MAX_LEN as u64 {
            return Err(IoError);
        }
        Ok(v as usize)
    }

    fn read_field<G: Field64>(&mut self) -> IoResult<G> {
        let mut b = [0u8; 8];
        self.read_exact(&mut b)?;
        Ok(G::from_canonical_u64(canonical_u64(&b, G::ORDER)?))
    }

    fn read_hash<G: RichField, H: Hasher<G>>(&mut self) -> IoResult<H::Hash> {
        let mut b = vec![0u8; H::HASH_SIZE];
        self.read_exact(&mut b)?;
        if b.len() % 8 != 0 {
            return Err(IoError);
        }
        for chunk in b.chunks(8) {
            canonical_u64(chunk, G::ORDER)?;
        }
        Ok(H::Hash::from_bytes(&b))
    }

    fn read_merkle_cap<G: RichField, H: Hasher<G>>(
        &mut self,
        cap_height: usize,
    ) -> IoResult<MerkleCap<G, H>> {
        if cap_height > MAX_CAP_HEIGHT {
            return Err(IoError);
        }
        let mut cap = Vec::with_capacity(1 << cap_height);
        for _ in 0..(1usize << cap_height) {
            cap.push(self.read_hash::<G, H>()?);
        }
        Ok(MerkleCap(cap))
    }

    fn read_gate<G: RichField + Extendable<E>, const E: usize>(
        &mut self,
        gate_serializer: &dyn GateSerializer<G, E>,
        common_data: &CommonCircuitData<G, E>,
    ) -> IoResult<GateRef<G, E>> {
        gate_serializer.read_gate(&mut self.buf, common_data)
    }

    fn read_generator<G: RichField + Extendable<E>, const E: usize>(
        &mut self,
        _generator_serializer: &dyn WitnessGeneratorSerializer<G, E>,
        _common_data: &CommonCircuitData<G, E>,
    ) -> IoResult<WitnessGeneratorRef<G, E>> {
        Err(IoError)
    }
}

/// Parsed, validated key material.
#[derive(Debug)]
pub struct ParsedKey {
    /// The header.
    pub info: KeyInfo,
    /// The plonky2 verifier data.
    pub data: VerifierCircuitData<F, C, EXT>,
}

fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], Error> {
    if b.len() < n {
        return Err(Error::MalformedKey("truncated"));
    }
    let (h, t) = b.split_at(n);
    *b = t;
    Ok(h)
}

fn u32_le(b: &[u8]) -> Result<u32, Error> {
    let arr: [u8; 4] = b.try_into().map_err(|_| Error::MalformedKey("truncated"))?;
    Ok(u32::from_le_bytes(arr))
}

/// Read the header only.
pub fn key_info(key_material: &[u8]) -> Result<KeyInfo, Error> {
    let mut b = key_material;
    if take(&mut b, 4)? != KEY_MAGIC {
        return Err(Error::MalformedKey("bad magic"));
    }
    if take(&mut b, 1)? != [KEY_VERSION] {
        return Err(Error::MalformedKey("unsupported version"));
    }
    let variant = match take(&mut b, 1)? {
        [0] => Variant::Sound,
        [1] => Variant::Faulty,
        _ => return Err(Error::MalformedKey("unknown variant")),
    };
    let depth = take(&mut b, 1)?[0];
    let capacity = u32_le(take(&mut b, 4)?)?;
    let degree_bits = take(&mut b, 1)?[0];
    let profile = multiprover_core::Profile { depth, capacity };
    if profile.validate().is_err() {
        return Err(Error::MalformedKey("profile out of bounds"));
    }
    if !(MIN_DEGREE_BITS..=MAX_DEGREE_BITS).contains(&(degree_bits as usize)) {
        return Err(Error::MalformedKey("degree_bits out of bounds"));
    }
    Ok(KeyInfo {
        variant,
        depth,
        capacity,
        degree_bits,
    })
}

/// Encode key material (prover side).
#[cfg(feature = "prover")]
pub(crate) fn encode_key(
    info: KeyInfo,
    data: &VerifierCircuitData<F, C, EXT>,
) -> Result<Vec<u8>, Error> {
    use plonky2::util::serialization::Write;
    let common = data
        .common
        .to_bytes(&CircuitGateSerializer)
        .map_err(|_| Error::Serialize)?;
    let mut vo = Vec::new();
    vo.write_verifier_only_circuit_data::<F, C, EXT>(&data.verifier_only)
        .map_err(|_| Error::Serialize)?;
    let mut out = Vec::with_capacity(HEADER + common.len() + vo.len());
    out.extend_from_slice(&KEY_MAGIC);
    out.push(KEY_VERSION);
    out.push(info.variant as u8);
    out.push(info.depth);
    out.extend_from_slice(&info.capacity.to_le_bytes());
    out.push(info.degree_bits);
    out.extend_from_slice(
        &u32::try_from(common.len())
            .map_err(|_| Error::Serialize)?
            .to_le_bytes(),
    );
    out.extend_from_slice(&common);
    out.extend_from_slice(&vo);
    Ok(out)
}

/// Parse and validate key material. Never panics.
pub fn parse_key(key_material: &[u8]) -> Result<ParsedKey, Error> {
    let info = key_info(key_material)?;
    let mut b = key_material
        .get(HEADER - 4..)
        .ok_or(Error::MalformedKey("truncated"))?;
    let common_len = u32_le(take(&mut b, 4)?)? as usize;
    let common_bytes = take(&mut b, common_len)?;
    let vo_bytes = b;

    let config = circuit_config();
    let fri_params = config
        .fri_config
        .fri_params(info.degree_bits as usize, false);
    let expected_prefix = {
        use plonky2::util::serialization::Write;
        let mut p = Vec::new();
        p.write_circuit_config(&config)
            .map_err(|_| Error::Serialize)?;
        p.write_fri_params(&fri_params)
            .map_err(|_| Error::Serialize)?;
        p
    };
    if common_bytes.get(..expected_prefix.len()) != Some(expected_prefix.as_slice()) {
        return Err(Error::MalformedKey(
            "circuit config or FRI parameters differ",
        ));
    }
    // Selector info: parsed here too, because plonky2 keeps its fields private and the
    // verifier indexes with them.
    let (selector_indices, groups) = {
        let mut r = StrictReader::new(&common_bytes[expected_prefix.len()..]);
        let idx = r
            .read_usize_vec()
            .map_err(|_| Error::MalformedKey("selector indices"))?;
        let n = r
            .read_usize()
            .map_err(|_| Error::MalformedKey("selector groups"))?;
        let mut groups = Vec::new();
        for _ in 0..n {
            let s = r
                .read_usize()
                .map_err(|_| Error::MalformedKey("selector groups"))?;
            let e = r
                .read_usize()
                .map_err(|_| Error::MalformedKey("selector groups"))?;
            groups.push((s, e));
        }
        (idx, groups)
    };

    let mut r = StrictReader::new(common_bytes);
    let common: CommonCircuitData<F, EXT> = r
        .read_common_circuit_data(&CircuitGateSerializer)
        .map_err(|_| Error::MalformedKey("common circuit data does not parse"))?;
    if r.remaining() != 0 {
        return Err(Error::MalformedKey("trailing bytes in common data"));
    }
    validate_common(&common, &selector_indices, &groups)?;

    let mut r = StrictReader::new(vo_bytes);
    let verifier_only: VerifierOnlyCircuitData<C, EXT> = r
        .read_verifier_only_circuit_data()
        .map_err(|_| Error::MalformedKey("verifier-only data does not parse"))?;
    if r.remaining() != 0 {
        return Err(Error::MalformedKey(
            "trailing bytes after verifier-only data",
        ));
    }
    if verifier_only.constants_sigmas_cap.height() != config.fri_config.cap_height {
        return Err(Error::MalformedKey("constants/sigmas cap height"));
    }
    // plonky2's verifier seeds Fiat-Shamir with the stored digest but never recomputes it;
    // recompute it as `CircuitBuilder::build` does (no domain separator), so that every cap
    // entry is bound, not only the ones the queries happen to open.
    let mut parts = verifier_only.constants_sigmas_cap.flatten();
    parts.extend_from_slice(&PoseidonHash::hash_pad(&[]).elements);
    parts.push(F::from_canonical_usize(common.fri_params.degree_bits));
    if PoseidonHash::hash_no_pad(&parts) != verifier_only.circuit_digest {
        return Err(Error::MalformedKey(
            "circuit digest does not match the constants/sigmas cap",
        ));
    }
    Ok(ParsedKey {
        info,
        data: VerifierCircuitData {
            verifier_only,
            common,
        },
    })
}

/// Check the common data against what `CircuitBuilder::build` produces for this circuit, so
/// that the plonky2 verifier's indexing is in bounds.
fn validate_common(
    common: &CommonCircuitData<F, EXT>,
    selector_indices: &[usize],
    groups: &[(usize, usize)],
) -> Result<(), Error> {
    let config = circuit_config();
    let bad = |m| Err(Error::MalformedKey(m));
    if common.config != config {
        return bad("circuit config");
    }
    if common.fri_params
        != config
            .fri_config
            .fri_params(common.fri_params.degree_bits, false)
    {
        return bad("FRI parameters");
    }
    let gates = &common.gates;
    if gates.is_empty() || gates.len() > MAX_GATES {
        return bad("number of gate types");
    }
    let allowed = allowed_gate_ids(&config);
    let ids: Vec<String> = gates.iter().map(|g| g.0.id()).collect();
    for (i, id) in ids.iter().enumerate() {
        if !allowed.contains(id) || ids[..i].contains(id) {
            return bad("unexpected or repeated gate");
        }
    }
    // Selectors: one per gate, pointing at a group that contains the gate.
    if selector_indices.len() != gates.len()
        || groups.len() != common.selectors_info.num_selectors()
    {
        return bad("selector info");
    }
    for (i, &s) in selector_indices.iter().enumerate() {
        match groups.get(s) {
            Some(&(start, end)) if start <= i && i < end && end <= gates.len() => {}
            _ => return bad("selector info"),
        }
    }
    let max_constants = gates.iter().map(|g| g.0.num_constants()).max().unwrap_or(0);
    if common.num_constants != groups.len() + max_constants
        || common.num_constants > config.num_constants + groups.len()
    {
        return bad("number of constants");
    }
    let max_constraints = gates
        .iter()
        .map(|g| g.0.num_constraints())
        .max()
        .unwrap_or(0);
    if common.num_gate_constraints != max_constraints {
        return bad("number of gate constraints");
    }
    let max_degree = gates.iter().map(|g| g.0.degree()).max().unwrap_or(0);
    if common.quotient_degree_factor != config.max_quotient_degree_factor
        || max_degree + 1 > config.max_quotient_degree_factor + 1
    {
        return bad("quotient degree");
    }
    if common.num_public_inputs != NUM_PUBLIC_INPUTS {
        return bad("number of public inputs");
    }
    if common.k_is.len() != config.num_routed_wires {
        return bad("coset shifts");
    }
    let chunks = config
        .num_routed_wires
        .div_ceil(common.quotient_degree_factor);
    if common.num_partial_products + 1 != chunks {
        return bad("number of partial products");
    }
    if common.num_lookup_polys != 0 || common.num_lookup_selectors != 0 || !common.luts.is_empty() {
        return bad("lookups are not used by this circuit");
    }
    Ok(())
}

/// Parse proof bytes for a parsed key. Never panics.
pub(crate) fn parse_proof(
    key: &ParsedKey,
    bytes: &[u8],
) -> Result<plonky2::plonk::proof::ProofWithPublicInputs<F, C, EXT>, Error> {
    let mut r = StrictReader::new(bytes);
    let p = r
        .read_proof_with_public_inputs::<F, C, EXT>(&key.data.common)
        .map_err(|_| Error::MalformedProof("does not parse for this circuit"))?;
    if r.remaining() != 0 {
        return Err(Error::MalformedProof("trailing bytes"));
    }
    Ok(p)
}
