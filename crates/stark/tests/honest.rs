mod common;

use common::*;
use multiprover_stark::verify;

#[test]
fn honest_batch_verifies() {
    let key = prover().system_key();
    let env = envelope1();
    assert_eq!(env.statement, witness1().statement);
    verify(&key, env).unwrap();
}
