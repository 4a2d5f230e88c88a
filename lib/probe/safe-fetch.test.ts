import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  checkAddress,
  resolveAndCheck,
  safeFetch,
  safeFetchJson,
  SafeFetchError,
  SAFE_FETCH_DEFAULTS,
  type Resolver,
  type SafeFetchErrorCode,
} from "./safe-fetch";

// ---- helpers ------------------------------------------------------------------------------------

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: string };

const servers: Server[] = [];

/** A real HTTP server on 127.0.0.1 (random port) that records every request it gets. */
async function httpServer(handler: Handler): Promise<{ origin: string; port: number; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, port, seen, server };
}

afterEach(async () => {
  delete process.env.STEWARD_TEST_MODE;
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections?.();
          s.close(() => resolve());
        }),
    ),
  );
});

/** A resolver that answers from a table and counts its calls (no real DNS). */
function tableResolver(table: Record<string, string[]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: (address.includes(":") ? 6 : 4) as 4 | 6 }));
  };
  return Object.assign(resolver, { calls });
}

async function failure(promise: Promise<unknown>): Promise<SafeFetchError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SafeFetchError) return err;
    throw err;
  }
  throw new Error("expected the fetch to fail");
}

async function expectCode(promise: Promise<unknown>, code: SafeFetchErrorCode): Promise<SafeFetchError> {
  const err = await failure(promise);
  expect(err.code, err.message).toBe(code);
  return err;
}

// ---- the address table --------------------------------------------------------------------------

