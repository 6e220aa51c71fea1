//! A debug check of a trace against the AIR, before it goes to winterfell.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;

use air::{Air, TraceInfo};
use math::FieldElement;

use super::{default_options, E};
use crate::air::{evaluate, BatchAir, PublicInputs, NUM_CONSTRAINTS};
use crate::error::Error;
use crate::layout::{periodic_columns, Schedule, CYCLE, TRACE_WIDTH};

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
