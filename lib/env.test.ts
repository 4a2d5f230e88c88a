import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, parseRoleMapping } from "./env";

const prod = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) };

function issues(source: Record<string, string>) {
  try {
    parseEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return (err as EnvError).issues;
  }
  throw new Error("expected the environment to be refused");
}

describe("environment", () => {
  it("defaults to embedded PGlite and demo sign-in under next dev", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.STEWARD_DATA_DIR).toBe(".data/pglite");
    expect(env.demoSignIn).toBe(true);
    expect(env.DATABASE_CONNECT_TIMEOUT_MS).toBe(5000);
  });

  it("never offers demo sign-in in production unless STEWARD_DEMO is set, and never with an issuer", () => {
    expect(() => parseEnv(prod)).toThrow(EnvError); // production needs a sign-in method
    expect(parseEnv({ ...prod, STEWARD_DEMO: "true" }).demoSignIn).toBe(true);
    const sso = { AUTH_OIDC_ISSUER: "https://idp.example.com", AUTH_OIDC_CLIENT_ID: "c", AUTH_OIDC_CLIENT_SECRET: "s" };
    expect(parseEnv({ ...prod, ...sso }).demoSignIn).toBe(false);
    expect(parseEnv({ ...prod, ...sso, STEWARD_DEMO: "true" }).demoSignIn).toBe(false);
    expect(parseEnv({ ...sso }).demoSignIn).toBe(false); // not even under next dev
  });

  it("names every bad variable", () => {
    const found = issues({
      NODE_ENV: "production",
      DATABASE_URL: "mysql://nope",
      AUTH_OIDC_ISSUER: "not a url",
      DATABASE_POOL_MAX: "0",
      AUTH_ROLE_MAPPING: "admins=superuser",
    });
    const variables = found.map((i) => i.variable);
    expect(variables).toEqual(expect.arrayContaining(["DATABASE_URL", "AUTH_OIDC_ISSUER", "DATABASE_POOL_MAX", "AUTH_ROLE_MAPPING", "AUTH_SECRET"]));
    expect(found.find((i) => i.variable === "AUTH_ROLE_MAPPING")!.message).toContain("superuser");
    expect(new EnvError(found).message).toContain("DATABASE_URL must be a postgres:// or postgresql:// connection string");
  });

  it("requires the client id and secret with an issuer", () => {
    const variables = issues({ AUTH_OIDC_ISSUER: "https://idp.example.com" }).map((i) => i.variable);
    expect(variables).toEqual(["AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"]);
  });

  it("a short AUTH_SECRET is refused", () => {
    expect(issues({ AUTH_SECRET: "short" }).map((i) => i.variable)).toEqual(["AUTH_SECRET"]);
  });
});

describe("role mapping", () => {
  it("parses group=role pairs separated by commas or semicolons, keeping spaces inside names", () => {
    expect(parseRoleMapping("steward-admins=admin; Security Reviewers = reviewer,auditors=auditor")).toEqual({
      "steward-admins": "admin",
      "Security Reviewers": "reviewer",
      auditors: "auditor",
    });
    expect(parseRoleMapping("")).toEqual({});
    expect(parseRoleMapping(undefined)).toEqual({});
  });

  it("accepts a JSON object for group names with commas or equals signs (LDAP DNs, Keycloak paths)", () => {
    expect(parseRoleMapping('{"CN=Admins,OU=Groups,DC=corp": "admin", "/steward/reviewers": "reviewer"}')).toEqual({
      "CN=Admins,OU=Groups,DC=corp": "admin",
      "/steward/reviewers": "reviewer",
    });
    expect(() => parseRoleMapping('{"a": "root"}')).toThrow(/root/);
    expect(() => parseRoleMapping("{not json")).toThrow(/JSON/);
  });

  it("refuses an unknown role or a pair without a role", () => {
    expect(() => parseRoleMapping("admins=root")).toThrow(/root/);
    expect(() => parseRoleMapping("justagroup")).toThrow(/not group=role/);
  });
});
