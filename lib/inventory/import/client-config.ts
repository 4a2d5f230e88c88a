/**
 * MCP client configuration files: `mcpServers` (Claude Desktop, Cursor, Windsurf — with `serverUrl`),
 * VS Code's `servers` (+ `inputs`), the same `servers` key in some `.cursor/mcp.json` files, and the
 * nested `{ "transport": { "type", "url" } }` shape. Each server key becomes one entry.
 *
 * Secrets are never kept: environment values, header values, `${input:…}` values and arguments that
 * look like secrets are dropped here, before anything else sees them; only their names survive.
 */
import type { Transport } from "@/db/schema/vocabulary";
import { proposeServerName, uniqueName, type NameSource } from "./names";
import { cleanUrl, displayText, hasPlaceholder, sanitizeArgs, textProblem } from "./sanitize";
import { SERVER_JSON_MAX_BYTES } from "./server-json";
import type { DraftPackage, ParsedEntry, ServerDraft } from "./types";

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const isObject = (v: unknown): v is Json => Boolean(v) && typeof v === "object" && !Array.isArray(v);

export const CLIENT_KEY_MAX = 200;

export type ClientConfig = { servers: Json; variant: string; inputs: Map<string, { description?: string; password: boolean }> };

/** The servers map of a client configuration, or null when the value is not one. */
export function detectClientConfig(root: unknown, fileName = ""): ClientConfig | null {
  if (!isObject(root)) return null;
  const inputs = new Map<string, { description?: string; password: boolean }>();
  for (const input of Array.isArray(root.inputs) ? root.inputs : []) {
    const i = rec(input);
    if (typeof i.id === "string") inputs.set(i.id, { description: typeof i.description === "string" ? i.description : undefined, password: i.password === true });
  }
  const lower = fileName.toLowerCase();
  if (isObject(root.mcpServers)) {
    const client = lower.includes("claude") ? "Claude Desktop" : lower.includes("mcp_config") ? "Windsurf" : lower.endsWith("mcp.json") ? "Cursor" : "Claude Desktop, Cursor or Windsurf";
    return { servers: root.mcpServers, variant: `${client} (mcpServers)`, inputs };
  }
  if (isObject(root.servers)) return { servers: root.servers, variant: `VS Code (servers${Array.isArray(root.inputs) ? " + inputs" : ""})`, inputs };
  // VS Code user settings (settings.json) keep the same map under "mcp".
  const mcp = rec(root.mcp);
  if (isObject(mcp.servers)) return { servers: mcp.servers, variant: "VS Code settings (mcp.servers)", inputs };
  return null;
}

// ---- Runners: how a stdio server is started tells which package it is ---------------------------

type Runner = {
  pkg: DraftPackage;
  /** Arguments after the package (kept as positional arguments in server.json). */
  packageArgs: string[];
  /** Environment variable names passed through (`docker run -e NAME`). */
  envNames: string[];
  /** Values dropped from `-e NAME=value`. */
  dropped: string[];
  /** A remote reached through a stdio bridge (`npx mcp-remote <url>`). */
  remoteUrl?: string;
  remoteHeaders?: string[];
};

const baseCommand = (command: string) =>
  command
    .trim()
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(cmd|exe|bat)$/i, "")
    .toLowerCase();

/** `@scope/name@1.2.3` → name and version; floating tags (`latest`, `next`) are not versions. */
function splitSpec(spec: string, separator: RegExp): { name: string; version?: string } {
  const m = separator.exec(spec.startsWith("@") ? spec.slice(1) : spec);
  if (!m || m.index === undefined) return { name: spec };
  const offset = spec.startsWith("@") ? 1 : 0;
  const name = spec.slice(0, m.index + offset);
  const version = spec.slice(m.index + offset + m[0].length);
  return /^v?\d/.test(version) ? { name, version: version.replace(/^v/, "") } : { name };
}

