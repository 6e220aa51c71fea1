// Order statistics of benchmark samples, the JS twin of crates/bench/src/stats.rs.

/** The median of `v` (the mean of the two middle values for an even count); NaN when empty. */
export function median(v) {
  if (!v || !v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