describe("checkAddress: every blocked range is refused", () => {
  const blockedTable: [string, string][] = [
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.1", "private"],
    ["169.254.0.1", "linkLocal"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "metadata"],
    ["100.100.100.200", "metadata"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.254", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.10", "reserved"],
    ["198.18.0.1", "reserved"],
    ["198.51.100.7", "reserved"],
    ["203.0.113.9", "reserved"],
    ["240.0.0.1", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["fe80::1", "linkLocal"],
    ["fec0::1", "private"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456:789a::1", "uniqueLocal"],
    ["fd00:ec2::254", "metadata"],
    ["ff02::1", "multicast"],
    ["ff0e::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["3fff::1", "reserved"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:100.64.0.1", "carrierGradeNat"],
    ["::ffff:0.0.0.0", "unspecified"],
    ["64:ff9b::a00:1", "private"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "metadata"],
    ["64:ff9b:1::a00:1", "translation"],
    ["2002:a00:1::1", "translation"],
    ["2001:0:4136:e378::1", "translation"],
    ["::7f00:1", "notGlobalUnicast"],
    ["100::1", "reserved"],
    ["not-an-address", "invalid"],
    ["", "invalid"],
  ];
  it.each(blockedTable)("%s is refused as %s", (address, range) => {
    const verdict = checkAddress(address);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) {
      expect(verdict.range).toBe(range);
      expect(verdict.reason.length).toBeGreaterThan(5);
    }
  });

  const allowedTable = [
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "11.0.0.1",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "169.253.255.255",
    "192.169.0.1",
    "223.255.255.254",
    "2606:4700:4700::1111",
    "2a00:1450:4001:82b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
  ];
  it.each(allowedTable)("%s (public) is allowed", (address) => {
    expect(checkAddress(address)).toMatchObject({ allowed: true });
  });

  it("test mode relaxes loopback only", () => {
    for (const address of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) {
      expect(checkAddress(address, { allowLoopback: true }).allowed, address).toBe(true);
    }
    for (const address of ["10.0.0.1", "192.168.1.1", "169.254.169.254", "fd00:ec2::254", "100.100.100.200", "fc00::1", "0.0.0.0", "::"]) {
      expect(checkAddress(address, { allowLoopback: true }).allowed, address).toBe(false);
    }
  });
});

describe("resolveAndCheck", () => {
  it("allows a public name and returns the checked address to connect to (no connection made)", async () => {
    const resolver = tableResolver({ "mcp.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"] });
    const pinned = await resolveAndCheck(new URL("https://mcp.example.com/mcp"), { resolver });
    expect(pinned).toEqual({ address: "93.184.215.14", family: 4 });
    expect(resolver.calls).toEqual(["mcp.example.com"]);
  });

  it("refuses a name when any one of its addresses is blocked, naming it", async () => {
    const resolver = tableResolver({ "rebind.example.com": ["93.184.215.14", "10.0.0.7"] });
    const err = await expectCode(resolveAndCheck(new URL("https://rebind.example.com/x"), { resolver }), "blocked_address");
    expect(err.message).toContain("rebind.example.com resolves to 10.0.0.7");
    expect(err.message).toContain("private");
    expect(err.details).toMatchObject({ address: "10.0.0.7", range: "private" });
  });

  it("refuses every cloud metadata address by name", async () => {
    for (const address of ["169.254.169.254", "fd00:ec2::254", "100.100.100.200"]) {
      const resolver = tableResolver({ "meta.example.com": [address] });
      const err = await expectCode(resolveAndCheck(new URL("https://meta.example.com/"), { resolver, allowLoopback: true }), "blocked_address");
      expect(err.message).toContain("cloud metadata");
    }
  });

  it("checks IP literals without a lookup", async () => {
    const resolver = tableResolver({});
    await expectCode(resolveAndCheck(new URL("https://169.254.169.254/latest/meta-data/"), { resolver }), "blocked_address");
    await expectCode(resolveAndCheck(new URL("https://[::ffff:a00:1]/"), { resolver }), "blocked_address");
    // WHATWG URL parsing turns the decimal and hex forms into dotted quads before the check.
    await expectCode(resolveAndCheck(new URL("https://2130706433/"), { resolver }), "blocked_address");
    await expectCode(resolveAndCheck(new URL("https://0x7f.1/"), { resolver }), "blocked_address");
    expect(await resolveAndCheck(new URL("https://8.8.8.8/"), { resolver })).toEqual({ address: "8.8.8.8", family: 4 });
    expect(resolver.calls).toEqual([]);
  });

  it("reports a name that does not resolve, and a lookup that hangs", async () => {
    await expectCode(resolveAndCheck(new URL("https://nowhere.invalid/"), { resolver: tableResolver({}) }), "dns_failed");
    await expectCode(resolveAndCheck(new URL("https://empty.example/"), { resolver: async () => [] }), "dns_failed");
    const started = Date.now();
    const err = await expectCode(resolveAndCheck(new URL("https://slow.example/"), { resolver: () => new Promise(() => {}), connectTimeoutMs: 200 }), "timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(err.message).toContain("looking up slow.example");
  });

  it("allows https only; http only to loopback in test mode; no other scheme", async () => {
    const resolver = tableResolver({ "public.example": ["8.8.8.8"], "local.test": ["127.0.0.1"] });
    for (const url of ["ftp://public.example/", "file:///etc/passwd", "ws://public.example/", "gopher://public.example/"]) {
      await expectCode(resolveAndCheck(new URL(url), { resolver, allowLoopback: true }), "bad_scheme");
    }
    await expectCode(resolveAndCheck(new URL("http://public.example/"), { resolver }), "bad_scheme");
    await expectCode(resolveAndCheck(new URL("http://public.example/"), { resolver, allowLoopback: true }), "bad_scheme");
    await expectCode(resolveAndCheck(new URL("http://local.test/"), { resolver }), "bad_scheme");
    expect(await resolveAndCheck(new URL("http://local.test/"), { resolver, allowLoopback: true })).toEqual({ address: "127.0.0.1", family: 4 });
  });
});

// ---- the full path over real sockets ----------------------------------------------------------

describe("safeFetch over real sockets", () => {
  it("connects to the checked address with one lookup, keeping the host name in Host", async () => {
    const { port, seen } = await httpServer((_req, res) => res.end("hello"));
    const resolver = tableResolver({ "mcp.test": ["127.0.0.1"] });
    const response = await safeFetch(`http://mcp.test:${port}/path?q=1`, undefined, { allowLoopback: true, resolver });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("hello");
    expect(response.url).toBe(`http://mcp.test:${port}/path?q=1`);
    expect(resolver.calls).toEqual(["mcp.test"]);
    expect(seen[0]?.headers.host).toBe(`mcp.test:${port}`);
    expect(seen[0]?.url).toBe("/path?q=1");
  });

  it("refuses loopback outside test mode before any connection is made", async () => {
    const { port, seen } = await httpServer((_req, res) => res.end("should not be reached"));
    await expectCode(safeFetch(`http://127.0.0.1:${port}/`), "bad_scheme");
    const err = await expectCode(safeFetch(`https://127.0.0.1:${port}/`), "blocked_address");
    expect(err.message).toContain(`https://127.0.0.1:${port}/`);
    expect(err.message).toContain("loopback");
    // "localhost" through the real resolver (the hosts file: no internet needed).
    await expectCode(safeFetch(`https://localhost:${port}/`), "blocked_address");
    expect(seen).toHaveLength(0);
  });

  it("takes test mode from STEWARD_TEST_MODE=1 when the option is not given", async () => {
    const { origin } = await httpServer((_req, res) => res.end("ok"));
    await expectCode(safeFetch(origin), "bad_scheme");
    process.env.STEWARD_TEST_MODE = "1";
    expect(await (await safeFetch(origin)).text()).toBe("ok");
    await expectCode(safeFetch(origin, undefined, { allowLoopback: false }), "bad_scheme");
  });

  it("sends the method, headers and body it is given", async () => {
    const { origin, seen } = await httpServer((_req, res) => res.writeHead(201, { "x-answer": "42" }).end());
    const response = await safeFetch(origin + "/items", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer t0k" }, body: '{"a":1}' }, { allowLoopback: true });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-answer")).toBe("42");
    expect(seen[0]).toMatchObject({ method: "POST", url: "/items", body: '{"a":1}' });
    expect(seen[0]?.headers.authorization).toBe("Bearer t0k");
  });

  it("answers 4xx and 5xx as responses, like fetch", async () => {
    const { origin } = await httpServer((_req, res) => res.writeHead(503).end("down"));
    const response = await safeFetch(origin, undefined, { allowLoopback: true });
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("down");
  });

  it("refuses URLs with credentials and reports a refused connection", async () => {
    const { port } = await httpServer((_req, res) => res.end());
    await expectCode(safeFetch(`http://user:pass@127.0.0.1:${port}/`, undefined, { allowLoopback: true }), "bad_url");
    await expectCode(safeFetch("not a url", undefined, { allowLoopback: true }), "bad_url");
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await expectCode(safeFetch(`http://127.0.0.1:${closedPort}/`, undefined, { allowLoopback: true }), "connect_failed");
    expect(err.message).toContain("refused the connection");
  });

  it("never puts the query string (where tokens travel) in an error message", async () => {
    const err = await expectCode(safeFetch("https://169.254.169.254/latest?access_token=canary-secret-123"), "blocked_address");
    expect(err.message).not.toContain("canary-secret-123");
    expect(JSON.stringify(err.details)).not.toContain("canary-secret-123");
    expect(err.message).toContain("https://169.254.169.254/latest?…");
  });

  it("passes the caller's abort through", async () => {
    const { origin } = await httpServer(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const pending = safeFetch(origin, { signal: controller.signal }, { allowLoopback: true });
    setTimeout(() => controller.abort(new Error("stop")), 50);
    await expect(pending).rejects.toThrow("stop");
  });
});

describe("redirects", () => {
  function redirector(hops: number, target: (n: number) => string, status = 302): Handler {
    return (req, res) => {
      const n = Number(new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? "0");
      if (n < hops) res.writeHead(status, { location: target(n + 1) }).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end(`arrived after ${n}`);
    };
  }

  it("follows up to 5, re-resolving and re-checking each hop", async () => {
    const resolver = tableResolver({ "a.test": ["127.0.0.1"] });
    const srv = await httpServer(redirector(5, (n) => `http://a.test:${srv.port}/?n=${n}`));
    const response = await safeFetch(`http://a.test:${srv.port}/?n=0`, undefined, { allowLoopback: true, resolver });
    expect(await response.text()).toBe("arrived after 5");
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`http://a.test:${srv.port}/?n=5`);
    expect(resolver.calls).toHaveLength(6);
  });

  it("refuses a sixth redirect", async () => {
    const srv = await httpServer(redirector(6, (n) => `/?n=${n}`));
    const err = await expectCode(safeFetch(`${srv.origin}/?n=0`, undefined, { allowLoopback: true }), "too_many_redirects");
    expect(err.message).toContain("more than 5 redirects");
    expect(srv.seen).toHaveLength(6);
  });

  it("refuses a redirect to a blocked address, a metadata endpoint or another scheme", async () => {
    const resolver = tableResolver({ "evil.test": ["10.0.0.5"] });
    for (const location of ["http://evil.test/admin", "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/", "file:///etc/passwd"]) {
      const srv = await httpServer((_req, res) => res.writeHead(302, { location }).end());
      const err = await failure(safeFetch(srv.origin, undefined, { allowLoopback: true, resolver }));
      expect(["blocked_address", "bad_scheme"]).toContain(err.code);
    }
    expect(resolver.calls).toEqual(["evil.test"]);
  });

  it("returns the redirect itself with redirect: manual, and fails with redirect: error", async () => {
    const srv = await httpServer((_req, res) => res.writeHead(307, { location: "https://elsewhere.example/" }).end());
    const response = await safeFetch(srv.origin, { redirect: "manual" }, { allowLoopback: true });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("https://elsewhere.example/");
    await expectCode(safeFetch(srv.origin, { redirect: "error" }, { allowLoopback: true }), "too_many_redirects");
  });

  it("turns a POST into a GET on 303 and keeps it on 307", async () => {
    for (const [status, method, body] of [
      [303, "GET", ""],
      [307, "POST", "payload"],
    ] as const) {
      const srv = await httpServer((req, res) => (req.url === "/start" ? res.writeHead(status, { location: "/end" }).end() : res.end("done")));
      await safeFetch(`${srv.origin}/start`, { method: "POST", body: "payload" }, { allowLoopback: true });
      expect(srv.seen[1]).toMatchObject({ method, url: "/end", body });
    }
  });

  it("drops Authorization and Cookie when a redirect leaves the origin, keeps them within it", async () => {
    const other = await httpServer((_req, res) => res.end("other"));
    const first = await httpServer((req, res) =>
      req.url === "/same" ? res.writeHead(302, { location: "/landed" }).end() : req.url === "/cross" ? res.writeHead(302, { location: `${other.origin}/landed` }).end() : res.end("same"),
    );
    const headers = { authorization: "Bearer secret-token", cookie: "sid=1" };
    await safeFetch(`${first.origin}/same`, { headers }, { allowLoopback: true });
    expect(first.seen[1]?.headers.authorization).toBe("Bearer secret-token");
    await safeFetch(`${first.origin}/cross`, { headers }, { allowLoopback: true });
    expect(other.seen[0]?.url).toBe("/landed");
    expect(other.seen[0]?.headers.authorization).toBeUndefined();
    expect(other.seen[0]?.headers.cookie).toBeUndefined();
  });
});

