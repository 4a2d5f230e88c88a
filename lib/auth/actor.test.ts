import { describe, expect, it } from "vitest";
import { ROLES } from "@/db/schema/auth";
import { can, couldHold, personActor, type TokenActor } from "./actor";
import { ALL_PERMISSIONS, OWNER_PERMISSIONS, ROLE_PERMISSIONS } from "./permissions";

const person = (role: (typeof ROLES)[number], id = "p-1") => personActor({ id, email: `${id}@x`, name: id, role });
const owned = { primaryOwnerId: "p-1", backupOwnerId: "p-2" };
const notOwned = { primaryOwnerId: "p-9", backupOwnerId: null };

describe("permissions", () => {
  it("auditors hold no permission that writes", () => {
    const writes = ALL_PERMISSIONS.filter((p) => !/\.(read|export)$/.test(p));
    for (const p of writes) expect(ROLE_PERMISSIONS.auditor.has(p), p).toBe(false);
  });

  it("only reviewers and admins decide reviews; only admins manage tokens and people", () => {
    expect(ROLES.filter((r) => ROLE_PERMISSIONS[r].has("reviews.decide"))).toEqual(["admin", "reviewer"]);
    expect(ROLES.filter((r) => ROLE_PERMISSIONS[r].has("tokens.manage"))).toEqual(["admin"]);
    expect(ROLES.filter((r) => ROLE_PERMISSIONS[r].has("people.manage"))).toEqual(["admin"]);
    expect(ROLES.filter((r) => ROLE_PERMISSIONS[r].has("activity.read"))).toEqual(["admin", "auditor"]);
  });

  it("ownership grants owner permissions on the owned asset only", () => {
    expect(can(person("member"), "servers.update", owned)).toBe(true);
    expect(can(person("member", "p-2"), "servers.update", owned)).toBe(true); // backup owner
    expect(can(person("member"), "servers.update", notOwned)).toBe(false);
    expect(can(person("member"), "servers.update")).toBe(false);
    // Ownership never grants what is not an owner permission.
    expect(OWNER_PERMISSIONS.has("reviews.decide")).toBe(false);
    expect(can(person("member"), "reviews.decide", owned)).toBe(false);
  });

  it("an auditor who owns something still cannot change it", () => {
    expect(can(person("auditor"), "servers.update", owned)).toBe(false);
  });

  it("a token uses owner rights only where its scopes name them", () => {
    const token = (scopes: string[]): TokenActor => ({
      type: "token",
      id: "t",
      name: "t",
      kind: "api",
      permissions: new Set(),
      ownerScopes: new Set(scopes as never[]),
      onBehalfOf: { id: "p-1", role: "member" },
      boundTo: null,
    });
    expect(can(token(["servers.update"]), "servers.update", owned)).toBe(true);
    expect(can(token([]), "servers.update", owned)).toBe(false);
    expect(can(token(["servers.update"]), "servers.update", notOwned)).toBe(false);
  });

  it("couldHold: what an actor may do on some record, so a caller who never can is refused first", () => {
    const token = (scopes: string[], role: "member" | "auditor" = "member"): TokenActor => ({
      type: "token",
      id: "t",
      name: "t",
      kind: "api",
      permissions: new Set(),
      ownerScopes: new Set(scopes as never[]),
      onBehalfOf: { id: "p-1", role },
      boundTo: null,
    });
    // Any member could own a server; an auditor never acts as an owner.
    expect(couldHold(person("member"), "servers.update")).toBe(true);
    expect(couldHold(person("auditor"), "servers.update")).toBe(false);
    expect(couldHold(person("admin"), "servers.update")).toBe(true);
    // Not an owner permission: the role decides.
    expect(couldHold(person("member"), "reviews.decide")).toBe(false);
    expect(couldHold(person("reviewer"), "reviews.decide")).toBe(true);
    // A token only where its scopes name the owner right, and never on an auditor's behalf.
    expect(couldHold(token(["servers.update"]), "servers.update")).toBe(true);
    expect(couldHold(token([]), "servers.update")).toBe(false);
    expect(couldHold(token(["servers.update"], "auditor"), "servers.update")).toBe(false);
    // Never refuses what can() would allow on some record.
    for (const p of OWNER_PERMISSIONS) expect(couldHold(person("member"), p) || !can(person("member"), p, owned)).toBe(true);
  });
});
