// Checks a multiprover-bench report against its shape in bench/schema.json (the same file
// crates/bench's tests check the Rust report structs against), so a renamed field fails
// here, when the report is read, rather than as a NaN in docs/benchmarks.md.
import { readFileSync } from "node:fs";

export const SCHEMA = JSON.parse(readFileSync(new URL("../schema.json", import.meta.url), "utf8"));

function leaf(type, v) {
  switch (type) {
    case "number": return v === null || typeof v === "number";
    case "string": return typeof v === "string";
    case "boolean": return typeof v === "boolean";
    case "number[]": return Array.isArray(v) && v.every((x) => x === null || typeof x === "number");
    case "string[]": return Array.isArray(v) && v.every((x) => typeof x === "string");
    default: throw new Error(`bench/schema.json: unknown type ${type}`);
  }
}

/** The mismatches between `value` and `shape`, as "path: problem" strings. */
export function mismatches(shape, value, path = "$") {
  if (typeof shape === "string") return leaf(shape, value) ? [] : [`${path}: not ${shape}`];
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${path}: not an object`];
  if ("*" in shape) return Object.entries(value).flatMap(([k, v]) => mismatches(shape["*"], v, `${path}.${k}`));
  const out = [];
  const known = new Set();
  for (const [key, sub] of Object.entries(shape)) {
    const optional = key.endsWith("?");
    const name = optional ? key.slice(0, -1) : key;
    known.add(name);
    if (!(name in value)) {
      if (!optional) out.push(`${path}.${name}: missing`);
    } else out.push(...mismatches(sub, value[name], `${path}.${name}`));
  }
  for (const k of Object.keys(value)) if (!known.has(k)) out.push(`${path}.${k}: not in bench/schema.json`);
  return out;
}

/** `value` if it has the shape of report `kind` (chain, serve, load, poseidon); throws otherwise. */
export function checked(kind, value) {
  const bad = mismatches(SCHEMA[kind], value);
  if (bad.length) throw new Error(`multiprover-bench ${kind} report does not match bench/schema.json:\n  ${bad.join("\n  ")}`);
  return value;
}
