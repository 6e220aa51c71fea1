//! Golden vectors of the statement (testdata/golden/core.json). They pin the byte-exact
//! statement for every other implementation. Regenerate with
//! `MULTIPROVER_REGEN_GOLDEN=1 cargo test -p multiprover-core --test it golden` (or
//! `scripts/regen.sh`) — and only when the spec changes on purpose.

use multiprover_core::field::{Fp, P};
use multiprover_core::hash::{hash_tagged, sponge_digest, Tag};
use multiprover_core::poseidon::permute;
use multiprover_core::{Profile, SparseMerkleTree, StatementVersion};
use multiprover_testkit::regen::{self, Regen};
use multiprover_testkit::{account_key, workspace_root, Scenario};
use serde_json::{json, Value};

fn compute() -> Value {
    let inputs: Vec<[u64; 12]> = vec![
        [0; 12],
        core::array::from_fn(|i| i as u64),
        [P - 1; 12],
        core::array::from_fn(|i| (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) % P),
    ];
    let perms: Vec<Value> = inputs
        .iter()
        .map(|i| json!({"input": i, "output": permute(i.map(Fp::new)).map(|e| e.as_u64())}))
        .collect();
    let tagged: Vec<Value> = [Tag::Leaf, Tag::Node, Tag::Tx, Tag::Batch]
        .iter()
        .map(|t| {
            let a: [u64; 8] = core::array::from_fn(|i| 1000 + i as u64);
            json!({"tag": *t as u64, "input": a, "output": hash_tagged(*t, a.map(Fp::new)).to_u64s()})
        })
        .collect();
    let empty_roots: Vec<Value> = [8u8, 20]
        .iter()
        .map(|d| json!({"depth": d, "root": SparseMerkleTree::new(*d).unwrap().root()}))
        .collect();
    let mut batches = Vec::new();
    for profile in [Profile::SMALL, Profile::DEFAULT] {
        let scenario = Scenario::in_profile(profile);
        let (genesis, batch) = (&scenario.genesis, scenario.batch(1));
        let w = scenario.witness(1);
        batches.push(json!({
            "profile": profile,
            "genesis": genesis,
            "batch": batch,
            "statement": w.statement,
            "public_inputs": w.statement.public_inputs_u64(),
            "eip712_digest": w.statement.eip712_digest(),
        }));
    }
    let sponges: Vec<Value> = [(Tag::TxV2, 13usize), (Tag::Message, 10)]
        .iter()
        .map(|(t, n)| {
            let a: Vec<u64> = (0..*n as u64).map(|i| 2000 + i).collect();
            let input: Vec<Fp> = a.iter().map(|x| Fp::new(*x)).collect();
            json!({"tag": *t as u64, "input": a, "output": sponge_digest(*t, &input).to_u64s()})
        })
        .collect();
    let mut v2_batches = Vec::new();
    for profile in [Profile::SMALL, Profile::DEFAULT] {
        let scenario = Scenario::v2_in_profile(profile);
        let batch = scenario.batch(1);
        let w = scenario.witness(1);
        let keys: Vec<Value> = (1..=5u32)
            .map(|i| {
                json!({
                    "account": i,
                    "seed": format!("multiprover-testkit-account-{i}"),
                    "pk": account_key(i).public_key().encoding(),
                })
            })
            .collect();
        let messages: Vec<Value> = batch
            .transfers
            .iter()
            .map(|t| json!(t.message(batch.chain_id).unwrap()))
            .collect();
        v2_batches.push(json!({
            "profile": profile,
            "keys": keys,
            "genesis": scenario.genesis,
            "batch": batch,
            "messages": messages,
            "statement": w.statement,
            "public_inputs": w.statement.public_inputs_for(StatementVersion::V2).unwrap(),
            "eip712_digest": w.statement.eip712_digest(),
        }));
    }
    json!({
        "about": "multiprover statement golden vectors; see docs/spec.md",
        "v2": {
            "tagged_sponge": sponges,
            "batches": v2_batches,
        },
        "poseidon_permutation": perms,
        "tagged_hash": tagged,
        "empty_tree_roots": empty_roots,
        "batches": batches,
    })
}

#[test]
fn golden_vectors_are_current() {
    let path = workspace_root().join("testdata/golden/core.json");
    let now = compute();
    if regen::enabled(Regen::Golden) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).expect("golden file missing; regenerate it"),
    )
    .unwrap();
    assert_eq!(
        committed, now,
        "golden vectors are stale (or the spec changed): see the doc comment"
    );
}
