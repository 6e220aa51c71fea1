//! Statement v2 wallets in the browser: EcGFp5 Schnorr keys, transfer messages, signing and
//! verification, over `multiprover_core::schnorr`.
//!
//! Keys, messages and signatures cross the boundary as hex strings (`0x` optional, either
//! case; always written `0x` + lowercase): a secret key and a public key are 40 bytes
//! (little-endian, as `SecretKey::to_le_bytes` / `GFp5::to_le_bytes`), a message digest 32,
//! a signature 80 (`enc(R) ‖ s`). Transfers are JSON text exactly as the node's API shows
//! them (`{ from, to, amount, nonce, to_pk, signature }`), so amounts above 2^53 stay exact.
//!
//! Secret keys: this module never puts a secret key (or any part of it) into an error
//! message, and it overwrites the bytes it decoded once it has the scalar. The hex string
//! itself belongs to JavaScript, which cannot wipe strings; keep it out of logs there too.

use multiprover_core::ecgfp5::GFp5;
use multiprover_core::hash::Digest;
use multiprover_core::schnorr::{PublicKey, SecretKey, Signature};
use multiprover_core::{Transfer, B256};
use wasm_bindgen::prelude::*;

use crate::error::{Error, Input};

/// The shortest seed `generateKey` accepts: 32 bytes (from `crypto.getRandomValues`).
pub const MIN_SEED_BYTES: usize = 32;
/// The longest seed `generateKey` accepts.
pub const MAX_SEED_BYTES: usize = 1024;

/// Overwrite `b` with zeros; `black_box` keeps the compiler from dropping the dead writes.
fn wipe(b: &mut [u8]) {
    b.fill(0);
    core::hint::black_box(b);
}

/// Decode `s` (hex, `0x` optional) into exactly `N` bytes; never allocates.
fn decode_hex<const N: usize>(s: &str, input: Input) -> Result<[u8; N], Error> {
    let digits = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s)
        .as_bytes();
    let bad = Error::Encoding { input, expected: N };
    if digits.len() != 2 * N {
        return Err(bad);
    }
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let mut out = [0u8; N];
    for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        match (nibble(pair[0]), nibble(pair[1])) {
            (Some(hi), Some(lo)) => *o = (hi << 4) | lo,
            _ => {
                wipe(&mut out);
                return Err(bad);
            }
        }
    }
    Ok(out)
}

/// `0x` + lowercase hex.
fn encode_hex(b: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 + 2 * b.len());
    s.push_str("0x");
    for x in b {
        s.push(DIGITS[(x >> 4) as usize] as char);
        s.push(DIGITS[(x & 15) as usize] as char);
    }
    s
}

/// Parse a secret key: 40 bytes, canonical (`< n`) and non-zero. The error names no byte of it.
pub(crate) fn parse_secret_key(hex: &str) -> Result<SecretKey, Error> {
    let mut b = decode_hex::<40>(hex, Input::SecretKey)?;
    let key = SecretKey::from_le_bytes(&b);
    wipe(&mut b);
    key.map_err(|source| Error::Decode {
        input: Input::SecretKey,
        source,
    })
}

/// Parse a public key: 40 bytes, canonical, a point, not the neutral.
pub(crate) fn parse_public_key(hex: &str) -> Result<PublicKey, Error> {
    let b = decode_hex::<40>(hex, Input::PublicKey)?;
    PublicKey::from_le_bytes(&b).map_err(|source| Error::Decode {
        input: Input::PublicKey,
        source,
    })
}

/// Parse a signature: 80 bytes, `R`'s coefficients canonical, `s < n`.
pub(crate) fn parse_signature(hex: &str) -> Result<Signature, Error> {
    let b = decode_hex::<80>(hex, Input::Signature)?;
    Signature::from_bytes(&b).map_err(|source| Error::Decode {
        input: Input::Signature,
        source,
    })
}

/// Parse a message digest: 32 bytes, four canonical Goldilocks elements (big-endian, as a
/// `Digest` prints).
pub(crate) fn parse_message(hex: &str) -> Result<Digest, Error> {
    let b = decode_hex::<32>(hex, Input::Message)?;
    Digest::from_b256(&B256::from(b)).ok_or(Error::NonCanonicalMessage)
}

/// A chain id from JavaScript: a safe integer `number` or a `bigint` that fits in 64 bits.
pub(crate) fn parse_chain_id(v: &JsValue) -> Result<u64, Error> {
    const BAD: Error = Error::InvalidArgument(
        "chainId must be a non-negative integer (a number up to 2^53 - 1, or a bigint below 2^64)",
    );
    if let Some(f) = v.as_f64() {
        if f.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&f) {
            return Ok(f as u64);
        }
        return Err(BAD);
    }
    if v.is_bigint() {
        return u64::try_from(v.clone()).map_err(|_| BAD);
    }
    Err(BAD)
}

