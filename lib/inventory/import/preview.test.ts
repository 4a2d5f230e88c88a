import { readFileSync } from "node:fs";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import type { Database } from "@/db/client";
import { activityLog } from "@/db/schema/activity";
import { people, teams, type Person } from "@/db/schema/auth";
import { servers } from "@/db/schema/inventory";
import { seedDemoOrganisation } from "@/db/seed/load";
import { personActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { setupTestDatabase } from "@/test/db";
import { parseImport } from "./parse";
import { previewImport } from "./preview";
import type { ImportPreview, PreviewStatus } from "./types";

const t = setupTestDatabase();
const FIXTURES = path.resolve(import.meta.dirname, "../../../test/fixtures");
const fixture = (rel: string) => parseImport({ text: readFileSync(path.join(FIXTURES, rel), "utf8"), fileName: path.basename(rel) });

let admin: Person, jordan: Person, auditor: Person;
const byEmail = async (db: Database, email: string) => (await db.select().from(people).where(eq(people.email, email)))[0]!;

beforeAll(async () => {
  await seedDemoOrganisation(t.db);
  admin = await byEmail(t.db, "priya.raman@northwind.example");
  // Jordan Lee is a member who owns nothing: every existing server belongs to someone else.
  jordan = await byEmail(t.db, "jordan.lee@northwind.example");
  auditor = await byEmail(t.db, "elena.petrova@northwind.example");
});

const preview = (who: Person, input: Record<string, unknown>) => previewImport(t.db, personActor(who), input);

type Row = [status: PreviewStatus, name: string | null, reason?: RegExp];

/**
 * Every fixture through parse → preview on the demo organisation, as a member who owns nothing.
 * (The demo organisation was itself seeded from the registry fixtures, so several are unchanged.)
 */
const AS_MEMBER: Record<string, Row[]> = {
  "client-configs/0GiS0__home-assistant-mcp__mcp.json": [["invalid", "local/home-assistant-mcp", /^endpoint URL: https:\/\/\$\{input:home-assistant-domain\}\/mcp_server\/sse has a placeholder Steward cannot fill in; enter the server's URL$/]],
  "client-configs/0GiS0__mcp-server-azure-function__mcp.json": [
    ["new", "local/azure-function-mcp"],
    ["invalid", "net.azurewebsites/remote-mcp-azure-function", /^endpoint URL: .*placeholder/],
  ],
  "client-configs/0GiS0__youtube-mcp-server__mcp.json": [
    ["new", "local/remote-mcp"],
    ["new", "local/stdio-mcp"],
  ],
  "client-configs/0x7067__agent-bridge-mcp__mcp.json": [["new", "local/agent-bridge"]],
  "client-configs/0xMilord__renderiq__mcp.json": [["new", "dev.sentry.mcp/sentry"]],
  "client-configs/0xProject__matcha-mobile-regret-calculator__mcp.json": [
    ["new", "local/figma"],
    ["new", "io.npmjs/chrome-devtools-mcp"],
  ],
  "client-configs/1jehuang__jcode__mcp.json": ["github", "postgres", "docker", "kubernetes", "redis", "sentry", "aws", "datadog"].map((s): Row => ["new", `local/carpai-${s}`]),
  "client-configs/3rzy__claude-google-workspace-config__claude_desktop_config.json": [
    ["new", "io.github.modelcontextprotocol/server-brave-search"],
    // The demo organisation already has this server, and Jordan is not one of its owners.
    ["invalid", "io.github.modelcontextprotocol/server-filesystem", /^You cannot change this server/],
    ["new", "io.github.modelcontextprotocol/server-github"],
    ["new", "io.github.modelcontextprotocol/server-gdrive"],
    ["new", "io.github.aaronsb/google-workspace-mcp"],
  ],
  "client-configs/AbsonDev__mcp-filazero__claude_desktop_config.json": [["new", "local/filazero-mcp"]],
  "client-configs/Apillon__mcp-server__claude_desktop_config.json": [
    ["new", "local/apillon-mcp-server"],
    ["invalid", "io.github.modelcontextprotocol/server-filesystem", /^You cannot change this server/],
  ],
  "client-configs/Azure-Samples__remote-mcp-functions-python__mcp.json": [
    ["invalid", "net.azurewebsites/remote-mcp-function", /placeholder/],
    ["new", "local/local-mcp-function"],
  ],
  "client-configs/Chisanan232__ai-development-config__mcp_config.json": [
    "io.pypi/mcp-server-fetch",
    "io.docker.mcp/git",
    "io.github.github/github-mcp-server",
    "io.docker.mcp/memory",
    "io.docker.mcp/slack",
    "io.docker.mcp/sonarqube",
    "io.docker.hashicorp/terraform-mcp-server",
    "local/jira",
    "local/clickup",
    "local/codecov",
    "local/datadog",
    "local/sentry",
    "local/confluence",
  ].map((n): Row => ["new", n]),
  "client-configs/bugbug-io__agent-plugin__mcp_config.json": [["new", "io.bugbug.mcp/bugbug"]],
  "client-configs/getsentry__sentry__mcp.json": [["new", "dev.sentry.mcp/sentry"]],
  "client-configs/malformed/levonk__levonk-base-boilerplate__mcp_config.json": [["invalid", null, /^The file is not valid JSON: a closing brace \} is missing at line 120, column 1/]],
  "client-configs/microsoft__vscode__mcp.json": [["new", "local/vscode-playwright-mcp"]],
  "mcp-registry/examples/invalid/bad-name-pattern.json": [["invalid", "no-namespace-separator", /^name: must look like namespace\/name/]],
  "mcp-registry/examples/invalid/description-too-long.json": [["invalid", "io.github.user/verbose", /^description: at most 100 characters \(it has 111\)$/]],
  "mcp-registry/examples/invalid/missing-name.json": [["invalid", null, /^name: is required$/]],
  "mcp-registry/examples/invalid/package-version-latest.json": [["invalid", "io.github.user/bad-version", /^packages\[0\]\.version: must not be "latest"$/]],
  "mcp-registry/examples/invalid/positional-argument-missing-value.json": [["invalid", "io.github.user/bad-argument", /^packages\[0\]\.packageArguments\[0\]: needs valueHint or value$/]],
  "mcp-registry/examples/valid/minimal.json": [["unchanged", "io.github.user/weather"]],
  "mcp-registry/examples/valid/with-package.json": [["unchanged", "io.github.user/local-weather"]],
  "mcp-registry/examples/valid/with-remote.json": [["unchanged", "io.github.user/remote-weather"]],
  "mcp-registry/list-response.json": [["new", "io.modelcontextprotocol/filesystem"]],
  "mcp-registry/seed.json": [
    ["invalid", "io.github.domdomegg/airtable-mcp-server", /^Duplicate: io\.github\.domdomegg\/airtable-mcp-server appears again at version 1\.7\.3 \(entry 2\), which is the one imported$/],
    ["unchanged", "io.github.domdomegg/airtable-mcp-server"],
    ["unchanged", "io.github.domdomegg/time-mcp-nuget"],
    ["unchanged", "io.github.domdomegg/time-mcp-pypi"],
  ],
  "mcp-registry/servers/agent-observability.json": [["invalid", "io.github.blueskylineassets/agent-observability", /^description: at most 100 characters/]],
  "mcp-registry/servers/avalanche-server.json": [["invalid", "io.avax/avalanche-docs", /^description: at most 100 characters \(it has 177\)$/]],
  "mcp-registry/servers/io.github.CSOAI-ORG__gspc.json": [["unchanged", "io.github.CSOAI-ORG/gspc"]],
  "mcp-registry/servers/io.github.GMGNAI__gmgn-skills.json": [["invalid", "io.github.GMGNAI/gmgn-skills", /^description: at most 100 characters \(it has 635\)$/]],
  "mcp-registry/servers/io.github.drQedwards__pmll-memory-mcp.json": [["unchanged", "io.github.drQedwards/pmll-memory-mcp"]],
  "mcp-registry/servers/io.github.socalstreet.prwire-mcp-server.json": [["invalid", "io.github.socalstreet.prwire-mcp-server", /^description: at most 100 characters \(it has 148\)$/]],
};

function expectRows(p: ImportPreview, rows: Row[], where: string) {
  expect(p.entries.map((e) => [e.status, e.name]), where).toEqual(rows.map(([s, n]) => [s, n]));
  rows.forEach(([status, , reason], i) => {
    const entry = p.entries[i]!;
    if (reason) expect(entry.reasons[0], `${where} #${i}`).toMatch(reason);
    if (status !== "invalid") expect(entry.reasons, `${where} #${i}`).toEqual([]);
  });
  const counts = { new: 0, updated: 0, unchanged: 0, invalid: 0, skipped: 0 };
  for (const [s] of rows) counts[s]++;
  expect(p.counts, where).toEqual(counts);
  expect(p.canApply, where).toBe(counts.invalid === 0 && counts.new + counts.updated > 0);
}

describe("every fixture through parse → preview (a member who owns nothing)", () => {
  for (const [rel, rows] of Object.entries(AS_MEMBER)) {
    test(rel, async () => expectRows(await preview(jordan, { parsed: fixture(rel) }), rows, rel));
  }

  test("the prwire document lists all three of its schema problems", async () => {
    const p = await preview(jordan, { parsed: fixture("mcp-registry/servers/io.github.socalstreet.prwire-mcp-server.json") });
    expect(p.entries[0]!.reasons).toEqual([
      "description: at most 100 characters (it has 148)",
      "name: must look like namespace/name (reverse-DNS namespace, one slash), e.g. io.github.acme/tickets",
      "packages[0].transport.url: is required",
    ]);
  });

  test("the tools note and the secrets count come through", async () => {
    const gspc = await preview(jordan, { parsed: fixture("mcp-registry/servers/io.github.CSOAI-ORG__gspc.json") });
    expect(gspc.entries[0]!.notes[0]).toMatch(/lists 12 tools under a non-schema "tools" key: tools are not part of an import/);
    const claude = await preview(jordan, { parsed: fixture("client-configs/3rzy__claude-google-workspace-config__claude_desktop_config.json") });
    expect(claude.secretsDropped).toBe(7);
    expect(claude.entries[4]!.secretsDropped).toEqual(["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "LOG_MODE"]);
    expect(claude.format).toBe("client_config");
    expect(claude.formatLabel).toBe("MCP client configuration");
  });
});

describe("updates and permissions", () => {
  test("an admin may update the existing server: each changed field is listed before → after", async () => {
    const p = await preview(admin, { parsed: fixture("client-configs/3rzy__claude-google-workspace-config__claude_desktop_config.json") });
    const fs = p.entries[1]!;
    expect(fs.status).toBe("updated");
    expect(fs.changes).toEqual([
      { field: "packages", label: "Packages", before: "npm @modelcontextprotocol/server-filesystem@2025.8.21", after: "npm @modelcontextprotocol/server-filesystem" },
      { field: "serverJson", label: "server.json document", before: "—", after: "this file's document" },
    ]);
    expect(p.canApply).toBe(true);
  });

  test("the server's own owner may update it through an import; another member may not", async () => {
    const [fs] = await t.db.select().from(servers).where(eq(servers.name, "io.github.modelcontextprotocol/server-filesystem"));
    const owner = (await t.db.select().from(people).where(eq(people.id, fs!.primaryOwnerId!)))[0]!;
    expect(owner.role).toBe("member");
    const parsed = fixture("client-configs/Apillon__mcp-server__claude_desktop_config.json");
    expect((await preview(owner, { parsed })).entries[1]!.status).toBe("updated");
    const other = (await preview(jordan, { parsed })).entries[1]!;
    expect(other.status).toBe("invalid");
    expect(other.reasons).toEqual(["You cannot change this server: it already exists and only its owners (or an admin) may change it"]);
  });

  test("an auditor cannot preview (403), nor can a person without servers.create", async () => {
    const parsed = fixture("mcp-registry/list-response.json");
    await expect(preview(auditor, { parsed })).rejects.toMatchObject({ code: "forbidden", status: 403 });
  });

  test("the preview writes nothing", async () => {
    const before = [(await t.db.select({ n: count() }).from(servers))[0]!.n, (await t.db.select({ n: count() }).from(activityLog))[0]!.n];
    await preview(admin, { parsed: fixture("client-configs/Chisanan232__ai-development-config__mcp_config.json") });
    const after = [(await t.db.select({ n: count() }).from(servers))[0]!.n, (await t.db.select({ n: count() }).from(activityLog))[0]!.n];
    expect(after).toEqual(before);
  });
});

describe("the person's choices: names, endpoints, defaults, entries left out", () => {
  const parsed = () => fixture("client-configs/0GiS0__mcp-server-azure-function__mcp.json");

  test("a proposed name can be changed; a bad override or a clash makes the entry invalid", async () => {
    const ok = await preview(jordan, { parsed: parsed(), names: { "0": "com.northwind/azure-fn-local" } });
    expect(ok.entries[0]).toMatchObject({ status: "new", name: "com.northwind/azure-fn-local" });
    const bad = await preview(jordan, { parsed: parsed(), names: { "0": "not a name" } });
    expect(bad.entries[0]!.reasons[0]).toMatch(/^name: Must look like namespace\/name/);
    const ctl = await preview(jordan, { parsed: parsed(), names: { "0": "com.acme/x\u0007" } });
    expect(ctl.entries[0]!.reasons).toEqual(["name: contains control characters"]);
    const clash = await preview(jordan, { parsed: parsed(), names: { "0": "com.acme/same", "1": "com.acme/same" }, endpointUrls: { "1": "https://fn.azurewebsites.net/runtime/webhooks/mcp/sse" } });
    expect(clash.entries.map((e) => e.status)).toEqual(["new", "invalid"]);
    expect(clash.entries[1]!.reasons).toEqual(["name: com.acme/same is also the name of entry 1; give this one another name"]);
    const taken = await preview(jordan, { parsed: parsed(), names: { "0": "com.northwind/k8s-ops" } });
    expect(taken.entries[0]!.reasons[0]).toMatch(/^You cannot change this server/);
  });

  test("a registry document's name cannot be overridden", async () => {
    const p = await preview(jordan, { parsed: fixture("mcp-registry/list-response.json"), names: { "0": "com.acme/other" } });
    expect(p.entries[0]!.reasons).toEqual(["name: comes from the file and cannot be changed here"]);
  });

  test("an endpoint with a placeholder takes the URL the person gives (credentials removed)", async () => {
    const p = await preview(jordan, { parsed: parsed(), endpointUrls: { "1": "https://user:pw@northwind-fn.azurewebsites.net/runtime/webhooks/mcp/sse?code=abc" } });
    expect(p.entries[1]).toMatchObject({ status: "new", endpointUrl: "https://northwind-fn.azurewebsites.net/runtime/webhooks/mcp/sse" });
    expect(p.entries[1]!.secretsDropped).toEqual(["header x-functions-key", "URL user name and password", "URL parameter code"]);
    const bad = await preview(jordan, { parsed: parsed(), endpointUrls: { "1": "ftp://x.example" } });
    expect(bad.entries[1]!.reasons).toEqual(["endpoint URL: must be an http:// or https:// URL"]);
  });

  test("defaults: an unknown team is a 422 on the field; prod needs a backup owner the import does not have", async () => {
    await expect(preview(jordan, { parsed: parsed(), defaults: { teamId: "00000000-0000-4000-8000-000000000000" } })).rejects.toMatchObject({ code: "validation_failed", fields: { "defaults.teamId": ["No such team"] } });
    await expect(preview(jordan, { parsed: parsed(), defaults: { environment: "moon" } })).rejects.toBeInstanceOf(AppError);
    const prod = await preview(jordan, { parsed: parsed(), defaults: { environment: "prod" } });
    expect(prod.entries[0]!.reasons).toEqual(["backup owner: A production asset needs both a primary and a backup owner"]);
  });

  test("entries left out are skipped and no longer block", async () => {
    const p = await preview(jordan, { parsed: fixture("mcp-registry/seed.json"), exclude: [0] });
    expect(p.entries.map((e) => e.status)).toEqual(["skipped", "unchanged", "unchanged", "unchanged"]);
    expect(p.counts.invalid).toBe(0);
    expect(p.canApply).toBe(false); // nothing to write: all unchanged
  });
});

describe("CSV references", () => {
  const header = "name,environment,team,primary_owner_email,backup_owner_email";

  test("owners by e-mail and team by slug or name; unknown ones are invalid; prod needs active owners", async () => {
    const csv = [
      header,
      "com.acme/one,prod,platform,sam.okafor@northwind.example,lucas.oliveira@northwind.example",
      "com.acme/two,dev,Data Engineering,,",
      "com.acme/three,dev,no-such-team,nobody@northwind.example,",
      // Taylor Brooks is deactivated: fine in dev, refused in prod.
      "com.acme/four,prod,platform,sam.okafor@northwind.example,taylor.brooks@northwind.example",
      "com.acme/five,dev,platform,taylor.brooks@northwind.example,",
      "com.acme/six,dev,platform,sam.okafor@northwind.example,sam.okafor@northwind.example",
    ].join("\n");
    const p = await preview(jordan, { parsed: parseImport({ text: csv, fileName: "servers.csv" }) });
    expect(p.entries.map((e) => e.status)).toEqual(["new", "new", "invalid", "invalid", "new", "invalid"]);
    expect(p.entries[2]!.reasons).toEqual(["team: there is no team “no-such-team” (give a team's slug or name)", "primary_owner_email: there is no person with the e-mail nobody@northwind.example"]);
    expect(p.entries[3]!.reasons).toEqual(["backup owner: This person is deactivated; a production asset needs active owners"]);
    expect(p.entries[5]!.reasons).toEqual(["backup owner: The backup owner must be someone other than the primary owner"]);
  });

  test("a CSV row for an existing server lists what it changes (team and owners by name)", async () => {
    const [k8s] = await t.db.select().from(servers).where(eq(servers.name, "com.northwind/k8s-ops"));
    const [dataEng] = await t.db.select().from(teams).where(eq(teams.slug, "data-eng"));
    expect(k8s!.teamId).not.toBe(dataEng!.id);
    const p = await preview(admin, { parsed: parseImport({ text: `name,team,tags\ncom.northwind/k8s-ops,data-eng,${k8s!.tags.join(";")}\n`, fileName: "x.csv" }) });
    expect(p.entries[0]!.status).toBe("updated");
    expect(p.entries[0]!.changes).toEqual([{ field: "teamId", label: "Team", before: "Platform Engineering", after: "Data Engineering" }]);
  });
});

describe("hostile strings", () => {
  test("<script> stays text for React to escape, control characters are refused, nothing throws", async () => {
    const config = { mcpServers: { "<script>alert(1)</script>": { url: "https://mcp.evil.example/mcp" }, "bell\u0007": { command: "x" }, ["x".repeat(5000)]: { command: "y" } } };
    const p = await preview(jordan, { parsed: parseImport({ text: JSON.stringify(config) }) });
    expect(p.entries[0]).toMatchObject({ status: "new", name: "example.evil.mcp/script-alert-1-script", title: "<script>alert(1)</script>" });
    expect(p.entries[1]).toMatchObject({ status: "invalid", key: "bell\u2407", reasons: ["The server key: contains control characters"] });
    expect(p.entries[2]!.status).toBe("invalid");
    expect(JSON.stringify(p).length).toBeLessThan(5000);
  });
});
