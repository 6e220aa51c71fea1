#![doc = include_str!("../README.md")]

mod anchor;
mod client;
mod error;
mod js;
mod signing;
mod sync;

use multiprover_core::{Envelope, ErrorKind, SystemId, TrustAnchor, B256};
use multiprover_verifier::ProofError;
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use anchor::{AnchorSummary, SystemSummary, TeeInstanceSummary};
pub use client::LightClient;
pub use error::{Error, Input};
pub use signing::{
    generate_key, public_key, sign_transfer, transfer_message, verify_signature,
    verify_transfer_signature, MAX_SEED_BYTES, MIN_SEED_BYTES,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A 32-byte value as 0x-prefixed lowercase hex (roots, hashes, key ids). */
export type Hex32 = string;
/** A proof system. */
export type SystemId = "halo2" | "plonky2" | "stark" | "tee";
/** A policy family. */
export type Family = "zk" | "tee" | "hash-based";

/** The statement every proof system proves. */
export interface Statement {
  chain_id: number;
  batch_number: number;
  pre_root: Hex32;
  post_root: Hex32;
  batch_hash: Hex32;
}

/** What `verifyEnvelope` returns for an accepted envelope. */
export interface VerifiedEnvelope {
  ok: true;
  system: SystemId;
  vk_id: Hex32;
  statement: Statement;
  proof_bytes: number;
  /** Verification time in milliseconds. */
  millis: number;
}

/** What kind of failure a rejected envelope is: switch on this, never on the message. */
export type ErrorKind =
  | "malformed" | "wrongSystem" | "wrongKey" | "wrongStatement" | "rejected"
  | "notCompiled" | "expired" | "setup" | "unprovable" | "internal";

/** Why an envelope was rejected. */
export interface ProofError {
  kind: ErrorKind;
  /** The full error, for people. */
  message: string;
}

/**
 * The `kind` of the `Error`s this package throws: an `ErrorKind` for a rejected envelope
 * (`verifyEnvelope`), else what went wrong around it.
 */
export type ThrownKind =
  | ErrorKind
  | "anchor" | "badData" | "http" | "unreachable" | "invalidArgument" | "callback" | "convert"
  | "invalidKey" | "invalidMessage" | "invalidSignature" | "invalidTransfer";

/**
 * A 40-byte value as 0x-prefixed lowercase hex: an EcGFp5 Schnorr secret key (a scalar,
 * little-endian) or public key (its encoding, 5 Goldilocks elements little-endian, the `pk`
 * of an account and the `to_pk` of a transfer). Inputs may omit the 0x and use either case.
 */
export type Hex40 = string;
/** An 80-byte EcGFp5 Schnorr signature, enc(R) ‖ s, as 0x-prefixed lowercase hex. */
export type Hex80 = string;

/** What `generateKey` returns. Keep `secret_key` out of logs and page state. */
export interface KeyPair {
  secret_key: Hex40;
  public_key: Hex40;
}

/** One envelope's result in `verifyEnvelopes`. */
export interface EnvelopeResult {
  ok: boolean;
  system: SystemId | null;
  statement: Statement | null;
  error: ProofError | null;
}

/** One envelope's result inside a batch verdict. */
export interface ProofResult {
  system: SystemId | null;
  post_root: Hex32 | null;
  ok: boolean;
  error: ProofError | null;
  millis: number;
}

/** The policy's decision on a batch. */
export type Decision =
  | { status: "final"; root: Hex32; systems: SystemId[] }
  | { status: "pending"; missing: SystemId[]; missing_families: Family[]; need: number; have: number }
  | { status: "conflict"; roots: [Hex32, SystemId[]][] };

/** The light client's own verdict on one batch. */
export interface BatchVerdict {
  batch_number: number;
  pre_root: Hex32;
  claimed_post_root: Hex32;
  batch_hash: Hex32;
  transfers: number;
  /** Decimal string: it may exceed 2^53. */
  value_at_risk: string;
  proofs: ProofResult[];
  decision: Decision;
  /** `halted` = stopped by a conflict. */
  status: "pending" | "final" | "halted";
  final_root: Hex32 | null;
}

/** The chain as the client sees it. */
export interface ChainStatus {
  chain_id: number;
  anchor_hash: Hex32;
  head: number;
  final_batch: number;
  final_root: Hex32;
  conflicts: number[];
}

/** A readable summary of a trust anchor. */
export interface AnchorSummary {
  hash: Hex32;
  version: number;
  chain_id: number;
  profile: { depth: number; capacity: number };
  genesis_root: Hex32;
  genesis_accounts: number;
  policy: {
    tiers: { below: number | null; min_systems: number; required_families: Family[] }[];
    quarantined: SystemId[];
  };
  systems: { system: SystemId; families: Family[]; vk_id: Hex32; key_bytes: number; compiled: boolean }[];
  tee_measurements: Hex32[];
  tee_instances: { id: number; address: string; valid_from: number; valid_until: number }[];
  council: string;
  /** The only key that may propose batches (its EIP-712 signature is in every record). */
  sequencer: string;
  /** The systems this build can verify. */
  compiled: SystemId[];
}
"#;

/// What `verifyEnvelope` returns.
#[derive(Serialize)]
struct VerifiedEnvelope {
    ok: bool,
    system: SystemId,
    vk_id: B256,
    statement: multiprover_core::Statement,
    proof_bytes: usize,
    millis: f64,
}

/// Verify one proof envelope against a trust anchor (its JSON). Returns what was verified;
/// throws `AnchorError` when the anchor is invalid and `VerificationError` (with the reason)
/// when the envelope does not decode or its proof is rejected. `batchTimestamp` is the signed
/// timestamp of the envelope's batch (seconds, `timestamp` in its record), at which the TEE
/// registration windows are checked; without one, `Date.now() / 1000`. Never panics,
/// whatever the bytes.
#[wasm_bindgen(js_name = verifyEnvelope, unchecked_return_type = "VerifiedEnvelope")]
pub fn verify_envelope(
    #[wasm_bindgen(js_name = anchorJson)] anchor_json: &str,
    envelope: &[u8],
    #[wasm_bindgen(js_name = batchTimestamp)] batch_timestamp: Option<f64>,
) -> Result<JsValue, Error> {
    let now = js::unix_seconds(batch_timestamp)?;
    let anchor = TrustAnchor::from_json(anchor_json.as_bytes()).map_err(Error::Anchor)?;
    let t0 = js::now_millis();
    let e: Envelope = multiprover_verifier::verify_envelope_bytes(&anchor, envelope, now)
        .map_err(Error::Rejected)?;
    let millis = js::now_millis() - t0;
    js::to_js(&VerifiedEnvelope {
        ok: true,
        system: e.system,
        vk_id: e.vk_id,
        statement: e.statement,
        proof_bytes: e.proof.len(),
        millis,
    })
}

/// One envelope's result in `verifyEnvelopes`.
#[derive(Serialize)]
struct EnvelopeResult {
    ok: bool,
    system: Option<SystemId>,
    statement: Option<multiprover_core::Statement>,
    error: Option<ProofError>,
}

/// Verify many envelopes against one anchor at once; resolves each to
/// `{ ok, system, statement, error }` in order (an envelope that does not decode has no
/// system). halo2's proofs share one batch check, much cheaper per proof than verifying them
/// one by one; a failed batch check falls back to verifying each, so every result is exactly
/// what `verifyEnvelope` would say (`batchTimestamp` as there: one for all of them). Throws
/// `AnchorError` for an invalid anchor only.
#[wasm_bindgen(js_name = verifyEnvelopes, unchecked_return_type = "EnvelopeResult[]")]
pub fn verify_envelopes(
    #[wasm_bindgen(js_name = anchorJson)] anchor_json: &str,
    envelopes: Vec<js_sys::Uint8Array>,
    #[wasm_bindgen(js_name = batchTimestamp)] batch_timestamp: Option<f64>,
) -> Result<JsValue, Error> {
    let now = js::unix_seconds(batch_timestamp)?;
    let anchor = TrustAnchor::from_json(anchor_json.as_bytes()).map_err(Error::Anchor)?;
    let decoded: Vec<Result<Envelope, ProofError>> = envelopes
        .iter()
        .map(|b| Envelope::from_bytes(&b.to_vec()).map_err(|e| ProofError::of(&e)))
        .collect();
    let ok: Vec<Envelope> = decoded
        .iter()
        .filter_map(|d| d.as_ref().ok().cloned())
        .collect();
    let mut verdicts = multiprover_verifier::verify_envelopes(&anchor, &ok, now).into_iter();
    let out: Vec<EnvelopeResult> = decoded
        .into_iter()
        .map(|d| match d {
            Err(error) => EnvelopeResult {
                ok: false,
                system: None,
                statement: None,
                error: Some(error),
            },
            Ok(e) => {
                let error = match verdicts.next() {
                    Some(Ok(())) => None,
                    Some(Err(x)) => Some(ProofError::of(&x)),
                    None => Some(ProofError {
                        kind: ErrorKind::Internal,
                        message: "no result for this envelope".to_string(),
                    }),
                };
                EnvelopeResult {
                    ok: error.is_none(),
                    system: Some(e.system),
                    statement: Some(e.statement),
                    error,
                }
            }
        })
        .collect();
    js::to_js(&out)
}

/// Load halo2's IPA params from bytes (a node serves them at
/// `GET /api/setup/halo2-params/{k}`; `LightClient.sync` fetches them itself). Without them
/// the first halo2 verification computes the params, which takes many minutes in a browser;
/// reading them takes seconds. The bytes may come from anywhere: they are accepted only if
/// their keccak256 is the digest pinned in this build. Returns their `k`; throws
/// `VerificationError` for any other bytes.
#[wasm_bindgen(js_name = loadHalo2Params)]
pub fn load_halo2_params(bytes: &[u8]) -> Result<u32, Error> {
    multiprover_verifier::load_halo2_params(bytes).map_err(Error::Rejected)
}

/// Validate a trust anchor (its JSON) and summarize it, with its canonical hash. Throws
/// `AnchorError`.
#[wasm_bindgen(js_name = anchorInfo, unchecked_return_type = "AnchorSummary")]
pub fn anchor_info(
    #[wasm_bindgen(js_name = anchorJson)] anchor_json: &str,
) -> Result<JsValue, Error> {
    let anchor = TrustAnchor::from_json(anchor_json.as_bytes()).map_err(Error::Anchor)?;
    js::to_js(&AnchorSummary::new(&anchor))
}

/// The systems this build can verify (the others are reported as "compiled without the X
/// verifier").
#[wasm_bindgen(js_name = compiledSystems, unchecked_return_type = "SystemId[]")]
pub fn compiled_systems() -> Vec<String> {
    multiprover_verifier::compiled_systems()
        .into_iter()
        .map(|s| s.name().to_string())
        .collect()
}

/// The version of this package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
