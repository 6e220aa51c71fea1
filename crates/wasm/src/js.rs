//! Where Rust meets the JavaScript host: time, a millisecond timer and JSON hand-over.
//! Everything here works in a window, in a Web Worker and under Node (it reads
//! `globalThis`, never `window`).

use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;

/// Unix seconds: the timestamp JavaScript passed, else `Date.now() / 1000`.
pub(crate) fn unix_seconds(given: Option<f64>) -> Result<u64, Error> {
    match given {
        Some(t) if (0.0..1.8e19).contains(&t) => Ok(t as u64),
        Some(_) => Err(Error::InvalidArgument(
            "batchTimestamp must be a finite, non-negative number of seconds",
        )),
        None => Ok((js_sys::Date::now() / 1000.0) as u64),
    }
}

/// `globalThis.performance.now()` when the host has it (browsers, workers, Node >= 16),
/// else `Date.now()`.
pub(crate) fn now_millis() -> f64 {
    let global = js_sys::global();
    let perf = js_sys::Reflect::get(&global, &JsValue::from_str("performance"))
        .unwrap_or(JsValue::UNDEFINED);
    if perf.is_object() {
        if let Ok(now) = js_sys::Reflect::get(&perf, &JsValue::from_str("now")) {
            if let Some(f) = now.dyn_ref::<js_sys::Function>() {
                if let Some(t) = f.call0(&perf).ok().and_then(|v| v.as_f64()) {
                    return t;
                }
            }
        }
    }
    js_sys::Date::now()
}

/// A serde value as a plain JavaScript object (through JSON: large integers become
/// numbers, byte strings stay 0x-hex strings, exactly as the node's API shows them).
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    let text = serde_json::to_string(value).map_err(|e| Error::Convert(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|e| Error::Convert(crate::error::js_message(&e)))
}
