// @ts-check
// Small DOM helpers shared by the page's views.

/**
 * The element matching a selector; throws if the page lacks it (a bug in index.html).
 * @template {Element} [E=HTMLElement]
 * @param {string} selector
 * @returns {E}
 */
export function $(selector) {
  const e = document.querySelector(selector);
  if (!e) throw new Error(`index.html has no ${selector}`);
  return /** @type {E} */ (/** @type {unknown} */ (e));
}

/** @typedef {Node | string | null | undefined} Child */

/**
 * An element with attributes and children. `class` and `text` set className and
 * textContent, `data-*` are attributes, anything else is a property.
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {...Child} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (e))[k] = v;
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

/**
 * A hex value, shortened to `keep` digits at each end (the full value in its title and in
 * `data-full`); a dash if there is none.
 * @param {string | null | undefined} h
 * @param {number} [keep]
 * @returns {HTMLElement}
 */
export function hex(h, keep = 6) {
  if (typeof h !== "string") return el("span", { class: "muted", text: "—" });
  const short = h.length > 2 + 2 * keep ? `${h.slice(0, 2 + keep)}…${h.slice(-keep)}` : h;
  return el("span", { class: "hex", title: h, text: short, "data-full": h });
}
