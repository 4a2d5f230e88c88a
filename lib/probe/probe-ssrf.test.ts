import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runProbe } from "./run";
import type { ProbeReport } from "./types";

/**
 * Every URL the probe follows is attacker-controlled: the endpoint, the challenge's
 * resource_metadata, the metadata's authorization servers, every redirect. These tests point the
 * probe at hostile servers (real sockets on 127.0.0.1) and check that each trap is refused or cut
 * off with a clear verdict, and that no run hangs.
 */

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

type Handler = (req: IncomingMessage, res: ServerResponse, origin: string) => void;

async function hostile(handler: Handler): Promise<{ origin: string; url: string; hits: string[] }> {
  const hits: string[] = [];
  let origin = "";
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res, origin);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { origin, url: `${origin}/mcp`, hits };
}

/** 401 with a challenge naming `resourceMetadata` for the MCP endpoint; `prm` answers the well-known path. */
function protectedServer(resourceMetadata: (origin: string) => string, prm?: Handler): Handler {
  return (req, res, origin) => {
    if (req.url === "/mcp") {
      res.writeHead(401, { "www-authenticate": `Bearer resource_metadata="${resourceMetadata(origin)}"`, "content-type": "application/json" }).end("{}");
      return;
    }
    if (prm && req.url?.startsWith("/.well-known/oauth-protected-resource")) return prm(req, res, origin);
    res.writeHead(404).end();
  };
}

const fast = { allowLoopback: true, connectTimeoutMs: 1_000, timeoutMs: 1_500 };
const check = (report: ProbeReport, id: string) => report.checks.find((c) => c.id === id)!;
const errorsOf = (report: ProbeReport, id: string) => check(report, id).exchanges.map((e) => e.error?.code ?? `HTTP ${e.response?.status}`);

