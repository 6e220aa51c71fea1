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
//! `StrictReader` (in `serialization`), which caps every length, rejects every non-canonical
//! field element and every implausible cap height, and only knows the gates this circuit uses.
//! After parsing, `validate_common` (in `validate`) checks the common data field by field
//! against what [`plonky2::plonk::circuit_builder::CircuitBuilder::build`] produces for this
//! circuit, so that the plonky2 verifier never indexes out of bounds on a hostile key.

use alloc::vec::Vec;

use plonky2::field::types::Field;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::plonk::circuit_data::{
    CommonCircuitData, VerifierCircuitData, VerifierOnlyCircuitData,
};
use plonky2::plonk::config::Hasher;
use plonky2::util::serialization::{Read, Remaining};

use crate::serialization::StrictReader;
use crate::validate::validate_common;
use crate::Error;

// The configuration and the gate serializer used to live here; they keep their old paths.
pub use crate::config::{circuit_config, C, CAP_HEIGHT, EXT, F, ROUTED_WIRES};
pub use crate::serialization::CircuitGateSerializer;

/// Magic bytes of the key material.
pub const KEY_MAGIC: [u8; 4] = *b"MPP2";
/// Key material format version.
pub const KEY_VERSION: u8 = 1;
/// Number of public inputs of every proof.
pub const NUM_PUBLIC_INPUTS: usize = 12;
/// Plausible circuit sizes: 2^3 ..= 2^24 rows.
const MIN_DEGREE_BITS: usize = 3;
const MAX_DEGREE_BITS: usize = 24;
/// Header bytes before `common`: magic, version, variant, depth, capacity, degree_bits,
/// common_len.
const HEADER: usize = 4 + 1 + 1 + 1 + 4 + 1 + 4;

/// Which circuit a key is for (the shared sound / demo-faulty variant).
pub use multiprover_core::Variant;

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
    let variant =
        Variant::from_byte(take(&mut b, 1)?[0]).ok_or(Error::MalformedKey("unknown variant"))?;
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
    out.push(info.variant.to_byte());
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
