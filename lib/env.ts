import { z } from "zod";
import { ROLES, type Role } from "@/db/schema/auth";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

const int = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).optional().default(def);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

/**
 * `AUTH_ROLE_MAPPING` maps identity-provider groups to Steward roles: `group=role` pairs separated
 * by commas or semicolons (`steward-admins=admin,sec-reviewers=reviewer`), or a JSON object for
 * group names that contain commas. A person in several mapped groups gets the most powerful role.
 */
export function parseRoleMapping(raw: string | undefined): Record<string, Role> {
  const mapping: Record<string, Role> = {};
  if (!raw || !raw.trim()) return mapping;
  if (raw.trim().startsWith("{")) return parseJsonRoleMapping(raw);
  for (const part of raw.split(/[,;]/)) {
    const entry = part.trim();
    if (!entry) continue;
    const eq = entry.lastIndexOf("=");
    if (eq <= 0) throw new Error(`"${entry}" is not group=role`);
    const group = entry.slice(0, eq).trim();
    const role = entry.slice(eq + 1).trim();
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new Error(`"${role}" (for group "${group}") is not one of ${ROLES.join(", ")}`);
    }
    mapping[group] = role as Role;
  }
  return mapping;
}

/** The JSON form, `{"CN=Admins,OU=Groups": "admin"}`, for group names that contain commas or `=`. */
function parseJsonRoleMapping(raw: string): Record<string, Role> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error("starts with { but is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("must be a JSON object of group: role");
  const mapping: Record<string, Role> = {};
  for (const [group, role] of Object.entries(parsed)) {
    if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
      throw new Error(`"${String(role)}" (for group "${group}") is not one of ${ROLES.join(", ")}`);
    }
    mapping[group] = role as Role;
  }
  return mapping;
}

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).optional().default("development"),

    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
        .optional(),
    ),
    STEWARD_DATA_DIR: z.string().optional().default(".data/pglite"),
    DATABASE_POOL_MAX: int(10, 1, 200),
    DATABASE_CONNECT_TIMEOUT_MS: int(5_000, 100, 120_000),
    DATABASE_STATEMENT_TIMEOUT_MS: int(15_000, 100, 600_000),

    AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    AUTH_URL: optionalString.pipe(z.url("must be an absolute URL such as http://localhost:3000").optional()),
    AUTH_SESSION_MAX_AGE_HOURS: int(8, 1, 24 * 30),

    AUTH_OIDC_ISSUER: optionalString.pipe(z.url("must be the issuer URL of your identity provider").optional()),
    AUTH_OIDC_CLIENT_ID: optionalString,
    AUTH_OIDC_CLIENT_SECRET: optionalString,
    AUTH_OIDC_NAME: z.string().optional().default("Single sign-on"),
    AUTH_OIDC_SCOPE: z.string().optional().default("openid email profile"),
    AUTH_OIDC_GROUPS_CLAIM: z.string().optional().default("groups"),
    AUTH_ROLE_MAPPING: z.string().optional(),
    AUTH_DEFAULT_ROLE: z.enum(ROLES).optional().default("member"),

    STEWARD_DEMO: bool,
    /**
     * Browser and integration tests only: lets an admin run the review checks "as of" a later
     * date, so a test can move past an approval's expiry. Never set it in production.
     */
    STEWARD_TEST_MODE: bool,
    /** How often each app process runs the review checks (expired approvals and exceptions); 0 turns the timer off. */
    STEWARD_REVIEW_SWEEP_MINUTES: int(15, 0, 24 * 60),
    /** Auth-posture probe runs executing at once in each app process; the rest wait queued. */
    STEWARD_PROBE_CONCURRENCY: int(8, 1, 64),
    /** Most audit events in one ingestion batch. */
    STEWARD_AUDIT_MAX_BATCH: int(1000, 1, 10_000),
    /** How often each app process folds new audit events into the explorer's rollups and last seen, in seconds; 0 turns the timer off. */
    STEWARD_AUDIT_ROLLUP_SECONDS: int(2, 0, 3600),
    /** Worker threads preparing audit batches (parse, validate, hash) per app process; unset: one less than the cores (1 to 4); 0: in the request's thread. */
    STEWARD_AUDIT_INGEST_WORKERS: z.coerce.number().int().min(0).max(16).optional(),
    /** Audit batches a second each ingest token may send (bursts of twice that); then 429. */
    STEWARD_AUDIT_INGEST_RATE: int(50, 1, 10_000),
    /** The Ed25519 private key (PEM, or the PEM in base64) that signs audit checkpoints; from a secret store in production. */
    STEWARD_AUDIT_SIGNING_KEY: z.string().optional(),
    /** Without STEWARD_AUDIT_SIGNING_KEY: the key file, created (mode 0600) on first use. */
    STEWARD_AUDIT_KEY_FILE: z.string().optional().default(".data/audit-signing-key.pem"),
  })
  .superRefine((env, ctx) => {
    if (env.AUTH_OIDC_ISSUER) {
      for (const key of ["AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when AUTH_OIDC_ISSUER is set" });
      }
    }
    try {
      parseRoleMapping(env.AUTH_ROLE_MAPPING);
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["AUTH_ROLE_MAPPING"], message: (err as Error).message });
    }
    if (env.NODE_ENV === "production") {
      if (!env.AUTH_SECRET) {
        ctx.addIssue({
          code: "custom",
          path: ["AUTH_SECRET"],
          message: "is required in production (generate one with: openssl rand -base64 32)",
        });
      }
      if (!env.AUTH_OIDC_ISSUER && !env.STEWARD_DEMO) {
        ctx.addIssue({
          code: "custom",
          path: ["AUTH_OIDC_ISSUER"],
          message: "is required in production: configure your identity provider (or set STEWARD_DEMO=true for a demo)",
        });
      }
    }
  });

type Parsed = z.output<typeof schema>;

export type Env = Parsed & {
  roleMapping: Record<string, Role>;
  /** Demo sign-in ("sign in as" any seeded person): under `next dev`, or with STEWARD_DEMO in a build; never with an OIDC issuer. */
  demoSignIn: boolean;
  authSecret: string;
};

/** The fixed development secret is only ever used outside production builds. */
const DEVELOPMENT_SECRET = "steward-development-only-secret-do-not-use-in-production";

export class EnvError extends Error {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super(
      "Steward cannot start: the environment is invalid.\n" +
        issues.map((i) => `  - ${i.variable} ${i.message}`).join("\n") +
        "\nSee .env.example for every variable and what it means.",
    );
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: issue.message.startsWith("is ") || issue.message.startsWith("must ") ? issue.message : `is invalid: ${issue.message}`,
      })),
    );
  }
  const env = result.data;
  return {
    ...env,
    roleMapping: parseRoleMapping(env.AUTH_ROLE_MAPPING),
    demoSignIn: !env.AUTH_OIDC_ISSUER && (env.NODE_ENV !== "production" || env.STEWARD_DEMO),
    authSecret: env.AUTH_SECRET ?? DEVELOPMENT_SECRET,
  };
}

let cached: Env | undefined;

/** The validated environment, parsed once per process. Throws EnvError naming every bad variable. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change process.env. */
export function resetEnvCache() {
  cached = undefined;
}
