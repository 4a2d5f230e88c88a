/**
 * The server and agent lists at scale: loads 100,000 servers and 1,000,000 agents (with 10,000
 * people, 200 teams and ~1.5 credentials per agent) into a fresh Postgres database, then times
 * every list query shape — first page, deep page, each filter, each sort, search, combined
 * filters, counts — through the same functions the console and the API call (listServers,
 * listAgents, countServers, countAgents) with a real member as the actor. Target
 * (../shared/design/targets.md): p95 ≤ 200 ms per shape.
 *
 *   npm run bench:inventory                                    # full size
 *   npm run bench:inventory -- --scale 0.1                     # 10,000 servers, 100,000 agents
 *   npm run bench:inventory -- --servers 20000 --agents 50000 --iterations 30 --keep
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is the admin connection
 * that creates (and at the end drops, unless --keep) a database steward_bench_<timestamp>. Loading
 * disables foreign-key triggers for the session (session_replication_role = replica, so it needs a
 * superuser) and builds the list indexes after the rows are in, as a restore would.
 */
import os from "node:os";
import pg from "pg";
import { createClient } from "@/db/client";
import { applyMigrations } from "@/db/migrator";
import { Random } from "@/db/seed/random";
import { personActor, type PersonActor } from "@/lib/auth/actor";
import { countAgents, countServers, encodeCursor, listAgents, listServers } from "@/lib/inventory/lists";

// ---- Options ---------------------------------------------------------------------------------------

