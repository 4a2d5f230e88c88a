import { describe, expect, it } from "vitest";
import { expiryPhrase, formatDate, formatDateTime, humanizeSeconds, relativeTime, splitList, ttlFromForm, ttlToForm } from "./format";

const now = Date.parse("2026-03-10T12:00:00Z");
const DAY = 86_400_000;

describe("relativeTime and expiryPhrase", () => {
  it("counts whole days in either direction", () => {
    expect(relativeTime(new Date(now + 12 * DAY), now)).toBe("in 12 days");
    expect(relativeTime(new Date(now - 3 * DAY - 5_000), now)).toBe("3 days ago");
    expect(relativeTime(new Date(now + DAY), now)).toBe("in 1 day");
  });

  it("shows hours and minutes under a day, so a grant ending today is not 'in 0 days'", () => {
    expect(relativeTime(new Date(now + 5 * 3_600_000), now)).toBe("in 5 hours");
    expect(relativeTime(new Date(now - 90_000), now)).toBe("2 minutes ago");
    expect(relativeTime(new Date(now + 10_000), now)).toBe("just now");
  });

  it("says expired for a past expiry and never for none", () => {
    expect(expiryPhrase(new Date(now - 3 * DAY), now)).toBe("expired 3 days ago");
    expect(expiryPhrase(new Date(now + 12 * DAY), now)).toBe("expires in 12 days");
    expect(expiryPhrase(null, now)).toBe("never expires");
    // The moment of expiry is already expired (the data layer's effectiveGrantState agrees: <=).
    expect(expiryPhrase(new Date(now), now)).toBe("expired just now");
  });
});

describe("humanizeSeconds", () => {
  it("uses at most two units, larger first", () => {
    expect(humanizeSeconds(3600)).toBe("1 hour");
    expect(humanizeSeconds(5400)).toBe("1 hour 30 minutes");
    expect(humanizeSeconds(90 * 86_400)).toBe("90 days");
    expect(humanizeSeconds(86_400 + 3_600 + 60)).toBe("1 day 1 hour");
    expect(humanizeSeconds(45)).toBe("45 seconds");
  });

  it("stops at a gap instead of saying '0 hours'", () => {
    expect(humanizeSeconds(86_400 + 300)).toBe("1 day");
  });

  it("says what a missing lifetime means", () => {
    expect(humanizeSeconds(null)).toBe("no limit");
    expect(humanizeSeconds(0)).toBe("0 seconds");
  });
});

describe("credential lifetime field", () => {
  it("shows a stored lifetime in the largest exact unit", () => {
    expect(ttlToForm(3 * 86_400)).toEqual({ amount: "3", unit: "days" });
    expect(ttlToForm(90 * 60)).toEqual({ amount: "90", unit: "minutes" });
    expect(ttlToForm(7_200)).toEqual({ amount: "2", unit: "hours" });
    expect(ttlToForm(null)).toEqual({ amount: "", unit: "hours" });
  });

  it("turns the amount and unit into seconds, blank into no limit, and leaves nonsense for the validator", () => {
    expect(ttlFromForm("12", "hours")).toBe(43_200);
    expect(ttlFromForm(" ", "days")).toBeNull();
    expect(ttlFromForm("soon", "days")).toBe("soon");
    expect(ttlToForm(ttlFromForm("15", "minutes") as number)).toEqual({ amount: "15", unit: "minutes" });
  });
});

describe("dates and lists", () => {
  it("formats in UTC", () => {
    expect(formatDate(new Date("2026-03-14T23:30:00Z"))).toBe("2026-03-14");
    expect(formatDateTime(new Date("2026-03-14T09:30:12Z"))).toBe("2026-03-14 09:30 UTC");
    expect(formatDate(null)).toBe("—");
  });

  it("splits tags and scopes on commas, spaces and new lines", () => {
    expect(splitList("read:tickets, write:tickets\nadmin  ")).toEqual(["read:tickets", "write:tickets", "admin"]);
    expect(splitList("  ")).toEqual([]);
  });
});