function npmRunner(args: string[], hint: string): Runner | null {
  let spec: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-p" || a === "--package") {
      spec = args[++i];
      continue;
    }
    if (a.startsWith("--package=")) {
      spec = a.slice("--package=".length);
      continue;
    }
    if (a.startsWith("-")) continue;
    if (!spec) spec = a;
    i++;
    break;
  }
  if (!spec) return null;
  const { name, version } = splitSpec(spec, /@/);
  const rest = args.slice(i);
  if (name === "mcp-remote" || name === "@modelcontextprotocol/mcp-remote" || name === "supergateway") {
    const url = rest.find((a) => /^https?:\/\//i.test(a));
    const headers: string[] = [];
    for (let j = 0; j < rest.length; j++) {
      if (rest[j] === "--header" && rest[j + 1]) headers.push(rest[j + 1]!.split(":")[0]!.trim());
    }
    if (url) return { pkg: { registryType: "npm", identifier: name, transport: "stdio", runtimeHint: hint }, packageArgs: [], envNames: [], dropped: [], remoteUrl: url, remoteHeaders: headers };
  }
  const pkg: DraftPackage = { registryType: "npm", identifier: name, transport: "stdio", runtimeHint: hint };
  if (version) pkg.version = version;
  return { pkg, packageArgs: rest, envNames: [], dropped: [] };
}

function pypiRunner(args: string[], hint: string): Runner | null {
  let spec: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--from") {
      spec = args[++i];
      continue;
    }
    if (["--with", "--python", "-p", "--index-url", "--extra-index-url"].includes(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    if (!spec) spec = a;
    i++;
    break;
  }
  if (!spec) return null;
  const { name, version } = splitSpec(spec, /==|@/);
  const pkg: DraftPackage = { registryType: "pypi", identifier: name, transport: "stdio", runtimeHint: hint };
  if (version) pkg.version = version;
  return { pkg, packageArgs: args.slice(i), envNames: [], dropped: [] };
}

const DOCKER_VALUE_FLAGS = new Set([
  "-e", "--env", "-v", "--volume", "-p", "--publish", "--name", "--network", "--net", "--mount", "-w", "--workdir", "--entrypoint",
  "--env-file", "-u", "--user", "--platform", "--pull", "-l", "--label", "--add-host", "--cpus", "-m", "--memory", "--restart",
  "--cap-add", "--cap-drop", "--device", "--security-opt", "--tmpfs", "--ulimit", "-h", "--hostname", "--dns", "--log-driver", "--gpus",
]);

function dockerRunner(args: string[]): Runner | null {
  let i = args[0] === "run" ? 1 : args[0] === "container" && args[1] === "run" ? 2 : -1;
  if (i < 0) return null;
  const envNames: string[] = [];
  const dropped: string[] = [];
  const env = (value: string) => {
    const eq = value.indexOf("=");
    const name = eq >= 0 ? value.slice(0, eq) : value;
    if (name) envNames.push(name);
    if (eq >= 0 && value.slice(eq + 1) !== "") dropped.push(name);
  };
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-e" || a === "--env") {
      env(args[++i] ?? "");
      continue;
    }
    if (a.startsWith("--env=")) {
      env(a.slice("--env=".length));
      continue;
    }
    if (DOCKER_VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    const image = a;
    return { pkg: { registryType: "oci", identifier: image, transport: "stdio", runtimeHint: "docker" }, packageArgs: args.slice(i + 1), envNames, dropped };
  }
  return null;
}

function runnerFor(command: string, args: string[]): Runner | null {
  const cmd = baseCommand(command);
  if (cmd === "npx" || cmd === "bunx" || cmd === "pnpx") return npmRunner(args, cmd);
  if ((cmd === "pnpm" || cmd === "yarn") && args[0] === "dlx") return npmRunner(args.slice(1), cmd);
  if (cmd === "uvx") return pypiRunner(args, "uvx");
  if (cmd === "pipx" && args[0] === "run") return pypiRunner(args.slice(1), "pipx");
  if (cmd === "docker" || cmd === "podman") return dockerRunner(args);
  if (/^python(3(\.\d+)?)?$|^py$/.test(cmd)) {
    const m = args.indexOf("-m");
    if (m >= 0 && args[m + 1]) return { pkg: { registryType: "pypi", identifier: args[m + 1]!, transport: "stdio", runtimeHint: "python" }, packageArgs: args.slice(m + 2), envNames: [], dropped: [] };
  }
  return null;
}

// ---- Transports ---------------------------------------------------------------------------------