/// Parse a transfer's JSON text (the node's transfer form; unknown fields are refused).
pub(crate) fn parse_transfer(json: &str) -> Result<Transfer, Error> {
    serde_json::from_str(json).map_err(Error::Transfer)
}

/// A key pair as `generateKey` returns it.
#[derive(serde::Serialize)]
struct KeyPair {
    secret_key: String,
    public_key: String,
}

/// The secret and public key hex of the key derived from `seed`.
pub(crate) fn key_pair(seed: &[u8]) -> Result<(String, String), Error> {
    if !(MIN_SEED_BYTES..=MAX_SEED_BYTES).contains(&seed.len()) {
        return Err(Error::InvalidArgument(
            "the seed must be 32 to 1024 bytes (32 from crypto.getRandomValues)",
        ));
    }
    let key = SecretKey::from_seed(seed);
    let mut b = key.to_le_bytes();
    let secret = encode_hex(&b);
    wipe(&mut b);
    Ok((secret, public_key_hex(&key.public_key().encoding())))
}

/// The hex of a public key's encoding.
pub(crate) fn public_key_hex(w: &GFp5) -> String {
    encode_hex(&w.to_le_bytes())
}

/// `transferMessage` without the JavaScript boundary.
pub(crate) fn message_of(transfer_json: &str, chain_id: u64) -> Result<Digest, Error> {
    parse_transfer(transfer_json)?
        .message(chain_id)
        .map_err(Error::Message)
}

/// `signTransfer` without the JavaScript boundary: the signed transfer's JSON text.
pub(crate) fn sign_transfer_json(
    transfer_json: &str,
    chain_id: u64,
    secret_key_hex: &str,
) -> Result<String, Error> {
    let transfer = parse_transfer(transfer_json)?;
    let key = parse_secret_key(secret_key_hex)?;
    let signed = transfer.signed(chain_id, &key).map_err(Error::Message)?;
    serde_json::to_string(&signed).map_err(|e| Error::Convert(e.to_string()))
}

/// `verifySignature` without the JavaScript boundary.
pub(crate) fn verify_hex(
    pk_hex: &str,
    message_hex: &str,
    signature_hex: &str,
) -> Result<bool, Error> {
    let pk = parse_public_key(pk_hex)?;
    let m = parse_message(message_hex)?;
    let sig = parse_signature(signature_hex)?;
    Ok(pk.verify(&m, &sig).is_ok())
}

/// `verifyTransferSignature` without the JavaScript boundary.
pub(crate) fn verify_transfer_json(
    transfer_json: &str,
    chain_id: u64,
    pk_hex: &str,
) -> Result<bool, Error> {
    let transfer = parse_transfer(transfer_json)?;
    let pk = parse_public_key(pk_hex)?;
    let sig = transfer.signature.ok_or(Error::Unsigned)?;
    let m = transfer.message(chain_id).map_err(Error::Message)?;
    Ok(pk.verify(&m, &sig).is_ok())
}

/// A new key pair derived from `seed`: 32 (to 1024) random bytes from
/// `crypto.getRandomValues`; there is no random number generator inside the module. The same
/// seed always gives the same key (`SecretKey::from_seed` of multiprover-core). Returns
/// `{ secret_key, public_key }` as hex; throws `TypeError` (kind `invalidArgument`) for a
/// seed of another length.
#[wasm_bindgen(js_name = generateKey, unchecked_return_type = "KeyPair")]
pub fn generate_key(seed: &[u8]) -> Result<JsValue, Error> {
    let (secret_key, public_key) = key_pair(seed)?;
    crate::js::to_js(&KeyPair {
        secret_key,
        public_key,
    })
}

/// The public key (40-byte hex, the `pk` of an account leaf and a transfer's `to_pk`) of a
/// secret key (40-byte hex). Throws `TypeError` (kind `invalidKey`) for a secret key that is
/// not 40 bytes of hex, not below the group order, or zero; the message never quotes it.
#[wasm_bindgen(js_name = publicKey, unchecked_return_type = "Hex40")]
pub fn public_key(
    #[wasm_bindgen(js_name = secretKeyHex)] secret_key_hex: &str,
) -> Result<String, Error> {
    Ok(public_key_hex(
        &parse_secret_key(secret_key_hex)?.public_key().encoding(),
    ))
}