describe("timeouts", () => {
  it("gives up on a server that never answers after the total timeout", async () => {
    const { origin } = await httpServer(() => {
      /* never answers */
    });
    const started = Date.now();
    const err = await expectCode(safeFetch(origin, undefined, { allowLoopback: true, timeoutMs: 300 }), "timeout");
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(err.message).toContain("0.3 s");
  });

  it("gives up on a body that stalls, while it is being read", async () => {
    const { origin } = await httpServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first part");
      // …and never the rest.
    });
    const response = await safeFetch(origin, undefined, { allowLoopback: true, timeoutMs: 400 });
    expect(response.status).toBe(200);
    await expectCode(response.text(), "timeout");
  });

  it("caps the connect time (a TLS handshake that never completes)", async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const err = await expectCode(safeFetch(`https://127.0.0.1:${port}/`, undefined, { allowLoopback: true, connectTimeoutMs: 300, timeoutMs: 10_000 }), "timeout");
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(err.message).toContain("connecting to 127.0.0.1");
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("has the documented defaults", () => {
    expect(SAFE_FETCH_DEFAULTS).toEqual({ connectTimeoutMs: 5_000, timeoutMs: 15_000, maxBodyBytes: 1_048_576, maxRedirects: 5 });
  });
});

describe("body size cap", () => {
  it("refuses a declared Content-Length over the cap without reading it", async () => {
    const { origin } = await httpServer((_req, res) => res.writeHead(200, { "content-length": "2000" }).end("x".repeat(2000)));
    const err = await expectCode(safeFetch(origin, undefined, { allowLoopback: true, maxBodyBytes: 1000 }), "too_large");
    expect(err.message).toContain("larger than 1000 bytes");
  });

  it("aborts a streamed (chunked) body as soon as it passes the cap", async () => {
    const { origin } = await httpServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      let sent = 0;
      const tick = setInterval(() => {
        if (res.destroyed || sent >= 20) {
          clearInterval(tick);
          if (!res.destroyed) res.end();
          return;
        }
        res.write("y".repeat(500));
        sent++;
      }, 5);
    });
    const response = await safeFetch(origin, undefined, { allowLoopback: true, maxBodyBytes: 1000 });
    await expectCode(response.text(), "too_large");
  });

  it("reads a body of exactly the cap, and applies the 1 MB default", async () => {
    const exact = await httpServer((_req, res) => res.end("z".repeat(1000)));
    expect((await (await safeFetch(exact.origin, undefined, { allowLoopback: true, maxBodyBytes: 1000 })).text()).length).toBe(1000);
    const big = await httpServer((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(1024 * 1024, 97));
      res.end("!");
    });
    await expectCode((await safeFetch(big.origin, undefined, { allowLoopback: true })).arrayBuffer(), "too_large");
  });
});

