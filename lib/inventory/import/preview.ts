/**
 * What an import would do, entry by entry: `new`, `updated` (with each field before → after),
 * `unchanged`, `invalid` (with the reasons) or `skipped` (left out by the person). Read-only; the
 * apply recomputes exactly this inside its transaction.
 */
import canonicalize from "canonicalize";
import { createHash } from "node:crypto";
import { inArray, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { people, teams } from "@/db/schema/auth";
import { servers, type NewServer, type Server } from "@/db/schema/inventory";
import type { ASSET_SOURCES, Transport } from "@/db/schema/vocabulary";

type AssetSource = (typeof ASSET_SOURCES)[number];
import { assertCan, can, type Actor } from "@/lib/auth/actor";
import { listTeams } from "@/lib/auth/queries";
import { AppError, parseInput } from "@/lib/errors";
import { ownershipProblems, serverNameProblem } from "@/lib/inventory/rules";
import { cleanUrl, displayText, textProblem } from "./sanitize";
import { importInputSchema, type ImportInput } from "./schemas";
import {
  IMPORT_FORMAT_LABELS,
  IMPORT_LIMITS,
  PREVIEW_STATUSES,
  type DraftPackage,
  type ImportFormat,
  type ImportPreview,
  type ParsedEntry,
  type PreviewChange,
  type PreviewEntry,
  type PreviewStatus,
} from "./types";

const SOURCE: Record<ImportFormat, AssetSource> = {
  registry: "registry_import",
  client_config: "client_config_import",
  csv: "csv_import",
  unknown: "manual",
};

/** The columns an import sets and compares, in the order the screen lists changes. */
const FIELDS = [
  ["title", "Title"],
  ["description", "Description"],
  ["version", "Version"],
  ["transport", "Transport"],
  ["endpointUrl", "Endpoint URL"],
  ["packages", "Packages"],
  ["repositoryUrl", "Repository"],
  ["websiteUrl", "Website"],
  ["environment", "Environment"],
  ["dataClassification", "Data classification"],
  ["authProfile", "Auth profile"],
  ["teamId", "Team"],
  ["primaryOwnerId", "Primary owner"],
  ["backupOwnerId", "Backup owner"],
  ["tags", "Tags"],
  ["serverJson", "server.json document"],
] as const;
type Field = (typeof FIELDS)[number][0];
type Values = Pick<NewServer, Field>;

const EXISTING_COLUMNS = {
  id: servers.id,
  name: servers.name,
  title: servers.title,
  description: servers.description,
  version: servers.version,
  transport: servers.transport,
  endpointUrl: servers.endpointUrl,
  packages: servers.packages,
  repositoryUrl: servers.repositoryUrl,
  websiteUrl: servers.websiteUrl,
  environment: servers.environment,
  dataClassification: servers.dataClassification,
  authProfile: servers.authProfile,
  teamId: servers.teamId,
  primaryOwnerId: servers.primaryOwnerId,
  backupOwnerId: servers.backupOwnerId,
  tags: servers.tags,
  serverJson: servers.serverJson,
};
type Existing = Pick<Server, keyof typeof EXISTING_COLUMNS>;

/** One entry's outcome, with what the apply would write. */
export type PlannedEntry = {
  preview: PreviewEntry;
  insert?: NewServer;
  update?: { id: string; name: string; set: Partial<Values>; before: Partial<Values>; after: Partial<Values> };
};

export type ImportPlan = { preview: ImportPreview; entries: PlannedEntry[]; input: ImportInput };

const canonical = (v: unknown) => canonicalize(v ?? null) ?? "null";
export const documentHash = (doc: unknown) => (doc == null ? null : `sha256:${createHash("sha256").update(canonical(doc)).digest("hex")}`);

function packageLine(p: DraftPackage): string {
  const version = p.version ? `@${p.version}` : "";
  return displayText(`${p.registryType} ${p.identifier}${version}`, 160);
}

/** The person acting, as an owner: the signed-in person, or the person who created the token. */
function importerId(actor: Actor): string | null {
  if (actor.type === "person") return actor.id;
  if (actor.type === "token") return actor.onBehalfOf?.id ?? null;
  return null;
}

const chunks = <T>(list: T[], size = 1000): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

const OWNER_FIELD_LABELS: Record<string, string> = { primaryOwnerId: "primary owner", backupOwnerId: "backup owner" };

/**
 * Work out what the import would do. Used by previewImport (read-only) and by applyImport inside
 * its transaction (with `lock`, so the servers it compares against cannot change before it writes).
 */
export async function planImport(db: Executor, actor: Actor, input: ImportInput, options: { lock?: boolean } = {}): Promise<ImportPlan> {
  const { parsed, names, endpointUrls, defaults, exclude } = input;
  if (parsed.entries.length > IMPORT_LIMITS.maxEntries) {
    throw new AppError("validation_failed", `One import takes at most ${IMPORT_LIMITS.maxEntries.toLocaleString("en")} servers.`);
  }
  const excluded = new Set(exclude);
  const source = SOURCE[parsed.format];
  const importer = importerId(actor);

  if (defaults.teamId) {
    const [team] = await db.select({ id: teams.id }).from(teams).where(inArray(teams.id, [defaults.teamId]));
    if (!team) throw new AppError("validation_failed", "The default team does not exist.", { "defaults.teamId": ["No such team"] });
  }

  // ---- Names: the file's, or the person's choice for a proposed one ----------------------------
  const finalName = new Map<number, string | null>();
  const nameReasons = new Map<number, string>();
  for (const entry of parsed.entries) {
    const override = names[String(entry.index)];
    let name = entry.draft?.name ?? null;
    if (override !== undefined && entry.draft) {
      if (!entry.draft.nameProposed) nameReasons.set(entry.index, "name: comes from the file and cannot be changed here");
      else {
        const trimmed = override.trim();
        const problem = textProblem(trimmed, { max: 200 });
        if (problem) nameReasons.set(entry.index, `name: ${problem}`);
        else name = trimmed;
      }
    }
    finalName.set(entry.index, name);
  }

  // ---- What the database has ------------------------------------------------------------------
  const lookup = [...new Set([...finalName.values()].filter((n): n is string => Boolean(n) && !serverNameProblem(n!)))];
  const existingByName = new Map<string, Existing>();
  for (const part of chunks(lookup)) {
    const query = db.select(EXISTING_COLUMNS).from(servers).where(inArray(servers.name, part));
    const rows = options.lock ? await query.for("update") : await query;
    for (const row of rows) existingByName.set(row.name, row);
  }

  // A module reads another's tables only to resolve references here: a CSV names owners by e-mail
  // and the team by slug or name.
  const drafts = parsed.entries.map((e) => e.draft).filter((d): d is NonNullable<typeof d> => Boolean(d));
  const emails = [...new Set(drafts.flatMap((d) => [d.primaryOwnerEmail, d.backupOwnerEmail]).filter((v): v is string => Boolean(v)))];
  const teamRefs = [...new Set(drafts.map((d) => d.team?.toLowerCase()).filter((v): v is string => Boolean(v)))];
  const peopleByEmail = new Map<string, string>();
  for (const part of chunks(emails)) {
    for (const p of await db.select({ id: people.id, email: people.email }).from(people).where(inArray(people.email, part))) peopleByEmail.set(p.email, p.id);
  }
  const teamsByRef = new Map<string, string>();
  for (const part of chunks(teamRefs)) {
    const rows = await db
      .select({ id: teams.id, slug: teams.slug, name: teams.name })
      .from(teams)
      .where(or(inArray(teams.slug, part), inArray(sql`lower(${teams.name})`, part)));
    for (const t of rows) {
      teamsByRef.set(t.slug.toLowerCase(), t.id);
      teamsByRef.set(t.name.toLowerCase(), t.id);
    }
  }

  const ownershipMemo = new Map<string, Awaited<ReturnType<typeof ownershipProblems>>>();
  const ownership = async (o: { environment: NonNullable<Values["environment"]>; primaryOwnerId: string | null; backupOwnerId: string | null }) => {
    const key = `${o.environment}|${o.primaryOwnerId}|${o.backupOwnerId}`;
    if (!ownershipMemo.has(key)) ownershipMemo.set(key, await ownershipProblems(db, o));
    const problems = ownershipMemo.get(key);
    return problems ? Object.entries(problems).flatMap(([field, messages]) => messages.map((m) => `${OWNER_FIELD_LABELS[field] ?? field}: ${m}`)) : [];
  };

  // Two included entries may not end up with one name (the first keeps it).
  const nameOwner = new Map<string, number>();
  for (const entry of parsed.entries) {
    const name = finalName.get(entry.index);
    if (!name || excluded.has(entry.index) || entry.error) continue;
    if (!nameOwner.has(name)) nameOwner.set(name, entry.index);
  }

  const planned: PlannedEntry[] = [];
  for (const entry of parsed.entries) {
    planned.push(await planEntry(entry));
  }

  async function planEntry(entry: ParsedEntry): Promise<PlannedEntry> {
    const draft = entry.draft;
    const name = finalName.get(entry.index) ?? null;
    const base: PreviewEntry = {
      index: entry.index,
      key: entry.key,
      location: entry.location,
      status: "invalid",
      name: name ? displayText(name, 200) : null,
      nameProposed: Boolean(draft?.nameProposed),
      title: draft?.title ?? draft?.defaultTitle ?? null,
      transport: draft?.transport ?? null,
      endpointUrl: draft?.endpointUrl ?? null,
      endpointTemplate: draft?.endpointTemplate ? displayText(draft.endpointTemplate, 300) : null,
      packages: (draft?.packages ?? []).map(packageLine),
      reasons: [],
      changes: [],
      secretsDropped: entry.secretsDropped.map((s) => displayText(s, 80)),
      notes: entry.notes,
      existingId: null,
    };
    if (base.title) base.title = displayText(base.title, 200);
    if (excluded.has(entry.index)) return { preview: { ...base, status: "skipped", reasons: ["Left out of this import"] } };

    const reasons: string[] = [];
    // A file problem may hold several reasons ("; "-separated): the screen lists them one by one.
    if (entry.error) reasons.push(...entry.error.split("; "));
    if (!draft) return { preview: { ...base, reasons: reasons.length ? reasons : ["Nothing to import"] } };
    const nameReason = nameReasons.get(entry.index);
    if (nameReason) reasons.push(nameReason);
    else if (!name) {
      if (!reasons.some((r) => r.includes("name:"))) reasons.push("name: is required");
    } else {
      const problem = serverNameProblem(name);
      if (problem && !reasons.some((r) => r.includes("name:"))) reasons.push(`name: ${problem}`);
      const owner = nameOwner.get(name);
      if (!problem && !entry.error && owner !== undefined && owner !== entry.index) reasons.push(`name: ${displayText(name, 200)} is also the name of entry ${owner + 1}; give this one another name`);
    }

    // A URL with a placeholder needs the person to give the real one.
    let endpointUrl = draft.endpointUrl;
    if (draft.endpointTemplate) {
      const given = endpointUrls[String(entry.index)]?.trim();
      if (!given) reasons.push(`endpoint URL: ${displayText(draft.endpointTemplate, 300)} has a placeholder Steward cannot fill in; enter the server's URL`);
      else {
        const cleaned = cleanUrl(given);
        if (cleaned.ok) {
          endpointUrl = cleaned.url;
          base.endpointUrl = cleaned.url;
          for (const d of cleaned.dropped) if (!base.secretsDropped.includes(d)) base.secretsDropped.push(d);
        } else reasons.push(`endpoint URL: ${"template" in cleaned ? "still has a placeholder" : cleaned.problem}`);
      }
    }

    // CSV references.
    let teamId: string | undefined;
    if (draft.team) {
      teamId = teamsByRef.get(draft.team.toLowerCase());
      if (!teamId) reasons.push(`team: there is no team “${displayText(draft.team, 80)}” (give a team's slug or name)`);
    }
    const ownerId = (email: string | undefined, column: string) => {
      if (!email) return undefined;
      const id = peopleByEmail.get(email);
      if (!id) reasons.push(`${column}: there is no person with the e-mail ${displayText(email, 120)}`);
      return id;
    };
    const primaryFromFile = ownerId(draft.primaryOwnerEmail, "primary_owner_email");
    const backupFromFile = ownerId(draft.backupOwnerEmail, "backup_owner_email");

    // The file's document names the server by its final name.
    const serverJson = draft.serverJson && draft.nameProposed && name ? { ...draft.serverJson, name } : draft.serverJson;

    const existing = name ? existingByName.get(name) : undefined;
    if (existing) base.existingId = existing.id;
    if (reasons.length) return { preview: { ...base, reasons } };

    if (!existing) {
      const values: NewServer = {
        name: name!,
        title: draft.title ?? draft.defaultTitle ?? null,
        description: draft.description ?? "",
        version: draft.version ?? null,
        transport: draft.transport ?? "stdio",
        endpointUrl: endpointUrl ?? null,
        packages: draft.packages ?? [],
        repositoryUrl: draft.repositoryUrl ?? null,
        websiteUrl: draft.websiteUrl ?? null,
        environment: draft.environment ?? defaults.environment ?? "dev",
        dataClassification: draft.dataClassification ?? defaults.dataClassification ?? "internal",
        authProfile: draft.authProfile ?? "none",
        teamId: teamId ?? defaults.teamId ?? null,
        // The importer owns what they bring in, unless the file names the owners.
        primaryOwnerId: primaryFromFile ?? importer,
        backupOwnerId: backupFromFile ?? null,
        tags: draft.tags ?? [],
        serverJson: serverJson ?? null,
        source,
      };
      if (values.transport !== "stdio" && !values.endpointUrl) reasons.push(`endpoint URL: a remote server (${values.transport}) needs one`);
      reasons.push(...(await ownership({ environment: values.environment!, primaryOwnerId: values.primaryOwnerId ?? null, backupOwnerId: values.backupOwnerId ?? null })));
      if (reasons.length) return { preview: { ...base, reasons } };
      return { preview: { ...base, status: "new", title: values.title ? displayText(values.title, 200) : null, transport: values.transport as Transport }, insert: values };
    }

    // An existing server: only the fields the file gives are compared and written.
    const given: Partial<Values> = {};
    if (draft.title !== undefined) given.title = draft.title;
    if (draft.description !== undefined) given.description = draft.description;
    if (draft.version !== undefined) given.version = draft.version;
    if (draft.transport !== undefined) given.transport = draft.transport;
    if (draft.endpointUrl !== undefined || draft.endpointTemplate) given.endpointUrl = endpointUrl ?? null;
    if (draft.packages !== undefined) given.packages = draft.packages;
    if (draft.repositoryUrl !== undefined) given.repositoryUrl = draft.repositoryUrl;
    if (draft.websiteUrl !== undefined) given.websiteUrl = draft.websiteUrl;
    if (draft.environment !== undefined) given.environment = draft.environment;
    if (draft.dataClassification !== undefined) given.dataClassification = draft.dataClassification;
    if (draft.authProfile !== undefined) given.authProfile = draft.authProfile;
    if (teamId !== undefined) given.teamId = teamId;
    if (primaryFromFile !== undefined) given.primaryOwnerId = primaryFromFile;
    if (backupFromFile !== undefined) given.backupOwnerId = backupFromFile;
    if (draft.tags !== undefined) given.tags = draft.tags;
    if (serverJson !== undefined) given.serverJson = serverJson;

    const set: Partial<Values> = {};
    const before: Partial<Values> = {};
    for (const [field] of FIELDS) {
      if (!(field in given)) continue;
      if (canonical(given[field]) === canonical(existing[field])) continue;
      (set as Record<string, unknown>)[field] = given[field];
      (before as Record<string, unknown>)[field] = existing[field];
    }
    const shown = { ...base, title: base.title ?? (existing.title ? displayText(existing.title, 200) : null), transport: (set.transport ?? existing.transport) as Transport, endpointUrl: (set.endpointUrl !== undefined ? set.endpointUrl : existing.endpointUrl) ?? null };
    if (Object.keys(set).length === 0) return { preview: { ...shown, status: "unchanged" } };

    if (!can(actor, "servers.update", existing)) {
      return { preview: { ...shown, reasons: ["You cannot change this server: it already exists and only its owners (or an admin) may change it"] } };
    }
    const merged = { ...existing, ...set };
    if (merged.transport !== "stdio" && !merged.endpointUrl) reasons.push(`endpoint URL: a remote server (${merged.transport}) needs one`);
    if ("environment" in set || "primaryOwnerId" in set || "backupOwnerId" in set) {
      reasons.push(...(await ownership({ environment: merged.environment, primaryOwnerId: merged.primaryOwnerId, backupOwnerId: merged.backupOwnerId })));
    }
    if (reasons.length) return { preview: { ...shown, reasons } };
    return {
      preview: { ...shown, status: "updated" },
      update: { id: existing.id, name: existing.name, set, before, after: set },
    };
  }

  await labelChanges(db, planned);

  const counts = Object.fromEntries(PREVIEW_STATUSES.map((s) => [s, 0])) as Record<PreviewStatus, number>;
  for (const p of planned) counts[p.preview.status]++;
  const secretsDropped = planned.filter((p) => p.preview.status !== "skipped").reduce((n, p) => n + p.preview.secretsDropped.length, 0);
  const preview: ImportPreview = {
    format: parsed.format,
    formatLabel: IMPORT_FORMAT_LABELS[parsed.format],
    variant: parsed.variant,
    fileName: parsed.fileName,
    bytes: parsed.bytes,
    entries: planned.map((p) => p.preview),
    counts,
    secretsDropped,
    notes: parsed.notes,
    canApply: counts.invalid === 0 && counts.new + counts.updated > 0,
  };
  return { preview, entries: planned, input };
}

/** Fill each updated entry's `changes` with readable before → after (names for people and teams). */
async function labelChanges(db: Executor, planned: PlannedEntry[]) {
  const personIds = new Set<string>();
  const teamIds = new Set<string>();
  for (const p of planned) {
    if (!p.update) continue;
    for (const v of [p.update.before, p.update.set]) {
      if (v.primaryOwnerId) personIds.add(v.primaryOwnerId);
      if (v.backupOwnerId) personIds.add(v.backupOwnerId);
      if (v.teamId) teamIds.add(v.teamId);
    }
  }
  const personLabel = new Map<string, string>();
  for (const part of chunks([...personIds])) {
    for (const p of await db.select({ id: people.id, name: people.name, email: people.email }).from(people).where(inArray(people.id, part))) personLabel.set(p.id, `${p.name} <${p.email}>`);
  }
  const teamLabel = new Map<string, string>();
  for (const part of chunks([...teamIds])) {
    for (const t of await db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, part))) teamLabel.set(t.id, t.name);
  }
  const show = (field: Field, value: unknown, side: "before" | "after"): string => {
    if (value === null || value === undefined || value === "") return "—";
    if (field === "serverJson") return side === "before" ? "the stored document" : "this file's document";
    if (field === "packages") return (value as DraftPackage[]).map(packageLine).join(", ") || "none";
    if (field === "tags") return (value as string[]).map((t) => displayText(t, 50)).join(", ") || "none";
    if (field === "primaryOwnerId" || field === "backupOwnerId") return personLabel.get(String(value)) ?? "a removed person";
    if (field === "teamId") return teamLabel.get(String(value)) ?? "a removed team";
    return displayText(String(value), 200);
  };
  for (const p of planned) {
    if (!p.update) continue;
    const changes: PreviewChange[] = [];
    for (const [field, label] of FIELDS) {
      if (!(field in p.update.set)) continue;
      changes.push({ field, label, before: show(field, p.update.before[field], "before"), after: show(field, p.update.set[field], "after") });
    }
    p.preview.changes = changes;
  }
}

/**
 * Preview an import: what each entry of the parsed file would do. Needs `servers.create`; an
 * update of an existing server needs `servers.update` on that server (its owners have it), else the
 * entry is invalid. Writes nothing.
 */
export async function previewImport(db: Executor, actor: Actor, input: unknown): Promise<ImportPreview> {
  assertCan(actor, "servers.create");
  const parsedInput = parseInput(importInputSchema, input);
  const { preview } = await planImport(db, actor, parsedInput);
  return preview;
}

/** What the import screen needs before a file is chosen: teams for the defaults. */
export async function importFormOptions(db: Executor, actor: Actor) {
  assertCan(actor, "servers.create");
  const teamList = await listTeams(db, actor);
  return { teams: teamList.map((t) => ({ id: t.id, name: t.name })), limits: IMPORT_LIMITS };
}
