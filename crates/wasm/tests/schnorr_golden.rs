//! The known-answer vector of the wasm signing calls (testdata/golden/schnorr_wasm.json),
//! computed natively with multiprover-core: a fixed seed's key and its deterministic
//! signature of a fixed transfer. The wasm tests compare `generateKey` / `signTransfer` with
//! it. Regenerate: `MULTIPROVER_REGEN_GOLDEN=1 cargo test -p multiprover-wasm
//! --no-default-features --test schnorr_golden`.
#![cfg(not(target_arch = "wasm32"))]

use multiprover_core::schnorr::SecretKey;
use multiprover_core::Transfer;
use multiprover_testkit::regen::{self, Regen};
use serde_json::{json, Value};

fn compute() -> Value {
    let seed = [0x5au8; 32];
    let key = SecretKey::from_seed(&seed);
    let receiver = SecretKey::from_seed(&[0xa5u8; 32]).public_key().encoding();
    let chain_id = 7u64;
    let transfer = Transfer {
        to_pk: receiver,
        ..Transfer::new(1, 2, 40, 0)
    };
    let message = transfer.message(chain_id).unwrap();
    let signed = transfer.signed(chain_id, &key).unwrap();
    let hex = |b: &[u8]| {
        format!(
            "0x{}",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        )
    };
    json!({
        "about": "EcGFp5 Schnorr known answer for the wasm signing calls; computed natively by crates/wasm/tests/schnorr_golden.rs",
        "seed": hex(&seed),
        "secret_key": hex(&key.to_le_bytes()),
        "public_key": hex(&key.public_key().encoding().to_le_bytes()),
        "chain_id": chain_id,
        "transfer": transfer,
        "message": message,
        "signature": hex(&signed.signature.unwrap().to_bytes()),
        "signed_transfer": signed,
    })
}

#[test]
fn schnorr_wasm_vector_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/golden/schnorr_wasm.json");
    let now = compute();
    if regen::enabled(Regen::Golden) {
        std::fs::write(&path, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
    }
    let committed: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("golden file missing"))
            .unwrap();
    assert_eq!(committed, now, "testdata/golden/schnorr_wasm.json is stale");
}