const args = process.argv.slice(2);
function option(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
const scale = Number(option("scale") ?? "1");
const SERVERS = Math.round(Number(option("servers") ?? 100_000 * scale));
const AGENTS = Math.round(Number(option("agents") ?? 1_000_000 * scale));
const PEOPLE = Math.max(200, Math.round(AGENTS / 100));
const TEAMS = Math.max(10, Math.round(PEOPLE / 50));
const ITERATIONS = Number(option("iterations") ?? "40");
const WARMUP = 5;
const KEEP = args.includes("--keep");
/** Measure a database a previous --keep run left behind, without loading it again. */
const REUSE = option("reuse");
const TARGET_MS = 200;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const BATCH = 5_000;

if (![SERVERS, AGENTS, ITERATIONS].every((n) => Number.isInteger(n) && n > 0)) {
  console.error("usage: npm run bench:inventory [-- --servers N --agents N | --scale F] [--iterations N] [--keep]");
  process.exit(2);
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmt = (n: number) => n.toLocaleString("en-US");

// ---- Realistic-looking data ------------------------------------------------------------------------

const WORDS = (
  "billing ledger payments invoice refunds payroll expense procurement netsuite stripe tax treasury " +
  "kubernetes cluster terraform vault secrets dns edge cdn pagerduty incident grafana metrics logs tracing " +
  "github gitlab jira confluence wiki release flags deploy pipeline build artifact registry container " +
  "snowflake warehouse dbt airflow kafka postgres mysql redis search index catalog lineage quality feature " +
  "store model training inference embedding vector notebook experiment siem vulnerability scanner okta " +
  "identity access audit threat intel edr malware phishing zendesk support ticket salesforce crm customer " +
  "knowledge intercom inbox sentiment translation survey marketing campaign email analytics dashboard " +
  "reporting forecast pricing inventory order shipping logistics warehouse-ops fleet maps weather calendar " +
  "meeting notes docs drive sheets slack teams chat notifier sentry playwright browser filesystem memory " +
  "observability onboarding directory benefits recruiting contracts legal compliance privacy consent"
).split(/\s+/);
const NOUNS = ["assistant", "bot", "agent", "copilot", "worker", "sync", "reviewer", "triage", "summariser", "helper", "runner", "monitor"];
const ORGS = ["northwind", "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell", "cyberdyne", "soylent", "vandelay", "pied-piper", "aperture"];
const NAMESPACES = [
  ...ORGS.map((o) => `com.${o}`),
  ...ORGS.map((o) => `io.github.${o}`),
  "dev.sentry",
  "com.microsoft",
  "io.github.modelcontextprotocol",
  "com.atlassian",
  "com.stripe",
  "com.cloudflare",
  "io.snyk",
  "com.notion",
];
const TAGS = ["pci", "sox", "gdpr", "hipaa", "customer-data", "finance", "platform", "data", "security", "support", "ml", "legacy", "experimental", "vendor", "oss", "internal-only", "tier-1", "tier-2", "tier-3", "eu", "us", "apac", "beta", "deprecated", "critical", "batch", "realtime", "read-only", "write", "admin"];
const FIRST = ["Priya", "Marcus", "Elena", "Sam", "Jordan", "Aisha", "Wei", "Lucas", "Sofia", "Mateo", "Hana", "Omar", "Chloe", "Ravi", "Ingrid", "Kwame", "Yuki", "Diego", "Fatima", "Noah", "Leila", "Tomas", "Grace", "Ivan", "Amara", "Felix", "Nadia", "Oscar", "Zara", "Ben"];
const LAST = ["Raman", "Chen", "Petrova", "Okafor", "Lee", "Khan", "Zhang", "Silva", "Rossi", "Garcia", "Tanaka", "Haddad", "Martin", "Iyer", "Larsen", "Mensah", "Sato", "Lopez", "Ali", "Smith", "Nasser", "Novak", "Kim", "Ivanov", "Eze", "Weber", "Haddad", "Berg", "Malik", "Cohen"];

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** Pick by weight: weighted(r, { a: 3, b: 1 }) returns "a" three times as often as "b". */
function weighted<K extends string>(r: Random, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  let x = r.float() * entries.reduce((n, [, w]) => n + w, 0);
  for (const [k, w] of entries) if ((x -= w) < 0) return k;
  return entries[entries.length - 1]![0];
}

/** A skewed pick: a few people own a lot, most own a little. */
const skewed = (r: Random, n: number) => Math.min(n - 1, Math.floor(n * Math.pow(r.float(), 1.6)));

const NOW = Date.now();
const DAY = 86_400_000;
const ago = (r: Random, maxDays: number) => new Date(NOW - r.float() * maxDays * DAY);

// ---- Loading ---------------------------------------------------------------------------------------

type Col = { name: string; type: string };

/** INSERT … SELECT FROM unnest($1::t[], …): one statement per batch, arrays as parameters. */
async function insertBatches(client: pg.Client, table: string, cols: Col[], total: number, row: (i: number) => unknown[]): Promise<void> {
  // Arrays of arrays (tags) travel as array literals in a text[] and are cast back per row.
  const params = cols.map((c, i) => (c.type.endsWith("[]") ? `$${i + 1}::text[]` : `$${i + 1}::${c.type}[]`));
  const select = cols.map((c, i) => (c.type.endsWith("[]") ? `c${i}::${c.type}` : `c${i}`));
  const text = `insert into ${table} (${cols.map((c) => c.name).join(", ")}) select ${select.join(", ")} from unnest(${params.join(", ")}) as u(${cols.map((_, i) => `c${i}`).join(", ")})`;
  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    const columns: unknown[][] = cols.map(() => []);
    for (let i = start; i < end; i++) {
      const values = row(i);
      values.forEach((v, c) => columns[c]!.push(cols[c]!.type.endsWith("[]") ? `{${(v as string[]).map((x) => `"${x}"`).join(",")}}` : v));
    }
    await client.query(text, columns);
  }
}

type Loaded = { people: { id: string; active: boolean }[]; teams: string[] };

async function load(client: pg.Client): Promise<{ timings: [string, number][]; loaded: Loaded }> {
  const timings: [string, number][] = [];
  const time = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await fn();
    timings.push([label, performance.now() - started]);
    return result;
  };
  await client.query("set session_replication_role = replica");
  await client.query("set maintenance_work_mem = '512MB'");

  // Secondary indexes come off for the load and go back on afterwards (what pg_restore does).
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `select i.indexname, i.indexdef from pg_indexes i
      where i.schemaname = 'public' and i.tablename in ('servers', 'agents', 'credentials')
        and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
  );
  for (const ix of indexes) await client.query(`drop index "${ix.indexname}"`);

  const r = new Random("bench:inventory");
  const teams = Array.from({ length: TEAMS }, () => r.uuid());
  await time(`teams (${fmt(TEAMS)})`, () =>
    insertBatches(client, "teams", [{ name: "id", type: "uuid" }, { name: "slug", type: "text" }, { name: "name", type: "text" }], TEAMS, (i) => {
      const w = WORDS[i % WORDS.length]!;
      return [teams[i], `${w}-${i}`.replace(/[^a-z0-9-]/g, "-"), `${cap(w)} team ${i}`];
    }),
  );

  const people = Array.from({ length: PEOPLE }, () => ({ id: r.uuid(), active: !r.chance(0.04) }));
  await time(`people (${fmt(PEOPLE)}, 4% deactivated)`, () =>
    insertBatches(
      client,
      "people",
      [
        { name: "id", type: "uuid" },
        { name: "email", type: "text" },
        { name: "name", type: "text" },
        { name: "role", type: "role" },
        { name: "active", type: "boolean" },
        { name: "deactivated_at", type: "timestamptz" },
        { name: "source", type: "person_source" },
      ],
      PEOPLE,
      (i) => {
        const p = people[i]!;
        const first = FIRST[i % FIRST.length]!;
        const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
        return [p.id, `${first}.${last}.${i}@northwind.example`.toLowerCase(), `${first} ${last} ${i}`, "member", p.active, p.active ? null : ago(r, 365), "seed"];
      },
    ),
  );

  const owners = (rr: Random) => {
    if (rr.chance(0.015)) return [null, null];
    const primary = people[skewed(rr, PEOPLE)]!.id;
    let backup: string | null = rr.chance(0.7) ? people[rr.int(0, PEOPLE - 1)]!.id : null;
    if (backup === primary) backup = null;
    return [primary, backup];
  };

  await time(`servers (${fmt(SERVERS)})`, () =>
    insertBatches(
      client,
      "servers",
      [
        { name: "id", type: "uuid" },
        { name: "name", type: "text" },
        { name: "title", type: "text" },
        { name: "description", type: "text" },
        { name: "transport", type: "transport" },
        { name: "endpoint_url", type: "text" },
        { name: "environment", type: "environment" },
        { name: "data_classification", type: "data_classification" },
        { name: "auth_profile", type: "auth_profile" },
        { name: "lifecycle", type: "server_lifecycle" },
        { name: "approved_until", type: "timestamptz" },
        { name: "changed_since_approval", type: "boolean" },
        { name: "primary_owner_id", type: "uuid" },
        { name: "backup_owner_id", type: "uuid" },
        { name: "team_id", type: "uuid" },
        { name: "tags", type: "text[]" },
        { name: "risk_score", type: "int" },
        { name: "created_at", type: "timestamptz" },
        { name: "updated_at", type: "timestamptz" },
      ],
      SERVERS,
      (i) => {
        const id = r.uuid();
        const [w1, w2] = [r.pick(WORDS), r.pick(WORDS)];
        const ns = r.pick(NAMESPACES);
        const transport = weighted(r, { stdio: 40, "streamable-http": 50, sse: 10 });
        const environment = weighted(r, { dev: 40, staging: 25, prod: 35 });
        const classification = weighted(r, { public: 10, internal: 45, confidential: 30, restricted: 15 });
        const auth = weighted(r, { none: 15, static_api_key: 15, oauth_dcr: 20, oauth_cimd: 10, oauth_preregistered: 20, mtls: 10, workload_identity: 10 });
        const lifecycle = weighted(r, { approved: 45, draft: 15, in_review: 10, suspended: 5, expired: 5, revoked: 5, retired: 15 });
        const [primary, backup] = owners(r);
        const risk = Math.min(100, Math.max(0, { public: 5, internal: 15, confidential: 30, restricted: 45 }[classification] + { none: 30, static_api_key: 20, oauth_preregistered: 10, oauth_dcr: 5, oauth_cimd: 5, mtls: 3, workload_identity: 3 }[auth] + r.int(0, 25)));
        const created = ago(r, 900);
        return [
          id,
          `${ns}/${w1}-${w2}-${i.toString(36)}`,
          `${cap(w1)} ${w2}`,
          `MCP server for ${w1} and ${w2}: lets agents read and update ${r.pick(WORDS)} records for the ${r.pick(WORDS)} team.`,
          transport,
          transport === "stdio" ? null : `https://mcp.${ns.split(".").reverse().join(".")}/${w1}-${i.toString(36)}`,
          environment,
          classification,
          auth,
          lifecycle,
          lifecycle === "approved" ? new Date(NOW + r.int(-30, 365) * DAY) : null,
          lifecycle === "approved" && r.chance(0.04),
          primary,
          backup,
          r.chance(0.9) ? r.pick(teams) : null,
          r.sample(TAGS, Math.floor(Math.pow(r.float(), 2) * 5)),
          risk,
          created,
          new Date(created.getTime() + r.float() * (NOW - created.getTime())),
        ];
      },
    ),
  );

  const IDENTITY = { oauth_dcr: 20, oauth_cimd: 10, oauth_preregistered: 15, workload_spiffe: 15, workload_oidc: 10, service_account: 20, static_api_key: 10 } as const;
  const agentIdentity: string[] = [];
  const agentIds: string[] = [];
  await time(`agents (${fmt(AGENTS)})`, () =>
    insertBatches(
      client,
      "agents",
      [
        { name: "id", type: "uuid" },
        { name: "name", type: "text" },
        { name: "kind", type: "agent_kind" },
        { name: "identity_type", type: "identity_type" },
        { name: "client_id", type: "text" },
        { name: "environment", type: "environment" },
        { name: "purpose", type: "text" },
        { name: "primary_owner_id", type: "uuid" },
        { name: "backup_owner_id", type: "uuid" },
        { name: "team_id", type: "uuid" },
        { name: "state", type: "agent_state" },
        { name: "last_seen_at", type: "timestamptz" },
        { name: "created_at", type: "timestamptz" },
        { name: "updated_at", type: "timestamptz" },
      ],
      AGENTS,
      (i) => {
        const id = r.uuid();
        agentIds.push(id);
        const [w1, w2, noun] = [r.pick(WORDS), r.pick(WORDS), r.pick(NOUNS)];
        const identity = weighted(r, IDENTITY);
        agentIdentity.push(identity);
        const environment = weighted(r, { dev: 35, staging: 25, prod: 40 });
        const clientId =
          identity === "workload_spiffe"
            ? `spiffe://northwind.example/ns/${w1}/sa/${w2}-${i.toString(36)}`
            : identity === "service_account"
              ? `${w1}-${w2}-${i.toString(36)}@northwind-${environment}.iam.example`
              : identity === "static_api_key"
                ? `key_${r.hex(10)}${i.toString(36)}`
                : `${r.hex(12)}${i.toString(36)}`;
        const [primary, backup] = owners(r);
        const created = ago(r, 700);
        return [
          id,
          `${cap(w1)} ${w2} ${noun}${environment === "prod" ? "" : ` (${environment})`}`,
          weighted(r, { coding_assistant: 25, workflow_agent: 30, chat_assistant: 20, service: 25 }),
          identity,
          clientId,
          environment,
          `${cap(r.pick(WORDS))} ${w1} ${noun}: summarises ${w2} activity and files ${r.pick(WORDS)} follow-ups for its team.`,
          primary,
          backup,
          r.chance(0.92) ? r.pick(teams) : null,
          weighted(r, { active: 85, suspended: 5, revoked: 4, retired: 6 }),
          r.chance(0.08) ? null : ago(r, 90),
          created,
          new Date(created.getTime() + r.float() * (NOW - created.getTime())),
        ];
      },
    ),
  );

  // Credentials follow identity types: secrets and API keys for OAuth clients and static keys,
  // short-lived tokens for workloads. About a quarter of agents end up with a flagged one.
  type Cred = [string, string, string, Date, Date | null, number | null, Date | null];
  const creds: Cred[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const identity = agentIdentity[i]!;
    const n = r.int(0, 3) === 0 ? 0 : r.int(1, 2);
    for (let c = 0; c < n; c++) {
      const type =
        identity === "static_api_key"
          ? "api_key"
          : identity.startsWith("oauth")
            ? weighted(r, { client_secret: 35, private_key_jwt: 45, refresh_token: 20 })
            : identity === "workload_spiffe"
              ? "spiffe_svid"
              : identity === "workload_oidc"
                ? "oidc_federation"
                : weighted(r, { private_key_jwt: 60, api_key: 20, mtls_certificate: 20 });
      const issued = ago(r, 400);
      const ttl = type === "spiffe_svid" || type === "oidc_federation" ? 3600 : r.chance(0.15) ? null : r.pick([3600, 86_400, 30 * 86_400, 365 * 86_400]);
      creds.push([r.uuid(), agentIds[i]!, type, issued, ttl === null ? null : new Date(issued.getTime() + ttl * 1000), ttl, r.chance(0.05) ? ago(r, 30) : null]);
    }
  }
  await time(`credentials (${fmt(creds.length)})`, () =>
    insertBatches(
      client,
      "credentials",
      [
        { name: "id", type: "uuid" },
        { name: "agent_id", type: "uuid" },
        { name: "type", type: "credential_type" },
        { name: "issued_at", type: "timestamptz" },
        { name: "expires_at", type: "timestamptz" },
        { name: "ttl_seconds", type: "bigint" },
        { name: "revoked_at", type: "timestamptz" },
      ],
      creds.length,
      (i) => creds[i]!,
    ),
  );

  await time(`indexes (${indexes.length}, rebuilt after the load)`, async () => {
    for (const ix of indexes) await client.query(ix.indexdef);
  });
  await client.query("set session_replication_role = origin");
  // The steady state of a live table: statistics, and a visibility map (index-only scans).
  await time("vacuum analyze", () => client.query("vacuum analyze"));
  return { timings, loaded: { people, teams } };
}

