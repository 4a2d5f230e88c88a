import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { activityLog } from "@/db/schema/activity";
import type { Person } from "@/db/schema/auth";
import { servers, type Server } from "@/db/schema/inventory";
import { reviewEvidence } from "@/db/schema/reviews";
import { changeRole } from "@/lib/auth/mutations";
import { TOKEN_KIND_PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { createToken } from "@/lib/auth/tokens";
import { MAX_EVIDENCE_FILE_BYTES } from "@/lib/reviews/evidence-files";
import { routeHandler, responseValidator } from "@/test/api-harness";
import { setupTestDatabase } from "@/test/db";
import { callerFor, makePerson } from "@/test/factories";
import { reviewableServer } from "@/test/review-helpers";
import { ENDPOINT_LIST, ENDPOINTS, ERROR_RESPONSES, errorBodySchema, MAX_EVIDENCE_BODY_BYTES, type EndpointName, type EndpointSpec, type ErrorStatus } from "./endpoints";
import { attachmentDisposition } from "./handlers/reviews";

/*
 * The machine API's review endpoints, called the way Next.js calls them: the exported route
 * handlers, with real Request objects and real API tokens, on a real database (PGlite or Postgres).
 * Every JSON answer is checked against the OpenAPI document, every error against the one error
 * shape and the statuses the registry lists for that endpoint. The workflow runs end to end: an
 * owner's token opens, answers (statement, link, file) and submits; a reviewer's token assesses,
 * requests changes and, after the owner resubmits, approves; the separation-of-duties rules refuse
 * tokens whose creators may not decide.
 */
vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => null }));

const t = setupTestDatabase();

// ---- Calling the route handlers --------------------------------------------------------------


const REVIEW_ENDPOINTS = ENDPOINT_LIST.filter((e) => e.tag === "Reviews").map((e) => e.name);
/** Statuses seen, per endpoint. */
const seen = new Map<string, Set<number>>();

type CallOptions = { token?: string | null; params?: Record<string, string>; query?: Record<string, string>; body?: unknown; rawBody?: string; contentType?: string | null };
type Answer = { status: number; body: any; headers: Headers; bytes: Uint8Array }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function send(name: EndpointName, options: CallOptions): Promise<Response> {
  const endpoint = ENDPOINTS[name];
  const params = options.params ?? {};
  const path = endpoint.path.replace(/\{([^}]+)\}/g, (_m, key: string) => encodeURIComponent(params[key] ?? ""));
  const url = new URL(`http://steward.test${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers({ "user-agent": "reviews-api.test" });
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && options.contentType !== null) headers.set("content-type", options.contentType ?? "application/json");
  const request = new Request(url, { method: endpoint.method, headers, body });
  return (await routeHandler(name))(request, { params: Promise.resolve(params) });
}

async function call(name: EndpointName, options: CallOptions = {}): Promise<Answer> {
  const endpoint = ENDPOINTS[name] as EndpointSpec;
  const response = await send(name, options);
  const bytes = new Uint8Array(await response.arrayBuffer());
  (seen.get(name) ?? seen.set(name, new Set()).get(name)!).add(response.status);
  const binary = response.status < 400 && "contentType" in endpoint.success;
  const text = binary ? "" : new TextDecoder().decode(bytes);
  const json = text ? JSON.parse(text) : null;
  if (response.status >= 400) {
    expect(errorBodySchema.safeParse(json).success, `${name} ${response.status}: ${text}`).toBe(true);
    expect(json.error.code).toBe(ERROR_RESPONSES[response.status as ErrorStatus]?.code);
    expect(endpoint.errors as readonly number[], `${name} answered ${response.status}, which the registry does not list: ${text}`).toContain(response.status);
    if (response.status === 401) expect(response.headers.get("www-authenticate")).toBe('Bearer realm="steward"');
  } else if (!binary) {
    expect(endpoint.success.status, `${name}: ${text}`).toBe(response.status);
    const validate = responseValidator(name, response.status);
    expect(validate(json), `${name} response does not match the OpenAPI document: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(response.headers.get("cache-control")).toBe("no-store");
  }
  return { status: response.status, body: json, headers: response.headers, bytes };
}

// ---- People and tokens -----------------------------------------------------------------------

const API_SCOPES = TOKEN_KIND_PERMISSIONS.api as readonly Permission[];

let admin: Person;
let owner: Person;
let backup: Person;
let reviewer: Person;
let ownerReviewer: Person;
const tokens = {} as Record<"owner" | "reviewer" | "ownerReviewer" | "member" | "auditor" | "admin" | "readOnly", string>;

/** Tokens are created by admins; a member's or reviewer's token is one made while its creator was an admin, whose role then changed. */
async function tokenFor(person: Person, scopes: readonly Permission[], thenRole?: "member" | "reviewer" | "auditor") {
  const { secret } = await createToken(t.db, callerFor(person), { name: `test ${person.name}`, kind: "api", scopes: [...scopes], expiresInDays: 30 });
  if (thenRole) await changeRole(t.db, callerFor(admin), { personId: person.id, role: thenRole });
  return secret;
}

let serverA: Server;
let serverB: Server;

