//! The JSON reports of `multiprover-bench`: what bench/run.mjs stores in
//! target/bench/results.json and bench/report.mjs renders. Field names are the contract with
//! those two scripts; `report_fields_are_the_ones_the_js_reads` (tests) pins them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use multiprover_cli::util::write_file;
use multiprover_cli::CliError;
use multiprover_core::{Profile, SystemId, B256};
use serde::{Deserialize, Serialize};

/// What identifies a cached chain (its `chain.json`): a chain built by another version,
/// profile, length or set of systems is rebuilt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainMeta {
    /// The harness's version.
    pub version: String,
    /// Tree depth D.
    pub depth: u8,
    /// Transfers per batch T.
    pub capacity: u32,
    /// Batches in the chain.
    pub batches: u64,
    /// The systems that proved it, in the order given.
    pub systems: Vec<SystemId>,
}

/// `chain`: native figures of every system over the cached chain.
#[derive(Clone, Debug, Serialize)]
pub struct ChainReport {
    /// The chain measured.
    pub chain: ChainMeta,
    /// Its cache directory.
    pub dir: PathBuf,
    /// Whether this run built (and so proved all of) the chain.
    pub generated_now: bool,
    /// Threads available to the provers.
    pub threads: usize,
    /// Per system.
    pub systems: BTreeMap<SystemId, SystemReport>,
    /// One batch proved by every system at once (`--parallel`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parallel: Option<ParallelReport>,
}

/// `chain`: one system's native figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SystemReport {
    /// Prover setup (key generation), seconds.
    pub setup_secs: f64,
    /// Each timed proof, seconds.
    pub prove_secs: Vec<f64>,
    /// Proof bytes (of the chain's last envelope).
    pub proof_bytes: usize,
    /// Envelope bytes (of the chain's last envelope).
    pub envelope_bytes: usize,
    /// A fresh verifier's first envelope, milliseconds.
    pub verify_first_ms: f64,
    /// Every envelope verified, `verify_reps` times, milliseconds each.
    pub verify_ms: Vec<f64>,
    /// halo2: the whole chain in one batch verification, milliseconds per repetition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_batched_ms: Option<Vec<f64>>,
    /// halo2: proofs in that batch verification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_batched_count: Option<usize>,
}

/// `chain --parallel`: batch 1 proved by every system at the same time.
#[derive(Clone, Debug, Serialize)]
pub struct ParallelReport {
    /// Until the last proof, seconds.
    pub wall_secs: f64,
    /// When each system finished, seconds from the start.
    pub done_secs: BTreeMap<SystemId, f64>,
}

/// `serve`: printed as `READY <json>` once the node holds the chain.
#[derive(Clone, Debug, Serialize)]
pub struct ServeReady {
    /// The node's base URL.
    pub url: String,
    /// The hash of the anchor it serves.
    pub anchor_hash: B256,
    /// Batches loaded.
    pub batches: u64,
    /// Envelopes submitted (each verified by the node).
    pub envelopes: usize,
    /// Batches final after loading.
    #[serde(rename = "final")]
    pub finals: usize,
    /// Loading time, seconds.
    pub load_secs: f64,
}

/// `load`: node throughput under loopback load.
#[derive(Clone, Debug, Serialize)]
pub struct LoadReport {
    /// The profile of the anchor.
    pub profile: Profile,
    /// Concurrent clients.
    pub clients: usize,
    /// Batch proposals (one client).
    pub propose: Throughput,
    /// Envelope submissions (concurrent).
    pub submit: LatencyThroughput,
    /// Accepted envelopes not retrievable afterwards.
    pub lost: usize,
    /// Batch-record reads (concurrent).
    pub read: LatencyThroughput,
}

/// Requests done, time taken, rate.
#[derive(Clone, Debug, Serialize)]
pub struct Throughput {
    /// Requests.
    pub count: usize,
    /// Seconds for all of them.
    pub secs: f64,
    /// `count / secs`.
    pub per_sec: f64,
}

/// [`Throughput`] with errors and per-request latencies.
#[derive(Clone, Debug, Serialize)]
pub struct LatencyThroughput {
    /// Requests.
    pub count: usize,
    /// Requests that failed.
    pub errors: usize,
    /// Seconds for all of them.
    pub secs: f64,
    /// `count / secs`.
    pub per_sec: f64,
    /// Median latency, milliseconds.
    pub p50_ms: f64,
    /// 99th-percentile latency, milliseconds.
    pub p99_ms: f64,
}

/// `poseidon`: the plonky2 statement circuit against a bare chain of as many Poseidon
/// permutations, built with the same configuration and proved the same way.
// Only the `poseidon` subcommand (feature `plonky2`) builds one; the schema test always does.
#[cfg_attr(not(feature = "plonky2"), allow(dead_code))]
#[derive(Clone, Debug, Serialize)]
pub struct PoseidonReport {
    /// The statement circuit's profile.
    pub profile: Profile,
    /// Poseidon permutations in the statement circuit (and in the bare chain).
    pub permutations: usize,
    /// Gates of the statement circuit before padding.
    pub gates: usize,
    /// log2 of the statement circuit's rows.
    pub rows_log: usize,
    /// log2 of the bare chain's rows.
    pub bare_rows_log: usize,
    /// Each statement proof, seconds.
    pub statement_secs: Vec<f64>,
    /// Each bare-chain proof, seconds.
    pub bare_secs: Vec<f64>,
    /// Median statement proof over median bare-chain proof.
    pub ratio: f64,
}

