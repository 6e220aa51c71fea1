//! The error enum of `multiprover-wasm`, and how it reaches JavaScript.

use multiprover_core::ecgfp5::EcError;
use multiprover_core::proof_system::Classify;
use multiprover_core::CoreError;
use wasm_bindgen::JsValue;

/// Why a call failed. In JavaScript every variant is an `Error` whose `name` is
/// [`Error::js_name`] and whose `message` is the `Display` text below.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The trust anchor JSON does not parse or is inconsistent.
    #[error("invalid trust anchor: {0}")]
    Anchor(#[source] CoreError),
    /// The envelope bytes do not decode, or the proof was rejected.
    #[error("envelope rejected: {0}")]
    Rejected(#[source] multiprover_verifier::Error),
    /// A batch record passed to `ingest` does not parse or does not extend the chain.
    #[error("batch record rejected: {0}")]
    Record(#[source] multiprover_verifier::Error),
    /// An argument from JavaScript is out of range.
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
    /// The node could not be reached (network error, CORS, refused connection).
    #[error("cannot reach the node at {url}: {reason}")]
    Unreachable {
        /// The URL requested.
        url: String,
        /// What the platform's `fetch` said.
        reason: String,
    },
    /// The node answered with an HTTP error status.
    #[error("the node answered HTTP {status} for {url}")]
    Http {
        /// The URL requested.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The node served data that does not parse or contradicts what was already verified.
    #[error("the node served bad data at {url}: {reason}")]
    BadData {
        /// The URL requested.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The node served a batch record that does not parse or does not extend the chain.
    #[error("the node served a bad batch record at {url}: {source}")]
    BadRecord {
        /// The URL requested.
        url: String,
        /// Why the light client refused it.
        #[source]
        source: multiprover_verifier::Error,
    },
    /// The `onProgress` callback threw.
    #[error("the onProgress callback threw: {0}")]
    Callback(String),
    /// A value could not be handed to JavaScript.
    #[error("could not convert a result for JavaScript: {0}")]
    Convert(String),
    /// A key, message or signature argument is not hex of the right length.
    #[error("{input} must be {expected} bytes of hex (0x optional)")]
    Encoding {
        /// Which argument.
        input: Input,
        /// Its length in bytes.
        expected: usize,
    },
    /// A key or signature argument has the right length but is not a valid one.
    #[error("invalid {input}: {source}")]
    Decode {
        /// Which argument.
        input: Input,
        /// Why (non-canonical, zero, not a point, the neutral key).
        #[source]
        source: EcError,
    },
    /// A message digest argument has an element not below the Goldilocks prime.
    #[error("invalid message: an element is not a canonical Goldilocks element")]
    NonCanonicalMessage,
    /// The transfer JSON does not parse as a transfer.
    #[error("invalid transfer JSON: {0}")]
    Transfer(#[source] serde_json::Error),
    /// The transfer's message cannot be computed (an amount or chain id not below p).
    #[error("invalid transfer: {0}")]
    Message(#[source] CoreError),
    /// The transfer to verify carries no signature.
    #[error("the transfer carries no signature")]
    Unsigned,
}

/// Which argument of a signing call is malformed (never its value: a secret key stays out
/// of every message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A secret key (40 bytes).
    SecretKey,
    /// A public key (40 bytes).
    PublicKey,
    /// A message digest (32 bytes).
    Message,
    /// A signature (80 bytes).
    Signature,
}

impl Input {
    /// The `kind` of an error about this argument.
    pub fn kind(self) -> &'static str {
        match self {
            Input::SecretKey | Input::PublicKey => "invalidKey",
            Input::Message => "invalidMessage",
            Input::Signature => "invalidSignature",
        }
    }
}

impl core::fmt::Display for Input {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Input::SecretKey => "secret key",
            Input::PublicKey => "public key",
            Input::Message => "message",
            Input::Signature => "signature",
        })
    }
}

impl Error {
    /// The `name` of the JavaScript `Error`: lets a page tell "node unreachable" from
    /// "node serves bad data" from "your input is wrong".
    pub fn js_name(&self) -> &'static str {
        match self {
            Error::Anchor(_) => "AnchorError",
            Error::Rejected(_) => "VerificationError",
            Error::Record(_)
            | Error::BadData { .. }
            | Error::BadRecord { .. }
            | Error::Http { .. } => "BadDataError",
            Error::InvalidArgument(_)
            | Error::Encoding { .. }
            | Error::Decode { .. }
            | Error::NonCanonicalMessage
            | Error::Transfer(_)
            | Error::Message(_)
            | Error::Unsigned => "TypeError",
            Error::Unreachable { .. } => "NodeUnreachableError",
            Error::Callback(_) => "CallbackError",
            Error::Convert(_) => "Error",
        }
    }

    /// The `kind` of the JavaScript `Error`, the value callers switch on: a verification
    /// kind ([`multiprover_core::ErrorKind::as_str`]: `malformed`, `wrongKey`, `rejected`, `notCompiled`, …) for a
    /// rejected envelope, else one of `anchor`, `badData`, `http`, `unreachable`,
    /// `invalidArgument`, `callback`, `convert`; the signing calls add `invalidKey`,
    /// `invalidMessage`, `invalidSignature` and `invalidTransfer`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Anchor(_) => "anchor",
            Error::Rejected(e) => e.kind().as_str(),
            Error::Record(_) | Error::BadData { .. } | Error::BadRecord { .. } => "badData",
            Error::Http { .. } => "http",
            Error::InvalidArgument(_) => "invalidArgument",
            Error::Unreachable { .. } => "unreachable",
            Error::Callback(_) => "callback",
            Error::Convert(_) => "convert",
            Error::Encoding { input, .. } | Error::Decode { input, .. } => input.kind(),
            Error::NonCanonicalMessage => "invalidMessage",
            Error::Transfer(_) | Error::Message(_) => "invalidTransfer",
            Error::Unsigned => "invalidSignature",
        }
    }
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        let js = js_sys::Error::new(&e.to_string());
        js.set_name(e.js_name());
        let value: JsValue = js.into();
        // Setting a property on a fresh Error object cannot fail.
        js_sys::Reflect::set(
            &value,
            &JsValue::from_str("kind"),
            &JsValue::from_str(e.kind()),
        )
        .ok();
        value
    }
}

/// The message of a thrown JavaScript value (an `Error`'s message, or its string form).
pub(crate) fn js_message(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        return s;
    }
    match js_sys::Reflect::get(v, &JsValue::from_str("message")) {
        Ok(m) if m.is_string() => m.as_string().unwrap_or_default(),
        _ => format!("{v:?}"),
    }
}