beforeAll(async () => {
  admin = await makePerson(t.db, { role: "admin", name: "Ada Admin" });
  owner = await makePerson(t.db, { role: "admin", name: "Sam Owner" });
  backup = await makePerson(t.db, { role: "member", name: "Bea Backup" });
  reviewer = await makePerson(t.db, { role: "admin", name: "Rhea Reviewer" });
  // A reviewer who is also the backup owner of server A: may never decide its review.
  ownerReviewer = await makePerson(t.db, { role: "admin", name: "Otis Owner-Reviewer" });
  const member = await makePerson(t.db, { role: "admin", name: "Mo Member" });
  const auditor = await makePerson(t.db, { role: "admin", name: "Aude Auditor" });
  tokens.admin = await tokenFor(admin, API_SCOPES);
  tokens.readOnly = await tokenFor(admin, ["servers.read"]);
  tokens.owner = await tokenFor(owner, API_SCOPES, "member");
  tokens.reviewer = await tokenFor(reviewer, API_SCOPES, "reviewer");
  tokens.ownerReviewer = await tokenFor(ownerReviewer, API_SCOPES, "reviewer");
  tokens.member = await tokenFor(member, API_SCOPES, "member");
  tokens.auditor = await tokenFor(auditor, API_SCOPES, "auditor");
  ({ server: serverA } = await reviewableServer(t.db, owner, ownerReviewer));
  ({ server: serverB } = await reviewableServer(t.db, owner, backup));
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n");
const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array(60).fill(0)]);

type Control = { id: string; evidenceSources: string[]; automatic: string[]; blocks: boolean; evidence: { id: string; kind: string }[] };

const state = {} as { reviewId: string; pdfId: string; pdfSha: string; textId: string; oddNameId: string; exceptionId: string; otherReviewId: string };

async function answerAttestations(token: string, reviewId: string) {
  const review = await call("getReview", { token, params: { id: reviewId } });
  for (const c of review.body.controls as Control[]) {
    if (c.evidenceSources.includes("attestation") && !c.evidence.some((e) => e.kind === "statement")) {
      const res = await call("addReviewEvidence", { token, params: { id: reviewId }, body: { controlId: c.id, kind: "statement", statement: `Statement for ${c.id}: done and tested.` } });
      expect(res.status).toBe(201);
    }
  }
}

// ---- The owners ----------------------------------------------------------------------------------

