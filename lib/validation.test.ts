import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, toAppError, validationError } from "./errors";
import { searchText, text } from "./validation";

describe("text input", () => {
  const name = text({ min: 1, max: 10 });

  it("trims and accepts ordinary text, including non-ASCII", () => {
    expect(name.parse("  Zoë 🚀 ")).toBe("Zoë 🚀");
  });

  it.each([
    ["a NUL byte", "a\u0000b"],
    ["an ANSI escape", "\u001b[31mred"],
    ["a line break in a single-line field", "a\r\nb"],
    ["too long", "x".repeat(11)],
    ["empty after trimming", "   "],
  ])("refuses %s with a message", (_label, value) => {
    const result = name.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/control|single line|At most|At least/);
  });

  it("allows line breaks where multiline", () => {
    expect(text({ max: 50, multiline: true }).parse("one\ntwo")).toBe("one\ntwo");
  });

  it("search text drops control characters instead of failing", () => {
    expect(searchText().parse(" be\u0000ta ")).toBe("beta");
    expect(searchText().parse("\u0000")).toBeUndefined();
  });
});

describe("errors", () => {
  it("a zod failure names each field, nested paths joined with dots", () => {
    const schema = z.object({ name: z.string().min(2), owner: z.object({ email: z.email() }) });
    const err = validationError(schema.safeParse({ name: "x", owner: { email: "nope" } }).error!);
    expect(err.status).toBe(422);
    expect(Object.keys(err.fields!)).toEqual(["name", "owner.email"]);
  });

  it("maps database failures to statuses that say whose fault it is", () => {
    const pg = (code: string) => Object.assign(new Error("failed query"), { cause: { code, message: "x" } });
    expect(toAppError(pg("23505")).status).toBe(409);
    expect(toAppError(pg("22P05")).status).toBe(422);
    expect(toAppError(pg("57P01")).status).toBe(503);
    expect(toAppError(new Error("timeout exceeded when trying to connect")).status).toBe(503);
    // A transaction whose connection died fails again on ROLLBACK with this (seen when Postgres crashes).
    expect(toAppError(new Error("Client has encountered a connection error and is not queryable")).status).toBe(503);
    expect(toAppError(new Error("boom")).status).toBe(500);
    expect(toAppError(new AppError("not_found", "x")).status).toBe(404);
  });
});
