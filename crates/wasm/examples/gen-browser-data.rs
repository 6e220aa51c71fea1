//! Regenerate the recorded node data the browser tests serve from a fake node
//! (`tests/browser/data/`):
//!
//! ```sh
//! cargo run -p multiprover-wasm --no-default-features --example gen-browser-data
//! ```
//!
//! `anchor.json` pins made-up verifying keys for all four systems; `batches/{1,2,3}.json` are
//! a valid chain whose envelopes carry proofs that cannot verify, so the light client shows
//! every batch Pending with each proof rejected. `status.json` is `GET /api/status`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

use multiprover_core::{SystemId, TeeRegistry};

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser/data");
    std::fs::create_dir_all(dir.join("batches"))?;
    let anchor = common::anchor(common::fake_keys(), TeeRegistry::default());
    std::fs::write(dir.join("anchor.json"), anchor.to_json_pretty() + "\n")?;
    let records = common::records(
        &anchor,
        3,
        &[SystemId::Plonky2, SystemId::Stark],
        b"not a real proof",
    );
    for r in &records {
        std::fs::write(
            dir.join(format!("batches/{}.json", r.batch.batch_number)),
            r.to_json() + "\n",
        )?;
    }
    let status = serde_json::json!({ "head": records.len(), "chain_id": anchor.chain_id });
    std::fs::write(dir.join("status.json"), status.to_string() + "\n")?;
    println!("anchor hash {}", anchor.hash());
    println!(
        "wrote {} (anchor, status, {} batches)",
        dir.display(),
        records.len()
    );
    Ok(())
}