describe("the owners, with their tokens", () => {
  test("an owner's token opens a review: 201, Location, a draft against the published checklist", async () => {
    const res = await call("openReview", { token: tokens.owner, body: { serverId: serverA.id } });
    expect(res.status).toBe(201);
    state.reviewId = res.body.id;
    expect(res.headers.get("location")).toBe(`/api/v1/reviews/${state.reviewId}`);
    expect(res.body).toMatchObject({
      state: "draft",
      subject: "server",
      environment: "prod",
      round: 0,
      openedBy: { id: owner.id, name: "Sam Owner" },
      server: { id: serverA.id, primaryOwner: { id: owner.id }, backupOwner: { id: ownerReviewer.id } },
      checklistVersion: { version: 1 },
      snapshot: null,
      can: { answer: true, submit: true, decide: false },
    });
    expect(res.body.controls.length).toBeGreaterThan(10);
    const [row] = await t.db.select().from(activityLog).where(and(eq(activityLog.targetId, state.reviewId), eq(activityLog.action, "review.opened")));
    expect(row).toMatchObject({ actorType: "token", context: expect.objectContaining({ via: "api" }) });
  });

  test("one open review per server; only the owners open; unknown server → 404", async () => {
    const again = await call("openReview", { token: tokens.owner, body: { serverId: serverA.id } });
    expect(again.status).toBe(409);
    expect(again.body.error.fields.serverId).toBeDefined();
    expect((await call("openReview", { token: tokens.member, body: { serverId: serverA.id } })).status).toBe(403);
    // Auditors and tokens without reviews.submit are refused at the gate, before the body is read.
    expect((await call("openReview", { token: tokens.auditor, body: { serverId: "nope" } })).status).toBe(403);
    expect((await call("openReview", { token: tokens.readOnly, body: { serverId: serverA.id } })).status).toBe(403);
    expect((await call("openReview", { token: tokens.owner, body: { serverId: crypto.randomUUID() } })).status).toBe(404);
    const bad = await call("openReview", { token: tokens.owner, body: { serverId: "nope", environment: "moon" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["environment", "serverId"]);
  });

  test("adds a statement, a link and files: the type read from the content, the SHA-256 returned", async () => {
    const id = state.reviewId;
    const statement = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "ID-4", kind: "statement", statement: "Leavers lose access the same day via SCIM." } });
    expect(statement.status).toBe(201);
    expect(statement.body).toMatchObject({ controlId: "ID-4", kind: "statement", round: 1, createdBy: { id: owner.id }, downloadUrl: null, sha256: null, submittedAt: null });
    const link = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "ID-4", kind: "link", url: "https://wiki.example.com/offboarding", statement: "Runbook" } });
    expect(link.body).toMatchObject({ kind: "link", url: "https://wiki.example.com/offboarding", statement: "Runbook" });

    const pdf = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "CR-2", kind: "file", fileName: "pen-test.pdf", contentBase64: base64(PDF) } });
    expect(pdf.status).toBe(201);
    state.pdfId = pdf.body.id;
    state.pdfSha = sha256(PDF);
    expect(pdf.body).toMatchObject({ kind: "file", fileName: "pen-test.pdf", mediaType: "application/pdf", sizeBytes: PDF.byteLength, sha256: state.pdfSha });
    expect(pdf.body.downloadUrl).toBe(`/api/v1/reviews/${id}/evidence/${state.pdfId}/file`);
    const markdown = new TextEncoder().encode("# Threat model\n\nNo tool writes outside the tenant.\n");
    const text = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "CR-2", kind: "file", fileName: "threat-model.md", contentBase64: base64(markdown) } });
    expect(text.body).toMatchObject({ mediaType: "text/markdown", sha256: sha256(markdown) });
    state.textId = text.body.id;
    // A name with control or text-direction characters is refused, naming the field...
    const forged = await call("addReviewEvidence", {
      token: tokens.owner,
      params: { id },
      body: { controlId: "CR-2", kind: "file", fileName: 'Prüfbericht "final"\u202e\r\nSet-Cookie: x.md', contentBase64: base64(markdown) },
    });
    expect(forged.status).toBe(422);
    expect(Object.keys(forged.body.error.fields)).toEqual(["fileName"]);
    // ...while quotes, separators and non-ASCII letters are kept, and cleaned on the way out.
    const oddName = await call("addReviewEvidence", {
      token: tokens.owner,
      params: { id },
      body: { controlId: "CR-2", kind: "file", fileName: 'Prüfbericht "final": Set-Cookie/x.md', contentBase64: base64(markdown) },
    });
    expect(oddName.status).toBe(201);
    state.oddNameId = oddName.body.id;
  });

  test("a disguised binary, an unknown type or broken JSON is refused with 422 naming `file`; nothing is stored", async () => {
    const id = state.reviewId;
    const before = await t.db.select({ id: reviewEvidence.id }).from(reviewEvidence).where(eq(reviewEvidence.reviewId, id));
    const disguised = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "CR-2", kind: "file", fileName: "notes.txt", contentBase64: base64(ELF) } });
    expect(disguised.status).toBe(422);
    expect(Object.keys(disguised.body.error.fields)).toEqual(["file"]);
    const exe = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "CR-2", kind: "file", fileName: "tool.exe", contentBase64: base64(new TextEncoder().encode("MZ plain text")) } });
    expect(Object.keys(exe.body.error.fields)).toEqual(["file"]);
    const json = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "CR-2", kind: "file", fileName: "report.sarif", contentBase64: base64(new TextEncoder().encode("{not json")) } });
    expect(json.body.error.fields.file).toEqual([expect.stringMatching(/not valid JSON/)]);
    const empty = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "CR-2", kind: "file", fileName: "empty.txt", contentBase64: "" } });
    expect(empty.body.error.fields.file).toEqual([expect.stringMatching(/empty/)]);
    const after = await t.db.select({ id: reviewEvidence.id }).from(reviewEvidence).where(eq(reviewEvidence.reviewId, id));
    expect(after).toHaveLength(before.length);
  });

  test("files larger than a 1 MB JSON body go through; a body with one byte over 10 MB reaches the file check, which refuses it naming `file`", async () => {
    const id = state.reviewId;
    // 4 MB: its base64 is well over the 1 MB that other JSON bodies may have. (A 10 MB file is
    // stored just the same, but writing it takes PGlite half a minute.)
    const large = new Uint8Array(4 * 1024 * 1024).fill(0x61);
    const ok = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "AU-2", kind: "file", fileName: "audit.log", contentBase64: base64(large) } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ mediaType: "text/plain", sizeBytes: large.byteLength, sha256: sha256(large) });
    // The largest file's body fits the endpoint's cap, with room for the other fields.
    const over = new Uint8Array(MAX_EVIDENCE_FILE_BYTES + 1).fill(0x61);
    const overBody = { controlId: "AU-2", kind: "file", fileName: "x".repeat(251) + ".log", contentBase64: base64(over) };
    expect(Buffer.byteLength(JSON.stringify(overBody))).toBeLessThan(MAX_EVIDENCE_BODY_BYTES);
    const refused = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: overBody });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual({ file: [expect.stringMatching(/limit is 10 MB/)] });
    // Unsubmitted evidence may be removed.
    expect((await call("removeReviewEvidence", { token: tokens.owner, params: { id, evidenceId: ok.body.id } })).body).toEqual({ removed: ok.body.id });
  }, 60_000);

  test("bad bodies → 422 naming the field; bad JSON → 400; not JSON → 415; over 14 MB → 413", async () => {
    const id = state.reviewId;
    const add = (body: unknown) => call("addReviewEvidence", { token: tokens.owner, params: { id }, body });
    const script = await add({ controlId: "ID-4", kind: "link", url: "javascript:alert(1)" });
    expect(script.status).toBe(422);
    expect(Object.keys(script.body.error.fields)).toEqual(["url"]);
    expect(Object.keys((await add({ kind: "statement", statement: "A statement without its control." })).body.error.fields)).toEqual(["controlId"]);
    expect(Object.keys((await add({ controlId: "ID-4", kind: "video" })).body.error.fields)).toEqual(["kind"]);
    expect(Object.keys((await add({ controlId: "ID-4", kind: "statement", statement: "short" })).body.error.fields)).toEqual(["statement"]);
    expect(Object.keys((await add({ controlId: "CR-2", kind: "file", fileName: "a.txt", contentBase64: "not base64!" })).body.error.fields)).toEqual(["contentBase64"]);
    const unknownControl = await add({ controlId: "XX-9", kind: "statement", statement: "No such control in this checklist." });
    expect(unknownControl.status).toBe(422);
    expect(unknownControl.body.error.fields.controlId).toBeDefined();
    expect((await call("addReviewEvidence", { token: tokens.owner, params: { id }, rawBody: '{"kind":' })).status).toBe(400);
    expect((await call("addReviewEvidence", { token: tokens.owner, params: { id }, rawBody: "kind=statement", contentType: "text/plain" })).status).toBe(415);
    const huge = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "CR-2", kind: "file", fileName: "a.txt", contentBase64: "A".repeat(15 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
  }, 30_000);

  test("only the owners answer: another member's token → 403, an auditor's → 403 before the body is read; unknown review → 404", async () => {
    const id = state.reviewId;
    const statement = { controlId: "ID-4", kind: "statement", statement: "Not my server, but I say it is fine." };
    expect((await call("addReviewEvidence", { token: tokens.member, params: { id }, body: statement })).status).toBe(403);
    expect((await call("addReviewEvidence", { token: tokens.reviewer, params: { id }, body: statement })).status).toBe(403);
    expect((await call("addReviewEvidence", { token: tokens.auditor, params: { id: crypto.randomUUID() }, body: { kind: "nonsense" } })).status).toBe(403);
    expect((await call("addReviewEvidence", { token: tokens.readOnly, params: { id }, body: statement })).status).toBe(403);
    expect((await call("addReviewEvidence", { token: tokens.owner, params: { id: crypto.randomUUID() }, body: statement })).status).toBe(404);
    expect((await call("addReviewEvidence", { token: tokens.owner, params: { id: "not-a-uuid" }, body: statement })).status).toBe(404);
    expect((await call("addReviewEvidence", { token: null, params: { id }, body: statement })).status).toBe(401);
  });

  test("unsubmitted evidence can be removed; unknown evidence → 404", async () => {
    const id = state.reviewId;
    const added = await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "ID-4", kind: "statement", statement: "A statement to take back." } });
    expect((await call("removeReviewEvidence", { token: tokens.member, params: { id, evidenceId: added.body.id } })).status).toBe(403);
    expect((await call("removeReviewEvidence", { token: tokens.auditor, params: { id, evidenceId: added.body.id } })).status).toBe(403);
    expect((await call("removeReviewEvidence", { token: tokens.owner, params: { id, evidenceId: added.body.id } })).body).toEqual({ removed: added.body.id });
    expect((await call("removeReviewEvidence", { token: tokens.owner, params: { id, evidenceId: added.body.id } })).status).toBe(404);
    expect((await call("removeReviewEvidence", { token: tokens.owner, params: { id, evidenceId: "nope" } })).status).toBe(404);
  });
});

