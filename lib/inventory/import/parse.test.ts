import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { parseImport } from "./parse";
import { validateServerJson } from "./server-json";
import { IMPORT_LIMITS, type ParsedEntry, type ParsedImport } from "./types";

const FIXTURES = path.resolve(import.meta.dirname, "../../../test/fixtures");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** Every file under test/fixtures/mcp-registry and client-configs (see their README), relative to test/fixtures. */
function fixtureFiles(): string[] {
  return ["mcp-registry", "client-configs"]
    .flatMap((d) => walk(path.join(FIXTURES, d)))
    .map((f) => path.relative(FIXTURES, f))
    .sort();
}

const read = (rel: string) => readFileSync(path.join(FIXTURES, rel), "utf8");
const parseFixture = (rel: string) => parseImport({ text: read(rel), fileName: path.basename(rel) });

type Expected = {
  name?: string | null;
  error?: RegExp;
  transport?: string;
  endpointUrl?: string | null;
  template?: RegExp;
  packages?: string[];
  dropped?: string[];
  note?: RegExp;
};

/** What each fixture must parse to: format, a variant fragment, and each entry in order. */
const EXPECTED: Record<string, { format: ParsedImport["format"]; variant: RegExp; entries: Expected[]; note?: RegExp }> = {
  "client-configs/0GiS0__home-assistant-mcp__mcp.json": {
    format: "client_config",
    variant: /VS Code \(servers \+ inputs\)/,
    entries: [{ name: "local/home-assistant-mcp", transport: "streamable-http", endpointUrl: null, template: /^https:\/\/\$\{input:home-assistant-domain\}\/mcp_server\/sse$/, dropped: ["header Authorization"], note: /Home Assistant Domain/ }],
  },
  "client-configs/0GiS0__mcp-server-azure-function__mcp.json": {
    format: "client_config",
    variant: /VS Code/,
    entries: [
      { name: "local/azure-function-mcp", transport: "sse", endpointUrl: "http://localhost:7071/runtime/webhooks/mcp/sse", dropped: [] },
      { name: "net.azurewebsites/remote-mcp-azure-function", transport: "sse", template: /\$\{input:mcp-azure-function-name\}\.azurewebsites\.net/, dropped: ["header x-functions-key"] },
    ],
  },
  "client-configs/0GiS0__youtube-mcp-server__mcp.json": {
    format: "client_config",
    variant: /VS Code \(servers \+ inputs\)/,
    entries: [
      { name: "local/remote-mcp", transport: "sse", endpointUrl: "http://localhost:3001/sse", dropped: [] },
      { name: "local/stdio-mcp", transport: "stdio", packages: ["command node mcp-stdio/build/index.js"], dropped: ["YOUTUBE_API_KEY"] },
    ],
  },
  "client-configs/0x7067__agent-bridge-mcp__mcp.json": {
    format: "client_config",
    variant: /Cursor \(mcpServers\)/,
    entries: [{ name: "local/agent-bridge", transport: "stdio", packages: ["command agent-bridge-mcp"], dropped: ["AGENT_BRIDGE_WORKSPACES", "AGENT_BRIDGE_STATE_DIR"] }],
  },
  "client-configs/0xMilord__renderiq__mcp.json": {
    format: "client_config",
    variant: /mcpServers/,
    entries: [{ name: "dev.sentry.mcp/sentry", transport: "streamable-http", endpointUrl: "https://mcp.sentry.dev/mcp/renderiq/javascript-nextjs" }],
  },
  "client-configs/0xProject__matcha-mobile-regret-calculator__mcp.json": {
    format: "client_config",
    variant: /mcpServers/,
    entries: [
      { name: "local/figma", transport: "streamable-http", endpointUrl: "http://127.0.0.1:3845/mcp" },
      { name: "io.npmjs/chrome-devtools-mcp", transport: "stdio", packages: ["npm chrome-devtools-mcp"] },
    ],
  },
  "client-configs/1jehuang__jcode__mcp.json": {
    format: "client_config",
    variant: /VS Code \(servers\)/,
    entries: ["github", "postgres", "docker", "kubernetes", "redis", "sentry", "aws", "datadog"].map((s) => ({
      name: `local/carpai-${s}`,
      transport: "stdio",
      packages: [`command python mcp-servers/${s}/src/server.py`],
      dropped: s === "postgres" ? ["PG_OFFLINE_FALLBACK"] : [],
    })),
  },
  "client-configs/3rzy__claude-google-workspace-config__claude_desktop_config.json": {
    format: "client_config",
    variant: /Claude Desktop/,
    entries: [
      { name: "io.github.modelcontextprotocol/server-brave-search", packages: ["npm @modelcontextprotocol/server-brave-search"], dropped: ["BRAVE_API_KEY"] },
      { name: "io.github.modelcontextprotocol/server-filesystem", packages: ["npm @modelcontextprotocol/server-filesystem"], dropped: [] },
      { name: "io.github.modelcontextprotocol/server-github", packages: ["npm @modelcontextprotocol/server-github"], dropped: ["GITHUB_PERSONAL_ACCESS_TOKEN"] },
      { name: "io.github.modelcontextprotocol/server-gdrive", packages: ["npm @modelcontextprotocol/server-gdrive"], dropped: ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"] },
      // `docker run -e NAME` passes a variable through; `-e LOG_MODE=strict` carries a value, dropped too.
      { name: "io.github.aaronsb/google-workspace-mcp", packages: ["oci ghcr.io/aaronsb/google-workspace-mcp:latest"], dropped: ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "LOG_MODE"] },
    ],
  },
  "client-configs/AbsonDev__mcp-filazero__claude_desktop_config.json": {
    format: "client_config",
    variant: /Claude Desktop/,
    entries: [{ name: "local/filazero-mcp", transport: "stdio", packages: ["command node mcp-filazero-direct.mjs"], dropped: ["FILAZERO_API_URL", "NODE_ENV", "RAILWAY_BACKUP_URL"] }],
  },
  "client-configs/Apillon__mcp-server__claude_desktop_config.json": {
    format: "client_config",
    variant: /Claude Desktop/,
    entries: [
      { name: "local/apillon-mcp-server", packages: ["command tsx /full/path/to/index.ts"], dropped: ["APILLON_API_KEY", "APILLON_API_SECRET"] },
      { name: "io.github.modelcontextprotocol/server-filesystem", packages: ["npm @modelcontextprotocol/server-filesystem"] },
    ],
  },
  "client-configs/Azure-Samples__remote-mcp-functions-python__mcp.json": {
    format: "client_config",
    variant: /VS Code \(servers \+ inputs\)/,
    entries: [
      { name: "net.azurewebsites/remote-mcp-function", transport: "streamable-http", template: /\$\{input:functionapp-name\}/, note: /Azure Functions App Name/ },
      { name: "local/local-mcp-function", transport: "streamable-http", endpointUrl: "http://0.0.0.0:7071/runtime/webhooks/mcp" },
    ],
  },
  "client-configs/Chisanan232__ai-development-config__mcp_config.json": {
    format: "client_config",
    variant: /Windsurf \(mcpServers\)/,
    entries: [
      { name: "io.pypi/mcp-server-fetch", packages: ["pypi mcp-server-fetch"] },
      { name: "io.docker.mcp/git", packages: ["oci mcp/git"] },
      { name: "io.github.github/github-mcp-server", packages: ["oci ghcr.io/github/github-mcp-server"], dropped: ["GITHUB_PERSONAL_ACCESS_TOKEN"] },
      { name: "io.docker.mcp/memory", packages: ["oci mcp/memory"] },
      { name: "io.docker.mcp/slack", dropped: ["SLACK_BOT_TOKEN", "SLACK_TEAM_ID"] },
      { name: "io.docker.mcp/sonarqube", dropped: ["SONARQUBE_ORG", "SONARQUBE_TOKEN", "SONARQUBE_URL"] },
      { name: "io.docker.hashicorp/terraform-mcp-server", packages: ["oci hashicorp/terraform-mcp-server"] },
      ...["jira", "clickup", "codecov", "datadog", "sentry", "confluence"].map((k) => ({ name: `local/${k}`, transport: "streamable-http", note: /Disabled in this client configuration/ })),
    ],
  },
  "client-configs/bugbug-io__agent-plugin__mcp_config.json": {
    format: "client_config",
    variant: /Windsurf/,
    entries: [{ name: "io.bugbug.mcp/bugbug", transport: "streamable-http", endpointUrl: "https://mcp.bugbug.io/mcp" }],
  },
  "client-configs/getsentry__sentry__mcp.json": {
    format: "client_config",
    variant: /Cursor/,
    entries: [{ name: "dev.sentry.mcp/sentry", transport: "sse", endpointUrl: "https://mcp.sentry.dev/sse", note: /mcp-remote stdio bridge/ }],
  },
  "client-configs/malformed/levonk__levonk-base-boilerplate__mcp_config.json": {
    format: "client_config",
    variant: /does not parse/,
    entries: [{ name: undefined, error: /not valid JSON: a closing brace \} is missing at line 120, column 1 \(CloseBraceExpected\)/ }],
  },
  "client-configs/microsoft__vscode__mcp.json": {
    format: "client_config",
    variant: /VS Code \(servers \+ inputs\)/,
    entries: [{ name: "local/vscode-playwright-mcp", transport: "stdio", packages: ["command npm run start-stdio"] }],
  },
  "mcp-registry/examples/invalid/bad-name-pattern.json": {
    format: "registry",
    variant: /single server\.json/,
    entries: [{ name: "no-namespace-separator", error: /^name: must look like namespace\/name/ }],
  },
  "mcp-registry/examples/invalid/description-too-long.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.github.user/verbose", error: /^description: at most 100 characters \(it has 111\)$/ }],
  },
  "mcp-registry/examples/invalid/missing-name.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: null, error: /^name: is required$/ }],
  },
  "mcp-registry/examples/invalid/package-version-latest.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.github.user/bad-version", error: /^packages\[0\]\.version: must not be "latest"$/ }],
  },
  "mcp-registry/examples/invalid/positional-argument-missing-value.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.github.user/bad-argument", error: /^packages\[0\]\.packageArguments\[0\]: needs valueHint or value$/ }],
  },
  "mcp-registry/examples/valid/minimal.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.github.user/weather", transport: undefined, packages: [] }],
  },
  "mcp-registry/examples/valid/with-package.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.github.user/local-weather", transport: "stdio", endpointUrl: null, packages: ["npm @modelcontextprotocol/server-weather@1.0.0"] }],
  },
  "mcp-registry/examples/valid/with-remote.json": {
    format: "registry",
    variant: /single/,
    // `https://{host}/mcp` filled from the variable's default.
    entries: [{ name: "io.github.user/remote-weather", transport: "streamable-http", endpointUrl: "https://api.example.com/mcp" }],
  },
  "mcp-registry/list-response.json": {
    format: "registry",
    variant: /list response/,
    note: /nextCursor is “com\.example\/my-server:1\.0\.0”/,
    entries: [{ name: "io.modelcontextprotocol/filesystem" }],
  },
  "mcp-registry/seed.json": {
    format: "registry",
    variant: /array of 4/,
    entries: [
      { name: "io.github.domdomegg/airtable-mcp-server", error: /^Duplicate: .* appears again at version 1\.7\.3 \(entry 2\)/ },
      { name: "io.github.domdomegg/airtable-mcp-server", packages: ["npm airtable-mcp-server@1.7.3", "oci docker.io/domdomegg/airtable-mcp-server:1.7.3", "mcpb https://github.com/domdomegg/airtable-mcp-server/releases/download/v1.7.3/airtable-mcp-server.mcpb"] },
      { name: "io.github.domdomegg/time-mcp-nuget", packages: ["nuget TimeMcpServer@1.0.8"] },
      { name: "io.github.domdomegg/time-mcp-pypi", packages: ["pypi time-mcp-pypi@1.0.6"] },
    ],
  },
  "mcp-registry/server.schema.json": {
    // The schema itself is not a server: it is JSON with none of the keys an import reads.
    format: "unknown",
    variant: /./,
    entries: [],
  },
  "mcp-registry/servers/agent-observability.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.github.blueskylineassets/agent-observability", error: /^description: at most 100 characters \(it has 126\)$/ }],
  },
  "mcp-registry/servers/avalanche-server.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.avax/avalanche-docs", error: /^description: at most 100 characters/, note: /lists 3 tools under a non-schema "tools" key/ }],
  },
  "mcp-registry/servers/io.github.CSOAI-ORG__gspc.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.github.CSOAI-ORG/gspc", transport: "streamable-http", endpointUrl: "https://councilof.ai/mcp", note: /lists 12 tools/ }],
  },
  "mcp-registry/servers/io.github.GMGNAI__gmgn-skills.json": {
    format: "registry",
    variant: /array of 1/,
    entries: [{ name: "io.github.GMGNAI/gmgn-skills", error: /^description: at most 100 characters \(it has 635\)$/ }],
  },
  "mcp-registry/servers/io.github.drQedwards__pmll-memory-mcp.json": {
    format: "registry",
    variant: /single/,
    entries: [{ name: "io.github.drQedwards/pmll-memory-mcp", transport: "stdio", packages: ["pypi pmll-memory-mcp@0.1.0"] }],
  },
  "mcp-registry/servers/io.github.socalstreet.prwire-mcp-server.json": {
    format: "registry",
    variant: /single/,
    entries: [
      {
        name: "io.github.socalstreet.prwire-mcp-server",
        error: /^description: at most 100 characters \(it has 148\); name: must look like namespace\/name.*; packages\[0\]\.transport\.url: is required$/,
      },
    ],
  },
};