describe("the endpoint itself", () => {
  it("refuses a host that resolves to a private address, before connecting", async () => {
    const report = await runProbe("https://mcp.internal.example/mcp", { http: { ...fast, resolver: async () => [{ address: "10.0.0.5", family: 4 }] } });
    expect(check(report, "N1")).toMatchObject({ verdict: "inconclusive", summary: expect.stringMatching(/resolves to 10\.0\.0\.5, a private network address/) });
    expect(report.unreachable).toMatch(/private network/);
    expect(report.checks.filter((c) => c.id !== "N1").every((c) => c.verdict === "skipped")).toBe(true);
    expect(check(report, "N1").exchanges[0]!.error?.code).toBe("blocked_address");
  });

  it("refuses the cloud metadata address, even in test mode", async () => {
    const report = await runProbe("http://169.254.169.254/latest/meta-data/", { http: fast });
    expect(check(report, "N1").summary).toMatch(/cloud metadata endpoint/);
    expect(report.unreachable).not.toBeNull();
  });

  it("refuses loopback outside test mode", async () => {
    const { url, hits } = await hostile((_req, res) => res.writeHead(200).end());
    const report = await runProbe(url, { http: { ...fast, allowLoopback: false } });
    expect(check(report, "N1").summary).toMatch(/only https URLs are allowed/);
    expect(hits).toEqual([]);
  });

  it("cuts off a server that accepts the connection and never answers, with the time limit named", async () => {
    const sockets: Socket[] = [];
    const silent: TcpServer = createTcpServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    closers.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const started = performance.now();
    const report = await runProbe(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`, { http: fast });
    const elapsed = performance.now() - started;
    expect(check(report, "N1")).toMatchObject({ verdict: "inconclusive", summary: expect.stringMatching(/no complete answer within 1\.5 s/) });
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(3_000);
    expect(report.checks.filter((c) => c.verdict === "skipped")).toHaveLength(24);
  });
});

describe("URLs the server hands the probe", () => {
  it("a resource_metadata URL on the metadata address is refused, and the well-known URLs are tried instead", async () => {
    const { url, hits } = await hostile(protectedServer(() => "http://169.254.169.254/latest/meta-data/iam"));
    const report = await runProbe(url, { http: fast });
    expect(check(report, "N2").verdict).toBe("pass"); // the challenge is well-formed…
    expect(check(report, "N5").verdict).toBe("fail"); // …but the document it names cannot be fetched
    expect(errorsOf(report, "N5")).toEqual(["blocked_address", "HTTP 404", "HTTP 404"]);
    expect(check(report, "N5").exchanges[0]!.error!.message).toMatch(/cloud metadata endpoint/);
    expect(hits.filter((h) => h.includes("oauth-protected-resource"))).toHaveLength(2);
  });

  it("a redirect to a private address is re-checked and refused", async () => {
    const { url } = await hostile(protectedServer((o) => `${o}/.well-known/oauth-protected-resource/mcp`, (_req, res) => res.writeHead(302, { location: "http://10.1.2.3/prm" }).end()));
    const report = await runProbe(url, { http: fast });
    expect(check(report, "N5").verdict).toBe("fail");
    expect(check(report, "N5").exchanges[0]!.error).toMatchObject({ code: "blocked_address", message: expect.stringMatching(/10\.1\.2\.3, a private network address/) });
  });

  it("a redirect loop stops after 5 redirects", async () => {
    let n = 0;
    const { url } = await hostile(protectedServer((o) => `${o}/.well-known/oauth-protected-resource/mcp`, (_req, res, origin) => res.writeHead(302, { location: `${origin}/.well-known/oauth-protected-resource/loop${n++}` }).end()));
    const report = await runProbe(url, { http: fast });
    expect(check(report, "N5").exchanges[0]!.error).toMatchObject({ code: "too_many_redirects", message: expect.stringMatching(/more than 5 redirects/) });
  });

  it("a huge metadata document is cut off at the body cap, declared or streamed", async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const { url } = await hostile(
      protectedServer(
        (o) => `${o}/.well-known/oauth-protected-resource/declared`,
        (req, res) => {
          if (req.url?.endsWith("/declared")) {
            res.writeHead(200, { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) });
            res.write(chunk);
            return; // never finishes: the declared length alone is refused
          }
          // Streamed (chunked), no length: 20 MB of whitespace.
          res.writeHead(200, { "content-type": "application/json" });
          let sent = 0;
          const pump = () => {
            while (sent < 20 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
            if (sent < 20 * 1024 * 1024) res.once("drain", pump);
            else res.end();
          };
          pump();
        },
      ),
    );
    const started = performance.now();
    const report = await runProbe(url, { http: fast });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(errorsOf(report, "N5")).toEqual(["too_large", "too_large", "too_large"]);
    expect(check(report, "N5").exchanges[0]!.error!.message).toMatch(/larger than 256 KB/);
    expect(check(report, "N5").verdict).toBe("fail");
  });

  it("metadata that is not JSON does not count as found", async () => {
    const { url } = await hostile(protectedServer((o) => `${o}/.well-known/oauth-protected-resource/mcp`, (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<script>alert(1)</script>")));
    const report = await runProbe(url, { http: fast });
    expect(check(report, "N5").verdict).toBe("fail");
    // The body is kept as text, for display escaped.
    expect(check(report, "N5").exchanges[0]!.response!.body).toBe("<script>alert(1)</script>");
  });

  it("an authorization server on a private address is refused", async () => {
    const { url } = await hostile(
      protectedServer(
        (o) => `${o}/.well-known/oauth-protected-resource/mcp`,
        (_req, res, origin) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ resource: `${origin}/mcp`, authorization_servers: ["https://192.168.1.10"], scopes_supported: ["mcp"] })),
      ),
    );
    const report = await runProbe(url, { http: fast });
    expect(check(report, "N7").verdict).toBe("fail");
    expect(check(report, "N7").exchanges.every((e) => e.error?.code === "blocked_address")).toBe(true);
  });
});

describe("the run as a whole", () => {
  it("stops at the run's time limit and says which checks were not reached", async () => {
    const { url } = await hostile(protectedServer((o) => `${o}/.well-known/oauth-protected-resource/mcp`, () => undefined /* never answers */));
    const started = performance.now();
    const report = await runProbe(url, { http: { ...fast, timeoutMs: 10_000 }, runTimeoutMs: 800 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(check(report, "N1").verdict).toBe("pass");
    expect(check(report, "N5")).toMatchObject({ verdict: "inconclusive", summary: expect.stringMatching(/time limit \(1 s\) ran out/) });
    expect(report.checks).toHaveLength(25);
  });
});
