import { describe, expect, it } from "vitest";
import { comparePath, countText, duration, runName, shortWhen } from "./labels";

describe("probe labels", () => {
  it("names a run by when it was queued, in UTC", () => {
    const d = new Date("2026-11-26T14:02:59Z");
    expect(shortWhen(d)).toBe("26 Nov 14:02");
    expect(runName({ queuedAt: d })).toBe("Run of 26 Nov 14:02");
    expect(shortWhen(new Date("2026-01-03T00:05:00Z"))).toBe("3 Jan 00:05");
  });

  it("says how long something took at a sensible precision", () => {
    expect(duration(null)).toBe("—");
    expect(duration(320.4)).toBe("320 ms");
    expect(duration(1_430)).toBe("1.4 s");
    expect(duration(42_000)).toBe("42 s");
    expect(duration(125_000)).toBe("2 min 5 s");
  });

  it("counts verdicts with their plural", () => {
    expect(countText("warn", 1)).toBe("1 warning");
    expect(countText("warn", 3)).toBe("3 warnings");
    expect(countText("fail", 2)).toBe("2 fail");
  });

  it("links a comparison by its two runs", () => {
    expect(comparePath("s", "a", "b")).toBe("/servers/s/probes/compare?base=a&head=b");
  });
});