// ---- Measuring -------------------------------------------------------------------------------------

type Shape = { list: "servers" | "agents"; name: string; run: (i: number) => Promise<number> };
type Result = { list: string; name: string; p50: number; p95: number; max: number; rows: number };

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

async function measure(shape: Shape): Promise<Result> {
  let rows = 0;
  for (let i = 0; i < WARMUP; i++) rows = await shape.run(i);
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    rows = await shape.run(WARMUP + i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { list: shape.list, name: shape.name, p50: percentile(times, 50), p95: percentile(times, 95), max: times[times.length - 1]!, rows };
}

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = REUSE ?? `steward_bench_${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}`;
  if (!REUSE) await admin.query(`create database "${name}"`);
  const url = withDatabase(ADMIN_URL, name);

  const handle = await createClient({ url, poolMax: 4, statementTimeoutMs: 60_000 });
  const loader = new pg.Client({ connectionString: url });
  try {
    await loader.connect();
    let loaded: Loaded;
    const size = { servers: SERVERS, agents: AGENTS };
    if (REUSE) {
      const people = await loader.query<{ id: string; active: boolean }>("select id, active from people order by email");
      const teams = await loader.query<{ id: string }>("select id from teams order by slug");
      loaded = { people: people.rows, teams: teams.rows.map((t) => t.id) };
      const { rows } = await loader.query<{ s: string; a: string }>("select (select count(*) from servers) as s, (select count(*) from agents) as a");
      size.servers = Number(rows[0]!.s);
      size.agents = Number(rows[0]!.a);
      console.log(`Database ${name} (reused): ${fmt(Number(rows[0]!.s))} servers, ${fmt(Number(rows[0]!.a))} agents, ${fmt(people.rowCount ?? 0)} people.`);
    } else {
      console.log(`Database ${name}: ${fmt(SERVERS)} servers, ${fmt(AGENTS)} agents, ${fmt(PEOPLE)} people, ${fmt(TEAMS)} teams.`);
      const migrated = performance.now();
      await applyMigrations(handle);
      console.log(`Migrations: ${seconds(performance.now() - migrated)}`);
      const started = performance.now();
      const result = await load(loader);
      loaded = result.loaded;
      const total = performance.now() - started;
      for (const [label, ms] of result.timings) console.log(`  ${label.padEnd(48)} ${seconds(ms)}`);
      console.log(`  ${"total load".padEnd(48)} ${seconds(total)}`);
    }
    const sizes = await loader.query<{ rel: string; size: string }>(
      `select relname as rel, pg_size_pretty(pg_total_relation_size(oid)) as size from pg_class where relname in ('servers', 'agents', 'credentials') order by relname`,
    );
    console.log(`  sizes with indexes: ${sizes.rows.map((s) => `${s.rel} ${s.size}`).join(", ")}`);

    // The actor: a member who owns a typical number of assets (the median owner of agents).
    const { rows: median } = await loader.query<{ id: string }>(
      `with owned as (select primary_owner_id as id, count(*) as n from agents where primary_owner_id is not null group by 1)
       select id from owned order by n offset (select count(*) / 2 from owned) limit 1`,
    );
    const { rows: [me] } = await loader.query<{ id: string; email: string; name: string }>(`select id, email, name from people where id = $1`, [median[0]!.id]);
    const actor: PersonActor = personActor({ ...me!, role: "member" });
    const { rows: mine } = await loader.query<{ s: string; a: string }>(
      `select (select count(*) from servers where $1 in (primary_owner_id, backup_owner_id)) as s, (select count(*) from agents where $1 in (primary_owner_id, backup_owner_id)) as a`,
      [actor.id],
    );
    console.log(`Actor: ${actor.name} (member), owner of ${mine[0]!.s} servers and ${mine[0]!.a} agents.`);

    // Cursors deep into each sort (10%…90% of the table), found once with OFFSET for set-up only.
    async function deepCursors(table: "servers" | "agents", sort: string, order: string, key: string): Promise<string[]> {
      const n = size[table];
      const out: string[] = [];
      for (const f of [0.1, 0.3, 0.5, 0.7, 0.9]) {
        const { rows } = await loader.query<{ k: string | number | null; id: string }>(`select ${key} as k, id from ${table} order by ${order} offset ${Math.floor(n * f)} limit 1`);
        out.push(encodeCursor(sort, rows[0]!.k, rows[0]!.id));
      }
      return out;
    }
    const utc = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    const deep = {
      serversName: await deepCursors("servers", "name", "name", "name"),
      serversUpdated: await deepCursors("servers", "-updated", "updated_at desc, id desc", utc("updated_at")),
      serversRisk: await deepCursors("servers", "-risk", "risk_score desc, id desc", "risk_score"),
      agentsName: await deepCursors("agents", "name", "name, id", "name"),
      agentsLastSeen: await deepCursors("agents", "-lastSeen", "coalesce(last_seen_at, '-infinity'::timestamptz) desc, id desc", utc("last_seen_at")),
      agentsUpdated: await deepCursors("agents", "-updated", "updated_at desc, id desc", utc("updated_at")),
    };

    // Search terms: a common word, and fragments of real rows (rare: one or a few matches).
    const { rows: someServers } = await loader.query<{ name: string }>(`select name from servers order by random() limit 50`);
    const { rows: someAgents } = await loader.query<{ client_id: string }>(
      `select client_id from agents where identity_type in ('oauth_dcr', 'oauth_cimd', 'oauth_preregistered', 'static_api_key') order by random() limit 50`,
    );
    const rareServer = someServers.map((s) => s.name.split("/")[1]!);
    const rareAgent = someAgents.map((a) => a.client_id.slice(-9));
    const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length]!;
    const person = (i: number) => loaded.people[(i * 7919) % loaded.people.length]!.id;
    const team = (i: number) => pick(loaded.teams, i * 31);
    const db = handle.db;

    const s = (nameOf: string, input: (i: number) => Record<string, unknown>): Shape => ({
      list: "servers",
      name: nameOf,
      run: async (i) => (await listServers(db, actor, input(i))).servers.length,
    });
    const a = (nameOf: string, input: (i: number) => Record<string, unknown>): Shape => ({
      list: "agents",
      name: nameOf,
      run: async (i) => (await listAgents(db, actor, input(i))).agents.length,
    });
    const sc = (nameOf: string, input: (i: number) => Record<string, unknown>): Shape => ({
      list: "servers",
      name: nameOf,
      run: async (i) => (await countServers(db, actor, input(i))).count,
    });
    const ac = (nameOf: string, input: (i: number) => Record<string, unknown>): Shape => ({
      list: "agents",
      name: nameOf,
      run: async (i) => (await countAgents(db, actor, input(i))).count,
    });

    const shapes: Shape[] = [
      // What the machine gives any query right now: one round trip, no work.
      { list: "servers", name: "baseline: select 1", run: async () => ((await loader.query("select 1")).rowCount ?? 0) },
      s("first page (name)", () => ({})),
      s("deep page (name, 10–90%)", (i) => ({ cursor: pick(deep.serversName, i) })),
      s("sort -name", () => ({ sort: "-name" })),
      s("sort -updated", () => ({ sort: "-updated" })),
      s("deep page (-updated)", (i) => ({ sort: "-updated", cursor: pick(deep.serversUpdated, i) })),
      s("sort -risk", () => ({ sort: "-risk" })),
      s("deep page (-risk)", (i) => ({ sort: "-risk", cursor: pick(deep.serversRisk, i) })),
      s("sort risk (ascending)", () => ({ sort: "risk" })),
      s("lifecycle=approved", () => ({ lifecycle: "approved" })),
      s("lifecycle=suspended,expired", () => ({ lifecycle: "suspended,expired" })),
      s("environment=prod", () => ({ environment: "prod" })),
      s("classification=restricted", () => ({ classification: "restricted" })),
      s("team=<one of 200>", (i) => ({ team: team(i) })),
      s("owner=<a person>", (i) => ({ owner: person(i) })),
      s("owner=mine", () => ({ owner: "mine" })),
      s("owner=orphaned", () => ({ owner: "orphaned" })),
      s("authProfile=none", () => ({ authProfile: "none" })),
      s("transport=sse", () => ({ transport: "sse" })),
      s("tags=pci,hipaa", () => ({ tags: "pci,hipaa" })),
      s("risk=high", () => ({ risk: "high" })),
      s("changed=true", () => ({ changed: "true" })),
      s("search: common word (billing)", () => ({ q: "billing" })),
      s("search: rare (a real name's fragment)", (i) => ({ q: pick(rareServer, i) })),
      s("search: no match", (i) => ({ q: `zqx${i}` })),
      s("search: three letters (api)", () => ({ q: "api" })),
      s("prod + approved + high risk, by -risk", () => ({ environment: "prod", lifecycle: "approved", risk: "high", sort: "-risk" })),
      s("search + prod + orphaned", () => ({ q: "billing", environment: "prod", owner: "orphaned" })),
      s("team + lifecycle + -updated", (i) => ({ team: team(i), lifecycle: "approved", sort: "-updated" })),
      sc("count: everything (estimate)", () => ({})),
      sc("count: environment=prod", () => ({ environment: "prod" })),
      sc("count: team + suspended (small, exact)", (i) => ({ team: team(i), lifecycle: "suspended" })),
      sc("count: search rare (exact)", (i) => ({ q: pick(rareServer, i) })),
      {
        list: "servers",
        name: "page response: first page + count",
        run: async () => (await Promise.all([listServers(db, actor, {}), countServers(db, actor, {})]))[0].servers.length,
      },

      a("first page (name)", () => ({})),
      a("deep page (name, 10–90%)", (i) => ({ cursor: pick(deep.agentsName, i) })),
      a("sort -name", () => ({ sort: "-name" })),
      a("sort -lastSeen", () => ({ sort: "-lastSeen" })),
      a("deep page (-lastSeen)", (i) => ({ sort: "-lastSeen", cursor: pick(deep.agentsLastSeen, i) })),
      a("sort lastSeen (never seen first)", () => ({ sort: "lastSeen" })),
      a("sort -updated", () => ({ sort: "-updated" })),
      a("deep page (-updated)", (i) => ({ sort: "-updated", cursor: pick(deep.agentsUpdated, i) })),
      a("state=suspended", () => ({ state: "suspended" })),
      a("state=revoked,retired", () => ({ state: "revoked,retired" })),
      a("environment=prod", () => ({ environment: "prod" })),
      a("identityType=static_api_key", () => ({ identityType: "static_api_key" })),
      a("kind=service", () => ({ kind: "service" })),
      a("team=<one of 200>", (i) => ({ team: team(i) })),
      a("owner=<a person>", (i) => ({ owner: person(i) })),
      a("owner=mine", () => ({ owner: "mine" })),
      a("owner=orphaned", () => ({ owner: "orphaned" })),
      a("staticCredentials=true", () => ({ staticCredentials: "true" })),
      a("staticCredentials=false", () => ({ staticCredentials: "false" })),
      a("search: common word (triage)", () => ({ q: "triage" })),
      a("search: rare (a client id fragment)", (i) => ({ q: pick(rareAgent, i) })),
      a("search: no match", (i) => ({ q: `zqx${i}` })),
      a("search: three letters (api)", () => ({ q: "api" })),
      a("prod + active + static creds, by -lastSeen", () => ({ environment: "prod", state: "active", staticCredentials: "true", sort: "-lastSeen" })),
      a("search + prod + orphaned", () => ({ q: "billing", environment: "prod", owner: "orphaned" })),
      a("team + suspended + -updated", (i) => ({ team: team(i), state: "suspended", sort: "-updated" })),
      ac("count: everything (estimate)", () => ({})),
      ac("count: state=active", () => ({ state: "active" })),
      ac("count: team + suspended (small, exact)", (i) => ({ team: team(i), state: "suspended" })),
      ac("count: search rare (exact)", (i) => ({ q: pick(rareAgent, i) })),
      {
        list: "agents",
        name: "page response: first page + count",
        run: async () => (await Promise.all([listAgents(db, actor, {}), countAgents(db, actor, {})]))[0].agents.length,
      },
    ];

    const only = option("only");
    const results: Result[] = [];
    for (const shape of shapes) {
      if (only && !`${shape.list} ${shape.name}`.includes(only)) continue;
      const result = await measure(shape);
      results.push(result);
      const flag = result.p95 <= TARGET_MS ? "" : "  ✗ over target";
      console.error(`${shape.list.padEnd(8)} ${shape.name.padEnd(44)} p50 ${result.p50.toFixed(1).padStart(7)}  p95 ${result.p95.toFixed(1).padStart(7)}  max ${result.max.toFixed(1).padStart(7)} ms${flag}`);
    }

    const { rows: version } = await loader.query<{ v: string }>("select current_setting('server_version') as v");
    console.log(`\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${version[0]!.v}.`);
    console.log(`${ITERATIONS} timed runs per shape after ${WARMUP} warm-up runs; pages of 100 rows; counts are numbers of rows.\n`);
    console.log("| list | shape | p50 ms | p95 ms | max ms | rows |\n|---|---|---|---|---|---|");
    for (const r of results) console.log(`| ${r.list} | ${r.name} | ${r.p50.toFixed(1)} | ${r.p95 <= TARGET_MS ? r.p95.toFixed(1) : `**${r.p95.toFixed(1)}**`} | ${r.max.toFixed(1)} | ${fmt(r.rows)} |`);
    const over = results.filter((r) => r.p95 > TARGET_MS);
    console.log(over.length ? `\n${over.length} of ${results.length} shapes over the ${TARGET_MS} ms p95 target.` : `\nAll ${results.length} shapes within the ${TARGET_MS} ms p95 target.`);
  } finally {
    await loader.end().catch(() => undefined);
    await handle.close();
    if (KEEP || REUSE) console.log(`Kept database ${name}: npm run bench:inventory -- --reuse ${name}`);
    else await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