// ---- Reading ---------------------------------------------------------------------------------------

describe("reading reviews and their files", () => {
  test("lists reviews by view and filter; a bad parameter → 422 naming it", async () => {
    const all = await call("listReviews", { token: tokens.auditor, query: { view: "all" } });
    expect(all.body).toMatchObject({ page: 1, limit: 50, hasMore: false });
    expect(all.body.data).toEqual([expect.objectContaining({ id: state.reviewId, state: "draft", server: expect.objectContaining({ id: serverA.id }), agent: null, assignee: null, approvals: 0, checklistVersion: 1 })]);
    // The default view is the reviewers' queue: submitted reviews only.
    expect((await call("listReviews", { token: tokens.auditor })).body.data).toEqual([]);
    expect((await call("listReviews", { token: tokens.owner, query: { view: "my_assets" } })).body.data.map((r: { id: string }) => r.id)).toEqual([state.reviewId]);
    expect((await call("listReviews", { token: tokens.member, query: { view: "my_assets" } })).body.data).toEqual([]);
    expect((await call("listReviews", { token: tokens.auditor, query: { view: "all", serverId: serverB.id } })).body.data).toEqual([]);
    expect((await call("listReviews", { token: tokens.auditor, query: { view: "all", q: serverA.name.slice(0, 20), limit: "1" } })).body.data).toHaveLength(1);
    const bad = await call("listReviews", { token: tokens.auditor, query: { view: "everything", limit: "500" } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["limit", "view"]);
    expect((await call("listReviews", { token: tokens.readOnly })).status).toBe(403);
    expect((await call("listReviews", { token: null })).status).toBe(401);
  });

  test("reads a review with its controls and evidence, never the file bytes; unknown → 404", async () => {
    const res = await call("getReview", { token: tokens.auditor, params: { id: state.reviewId } });
    const cr2 = (res.body.controls as (Control & { evidence: Record<string, unknown>[] })[]).find((c) => c.id === "CR-2")!;
    expect(cr2.evidence.find((e) => e.id === state.pdfId)).toMatchObject({ kind: "file", fileName: "pen-test.pdf", mediaType: "application/pdf", sizeBytes: PDF.byteLength, sha256: state.pdfSha });
    const id4 = (res.body.controls as Control[]).find((c) => c.id === "ID-4")!;
    expect(id4.evidence.map((e) => e.kind)).toEqual(["statement", "link"]);
    expect(res.body).toMatchObject({ approvals: { count: 0, required: 1, byMe: false }, can: { answer: false, decide: false, withdraw: false }, parallelPath: { status: "at_risk" } });
    expect(res.body.blockers.length).toBeGreaterThan(0);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('"content"');
    expect(text).not.toContain(base64(PDF));
    expect(text).not.toMatch(/serverJson|openedById|tokenHash/);
    expect((await call("getReview", { token: tokens.auditor, params: { id: crypto.randomUUID() } })).body.error.message).toBe("Review was not found.");
    expect((await call("getReview", { token: tokens.auditor, params: { id: "1 or 1=1" } })).status).toBe(404);
    expect((await call("getReview", { token: tokens.readOnly, params: { id: state.reviewId } })).status).toBe(403);
    expect((await call("getReview", { token: null, params: { id: state.reviewId } })).status).toBe(401);
  });

  test("a file downloads as the exact bytes, an attachment of its stored type, with its SHA-256", async () => {
    const res = await call("downloadEvidenceFile", { token: tokens.auditor, params: { id: state.reviewId, evidenceId: state.pdfId } });
    expect(res.status).toBe(200);
    expect(Buffer.from(res.bytes).equals(Buffer.from(PDF))).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-length")).toBe(String(PDF.byteLength));
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="pen-test.pdf"; filename*=UTF-8''pen-test.pdf`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-content-sha256")).toBe(state.pdfSha);
    expect(sha256(res.bytes)).toBe(res.headers.get("x-content-sha256"));
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
    expect(res.headers.get("cache-control")).toBe("private, no-store");

    const text = await call("downloadEvidenceFile", { token: tokens.owner, params: { id: state.reviewId, evidenceId: state.textId } });
    expect(text.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    // A name with quotes, a colon and a slash cannot forge a header or a path.
    const odd = await call("downloadEvidenceFile", { token: tokens.owner, params: { id: state.reviewId, evidenceId: state.oddNameId } });
    expect(odd.headers.get("content-disposition")).toBe(`attachment; filename="Prufbericht _final__ Set-Cookie_x.md"; filename*=UTF-8''Pr%C3%BCfbericht%20_final__%20Set-Cookie_x.md`);
    expect(odd.headers.get("set-cookie")).toBeNull();

    // Statements are not files; evidence of another review is not this review's.
    const statementId = (await call("getReview", { token: tokens.owner, params: { id: state.reviewId } })).body.controls.find((c: Control) => c.id === "ID-4").evidence[0].id;
    expect((await call("downloadEvidenceFile", { token: tokens.owner, params: { id: state.reviewId, evidenceId: statementId } })).status).toBe(404);
    expect((await call("downloadEvidenceFile", { token: tokens.owner, params: { id: crypto.randomUUID(), evidenceId: state.pdfId } })).status).toBe(404);
    expect((await call("downloadEvidenceFile", { token: tokens.owner, params: { id: state.reviewId, evidenceId: "x" } })).status).toBe(404);
    expect((await call("downloadEvidenceFile", { token: tokens.readOnly, params: { id: state.reviewId, evidenceId: state.pdfId } })).status).toBe(403);
    expect((await call("downloadEvidenceFile", { token: null, params: { id: state.reviewId, evidenceId: state.pdfId } })).status).toBe(401);
  });

  test("attachment names: ASCII fallback and the exact name, nothing that breaks the header", () => {
    expect(attachmentDisposition("report.pdf")).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
    expect(attachmentDisposition("../../etc/passwd")).toBe(`attachment; filename="_.._etc_passwd"; filename*=UTF-8''_.._etc_passwd`);
    expect(attachmentDisposition("...")).toBe(`attachment; filename="evidence"; filename*=UTF-8''evidence`);
    expect(attachmentDisposition("日本語.txt")).toBe(`attachment; filename="___.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.txt`);
    expect(attachmentDisposition("it's (final).md")).toBe(`attachment; filename="it's (final).md"; filename*=UTF-8''it%27s%20%28final%29.md`);
  });
});

// ---- Submitting and deciding -------------------------------------------------------------------------

describe("the workflow: submit, assess, request changes, resubmit, approve", () => {
  test("submitting names every control that still needs the owners' statement; then it submits", async () => {
    const id = state.reviewId;
    const early = await call("submitReview", { token: tokens.owner, params: { id } });
    expect(early.status).toBe(422);
    expect(Object.keys(early.body.error.fields)).toEqual(expect.arrayContaining(["controls.AZ-3", "controls.LC-2"]));
    expect((await call("submitReview", { token: tokens.member, params: { id } })).status).toBe(403);
    expect((await call("submitReview", { token: tokens.auditor, params: { id } })).status).toBe(403);
    await answerAttestations(tokens.owner, id);
    const res = await call("submitReview", { token: tokens.owner, params: { id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: "submitted", round: 1, submittedBy: { id: owner.id }, snapshot: { server: { id: serverA.id } }, can: { answer: false } });
    expect((res.body.controls as Control[]).flatMap((c) => c.evidence).every((e) => (e as unknown as { submittedAt: string | null }).submittedAt)).toBe(true);
    expect((await t.db.select({ lifecycle: servers.lifecycle }).from(servers).where(eq(servers.id, serverA.id)))[0]!.lifecycle).toBe("in_review");
    // Submitted evidence is frozen.
    expect((await call("removeReviewEvidence", { token: tokens.owner, params: { id, evidenceId: state.pdfId } })).status).toBe(409);
    expect((await call("addReviewEvidence", { token: tokens.owner, params: { id }, body: { controlId: "ID-4", kind: "statement", statement: "One more thing after submitting." } })).status).toBe(409);
    expect((await call("submitReview", { token: tokens.owner, params: { id } })).status).toBe(409);
    expect((await call("submitReview", { token: tokens.owner, params: { id: crypto.randomUUID() } })).status).toBe(404);
  });

  test("a reviewer's token claims and assigns; an owner-reviewer's cannot", async () => {
    const id = state.reviewId;
    const owned = await call("claimReview", { token: tokens.ownerReviewer, params: { id } });
    expect(owned.status).toBe(403);
    expect(owned.body.error.message).toMatch(/own this server/);
    expect((await call("claimReview", { token: tokens.owner, params: { id } })).status).toBe(403);
    const claimed = await call("claimReview", { token: tokens.reviewer, params: { id } });
    expect(claimed.body).toMatchObject({ assignee: { id: reviewer.id, name: "Rhea Reviewer" }, can: { decide: true, claim: false } });
    expect((await call("claimReview", { token: tokens.reviewer, params: { id: crypto.randomUUID() } })).status).toBe(404);
    const toOwner = await call("assignReview", { token: tokens.reviewer, params: { id }, body: { assigneeId: ownerReviewer.id } });
    expect(toOwner.status).toBe(422);
    expect(toOwner.body.error.fields.assigneeId).toBeDefined();
    expect((await call("assignReview", { token: tokens.reviewer, params: { id }, body: { assigneeId: "someone" } })).body.error.fields.assigneeId).toBeDefined();
    expect((await call("assignReview", { token: tokens.reviewer, params: { id }, body: { assigneeId: null } })).body.assignee).toBeNull();
    expect((await call("assignReview", { token: tokens.reviewer, params: { id }, body: { assigneeId: reviewer.id } })).body.assignee.id).toBe(reviewer.id);
    expect((await call("assignReview", { token: tokens.member, params: { id }, body: { assigneeId: null } })).status).toBe(403);
  });

  test("a reviewer's token assesses every control: Steward's failing evidence cannot pass; a failure carries an exception", async () => {
    const id = state.reviewId;
    const review = await call("getReview", { token: tokens.reviewer, params: { id } });
    for (const c of review.body.controls as Control[]) {
      if (c.automatic.includes("fail")) {
        const pass = await call("assessReviewControl", { token: tokens.reviewer, params: { id, controlId: c.id }, body: { verdict: "pass" } });
        expect(pass.status).toBe(409);
        expect(pass.body.error.fields.verdict).toBeDefined();
      }
      // DS-2 (blocking) fails in the reviewer's judgment and is accepted for 30 days.
      if (c.automatic.includes("fail") || c.id === "DS-2") {
        await call("assessReviewControl", { token: tokens.reviewer, params: { id, controlId: c.id }, body: { verdict: "fail", note: "Steward's evidence fails it." } });
        const exception = await call("grantReviewException", {
          token: tokens.reviewer,
          params: { id },
          body: { controlId: c.id, reason: "Accepted while the fix ships.", compensatingControl: "Weekly manual check by the owner.", days: 30 },
        });
        expect(exception.status).toBe(201);
        expect(exception.body).toMatchObject({ controlId: c.id, active: true, revokedAt: null, grantedBy: { id: reviewer.id } });
        if (c.id === "DS-2") state.exceptionId = exception.body.id;
      } else {
        const res = await call("assessReviewControl", { token: tokens.reviewer, params: { id, controlId: c.id }, body: { verdict: "pass" } });
        expect(res.status).toBe(200);
      }
    }
    const after = await call("getReview", { token: tokens.reviewer, params: { id } });
    expect(after.body.blockers).toEqual([]);
    expect(after.body.controls.find((c: Control) => c.id === "DS-2")).toMatchObject({ verdict: "fail", excepted: true, blocks: true });
    expect(after.body.exceptions.map((x: { id: string }) => x.id)).toContain(state.exceptionId);
    expect(after.body.controls.find((c: Control) => c.id === "ID-4").assessment).toMatchObject({ verdict: "pass", assessedBy: { id: reviewer.id } });
  });

  test("assessing: refusals name the field; owners, members and auditors cannot assess", async () => {
    const id = state.reviewId;
    const noNote = await call("assessReviewControl", { token: tokens.reviewer, params: { id, controlId: "ID-4" }, body: { verdict: "not_applicable" } });
    expect(noNote.status).toBe(422);
    expect(Object.keys(noNote.body.error.fields)).toEqual(["note"]);
    expect(Object.keys((await call("assessReviewControl", { token: tokens.reviewer, params: { id, controlId: "ID-4" }, body: { verdict: "maybe" } })).body.error.fields)).toEqual(["verdict"]);
    expect((await call("assessReviewControl", { token: tokens.reviewer, params: { id, controlId: "ZZ-99" }, body: { verdict: "pass" } })).body.error.fields.controlId).toBeDefined();
    expect((await call("assessReviewControl", { token: tokens.reviewer, params: { id, controlId: "not a control" }, body: { verdict: "pass" } })).status).toBe(404);
    for (const token of [tokens.owner, tokens.member, tokens.auditor]) {
      expect((await call("assessReviewControl", { token, params: { id, controlId: "ID-4" }, body: { verdict: "pass" } })).status).toBe(403);
    }
    expect((await call("assessReviewControl", { token: tokens.ownerReviewer, params: { id, controlId: "ID-4" }, body: { verdict: "pass" } })).status).toBe(403);
  });

  test("a reviewer's token requests changes; the owner responds and resubmits", async () => {
    const id = state.reviewId;
    const empty = await call("requestReviewChanges", { token: tokens.reviewer, params: { id }, body: { summary: "Please say more about offboarding.", controls: [] } });
    expect(empty.status).toBe(422);
    expect(Object.keys(empty.body.error.fields)).toEqual(["controls"]);
    const unknown = await call("requestReviewChanges", { token: tokens.reviewer, params: { id }, body: { summary: "Please say more about offboarding.", controls: [{ controlId: "XX-1", reason: "No such control" }] } });
    expect(Object.keys(unknown.body.error.fields)).toEqual(["controls.0.controlId"]);
    expect((await call("requestReviewChanges", { token: tokens.owner, params: { id }, body: { summary: "I want changes on my own review.", controls: [{ controlId: "ID-4", reason: "Because" }] } })).status).toBe(403);
    const res = await call("requestReviewChanges", { token: tokens.reviewer, params: { id }, body: { summary: "Say how leavers lose access.", controls: [{ controlId: "ID-4", reason: "Name the SCIM connector and its schedule." }] } });
    expect(res.body).toMatchObject({ state: "changes_requested", can: { answer: false } });
    expect(res.body.decisions).toEqual([expect.objectContaining({ decision: "request_changes", justification: "Say how leavers lose access.", decider: expect.objectContaining({ id: reviewer.id }) })]);
    expect(res.body.controls.find((c: Control) => c.id === "ID-4").comments).toEqual([expect.objectContaining({ kind: "change_request", body: "Name the SCIM connector and its schedule." })]);

    // Resubmitting needs an answer on ID-4: new evidence or a response.
    const unanswered = await call("submitReview", { token: tokens.owner, params: { id } });
    expect(unanswered.status).toBe(422);
    expect(Object.keys(unanswered.body.error.fields)).toEqual(["controls.ID-4"]);
    expect((await call("commentOnReview", { token: tokens.auditor, params: { id }, body: { body: "Auditors do not comment." } })).status).toBe(403);
    expect((await call("commentOnReview", { token: tokens.member, params: { id }, body: { body: "Nor do other members." } })).status).toBe(403);
    expect(Object.keys((await call("commentOnReview", { token: tokens.owner, params: { id }, body: { controlId: "ID-4", body: "" } })).body.error.fields)).toEqual(["body"]);
    const response = await call("commentOnReview", { token: tokens.owner, params: { id }, body: { controlId: "ID-4", body: "The Okta SCIM connector, every 15 minutes." } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ kind: "response", controlId: "ID-4", round: 1, author: { id: owner.id } });
    const general = await call("commentOnReview", { token: tokens.reviewer, params: { id }, body: { body: "Thanks, looking again." } });
    expect(general.body).toMatchObject({ kind: "comment", controlId: null, author: { id: reviewer.id } });
    const resubmitted = await call("submitReview", { token: tokens.owner, params: { id } });
    expect(resubmitted.body).toMatchObject({ state: "submitted", round: 2 });
    expect(resubmitted.body.generalComments).toEqual([expect.objectContaining({ body: "Thanks, looking again." })]);
  });

  test("decisions: members, auditors and an owner-reviewer's token get 403; the reviewer approves", async () => {
    const id = state.reviewId;
    const approve = { decision: "approve", justification: "Every blocking control passes or carries an exception." };
    const member = await call("decideReview", { token: tokens.member, params: { id }, body: approve });
    expect(member.status).toBe(403);
    expect((await call("decideReview", { token: tokens.auditor, params: { id }, body: approve })).status).toBe(403);
    // A token acts as its creator: a reviewer who owns the server may not decide its review.
    const owned = await call("decideReview", { token: tokens.ownerReviewer, params: { id }, body: approve });
    expect(owned.status).toBe(403);
    expect(owned.body.error.message).toMatch(/You own this server/);
    expect((await call("getReview", { token: tokens.ownerReviewer, params: { id } })).body.can).toMatchObject({ decide: false, decideBlockedBecause: expect.stringMatching(/own this server/) });
    const short = await call("decideReview", { token: tokens.reviewer, params: { id }, body: { decision: "approve", justification: "ok" } });
    expect(short.status).toBe(422);
    expect(Object.keys(short.body.error.fields)).toEqual(["justification"]);
    expect(Object.keys((await call("decideReview", { token: tokens.reviewer, params: { id }, body: { decision: "maybe", justification: "Somewhere in between." } })).body.error.fields)).toEqual(["decision"]);
    expect((await call("decideReview", { token: tokens.reviewer, params: { id: crypto.randomUUID() }, body: approve })).status).toBe(404);

    const res = await call("decideReview", { token: tokens.reviewer, params: { id }, body: approve });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: "approved", approvals: { count: 1, required: 1, byMe: true } });
    expect(res.body.approvedUntil).not.toBeNull();
    expect(res.body.decisions.map((d: { decision: string }) => d.decision)).toEqual(["request_changes", "approve"]);
    const [server] = await t.db.select().from(servers).where(eq(servers.id, serverA.id));
    expect(server!.lifecycle).toBe("approved");
    expect((await call("decideReview", { token: tokens.reviewer, params: { id }, body: approve })).status).toBe(409);
    const actions = (await t.db.select({ action: activityLog.action, actorType: activityLog.actorType }).from(activityLog).where(eq(activityLog.targetId, id))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["review.submitted", "review.resubmitted", "review.changes_requested", "review.control_assessed", "review.approved"]));
  });

  test("an exception is withdrawn through its own review; the server then needs a re-review", async () => {
    const id = state.reviewId;
    const other = await call("openReview", { token: tokens.owner, body: { serverId: serverB.id } });
    state.otherReviewId = other.body.id;
    const wrongReview = await call("withdrawReviewException", { token: tokens.reviewer, params: { id: other.body.id, exceptionId: state.exceptionId }, body: { reason: "Fixed upstream" } });
    expect(wrongReview.status).toBe(404);
    expect((await call("withdrawReviewException", { token: tokens.owner, params: { id, exceptionId: state.exceptionId }, body: { reason: "Fixed upstream" } })).status).toBe(403);
    expect(Object.keys((await call("withdrawReviewException", { token: tokens.reviewer, params: { id, exceptionId: state.exceptionId }, body: { reason: "" } })).body.error.fields)).toEqual(["reason"]);
    expect((await call("withdrawReviewException", { token: tokens.reviewer, params: { id, exceptionId: crypto.randomUUID() }, body: { reason: "The fix shipped." } })).status).toBe(404);
    const res = await call("withdrawReviewException", { token: tokens.reviewer, params: { id, exceptionId: state.exceptionId }, body: { reason: "The fix shipped." } });
    expect(res.body).toMatchObject({ id: state.exceptionId, active: false, revokedBy: { id: reviewer.id } });
    expect(res.body.revokedAt).not.toBeNull();
    expect((await call("withdrawReviewException", { token: tokens.reviewer, params: { id, exceptionId: state.exceptionId }, body: { reason: "The fix shipped." } })).status).toBe(409);
    const [server] = await t.db.select().from(servers).where(eq(servers.id, serverA.id));
    expect(server!.reReviewRequired).toBe(true);
  });

  test("granting an exception needs a failing assessment and a submitted review", async () => {
    const id = state.reviewId;
    const closed = await call("grantReviewException", { token: tokens.reviewer, params: { id }, body: { controlId: "ID-4", reason: "Accepted for now, really.", compensatingControl: "Manual weekly check.", days: 30 } });
    expect(closed.status).toBe(409);
    const tooLong = await call("grantReviewException", { token: tokens.reviewer, params: { id }, body: { controlId: "ID-4", reason: "Accepted for now, really.", compensatingControl: "Manual weekly check.", days: 365 } });
    expect(Object.keys(tooLong.body.error.fields)).toEqual(["days"]);
    expect((await call("grantReviewException", { token: tokens.auditor, params: { id }, body: {} })).status).toBe(403);
  });
});

