// A tiny static + fake node server for the browser tests: serves site/ (the page, site/app/,
// site/pkg/) as the node does, and the recorded node API from tests/browser/data/. Binds
// 127.0.0.1 on a free port. `mode` can be changed while running to make the node misbehave.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SITE = join(ROOT, "site");
const DATA = fileURLToPath(new URL("./data/", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

export async function startFakeNode() {
  const state = { mode: "good", requests: [] };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    state.requests.push(url.pathname);
    const send = (status, body, type = "application/json") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    try {
      if (url.pathname === "/api/anchor") return send(200, await readFile(join(DATA, "anchor.json")));
      if (url.pathname === "/api/status") {
        if (state.mode === "down") return send(503, "{}");
        return send(200, await readFile(join(DATA, "status.json")));
      }
      const m = url.pathname.match(/^\/api\/batches\/(\d+)$/);
      if (m) {
        if (state.mode === "garbage" && m[1] === "2") return send(200, '{"batch": "this is not a batch"}');
        return send(200, await readFile(join(DATA, "batches", `${m[1]}.json`)));
      }
      const path = normalize(url.pathname === "/" ? "/index.html" : url.pathname);
      // Like the node: nothing above site/, no dot-files.
      if (path.split("/").some((seg) => seg.startsWith("."))) return send(404, "not found", "text/plain");
      const body = await readFile(join(SITE, path));
      return send(200, body, TYPES[extname(path)] || "application/octet-stream");
    } catch {
      return send(404, "not found", "text/plain");
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, state, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}