/// Write `report` as pretty JSON to `path`, or to stdout.
pub fn emit<T: Serialize>(report: &T, path: Option<&Path>) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(report).unwrap_or_default();
    match path {
        Some(p) => write_file(p, text.as_bytes()),
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const SCHEMA: &str = include_str!("../../../bench/schema.json");

    /// The mismatches between `value` and `shape` (bench/schema.json's notation; the same
    /// rules as bench/lib/schema.mjs).
    fn mismatches(shape: &Value, value: &Value, path: &str) -> Vec<String> {
        match shape {
            Value::String(t) => {
                let ok = match t.as_str() {
                    "number" => value.is_number() || value.is_null(),
                    "string" => value.is_string(),
                    "boolean" => value.is_boolean(),
                    "number[]" => value
                        .as_array()
                        .is_some_and(|a| a.iter().all(|x| x.is_number() || x.is_null())),
                    "string[]" => value
                        .as_array()
                        .is_some_and(|a| a.iter().all(Value::is_string)),
                    other => panic!("bench/schema.json: unknown type {other}"),
                };
                if ok {
                    vec![]
                } else {
                    vec![format!("{path}: not {t}")]
                }
            }
            Value::Object(fields) => {
                let Some(obj) = value.as_object() else {
                    return vec![format!("{path}: not an object")];
                };
                if let Some(each) = fields.get("*") {
                    return obj
                        .iter()
                        .flat_map(|(k, v)| mismatches(each, v, &format!("{path}.{k}")))
                        .collect();
                }
                let mut out = Vec::new();
                let mut known = Vec::new();
                for (key, sub) in fields {
                    let name = key.strip_suffix('?').unwrap_or(key);
                    known.push(name);
                    match obj.get(name) {
                        Some(v) => out.extend(mismatches(sub, v, &format!("{path}.{name}"))),
                        None if key.ends_with('?') => {}
                        None => out.push(format!("{path}.{name}: missing")),
                    }
                }
                for k in obj.keys() {
                    if !known.contains(&k.as_str()) {
                        out.push(format!("{path}.{k}: not in bench/schema.json"));
                    }
                }
                out
            }
            other => panic!("bench/schema.json: bad shape {other}"),
        }
    }

    fn check<T: Serialize>(kind: &str, report: &T) {
        let schema: Value = serde_json::from_str(SCHEMA).expect("bench/schema.json parses");
        let value = serde_json::to_value(report).expect("serializes");
        let bad = mismatches(&schema[kind], &value, "$");
        assert!(
            bad.is_empty(),
            "{kind} report vs bench/schema.json: {bad:#?}"
        );
    }

    const PROFILE: Profile = Profile {
        depth: 8,
        capacity: 2,
    };

    fn latency() -> LatencyThroughput {
        LatencyThroughput {
            count: 4,
            errors: 0,
            secs: 0.5,
            per_sec: 8.0,
            p50_ms: 1.0,
            p99_ms: f64::NAN,
        }
    }

    #[test]
    fn report_fields_are_the_ones_the_js_reads() {
        let meta = ChainMeta {
            version: "0.1.0".into(),
            depth: 8,
            capacity: 2,
            batches: 2,
            systems: vec![SystemId::Halo2, SystemId::Tee],
        };
        let mut systems = BTreeMap::new();
        systems.insert(
            SystemId::Halo2,
            SystemReport {
                verify_batched_ms: Some(vec![1.0]),
                verify_batched_count: Some(2),
                ..SystemReport::default()
            },
        );
        systems.insert(SystemId::Tee, SystemReport::default());
        let mut chain = ChainReport {
            chain: meta,
            dir: "bench/cache/x".into(),
            generated_now: true,
            threads: 2,
            systems,
            parallel: Some(ParallelReport {
                wall_secs: 1.0,
                done_secs: [(SystemId::Tee, 0.1)].into_iter().collect(),
            }),
        };
        check("chain", &chain);
        chain.parallel = None;
        check("chain", &chain);
        check(
            "serve",
            &ServeReady {
                url: "http://127.0.0.1:1".into(),
                anchor_hash: B256::ZERO,
                batches: 2,
                envelopes: 4,
                finals: 2,
                load_secs: 0.1,
            },
        );
        check(
            "load",
            &LoadReport {
                profile: PROFILE,
                clients: 8,
                propose: Throughput {
                    count: 4,
                    secs: 0.1,
                    per_sec: 40.0,
                },
                submit: latency(),
                lost: 0,
                read: latency(),
            },
        );
        check(
            "poseidon",
            &PoseidonReport {
                profile: PROFILE,
                permutations: 75,
                gates: 110,
                rows_log: 7,
                bare_rows_log: 7,
                statement_secs: vec![0.2],
                bare_secs: vec![0.1],
                ratio: 2.0,
            },
        );
    }

    #[test]
    fn a_renamed_field_is_caught() {
        let schema: Value = serde_json::from_str(SCHEMA).expect("bench/schema.json parses");
        let value = serde_json::json!({"url": "u", "anchor_hash": "0x", "batches": 1,
            "envelopes": 1, "finals": 1, "load_secs": 0.1});
        let bad = mismatches(&schema["serve"], &value, "$");
        assert_eq!(bad.len(), 2, "{bad:?}");
    }
}
