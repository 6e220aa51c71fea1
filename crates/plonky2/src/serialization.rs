//! Strict (de)serialization of plonky2 data: a gate serializer that knows only this
//! circuit's gates, and a reader that refuses what plonky2's own reader would trust.

use alloc::vec;
use alloc::vec::Vec;
use core::any::Any;

use plonky2::field::extension::Extendable;
use plonky2::field::types::Field64;
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
use plonky2::iop::generator::WitnessGeneratorRef;
use plonky2::plonk::circuit_data::CommonCircuitData;
use plonky2::plonk::config::{GenericHashOut, Hasher};
use plonky2::util::serialization::{
    Buffer, GateSerializer, IoError, IoResult, Read, Remaining, WitnessGeneratorSerializer,
};

use crate::config::{EXT, F};

/// Largest length/count field accepted anywhere in key or proof.
const MAX_LEN: usize = 4096;
/// Largest Merkle-cap height accepted.
const MAX_CAP_HEIGHT: usize = 8;

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
