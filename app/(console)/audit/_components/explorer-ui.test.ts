import { describe, expect, it } from "vitest";
import { layoutFlow } from "./flow-layout";
import { asUtc, hrefOf, queryOf, readState, resolveRange, withChange } from "./state";

describe("the explorer's URL state", () => {
  const state = readState({ range: "7d", agent: "bot", q: "x", cursor: "abc", event: "gw:3", tab: "findings", junk: "1" });

  it("reads what it knows, in a stable order, and leaves defaults out", () => {
    expect(queryOf(state)).toBe("range=7d&agent=bot&q=x&tab=findings&cursor=abc&event=gw%3A3");
    expect(hrefOf(readState({ range: "24h", tab: "events" }))).toBe("/audit");
    expect(readState({ tab: "nonsense" }).tab).toBe("events");
  });

  it("a new filter or range starts from the newest page and closes the event; the tab keeps filters", () => {
    expect(queryOf(withChange(state, { filters: { server: "s" } }))).toBe("range=7d&agent=bot&server=s&q=x&tab=findings");
    expect(queryOf(withChange(state, { filters: { agent: null } }))).toBe("range=7d&q=x&tab=findings");
    expect(queryOf(withChange(state, { from: "2026-12-01T00:00:00.000Z", to: "2026-12-02T00:00:00.000Z" }))).toBe("from=2026-12-01T00%3A00%3A00.000Z&to=2026-12-02T00%3A00%3A00.000Z&agent=bot&q=x&tab=findings");
    expect(queryOf(withChange(state, { event: null }))).toBe("range=7d&agent=bot&q=x&tab=findings&cursor=abc");
    expect(queryOf(withChange(state, { tab: "events" }))).toBe("range=7d&agent=bot&q=x");
  });

  it("resolves presets from now, and reads a picker's local time as UTC", () => {
    const now = new Date("2026-12-07T12:30:00Z");
    expect(resolveRange(readState({}), now)).toMatchObject({ from: "2026-12-06T12:30:00.000Z", to: "2026-12-07T12:30:00.000Z", preset: "24h" });
    expect(resolveRange(readState({ range: "30d" }), now).from).toBe("2026-11-07T12:30:00.000Z");
    expect(resolveRange(readState({ from: "2026-12-01T08:00" }), now)).toMatchObject({ from: "2026-12-01T08:00Z", to: undefined });
    expect(asUtc("2026-12-01T08:00:00+02:00")).toBe("2026-12-01T08:00:00+02:00");
  });
});

describe("the flow layout", () => {
  const flow = {
    nodes: [
      { id: "agent:a", column: "agent" as const, label: "a", count: 30, denied: 0 },
      { id: "agent:b", column: "agent" as const, label: "b", count: 10, denied: 10 },
      { id: "server:s", column: "server" as const, label: "s", count: 40, denied: 10 },
      { id: "tool:s\u0000t", column: "tool" as const, label: "t", count: 40, denied: 10 },
    ],
    links: [
      { from: "agent:a", to: "server:s", count: 30, denied: 0 },
      { from: "agent:b", to: "server:s", count: 10, denied: 10 },
      { from: "server:s", to: "tool:s\u0000t", count: 40, denied: 10 },
    ],
  };

  it("sizes boxes and ribbons by calls on one scale, and stacks ribbons without overlap", () => {
    const { nodes, links } = layoutFlow(flow, { width: 400, height: 200, nodeWidth: 10, gap: 10 });
    const at = (id: string) => nodes.find((n) => n.id === id)!;
    // The agent column has the most gaps: it sets the scale, (200 − 10) / 40 px a call.
    expect(at("server:s").h).toBeCloseTo(190);
    expect(at("agent:a").h / at("agent:b").h).toBeCloseTo(3);
    expect(at("agent:b").y).toBeCloseTo(at("agent:a").h + 10);
    expect([at("agent:a").x, at("server:s").x, at("tool:s\u0000t").x]).toEqual([0, 195, 390]);
    // Into the server, a's ribbon takes the top 142.5 px and b's the 47.5 below.
    const ends = links.filter((l) => l.to === "server:s").map((l) => Number(l.path.split(" ").at(-1)!.split(",")[1]));
    expect(ends).toEqual([71.3, 166.3]);
    expect(links.find((l) => l.from === "server:s")!.width).toBeCloseTo(190);
  });
});
