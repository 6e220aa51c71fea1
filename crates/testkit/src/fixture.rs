//! The committed proof fixtures, `testdata/fixtures/<system>/{key.json, envelope.bin}` (and
//! the TEE's `registry.json`), made from [`Scenario::small`](crate::Scenario::small)'s batch 1.
//! Loaders return core types and bytes; each system crate parses its own key material.

use std::path::PathBuf;

use multiprover_core::{Envelope, SystemId, SystemKey, TeeRegistry};
use serde::Serialize;

/// `testdata/fixtures/<system>/`.
pub fn dir(system: SystemId) -> PathBuf {
    crate::workspace_root()
        .join("testdata/fixtures")
        .join(system.name())
}

/// The raw bytes of `testdata/fixtures/<system>/<name>`.
pub fn read(system: SystemId, name: &str) -> Vec<u8> {
    let path = dir(system).join(name);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (regenerate with scripts/regen.sh)", path.display()))
}

/// The committed `SystemKey` of `system` (`key.json`).
pub fn key(system: SystemId) -> SystemKey {
    serde_json::from_slice(&read(system, "key.json")).expect("fixture key.json")
}

/// The committed envelope of `system` (`envelope.bin`), as bytes.
pub fn envelope_bytes(system: SystemId) -> Vec<u8> {
    read(system, "envelope.bin")
}

/// The committed envelope of `system`, decoded.
pub fn envelope(system: SystemId) -> Envelope {
    Envelope::from_bytes(&envelope_bytes(system)).expect("fixture envelope.bin decodes")
}

/// The fixture enclave's registry (`testdata/fixtures/tee/registry.json`).
pub fn tee_registry() -> TeeRegistry {
    serde_json::from_slice(&read(SystemId::Tee, "registry.json")).expect("fixture registry.json")
}

/// Write `value` as pretty JSON (with a final newline) to `testdata/fixtures/<system>/<name>`.
pub fn write_json<T: Serialize + ?Sized>(system: SystemId, name: &str, value: &T) {
    let json = serde_json::to_string_pretty(value).expect("serializable");
    write(system, name, (json + "\n").as_bytes());
}

/// Write `bytes` to `testdata/fixtures/<system>/<name>`.
pub fn write(system: SystemId, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(dir(system)).expect("create the fixture directory");
    std::fs::write(dir(system).join(name), bytes).expect("write the fixture");
}

/// Write a regenerated key (`key.json`) and envelope (`envelope.bin`) of `system`.
pub fn write_key_and_envelope(system: SystemId, key: &SystemKey, envelope: &[u8]) {
    write_json(system, "key.json", key);
    write(system, "envelope.bin", envelope);
}