/** The client's transport word → Steward's; null when it is not one Steward knows. */
function remoteTransport(type: unknown, url: string): Transport | null {
  if (type === undefined || type === null || type === "") return /\/sse\/?(\?|$)/i.test(url) ? "sse" : "streamable-http";
  const t = String(type).toLowerCase().replace(/[_ ]/g, "-");
  if (t === "sse") return "sse";
  if (t === "http" || t === "streamable-http" || t === "streamablehttp" || t === "https") return "streamable-http";
  return null;
}

/** One server of a client configuration → a parsed entry. `taken` keeps proposed names unique in the file. */
export function clientConfigEntry(key: string, value: unknown, index: number, config: ClientConfig, taken: Set<string>): ParsedEntry {
  const location = `${displayText(key, 120)}`;
  const shownKey = displayText(key, 200);
  const entry = (fields: Partial<ParsedEntry>): ParsedEntry => ({
    index,
    key: shownKey,
    location,
    notes: [],
    ...fields,
    // What was dropped is shown back by name: names are text from the file too.
    secretsDropped: (fields.secretsDropped ?? []).map((n) => displayText(n, 80)),
  });

  const keyProblem = textProblem(key, { max: CLIENT_KEY_MAX });
  if (keyProblem) return entry({ error: `The server key: ${keyProblem}` });
  if (!key.trim()) return entry({ error: "The server key is empty" });
  if (!isObject(value)) return entry({ error: "Must be an object with a command or a url" });

  const cfg = value;
  const nested = rec(cfg.transport);
  const dropped: string[] = [];
  const notes: string[] = [];
  if (cfg.disabled === true) notes.push("Disabled in this client configuration; imported all the same.");

  const rawUrl = [cfg.url, cfg.serverUrl, nested.url].find((u): u is string => typeof u === "string" && u.trim() !== "");
  const declaredType = cfg.type ?? nested.type;
  const command = cfg.command;

  // Header values are always dropped (they are credentials more often than not); names are kept.
  const headerNames: string[] = [];
  for (const [name, v] of Object.entries(rec(cfg.headers ?? nested.headers))) {
    headerNames.push(name);
    if (v !== undefined && v !== null && v !== "") dropped.push(`header ${name}`);
  }
  // Environment values are dropped too: only the variable names are kept.
  const envNames: string[] = [];
  for (const [name, v] of Object.entries(rec(cfg.env))) {
    envNames.push(name);
    if (v !== undefined && v !== null && v !== "") dropped.push(name);
  }

  // Names are kept (in server.json), so they are held to the same rules as any other text.
  const badName = [...headerNames.map((n) => ["headers", n]), ...envNames.map((n) => ["env", n])].find(([, n]) => textProblem(n!, { max: 200 }) || !n!.trim());
  if (badName) return entry({ error: `${badName[0]}: a name ${textProblem(badName[1]!, { max: 200 }) ?? "is empty"}`, secretsDropped: [...new Set(dropped)], notes });

  const draft: ServerDraft = { name: null, nameProposed: true, defaultTitle: key.trim() };
  let nameSource: NameSource = { kind: "local" };
  let remote: { url: string; type: Transport; headers: string[] } | null = null;
  let pkg: DraftPackage | null = null;
  let packageArgs: string[] = [];

  if (typeof command === "string" && command.trim() && String(declaredType ?? "stdio").toLowerCase() === "stdio") {
    if (cfg.args !== undefined && !Array.isArray(cfg.args)) return entry({ error: "args: must be a list", notes });
    const rawArgs = (Array.isArray(cfg.args) ? cfg.args : []).map((a) => (typeof a === "string" ? a : JSON.stringify(a)));
    const badArg = rawArgs.map((a) => textProblem(a, { max: 2000 })).find(Boolean);
    if (badArg) return entry({ error: `args: an argument ${badArg}`, notes });
    const commandProblem = textProblem(command, { max: 500 });
    if (commandProblem) return entry({ error: `command: ${commandProblem}`, notes });
    // The runner reads the raw arguments only for what they name (package, image, variable names);
    // what is kept of the arguments themselves is sanitised.
    const runner = runnerFor(command, rawArgs);
    if (runner?.remoteUrl) {
      remote = { url: runner.remoteUrl, type: remoteTransport(undefined, runner.remoteUrl)!, headers: runner.remoteHeaders ?? [] };
      for (const h of remote.headers) dropped.push(`header ${h}`);
      notes.push(`Reached through the ${runner.pkg.identifier} stdio bridge; imported as the remote server it connects to.`);
    } else if (runner) {
      pkg = runner.pkg;
      const kept = sanitizeArgs(runner.packageArgs, rawArgs.length - runner.packageArgs.length);
      packageArgs = kept.args;
      for (const n of runner.envNames) if (!envNames.includes(n)) envNames.push(n);
      for (const n of [...runner.dropped, ...kept.dropped]) if (!dropped.includes(n)) dropped.push(n);
      nameSource = { kind: "package", registryType: pkg.registryType, identifier: pkg.identifier };
    } else {
      const kept = sanitizeArgs(rawArgs);
      dropped.push(...kept.dropped);
      const line = [command.trim(), ...kept.args].join(" ");
      pkg = { registryType: "command", identifier: line.length > 500 ? `${line.slice(0, 499)}…` : line, transport: "stdio" };
    }
  } else if (rawUrl) {
    const type = remoteTransport(declaredType, rawUrl);
    if (!type) return entry({ error: `type: "${displayText(String(declaredType), 40)}" is not a transport Steward knows (stdio, http, streamable-http, sse)`, notes });
    remote = { url: rawUrl, type, headers: headerNames };
  } else if (declaredType && String(declaredType).toLowerCase() !== "stdio") {
    return entry({ error: `A remote server (type ${displayText(String(declaredType), 40)}) needs a url`, notes });
  } else {
    return entry({ error: "Has neither a command (a local server) nor a url (a remote server)", notes });
  }

  const serverJson: Json = { name: "" };
  if (remote) {
    const cleaned = cleanUrl(remote.url);
    dropped.push(...cleaned.dropped);
    draft.transport = remote.type;
    if (cleaned.ok) {
      draft.endpointUrl = cleaned.url;
    } else if ("template" in cleaned) {
      draft.endpointUrl = null;
      draft.endpointTemplate = cleaned.template;
      for (const m of cleaned.template.matchAll(/\$\{input:([^}]+)\}/g)) {
        const input = config.inputs.get(m[1]!);
        if (input?.description) notes.push(`\${input:${m[1]}} is “${displayText(input.description, 120)}”, which the client asks for when it starts.`);
      }
    } else {
      return entry({ error: `url: ${cleaned.problem}`, secretsDropped: dropped, notes });
    }
    nameSource = { kind: "remote", url: cleaned.ok ? cleaned.url : "template" in cleaned ? cleaned.template : remote.url };
    serverJson.remotes = [
      {
        type: remote.type,
        url: cleaned.ok ? cleaned.url : "template" in cleaned ? cleaned.template : "",
        ...(remote.headers.length ? { headers: remote.headers.map((name) => ({ name })) } : {}),
      },
    ];
  } else if (pkg) {
    draft.transport = "stdio";
    draft.endpointUrl = null;
    draft.packages = [pkg];
    const { transport, ...rest } = pkg;
    serverJson.packages = [
      {
        ...rest,
        transport: { type: transport ?? "stdio" },
        ...(packageArgs.length && pkg.registryType !== "command" ? { packageArguments: packageArgs.map((value) => ({ type: "positional", value })) } : {}),
        ...(envNames.length ? { environmentVariables: envNames.map((name) => ({ name })) } : {}),
      },
    ];
  }
  if (hasPlaceholder(JSON.stringify(serverJson.packages ?? []))) {
    notes.push("Some arguments hold ${…} placeholders that the client fills in; they are kept as written.");
  }

  const size = Buffer.byteLength(JSON.stringify(serverJson));
  if (size > SERVER_JSON_MAX_BYTES) return entry({ error: `The server's description is ${(size / 1000).toFixed(0)} kB; Steward keeps at most ${SERVER_JSON_MAX_BYTES / 1000} kB per server`, secretsDropped: [...new Set(dropped)], notes });

  draft.name = uniqueName(proposeServerName(key, nameSource), taken);
  taken.add(draft.name.toLowerCase());
  serverJson.name = draft.name;
  draft.serverJson = serverJson;
  return entry({ draft, secretsDropped: [...new Set(dropped)], notes });
}

export function clientConfigEntries(config: ClientConfig): ParsedEntry[] {
  const taken = new Set<string>();
  return Object.entries(config.servers).map(([key, value], index) => clientConfigEntry(key, value, index, config, taken));
}
