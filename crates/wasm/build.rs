//! For the wasm-pack test of halo2's fixture only: copy halo2's cached IPA params (written by
//! native processes into `$MULTIPROVER_HALO2_PARAMS_DIR`, see `multiprover_halo2::params`) into
//! `OUT_DIR`, or an empty file when there are none. `tests/it/halo2.rs` embeds the file
//! and loads it through `loadHalo2Params` (checked against the pinned digest); without it the
//! browser computes the params itself (more than 15 minutes). The library never reads it.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=MULTIPROVER_HALO2_PARAMS_DIR");
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR")).join("halo2-params-k14.bin");
    let src = std::env::var_os("MULTIPROVER_HALO2_PARAMS_DIR")
        .map(|d| PathBuf::from(d).join("halo2-params-k14.bin"));
    if let Some(src) = &src {
        println!("cargo:rerun-if-changed={}", src.display());
    }
    let bytes = src.and_then(|s| std::fs::read(s).ok()).unwrap_or_default();
    std::fs::write(&out, bytes).expect("write OUT_DIR/halo2-params-k14.bin");
}