/// The message digest the sender signs for a transfer (its JSON text) on chain `chainId`
/// (statement v2: `H_MSG(chain_id, from, to, amount, nonce, to_pk)`), as 32-byte hex. Throws
/// `TypeError`: kind `invalidTransfer` for JSON that is not a transfer or an amount or chain
/// id not below the Goldilocks prime, `invalidArgument` for a bad `chainId`.
#[wasm_bindgen(js_name = transferMessage, unchecked_return_type = "Hex32")]
pub fn transfer_message(
    #[wasm_bindgen(js_name = transferJson)] transfer_json: &str,
    #[wasm_bindgen(js_name = chainId, unchecked_param_type = "number | bigint")] chain_id: JsValue,
) -> Result<String, Error> {
    Ok(message_of(transfer_json, parse_chain_id(&chain_id)?)?.to_string())
}

/// Sign a transfer (its JSON text) for chain `chainId` with a secret key (40-byte hex):
/// returns the transfer's JSON text with its `signature` set (replacing any), ready to submit.
/// Deterministic (the nonce is derived from the key and the message), so the same inputs give
/// the same signature as the native `Transfer::signed`. Throws `TypeError`: kind
/// `invalidTransfer`, `invalidKey` or `invalidArgument`.
#[wasm_bindgen(js_name = signTransfer)]
pub fn sign_transfer(
    #[wasm_bindgen(js_name = transferJson)] transfer_json: &str,
    #[wasm_bindgen(js_name = chainId, unchecked_param_type = "number | bigint")] chain_id: JsValue,
    #[wasm_bindgen(js_name = secretKeyHex)] secret_key_hex: &str,
) -> Result<String, Error> {
    sign_transfer_json(transfer_json, parse_chain_id(&chain_id)?, secret_key_hex)
}

/// Whether `signatureHex` (80 bytes) is a valid signature of the message digest
/// `messageHex` (32 bytes) under the public key `pkHex` (40 bytes): `true` or `false`.
/// Throws `TypeError` for inputs that are not a key, a message or a signature at all: kind
/// `invalidKey` (bad hex or length, not a point, the neutral "no key"), `invalidMessage`,
/// `invalidSignature` (bad hex or length, a non-canonical coefficient, `s` not below the
/// group order).
#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(
    #[wasm_bindgen(js_name = pkHex)] pk_hex: &str,
    #[wasm_bindgen(js_name = messageHex)] message_hex: &str,
    #[wasm_bindgen(js_name = signatureHex)] signature_hex: &str,
) -> Result<bool, Error> {
    verify_hex(pk_hex, message_hex, signature_hex)
}

/// Whether a signed transfer (its JSON text) carries a valid signature of its message on
/// chain `chainId` under the sender's public key `pkHex`: `true` or `false` (rule 6 of
/// statement v2, as the provers check it). Throws `TypeError`: kind `invalidTransfer`,
/// `invalidKey`, `invalidArgument`, or `invalidSignature` for a transfer without a signature.
#[wasm_bindgen(js_name = verifyTransferSignature)]
pub fn verify_transfer_signature(
    #[wasm_bindgen(js_name = transferJson)] transfer_json: &str,
    #[wasm_bindgen(js_name = chainId, unchecked_param_type = "number | bigint")] chain_id: JsValue,
    #[wasm_bindgen(js_name = pkHex)] pk_hex: &str,
) -> Result<bool, Error> {
    verify_transfer_json(transfer_json, parse_chain_id(&chain_id)?, pk_hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_rejects() {
        let b = [0xabu8, 0x01, 0xff];
        assert_eq!(encode_hex(&b), "0xab01ff");
        assert_eq!(decode_hex::<3>("0xab01ff", Input::Message).unwrap(), b);
        assert_eq!(decode_hex::<3>("AB01FF", Input::Message).unwrap(), b);
        for bad in ["0xab01f", "0xab01ff00", "0xab01fg", "", "0x", "0xé01ff"] {
            assert!(
                matches!(
                    decode_hex::<3>(bad, Input::Message),
                    Err(Error::Encoding { expected: 3, .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn secret_key_errors_never_quote_the_key() {
        // Not below n: all 0xff.
        let hex = "ff".repeat(40);
        let e = parse_secret_key(&hex).unwrap_err();
        assert!(!e.to_string().contains("ff"), "{e}");
        assert_eq!(e.kind(), "invalidKey");
        let e = parse_secret_key(&"00".repeat(40)).unwrap_err();
        assert_eq!(e.kind(), "invalidKey");
        let e = parse_secret_key(&format!("{}zz", "12".repeat(39))).unwrap_err();
        assert!(!e.to_string().contains("12"), "{e}");
    }

    #[test]
    fn seed_length_is_bounded() {
        assert!(key_pair(&[1u8; 31]).is_err());
        assert!(key_pair(&[1u8; 1025]).is_err());
        let (sk, pk) = key_pair(&[1u8; 32]).unwrap();
        assert_eq!(public_key(&sk).unwrap(), pk);
        assert_eq!(sk.len(), 2 + 80);
    }
}