describe("JSON", () => {
  it("expectJson parses a JSON body and requires a JSON content type", async () => {
    const srv = await httpServer((req, res) => {
      if (req.url === "/json") res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end('{"resource":"https://x"}');
      else if (req.url === "/problem") res.writeHead(400, { "content-type": "application/problem+json" }).end('{"title":"bad"}');
      else if (req.url === "/html") res.writeHead(200, { "content-type": "text/html" }).end("<h1>hi</h1>");
      else res.writeHead(200, { "content-type": "application/json" }).end("{not json");
    });
    const ok = await safeFetch(`${srv.origin}/json`, undefined, { allowLoopback: true, expectJson: true });
    expect(await ok.json()).toEqual({ resource: "https://x" });
    const problem = await safeFetch(`${srv.origin}/problem`, undefined, { allowLoopback: true, expectJson: true });
    expect(problem.status).toBe(400);
    expect(await problem.json()).toEqual({ title: "bad" });
    const html = await expectCode(safeFetch(`${srv.origin}/html`, undefined, { allowLoopback: true, expectJson: true }), "not_json");
    expect(html.message).toContain("text/html");
    await expectCode(safeFetch(`${srv.origin}/broken`, undefined, { allowLoopback: true, expectJson: true }), "not_json");
  });

  it("safeFetchJson returns the data of a 2xx and refuses any other status", async () => {
    const srv = await httpServer((req, res) =>
      req.url === "/ok" ? res.writeHead(200, { "content-type": "application/json" }).end('{"issuer":"https://as.example"}') : res.writeHead(404, { "content-type": "application/json" }).end("{}"),
    );
    const { data, response } = await safeFetchJson<{ issuer: string }>(`${srv.origin}/ok`, undefined, { allowLoopback: true });
    expect(data.issuer).toBe("https://as.example");
    expect(response.status).toBe(200);
    const err = await expectCode(safeFetchJson(`${srv.origin}/missing`, undefined, { allowLoopback: true }), "http_error");
    expect(err.details.status).toBe(404);
    expect(err.message).toContain("HTTP 404");
  });
});

