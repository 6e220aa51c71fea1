// The demo's anchor pins (site/app/pin-store.js) under Node, over a Map-backed Storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { forgetPin, pinKey, readPin, writePin } from "../../site/app/pin-store.js";

function memoryStorage() {
  const m = new Map();
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => m.set(k, String(v)),
    removeItem: (k) => m.delete(k),
    map: m,
  };
}

test("a pin is kept per node, replaced by a newer one, and forgotten", () => {
  const s = memoryStorage();
  const a = "http://127.0.0.1:8080";
  const b = "http://127.0.0.1:8081";
  assert.equal(readPin(s, a), null);
  const at = new Date("2026-01-02T03:04:05Z");
  assert.deepEqual(writePin(s, a, '{"chain_id":7}', "tofu", at), { anchorJson: '{"chain_id":7}', how: "tofu", at: "2026-01-02T03:04:05.000Z" });
  assert.equal(readPin(s, a).how, "tofu");
  assert.equal(readPin(s, b), null, "another node has no pin");
  writePin(s, a, '{"chain_id":8}', "pasted", at);
  assert.equal(readPin(s, a).anchorJson, '{"chain_id":8}');
  forgetPin(s, a);
  assert.equal(readPin(s, a), null);
});

test("what is stored under a pin's key but is not a pin reads as no pin", () => {
  const s = memoryStorage();
  const node = "http://x";
  for (const junk of ["not json", "null", "5", '{"anchorJson": 5}', "[]"]) {
    s.setItem(pinKey(node), junk);
    assert.equal(readPin(s, node), null, junk);
  }
});
