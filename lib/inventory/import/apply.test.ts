import { readFileSync } from "node:fs";
import path from "node:path";
import { asc, count, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { activityLog } from "@/db/schema/activity";
import { people, teams, type Person } from "@/db/schema/auth";
import { servers } from "@/db/schema/inventory";
import { seedDemoOrganisation } from "@/db/seed/load";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { applyImport } from "./apply";
import { parseImport } from "./parse";
import { IMPORT_LIMITS } from "./types";

const t = setupTestDatabase();
const FIXTURES = path.resolve(import.meta.dirname, "../../../test/fixtures");
const fixtureText = (rel: string) => readFileSync(path.join(FIXTURES, rel), "utf8");
const fixture = (rel: string) => parseImport({ text: fixtureText(rel), fileName: path.basename(rel) });

let admin: Person, jordan: Person, auditor: Person;
const byEmail = async (db: Database, email: string) => (await db.select().from(people).where(eq(people.email, email)))[0]!;
const serverCount = async () => (await t.db.select({ n: count() }).from(servers))[0]!.n;
const activitySince = (seq: number) => t.db.select().from(activityLog).where(sql`${activityLog.seq} > ${seq}`).orderBy(asc(activityLog.seq));
const lastSeq = async () => (await t.db.select({ s: sql<number>`coalesce(max(${activityLog.seq}), 0)::int` }).from(activityLog))[0]!.s;
const serverByName = async (name: string) => (await t.db.select().from(servers).where(eq(servers.name, name)))[0];

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
  admin = await byEmail(t.db, "priya.raman@northwind.example");
  jordan = await byEmail(t.db, "jordan.lee@northwind.example");
  auditor = await byEmail(t.db, "elena.petrova@northwind.example");
});