const pkgLine = (p: { registryType: string; identifier: string; version?: string }) => `${p.registryType} ${p.identifier}${p.version ? `@${p.version}` : ""}`;

function checkEntry(rel: string, actual: ParsedEntry, expected: Expected) {
  const where = `${rel} entry ${actual.index}`;
  if (expected.name !== undefined) expect(actual.draft?.name ?? null, where).toBe(expected.name);
  if (expected.error) expect(actual.error, where).toMatch(expected.error);
  else expect(actual.error, where).toBeUndefined();
  if ("transport" in expected) expect(actual.draft?.transport, where).toBe(expected.transport);
  if ("endpointUrl" in expected) expect(actual.draft?.endpointUrl, where).toBe(expected.endpointUrl);
  if (expected.template) expect(actual.draft?.endpointTemplate, where).toMatch(expected.template);
  if (expected.packages) expect((actual.draft?.packages ?? []).map(pkgLine), where).toEqual(expected.packages);
  if (expected.dropped) expect(actual.secretsDropped, where).toEqual(expected.dropped);
  if (expected.note) expect(actual.notes.join("\n"), where).toMatch(expected.note);
}

describe("every fixture file", () => {
  test("has an expectation here (a new fixture must be added to this table)", () => {
    expect(fixtureFiles()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [rel, expected] of Object.entries(EXPECTED)) {
    test(rel, () => {
      if (expected.format === "unknown") {
        expect(() => parseFixture(rel)).toThrow(/cannot tell what this file is/);
        return;
      }
      const parsed = parseFixture(rel);
      expect(parsed.format).toBe(expected.format);
      expect(parsed.variant).toMatch(expected.variant);
      if (expected.note) expect(parsed.notes.join("\n")).toMatch(expected.note);
      expect(parsed.entries.map((e) => e.index)).toEqual(expected.entries.map((_, i) => i));
      parsed.entries.forEach((entry, i) => checkEntry(rel, entry, expected.entries[i]!));
      expect(parsed.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    });
  }
});

describe("server.json schema validation", () => {
  test("the valid examples and the schema-valid publisher files pass the registry's own schema", () => {
    for (const rel of ["mcp-registry/examples/valid/minimal.json", "mcp-registry/examples/valid/with-package.json", "mcp-registry/examples/valid/with-remote.json", "mcp-registry/servers/io.github.CSOAI-ORG__gspc.json", "mcp-registry/servers/io.github.drQedwards__pmll-memory-mcp.json"]) {
      expect(validateServerJson(JSON.parse(read(rel))), rel).toEqual([]);
    }
    for (const doc of JSON.parse(read("mcp-registry/seed.json"))) expect(validateServerJson(doc)).toEqual([]);
    expect(validateServerJson(JSON.parse(read("mcp-registry/list-response.json")).servers[0].server)).toEqual([]);
  });

  test("the lib copy of the schema is the registry's file, byte for byte", () => {
    expect(readFileSync(path.join(import.meta.dirname, "server.schema.json"), "utf8")).toBe(read("mcp-registry/server.schema.json"));
  });

  test("a transport names the one branch it meant, not every branch of the anyOf", () => {
    const doc = { name: "io.github.acme/x", description: "x", version: "1.0.0", remotes: [{ type: "sse" }], packages: [{ registryType: "npm", identifier: "x", transport: { type: "carrier-pigeon" } }] };
    expect(validateServerJson(doc).sort()).toEqual(['packages[0].transport.type: must be one of "stdio", "streamable-http", "sse"', "remotes[0].url: is required"]);
  });

  test("unknown top-level keys are allowed, as the schema allows them", () => {
    expect(validateServerJson({ name: "io.github.acme/x", description: "x", version: "1.0.0", homepage: "https://x.example", anything: { at: "all" } })).toEqual([]);
  });

  test("formats are checked (websiteUrl must be a URL)", () => {
    expect(validateServerJson({ name: "io.github.acme/x", description: "x", version: "1.0.0", websiteUrl: "not a url" })).toEqual(["websiteUrl: must be an absolute URL"]);
  });
});

describe("registry documents", () => {
  test("secret values in a server.json are removed from the stored document; names stay", () => {
    const doc = {
      name: "io.github.acme/x",
      description: "x",
      version: "1.0.0",
      packages: [{ registryType: "npm", identifier: "x", version: "1.0.0", transport: { type: "stdio" }, environmentVariables: [{ name: "API_KEY", isSecret: true, value: "sk-canary-0123456789abcdef" }, { name: "REGION", value: "eu" }] }],
      remotes: [{ type: "streamable-http", url: "https://x.example/mcp", headers: [{ name: "Authorization", isSecret: true, default: "Bearer canary" }] }],
    };
    const parsed = parseImport({ text: JSON.stringify(doc), fileName: "server.json" });
    const entry = parsed.entries[0]!;
    expect(entry.error).toBeUndefined();
    expect(entry.secretsDropped).toEqual(["API_KEY", "Authorization"]);
    const stored = JSON.stringify(entry.draft!.serverJson);
    expect(stored).not.toContain("canary");
    expect(stored).toContain('"REGION"');
    expect(stored).toContain('"value":"eu"');
  });

  test("a URL variable without a default keeps the entry and asks for the endpoint", () => {
    const doc = { name: "io.github.acme/x", description: "x", version: "1.0.0", remotes: [{ type: "sse", url: "https://{tenant}.acme.example/sse", variables: { tenant: { description: "Your tenant" } } }] };
    const entry = parseImport({ text: JSON.stringify(doc) }).entries[0]!;
    expect(entry.error).toBeUndefined();
    expect(entry.draft?.endpointUrl).toBeNull();
    expect(entry.draft?.endpointTemplate).toBe("https://{tenant}.acme.example/sse");
    expect(entry.notes.join()).toMatch(/\{tenant\} with no default value/);
  });

  test("a list response unwraps { server, _meta }", () => {
    const parsed = parseFixture("mcp-registry/list-response.json");
    expect(parsed.entries[0]!.draft?.serverJson).toEqual({ name: "io.modelcontextprotocol/filesystem", description: "Filesystem operations server", version: "1.0.2" });
  });
});

describe("client configurations", () => {
  test("JSONC: comments and trailing commas parse; CRLF files parse", () => {
    expect(parseFixture("client-configs/0GiS0__youtube-mcp-server__mcp.json").entries).toHaveLength(2);
    expect(parseFixture("client-configs/0GiS0__home-assistant-mcp__mcp.json").entries).toHaveLength(1);
    expect(read("client-configs/AbsonDev__mcp-filazero__claude_desktop_config.json")).toContain("\r\n");
    expect(parseFixture("client-configs/AbsonDev__mcp-filazero__claude_desktop_config.json").entries[0]!.error).toBeUndefined();
  });

  test("secret values never reach the draft: env, headers, ${input:…}, secret-looking arguments, URL credentials", () => {
    const canary = "ghp_CANARYcanary0123456789abcdefABCDEF";
    const config = {
      mcpServers: {
        a: { command: "npx", args: ["-y", "@acme/mcp@1.2.3", "--token", canary, `--api-key=${canary}`, "${input:pat}", "plain"], env: { GITHUB_TOKEN: canary, EMPTY: "" } },
        b: { type: "http", url: `https://user:${canary}@mcp.acme.example/mcp?token=${canary}&region=eu`, headers: { Authorization: `Bearer ${canary}` } },
        c: { command: "docker", args: ["run", "-i", "--rm", "-e", `SECRET=${canary}`, "-e", "PASSTHROUGH", "ghcr.io/acme/mcp:1.0"] },
      },
    };
    const parsed = parseImport({ text: JSON.stringify(config), fileName: "claude_desktop_config.json" });
    expect(JSON.stringify(parsed.entries)).not.toContain("CANARY");
    const [a, b, c] = parsed.entries;
    expect(a!.draft?.name).toBe("io.github.acme/mcp");
    expect(a!.draft?.packages).toEqual([{ registryType: "npm", identifier: "@acme/mcp", version: "1.2.3", transport: "stdio", runtimeHint: "npx" }]);
    expect(a!.secretsDropped).toEqual(["GITHUB_TOKEN", "argument --token", "argument --api-key", "argument 6"]);
    expect(JSON.stringify(a!.draft?.serverJson)).toContain('"environmentVariables":[{"name":"GITHUB_TOKEN"},{"name":"EMPTY"}]');
    expect(b!.draft?.endpointUrl).toBe("https://mcp.acme.example/mcp?region=eu");
    expect(b!.secretsDropped).toEqual(["header Authorization", "URL user name and password", "URL parameter token"]);
    expect(b!.draft?.serverJson).toEqual({ name: "example.acme.mcp/b", remotes: [{ type: "streamable-http", url: "https://mcp.acme.example/mcp?region=eu", headers: [{ name: "Authorization" }] }] });
    expect(c!.secretsDropped).toEqual(["SECRET"]);
    expect(JSON.stringify(c!.draft?.serverJson)).toContain('"environmentVariables":[{"name":"SECRET"},{"name":"PASSTHROUGH"}]');
  });

  test("proposed names are unique within a file", () => {
    const parsed = parseImport({ text: JSON.stringify({ mcpServers: { Sentry: { url: "https://mcp.sentry.dev/mcp" }, sentry: { url: "https://mcp.sentry.dev/sse" } } }) });
    expect(parsed.entries.map((e) => e.draft?.name)).toEqual(["dev.sentry.mcp/sentry", "dev.sentry.mcp/sentry-2"]);
  });

  test("an entry with neither command nor url, an unknown transport, or a bad key is invalid on its own", () => {
    const parsed = parseImport({
      text: JSON.stringify({ mcpServers: { empty: {}, pigeon: { type: "pigeon", url: "https://x.example" }, "bad\u0007key": { command: "x" }, ok: { command: "node", args: ["s.js"] } } }),
    });
    expect(parsed.entries.map((e) => e.error ?? "ok")).toEqual([
      "Has neither a command (a local server) nor a url (a remote server)",
      'type: "pigeon" is not a transport Steward knows (stdio, http, streamable-http, sse)',
      "The server key: contains control characters",
      "ok",
    ]);
    expect(parsed.entries[2]!.key).toBe("bad\u2407key");
  });
});

describe("CSV", () => {
  const header = "name,title,description,version,transport,endpoint_url,repository_url,environment,data_classification,auth_profile,team,primary_owner_email,backup_owner_email,tags";

  test("a full row maps every column; tags are ;-separated; empty cells are left out", () => {
    const csv = `${header}\ncom.acme/tickets,Tickets,"Ticket search, with a comma",1.2.0,http,https://mcp.acme.example/tickets/mcp,https://github.com/acme/tickets,prod,confidential,oauth_dcr,platform,Sam.Okafor@northwind.example,lucas.oliveira@northwind.example,tickets; support ;tier-1\ncom.acme/minimal,,,,,,,,,,,,,\n`;
    const parsed = parseImport({ text: csv, fileName: "servers.csv" });
    expect(parsed.format).toBe("csv");
    const [full, minimal] = parsed.entries;
    expect(full!.error).toBeUndefined();
    expect(full!.draft).toEqual({
      name: "com.acme/tickets",
      nameProposed: false,
      title: "Tickets",
      description: "Ticket search, with a comma",
      version: "1.2.0",
      transport: "streamable-http",
      endpointUrl: "https://mcp.acme.example/tickets/mcp",
      repositoryUrl: "https://github.com/acme/tickets",
      environment: "prod",
      dataClassification: "confidential",
      authProfile: "oauth_dcr",
      team: "platform",
      primaryOwnerEmail: "sam.okafor@northwind.example",
      backupOwnerEmail: "lucas.oliveira@northwind.example",
      tags: ["tickets", "support", "tier-1"],
    });
    expect(minimal!.draft).toEqual({ name: "com.acme/minimal", nameProposed: false });
  });

  test("unknown columns are one error naming them", () => {
    const parsed = parseImport({ text: "name,colour,Shape\ncom.acme/x,red,round\n", fileName: "x.csv" });
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.entries[0]!.error).toMatch(/^Unknown columns: colour, shape\. The columns Steward reads are name, title/);
  });

  test("a header without a name column, and repeated columns, are errors", () => {
    expect(parseImport({ text: "title,version\nx,1\n", fileName: "x.csv" }).entries[0]!.error).toMatch(/must have a name column/);
    expect(parseImport({ text: "name,tags,tags\nx,a,b\n", fileName: "x.csv" }).entries[0]!.error).toMatch(/Repeated column: tags/);
  });

  test("a bad value names the row and the column", () => {
    const csv = "name,environment,data_classification,endpoint_url,primary_owner_email,tags\ncom.acme/a,production,secret,ftp://x.example,not-an-email,ok\ncom.acme/b,dev,public,https://x.example,a@b.example,a;b\n";
    const [a, b] = parseImport({ text: csv, fileName: "x.csv" }).entries;
    expect(a!.error?.split("; ")).toEqual([
      "row 2, column endpoint_url: must be an http:// or https:// URL",
      "row 2, column data_classification: must be one of public, internal, confidential, restricted",
      "row 2, column primary_owner_email: is not an e-mail address",
    ]);
    // `production` is an accepted spelling of `prod`.
    expect(a!.draft?.environment).toBe("prod");
    expect(b!.error).toBeUndefined();
  });

  test("a row with the wrong number of values, and an unclosed quote, are invalid rows", () => {
    const parsed = parseImport({ text: 'name,title\ncom.acme/a,A,extra\ncom.acme/b\ncom.acme/c,"open\n', fileName: "x.csv" });
    expect(parsed.entries.map((e) => e.error)).toEqual([
      "row 2: has 3 values, but the header has 2 columns",
      "row 3: has 1 value, but the header has 2 columns",
      "row 4: a quoted value is not closed",
    ]);
  });

  test("the same name twice keeps the highest version", () => {
    const parsed = parseImport({ text: "name,version\ncom.acme/a,2.0.0\ncom.acme/a,10.0.0\n", fileName: "x.csv" });
    expect(parsed.entries[0]!.error).toMatch(/^Duplicate: com\.acme\/a appears again at version 10\.0\.0 \(entry 2\)/);
    expect(parsed.entries[1]!.error).toBeUndefined();
  });
});

describe("hostile input and limits", () => {
  test("control characters, <script> and a 1 MB value are refused or shown escaped, never thrown", () => {
    const huge = "A".repeat(1024 * 1024);
    const csv = `name,title,description\ncom.acme/a,"<script>alert(1)</script>",ok\ncom.acme/b,"bell\u0007",ok\ncom.acme/c,t,${huge}\n`;
    const [a, b, c] = parseImport({ text: csv, fileName: "x.csv" }).entries;
    expect(a!.error).toBeUndefined();
    expect(a!.draft?.title).toBe("<script>alert(1)</script>");
    expect(b!.error).toBe("row 3, column title: contains control characters");
    expect(c!.error).toBe("row 4, column description: at most 2,000 characters (it has 1,048,576)");
    expect(c!.error!.length).toBeLessThan(200);
  });

  test("a 1 MB key in a client config is refused without echoing it", () => {
    const parsed = parseImport({ text: JSON.stringify({ mcpServers: { ["k".repeat(1024 * 1024)]: { command: "x" } } }) });
    expect(parsed.entries[0]!.error).toBe("The server key: at most 200 characters (it has 1,048,576)");
    expect(parsed.entries[0]!.key.length).toBeLessThanOrEqual(201);
  });

  test("huge or hostile header and variable names are refused, not stored", () => {
    const parsed = parseImport({
      text: JSON.stringify({ mcpServers: { a: { url: "https://x.example/mcp", headers: { ["h".repeat(300)]: "v" } }, b: { command: "x", env: { "BAD\u0007": "v" } }, c: { command: "npx", args: ["-y", "some-pkg", ...Array(200).fill("y".repeat(1000))] } } }),
    });
    expect(parsed.entries.map((e) => e.error)).toEqual([
      "headers: a name at most 200 characters (it has 300)",
      "env: a name contains control characters",
      "The server's description is 207 kB; Steward keeps at most 100 kB per server",
    ]);
    expect(JSON.stringify(parsed.entries)).not.toContain("h".repeat(300));
  });

  test("a NUL byte in a document is refused (Postgres cannot store it)", () => {
    const doc = { name: "io.github.acme/x", description: "x", version: "1.0.0", _meta: { "io.modelcontextprotocol.registry/publisher-provided": { note: "a\u0000b" } } };
    const entry = parseImport({ text: JSON.stringify(doc) }).entries[0]!;
    expect(entry.error).toMatch(/_meta\.io\.modelcontextprotocol\.registry\/publisher-provided\.note: contains characters that cannot be stored/);
  });

  test("over 5 MB is a 413 that says the limit", () => {
    const text = `name\n${"x".repeat(IMPORT_LIMITS.maxBytes)}`;
    let error: unknown;
    try {
      parseImport({ text, fileName: "big.csv" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(413);
    expect((error as AppError).message).toBe("The file is 5.0 MB; the limit is 5.0 MB per file.");
  });

  test("over 5,000 servers is a 422 that says the limit", () => {
    const rows = Array.from({ length: IMPORT_LIMITS.maxEntries + 1 }, (_, i) => `com.acme/s${i}`).join("\n");
    expect(() => parseImport({ text: `name\n${rows}\n`, fileName: "many.csv" })).toThrow(/holds 5,001 servers; one import takes at most 5,000/);
    const servers = Object.fromEntries(Array.from({ length: IMPORT_LIMITS.maxEntries + 1 }, (_, i) => [`s${i}`, { command: "x" }]));
    expect(() => parseImport({ text: JSON.stringify({ mcpServers: servers }) })).toThrow(/holds 5,001 servers/);
  });

  test("empty, binary and unrecognised files are clear 422s", () => {
    expect(() => parseImport({ text: "  \n" })).toThrow(/The file is empty/);
    expect(() => parseImport({ text: "\u0089PNG\u0000\u0000" })).toThrow(/binary data/);
    expect(() => parseImport({ text: "hello world" })).toThrow(/cannot tell what this file is/);
    expect(() => parseImport({ text: '{"hello": "world"}' })).toThrow(/neither a server\.json document nor a client configuration/);
  });
});