describe("TLS keeps the original name (SNI and certificate check)", () => {
  let dir: string;
  let cert: Buffer;
  let key: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "safe-fetch-tls-"));
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=mcp.test", "-addext", "subjectAltName=DNS:mcp.test", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")],
      { stdio: "ignore" },
    );
    cert = readFileSync(path.join(dir, "cert.pem"));
    key = readFileSync(path.join(dir, "key.pem"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("connects to the pinned address while SNI, Host and the certificate use the name", async () => {
    const seen: { servername: string | false | null; host: string | undefined }[] = [];
    const server = createHttpsServer({ cert, key }, (req, res) => {
      seen.push({ servername: (req.socket as TLSSocket).servername, host: req.headers.host });
      res.end("secure");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    const port = (server.address() as AddressInfo).port;
    const resolver = tableResolver({ "mcp.test": ["127.0.0.1"], "other.test": ["127.0.0.1"] });

    const response = await safeFetch(`https://mcp.test:${port}/`, undefined, { allowLoopback: true, resolver, ca: cert });
    expect(await response.text()).toBe("secure");
    expect(seen[0]).toEqual({ servername: "mcp.test", host: `mcp.test:${port}` });

    // The same address under a name the certificate does not cover fails verification.
    const err = await expectCode(safeFetch(`https://other.test:${port}/`, undefined, { allowLoopback: true, resolver, ca: cert }), "connect_failed");
    expect(err.message).toContain("TLS");
    // An untrusted certificate is refused.
    await expectCode(safeFetch(`https://mcp.test:${port}/`, undefined, { allowLoopback: true, resolver }), "connect_failed");
  });
});