describe("applying a client configuration", () => {
  const rel = "client-configs/Chisanan232__ai-development-config__mcp_config.json";

  test("creates every new server, owned by the importer, with one activity row each and one summary", async () => {
    const seq = await lastSeq();
    const before = await serverCount();
    const result = await applyImport(t.db, callerFor(jordan), { parsed: fixture(rel) });
    expect(result.status).toBe("applied");
    if (result.status !== "applied") return;
    expect(result.created).toHaveLength(13);
    expect(result.updated).toEqual([]);
    expect(await serverCount()).toBe(before + 13);

    const created = await t.db.select().from(servers).where(inArray(servers.id, result.created.map((c) => c.id)));
    for (const s of created) {
      expect(s.source).toBe("client_config_import");
      expect(s.primaryOwnerId).toBe(jordan.id);
      expect(s.backupOwnerId).toBeNull();
      expect(s.lifecycle).toBe("draft");
      expect(s.environment).toBe("dev");
      expect(s.dataClassification).toBe("internal");
    }
    const fetch = created.find((s) => s.name === "io.pypi/mcp-server-fetch")!;
    expect(fetch).toMatchObject({ title: "fetch", transport: "stdio", endpointUrl: null, packages: [{ registryType: "pypi", identifier: "mcp-server-fetch", transport: "stdio", runtimeHint: "uvx" }] });
    const jira = created.find((s) => s.name === "local/jira")!;
    expect(jira).toMatchObject({ transport: "streamable-http", endpointUrl: "http://localhost:8100/mcp" });
    // Only the NAMES of environment variables are kept, in a registry-shaped document.
    const slack = created.find((s) => s.name === "io.docker.mcp/slack")!;
    expect(slack.serverJson).toEqual({
      name: "io.docker.mcp/slack",
      packages: [{ registryType: "oci", identifier: "mcp/slack", runtimeHint: "docker", transport: { type: "stdio" }, environmentVariables: [{ name: "SLACK_BOT_TOKEN" }, { name: "SLACK_TEAM_ID" }] }],
    });

    const rows = await activitySince(seq);
    expect(rows.map((r) => r.action)).toEqual([...Array(13).fill("server.imported"), "import.applied"]);
    expect(new Set(rows.slice(0, 13).map((r) => r.targetId))).toEqual(new Set(result.created.map((c) => c.id)));
    expect(rows.every((r) => r.actorId === jordan.id)).toBe(true);
    expect(rows[13]!.after).toMatchObject({ fileName: path.basename(rel), format: "client_config", counts: { new: 13, updated: 0, unchanged: 0, invalid: 0, skipped: 0 }, valuesNotStored: 6 });
    expect((rows[13]!.after as { fileSha256: string }).fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test("re-importing the same file changes nothing: all unchanged, no activity, no updated_at change", async () => {
    const seq = await lastSeq();
    const stamps = await t.db.select({ id: servers.id, updatedAt: servers.updatedAt }).from(servers).orderBy(asc(servers.id));
    const result = await applyImport(t.db, callerFor(jordan), { parsed: fixture(rel) });
    expect(result.status).toBe("nothing_to_do");
    expect(result.preview.counts).toEqual({ new: 0, updated: 0, unchanged: 13, invalid: 0, skipped: 0 });
    expect(await activitySince(seq)).toEqual([]);
    expect(await t.db.select({ id: servers.id, updatedAt: servers.updatedAt }).from(servers).orderBy(asc(servers.id))).toEqual(stamps);
  });
});

describe("secrets never reach the database", () => {
  test("a canary in env, headers, arguments, ${input}, docker -e and the URL is in no stored row", async () => {
    const canary = "CANARY-7f3a9c1e-secret-value";
    const token = `ghp_${"Zq9".repeat(12)}`;
    const config = {
      inputs: [{ id: "pat", type: "promptString", password: true }],
      servers: {
        "canary-npm": { type: "stdio", command: "npx", args: ["-y", "@canary/mcp@2.0.0", "--api-key", canary, `--token=${canary}`, token, "${input:pat}"], env: { CANARY_TOKEN: canary, OTHER: `prefix-${canary}` } },
        "canary-remote": { type: "http", url: `https://user:${canary}@mcp.canary.example/mcp?token=${canary}&apikey=${canary}`, headers: { Authorization: `Bearer ${canary}`, "X-Api-Key": canary } },
        "canary-docker": { command: "docker", args: ["run", "-i", "--rm", "-e", `CANARY_SECRET=${canary}`, "ghcr.io/canary/mcp:1.0"] },
        "canary-plain": { command: "node", args: ["server.js", "--password", canary, token], env: { SOMETHING: canary } },
      },
    };
    const parsed = parseImport({ text: JSON.stringify(config), fileName: "mcp.json" });
    const result = await applyImport(t.db, callerFor(jordan), { parsed });
    expect(result.status).toBe("applied");
    const serversText = await t.db.execute(sql`select string_agg(s::text, '\n') as all from servers s`);
    const allServers = String((serversText as unknown as { rows: { all: string }[] }).rows[0]!.all);
    expect(allServers).toContain("mcp.canary.example");
    expect(allServers).toContain("CANARY_TOKEN");
    expect(allServers).toContain("X-Api-Key");
    expect(allServers).not.toContain(canary);
    expect(allServers).not.toContain(token);
    const activityText = await t.db.execute(sql`select string_agg(a::text, '\n') as all from activity_log a`);
    const allActivity = String((activityText as unknown as { rows: { all: string }[] }).rows[0]!.all);
    expect(allActivity).toContain("canary-npm");
    expect(allActivity).not.toContain(canary);
    expect(allActivity).not.toContain(token);
    expect(result.preview.secretsDropped).toBeGreaterThanOrEqual(10);
  });
});

describe("an invalid entry blocks the whole import", () => {
  test("nothing is written, and the preview with the reasons comes back", async () => {
    const seq = await lastSeq();
    const before = await serverCount();
    const result = await applyImport(t.db, callerFor(jordan), { parsed: fixture("client-configs/Azure-Samples__remote-mcp-functions-python__mcp.json") });
    expect(result.status).toBe("blocked");
    expect(result.preview.entries.map((e) => e.status)).toEqual(["invalid", "new"]);
    expect(result.preview.entries[0]!.reasons[0]).toMatch(/placeholder/);
    expect(await serverCount()).toBe(before);
    expect(await activitySince(seq)).toEqual([]);
    expect(await serverByName("local/local-mcp-function")).toBeUndefined();
  });

  test("the same file applies once the person gives the URL (or leaves the entry out)", async () => {
    const parsed = fixture("client-configs/Azure-Samples__remote-mcp-functions-python__mcp.json");
    const result = await applyImport(t.db, callerFor(jordan), { parsed, exclude: [0] });
    expect(result.status).toBe("applied");
    expect(result.preview.counts).toMatchObject({ new: 1, skipped: 1, invalid: 0 });
    const again = await applyImport(t.db, callerFor(jordan), { parsed, endpointUrls: { "0": "https://northwind-fn.azurewebsites.net/runtime/webhooks/mcp" }, names: { "0": "com.northwind/functions-mcp" } });
    expect(again.status).toBe("applied");
    expect(await serverByName("com.northwind/functions-mcp")).toMatchObject({ endpointUrl: "https://northwind-fn.azurewebsites.net/runtime/webhooks/mcp", title: "remote-mcp-function", source: "client_config_import" });
  });

  test("a malformed file applies nothing", async () => {
    const before = await serverCount();
    const result = await applyImport(t.db, callerFor(admin), { parsed: fixture("client-configs/malformed/levonk__levonk-base-boilerplate__mcp_config.json") });
    expect(result.status).toBe("blocked");
    expect(await serverCount()).toBe(before);
  });
});

describe("registry documents", () => {
  const withRemote = () => JSON.parse(fixtureText("mcp-registry/examples/valid/with-remote.json")) as Record<string, unknown>;

  test("seed.json with its duplicate left out: unchanged on the demo organisation, nothing written", async () => {
    const result = await applyImport(t.db, callerFor(admin), { parsed: fixture("mcp-registry/seed.json"), exclude: [0] });
    expect(result.status).toBe("nothing_to_do");
  });

  test("an update by an admin writes only the changed fields, one server.updated row, and leaves the owners alone", async () => {
    const before = (await serverByName("io.github.user/remote-weather"))!;
    const doc = { ...withRemote(), version: "2.2.0", description: "Remote MCP server reachable over streamable HTTP, now faster." };
    const seq = await lastSeq();
    const result = await applyImport(t.db, callerFor(admin), { parsed: parseImport({ text: JSON.stringify(doc), fileName: "server.json" }) });
    expect(result.status).toBe("applied");
    if (result.status !== "applied") return;
    expect(result.updated).toEqual([{ id: before.id, name: "io.github.user/remote-weather" }]);
    expect(result.preview.entries[0]!.changes.map((c) => c.field)).toEqual(["description", "version", "serverJson"]);
    const after = (await serverByName("io.github.user/remote-weather"))!;
    expect(after).toMatchObject({ version: "2.2.0", primaryOwnerId: before.primaryOwnerId, backupOwnerId: before.backupOwnerId, source: before.source, lifecycle: before.lifecycle });
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect(after.primaryOwnerId).not.toBe(admin.id);
    const rows = await activitySince(seq);
    expect(rows.map((r) => r.action)).toEqual(["server.updated", "import.applied"]);
    expect(rows[0]!.before).toMatchObject({ version: "2.1.0", description: "Remote MCP server reachable over streamable HTTP." });
    expect(rows[0]!.after).toMatchObject({ version: "2.2.0" });
    expect((rows[0]!.after as { serverJson: string }).serverJson).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(rows[0]!.before as object).sort()).toEqual(["description", "serverJson", "version"]);
  });

  test("a member cannot update someone else's server through an import; its owner can", async () => {
    const doc = { ...withRemote(), version: "2.3.0" };
    const parsed = parseImport({ text: JSON.stringify(doc), fileName: "server.json" });
    const seq = await lastSeq();
    const refused = await applyImport(t.db, callerFor(jordan), { parsed });
    expect(refused.status).toBe("blocked");
    expect(refused.preview.entries[0]!.reasons[0]).toMatch(/^You cannot change this server/);
    expect(await activitySince(seq)).toEqual([]);
    expect((await serverByName("io.github.user/remote-weather"))!.version).toBe("2.2.0");

    const server = (await serverByName("io.github.user/remote-weather"))!;
    const owner = (await t.db.select().from(people).where(eq(people.id, server.primaryOwnerId!)))[0]!;
    const allowed = await applyImport(t.db, callerFor(owner), { parsed });
    expect(allowed.status).toBe("applied");
    expect((await serverByName("io.github.user/remote-weather"))!.version).toBe("2.3.0");
  });

  test("a new registry server keeps its document (secret values removed) and source registry_import", async () => {
    const result = await applyImport(t.db, callerFor(jordan), { parsed: fixture("mcp-registry/list-response.json") });
    expect(result.status).toBe("applied");
    expect(await serverByName("io.modelcontextprotocol/filesystem")).toMatchObject({
      source: "registry_import",
      description: "Filesystem operations server",
      version: "1.0.2",
      transport: "stdio",
      primaryOwnerId: jordan.id,
      serverJson: { name: "io.modelcontextprotocol/filesystem", description: "Filesystem operations server", version: "1.0.2" },
    });
  });
});

describe("CSV", () => {
  test("owners and team come from the file; the importer is not made an owner", async () => {
    const csv = [
      "name,title,transport,endpoint_url,environment,data_classification,auth_profile,team,primary_owner_email,backup_owner_email,tags",
      "com.northwind/csv-prod,CSV prod,http,https://mcp.northwind.example/csv-prod/mcp,prod,confidential,oauth_dcr,platform,sam.okafor@northwind.example,lucas.oliveira@northwind.example,csv;prod",
    ].join("\n");
    const seq = await lastSeq();
    const result = await applyImport(t.db, callerFor(jordan), { parsed: parseImport({ text: csv, fileName: "servers.csv" }) });
    expect(result.status).toBe("applied");
    const [platform] = await t.db.select().from(teams).where(eq(teams.slug, "platform"));
    const sam = await byEmail(t.db, "sam.okafor@northwind.example");
    const lucas = await byEmail(t.db, "lucas.oliveira@northwind.example");
    expect(await serverByName("com.northwind/csv-prod")).toMatchObject({
      source: "csv_import",
      environment: "prod",
      dataClassification: "confidential",
      authProfile: "oauth_dcr",
      teamId: platform!.id,
      primaryOwnerId: sam.id,
      backupOwnerId: lucas.id,
      tags: ["csv", "prod"],
      serverJson: null,
    });
    expect((await activitySince(seq)).map((r) => r.action)).toEqual(["server.imported", "import.applied"]);
  });

  test("defaults fill what the file does not give, for new servers only", async () => {
    const [security] = await t.db.select().from(teams).where(eq(teams.slug, "security"));
    const csv = "name,title\ncom.northwind/csv-defaults,Defaults\ncom.northwind/k8s-ops,Kubernetes Operations\n";
    const k8sBefore = (await serverByName("com.northwind/k8s-ops"))!;
    const result = await applyImport(t.db, callerFor(admin), { parsed: parseImport({ text: csv, fileName: "d.csv" }), defaults: { teamId: security!.id, environment: "staging", dataClassification: "restricted" } });
    expect(result.status).toBe("applied");
    expect(result.preview.entries.map((e) => e.status)).toEqual(["new", "unchanged"]);
    expect(await serverByName("com.northwind/csv-defaults")).toMatchObject({ teamId: security!.id, environment: "staging", dataClassification: "restricted", primaryOwnerId: admin.id });
    expect(await serverByName("com.northwind/k8s-ops")).toMatchObject({ teamId: k8sBefore.teamId, environment: k8sBefore.environment, dataClassification: k8sBefore.dataClassification, updatedAt: k8sBefore.updatedAt });
  });
});

describe("authorization", () => {
  test("an auditor cannot apply (403) and nothing is written", async () => {
    const before = await serverCount();
    await expect(applyImport(t.db, callerFor(auditor), { parsed: fixture("client-configs/bugbug-io__agent-plugin__mcp_config.json") })).rejects.toMatchObject({ code: "forbidden" });
    expect(await serverCount()).toBe(before);
  });

  test("an auditor who somehow owns a server still cannot import into it", async () => {
    const ownerAuditor = await makePerson(t.db, { role: "auditor" });
    await expect(applyImport(t.db, callerFor(ownerAuditor), { parsed: fixture("mcp-registry/examples/valid/minimal.json") })).rejects.toMatchObject({ code: "forbidden" });
  });

  test("bad options are a 422 naming the field", async () => {
    await expect(applyImport(t.db, callerFor(jordan), { parsed: fixture("mcp-registry/list-response.json"), exclude: ["x"] })).rejects.toMatchObject({ code: "validation_failed", fields: { "exclude.0": expect.any(Array) } });
    await expect(applyImport(t.db, callerFor(jordan), { parsed: "not parsed" })).rejects.toMatchObject({ code: "validation_failed", fields: { parsed: ["Read the file with parseImport first"] } });
  });
});

describe("limits", () => {
  test(`${IMPORT_LIMITS.maxEntries.toLocaleString("en")} servers in one CSV preview and apply in one transaction`, { timeout: 240_000 }, async () => {
    const rows = Array.from({ length: IMPORT_LIMITS.maxEntries }, (_, i) => `com.bulk/server-${String(i).padStart(4, "0")},Bulk ${i}`);
    const parsed = parseImport({ text: `name,title\n${rows.join("\n")}\n`, fileName: "bulk.csv" });
    const before = await serverCount();
    const started = Date.now();
    const result = await applyImport(t.db, callerFor(jordan), { parsed });
    expect(result.status).toBe("applied");
    expect(await serverCount()).toBe(before + IMPORT_LIMITS.maxEntries);
    console.log(`[import] ${IMPORT_LIMITS.maxEntries} servers applied in ${Date.now() - started} ms`);
  });
});
