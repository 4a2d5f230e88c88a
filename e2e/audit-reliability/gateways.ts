/**
 * MCP gateways as the reliability runs drive them. Each client sends its own stream of events, in
 * batches, with ids it chose itself (so that a retry is recognisable), and moves on to its next
 * batch only once Steward has acknowledged the current one — a 200, which comes after the commit.
 * Anything else (a refused connection, a cut response, a 5xx or 503 while the database is down, a
 * 429) is retried with the very same batch, which ingestion counts as duplicates, never twice.
 * A 4xx other than 429 is a bug, and stops the run.
 */

export type GatewayOptions = {
  /** The ingest token (bound to the source all clients write to). */
  token: string;
  /** The app each batch goes to (e.g. alternate between two processes). */
  target: (client: number, batch: number) => string;
  /** Prefix of every event id, unique to the run. */
  runId: string;
  clients: number;
  /** Events across all clients. */
  events: number;
  batchSize: number;
  /** Epoch ms after which a batch still unacknowledged fails the run. */
  deadline: number;
};

export type Ack = {
  client: number;
  batch: number;
  size: number;
  accepted: number;
  duplicates: number;
  positions: { first: number; last: number } | null;
  /** 1 when the first try was acknowledged. */
  attempts: number;
};

const TOOLS = ["create_issue", "search_issues", "get_file", "list_channels", "send_message", "run_query"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An answer no retry can fix: a refusal, or an acknowledgement that does not add up. */
class GatewayBug extends Error {}

export function eventId(runId: string, client: number, seq: number): string {
  return `${runId}-c${client}-${seq}`;
}

/** Client `client`'s event number `seq`: the same payload every time it is asked for (retries must match). */
export function gatewayEvent(runId: string, client: number, seq: number, base: number) {
  const tool = TOOLS[(client + seq) % TOOLS.length]!;
  const denied = seq % 10 === 7;
  return {
    id: eventId(runId, client, seq),
    time: new Date(base + seq).toISOString(),
    actor: { person: { email: `person-${seq % 50}@northwind.example` }, agent: { clientId: `agent-${(client * 7 + seq) % 40}` } },
    server: { name: `com.northwind/server-${seq % 20}` },
    tool: { name: tool },
    decision: denied ? { outcome: "deny", reason: "tool outside the grant" } : { outcome: "allow", reason: "grant" },
    ...(denied ? {} : { result: { status: "success", bytes: 100 + (seq % 900), records: seq % 7, classification: "internal" } }),
    correlationId: `${runId}-trace-${client}-${Math.floor(seq / 3)}`,
    attributes: { "mcp.method.name": "tools/call", "gen_ai.tool.name": tool, "jsonrpc.request.id": seq },
  };
}

/** Why an attempt was not acknowledged, in a word that groups alike failures. */
function failureKind(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  if ((err as Error).name === "TimeoutError") return "timeout";
  return (err as Error).message.slice(0, 60);
}

export class GatewayFleet {
  readonly acks: Ack[] = [];
  /** Events acknowledged so far (a batch counts once, however many tries it took). */
  acknowledgedEvents = 0;
  failedAttempts = 0;
  readonly failures = new Map<string, number>();
  private readonly base: number;
  /** The first failure: the other clients stop at their next try. */
  private stopped: Error | undefined;

  constructor(private readonly options: GatewayOptions) {
    // Event times end a minute ago, one millisecond apart within a client.
    this.base = Date.now() - 60_000 - Math.ceil(options.events / options.clients);
  }

  /** Events client `c` sends. */
  private share(c: number): number {
    const { events, clients } = this.options;
    return Math.floor(events / clients) + (c < events % clients ? 1 : 0);
  }

  /** Stop every client at its next try (the run failed elsewhere). */
  abort(reason: Error): void {
    this.stopped ??= reason;
  }

  /** Send everything; resolves when every batch is acknowledged, rejects on a bug or the deadline (once every client has stopped). */
  async run(): Promise<void> {
    const clients = Array.from({ length: this.options.clients }, (_, c) =>
      this.client(c).catch((err: Error) => {
        this.stopped ??= err;
      }),
    );
    await Promise.all(clients);
    if (this.stopped) throw this.stopped;
  }

  /** The ids of every acknowledged event. */
  *acknowledgedIds(): Generator<string> {
    for (const ack of this.acks) {
      const first = ack.batch * this.options.batchSize;
      for (let i = 0; i < ack.size; i++) yield eventId(this.options.runId, ack.client, first + i);
    }
  }

  private async client(c: number): Promise<void> {
    const { batchSize } = this.options;
    const total = this.share(c);
    for (let b = 0; b * batchSize < total; b++) {
      const size = Math.min(batchSize, total - b * batchSize);
      const events = Array.from({ length: size }, (_, i) => gatewayEvent(this.options.runId, c, b * batchSize + i, this.base));
      const ack = await this.send(c, b, JSON.stringify(events), size);
      this.acks.push(ack);
      this.acknowledgedEvents += size;
    }
  }

  private failed(kind: string) {
    this.failedAttempts++;
    this.failures.set(kind, (this.failures.get(kind) ?? 0) + 1);
  }

  private async send(client: number, batch: number, body: string, size: number): Promise<Ack> {
    const { token, deadline } = this.options;
    let lastFailure = "";
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) throw this.stopped;
      if (Date.now() > deadline) throw new Error(`client ${client}: batch ${batch} not acknowledged by the deadline (${attempt - 1} tries failed${lastFailure ? `, the last with ${lastFailure}` : ""})`);
      let wait = Math.min(2_000, 50 * 2 ** Math.min(attempt, 6));
      try {
        const response = await fetch(`${this.options.target(client, batch)}/api/v1/audit-events`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if (response.status === 200) {
          const result = JSON.parse(text) as { accepted: number; duplicates: number; positions: Ack["positions"] };
          if (result.accepted + result.duplicates !== size) throw new GatewayBug(`client ${client}: batch ${batch} of ${size} acknowledged as ${text}`);
          return { client, batch, size, accepted: result.accepted, duplicates: result.duplicates, positions: result.positions, attempts: attempt };
        }
        if (response.status === 429) wait = Number(response.headers.get("retry-after") ?? "1") * 1_000;
        else if (response.status < 500) throw new GatewayBug(`client ${client}: batch ${batch} refused with ${response.status}: ${text.slice(0, 500)}`);
        lastFailure = `HTTP ${response.status}`;
        this.failed(lastFailure);
      } catch (err) {
        if (err instanceof GatewayBug) throw err;
        lastFailure = failureKind(err);
        this.failed(lastFailure);
      }
      await sleep(wait);
    }
  }
}
