import { z } from "zod";

/** Every expected failure has one of these codes, and each code has one HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Field name → messages, for forms (shown beside the field) and for the API's `fields`. */
export type FieldErrors = Record<string, string[]>;

export type ErrorBody = { code: ErrorCode; message: string; fields?: FieldErrors };

export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export const unauthenticated = (message = "Sign in to continue.") => new AppError("unauthenticated", message);
export const forbidden = (message = "You do not have permission to do this.") => new AppError("forbidden", message);
export const notFound = (what: string) => new AppError("not_found", `${what} was not found.`);
export const conflict = (message: string, fields?: FieldErrors) => new AppError("conflict", message, fields);

/** A zod failure as a 422 naming each bad field (nested paths are joined with dots). */
export function validationError(error: z.ZodError, message = "Some fields are not valid."): AppError {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (fields[key] ??= []).push(issue.message);
  }
  return new AppError("validation_failed", message, fields);
}

/** Parse input with a zod schema, or throw a 422 that names the bad fields. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** Postgres error codes that mean the database is unreachable or overloaded, not that the request is bad. */
const UNAVAILABLE_PG_CODES = new Set(["57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08006", "57014"]);

function pgCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let i = 0; i < 4 && current && typeof current === "object"; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isConnectionFailure(err: unknown): boolean {
  let current: unknown = err;
  for (let i = 0; i < 4 && current && typeof current === "object"; i++) {
    const message = String((current as { message?: unknown }).message ?? "");
    const code = String((current as { code?: unknown }).code ?? "");
    if (/timeout exceeded when trying to connect|Connection terminated|not queryable|ECONNREFUSED|ECONNRESET/i.test(message)) return true;
    if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"].includes(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Whether `err` (or what caused it) is a unique violation of `constraint`. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  let current: unknown = err;
  for (let i = 0; i < 4 && current && typeof current === "object"; i++) {
    const e = current as { code?: unknown; constraint?: unknown; message?: unknown };
    if (e.code === "23505") return e.constraint === constraint || String(e.message ?? "").includes(`"${constraint}"`);
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Turn anything thrown into an AppError. Unique-key violations become 409s; an unreachable or
 * overloaded database becomes 503; everything else is a 500 whose details stay in the server log.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  const code = pgCode(err);
  if (code === "23505") return new AppError("conflict", "A record with the same unique value already exists.");
  if (code === "23503") return new AppError("conflict", "It refers to a record that does not exist (or is still referred to).");
  // Data exceptions (class 22) and check violations come from values the input validation should
  // have refused; they are the caller's error, not the server's.
  if (code === "23514" || code?.startsWith("22")) return new AppError("validation_failed", "A value is not acceptable.");
  if ((code && UNAVAILABLE_PG_CODES.has(code)) || isConnectionFailure(err)) {
    return new AppError("unavailable", "The database is unavailable right now. Try again in a moment.");
  }
  return new AppError("internal", "Something went wrong on our side. The error has been logged.");
}