describe("separation of duties and withdrawal", () => {
  test("a reviewer's token never decides a review its creator opened and submitted", async () => {
    // Admins hold reviews.submit and reviews.decide by role: Ada opens and submits a review of a
    // server she does not own, and then may not decide it.
    const { server } = await reviewableServer(t.db, owner, backup);
    const opened = await call("openReview", { token: tokens.admin, body: { serverId: server.id } });
    expect(opened.status).toBe(201);
    await answerAttestations(tokens.admin, opened.body.id);
    expect((await call("submitReview", { token: tokens.admin, params: { id: opened.body.id } })).body.state).toBe("submitted");
    const res = await call("decideReview", { token: tokens.admin, params: { id: opened.body.id }, body: { decision: "reject", justification: "Rejecting my own submission." } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/opened or submitted/);
    // Another reviewer may reject it: final at once.
    const rejected = await call("decideReview", { token: tokens.reviewer, params: { id: opened.body.id }, body: { decision: "reject", justification: "The server has no runbook for leavers." } });
    expect(rejected.body).toMatchObject({ state: "rejected" });
    expect((await call("withdrawReview", { token: tokens.owner, params: { id: opened.body.id }, body: { reason: "Too late" } })).status).toBe(409);
  });

  test("the owners (or a reviewer) withdraw an open review, with a reason", async () => {
    const id = state.otherReviewId;
    expect((await call("withdrawReview", { token: tokens.member, params: { id }, body: { reason: "Not mine to withdraw" } })).status).toBe(403);
    expect((await call("withdrawReview", { token: tokens.auditor, params: { id }, body: { reason: "Auditors change nothing" } })).status).toBe(403);
    expect(Object.keys((await call("withdrawReview", { token: tokens.owner, params: { id }, body: {} })).body.error.fields)).toEqual(["reason"]);
    const res = await call("withdrawReview", { token: tokens.owner, params: { id }, body: { reason: "Replaced by a new server" } });
    expect(res.body).toMatchObject({ state: "withdrawn" });
    expect((await call("withdrawReview", { token: tokens.reviewer, params: { id }, body: { reason: "Again" } })).status).toBe(409);
    expect((await call("withdrawReview", { token: tokens.reviewer, params: { id: crypto.randomUUID() }, body: { reason: "Nothing here" } })).status).toBe(404);
  });
});

describe("coverage of the review endpoints (runs last)", () => {
  test("every review endpoint answered with success at least once", () => {
    expect(REVIEW_ENDPOINTS).toHaveLength(16);
    expect(REVIEW_ENDPOINTS.filter((name) => ![...(seen.get(name) ?? [])].some((s) => s < 400))).toEqual([]);
  });
});
