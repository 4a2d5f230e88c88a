import { describe, expect, it } from "vitest";
import { chainHash, GENESIS_HASH, toJsonValue, verifyChain, type ChainRow } from "./chain";

function buildChain(n: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      seq,
      occurredAt: new Date(Date.UTC(2026, 10, 26, 10, 0, seq)).toISOString(),
      actorType: "person",
      actorId: "8d3c1a9e-8f0a-4c2e-9d7b-1a2b3c4d5e6f",
      actorLabel: "priya.raman@northwind.example",
      action: "server.updated",
      targetType: "server",
      targetId: `srv-${seq}`,
      targetLabel: `com.northwind/server-${seq}`,
      before: { description: `old ${seq}` },
      after: { description: `new ${seq}` },
      context: { via: "test" },
    };
    const hash = chainHash(prev, fields);
    rows.push({ ...fields, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("activity hash chain", () => {
  it("an untouched chain verifies, with its head hash", () => {
    const rows = buildChain(20);
    expect(verifyChain(rows)).toEqual({ ok: true, rows: 20, head: rows[19]!.hash });
  });

  it("the hash does not depend on key order (canonical JSON)", () => {
    const [row] = buildChain(1);
    const { prevHash: _p, hash, ...fields } = row!;
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as typeof fields;
    reordered.after = { description: "new 1" };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(hash);
  });

  it("toJsonValue gives what jsonb gives back: dates as ISO strings, undefined dropped", () => {
    expect(toJsonValue({ at: new Date("2026-01-02T03:04:05.006Z"), gone: undefined, n: 1 })).toEqual({ at: "2026-01-02T03:04:05.006Z", n: 1 });
    expect(toJsonValue(undefined)).toBeNull();
  });

  const tampers: [string, (rows: ChainRow[]) => ChainRow[], number][] = [
    ["an edited field", (r) => r.map((x) => (x.seq === 7 ? { ...x, after: { description: "forged" } } : x)), 7],
    ["a deleted middle row", (r) => r.filter((x) => x.seq !== 5), 5],
    ["swapped rows", (r) => r.map((x, i) => (i === 9 ? r[10]! : i === 10 ? r[9]! : x)), 10],
    [
      "an inserted forged row",
      (r) => {
        const forged = { ...r[3]!, seq: 4, targetLabel: "evil" };
        return [...r.slice(0, 3), forged, ...r.slice(3)];
      },
      4,
    ],
    [
      "a rewritten and re-hashed row (the next link breaks)",
      (r) => {
        const copy = r.map((x) => ({ ...x }));
        const target = copy[11]!;
        target.actorLabel = "attacker@example";
        const { prevHash, hash: _h, ...fields } = target;
        target.hash = chainHash(prevHash, fields);
        return copy;
      },
      13,
    ],
  ];

  it.each(tampers)("detects %s and names the first bad position", (_name, tamper, firstBad) => {
    const verdict = verifyChain(tamper(buildChain(20)));
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.firstBadSeq).toBe(firstBad);
  });

  it("detects a deleted tail when the expected head is known", () => {
    const rows = buildChain(20);
    const verdict = verifyChain(rows.slice(0, 18));
    expect(verdict.ok && verdict.head).not.toBe(rows[19]!.hash);
  });
});
