import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import type { ProbeCheckResult, ProbeVerdict } from "@/lib/probe/types";
import { id, tstz } from "./_shared";
import { people } from "./auth";
import { servers } from "./inventory";

/**
 * One auth-posture probe run against a server's endpoint (lib/probe, docs/probe.md). A run is
 * written as it goes — queued, then running with each check's verdict appended as it is reached —
 * and is frozen once it completes or fails (migration 0012): evidence is never rewritten.
 */
export const probeRuns = pgTable(
  "probe_runs",
  {
    id: id(),
    serverId: uuid("server_id")
      .notNull()
      .references(() => servers.id),
    mode: text("mode").$type<"anonymous" | "active">().notNull(),
    status: text("status").$type<"queued" | "running" | "completed" | "failed">().notNull().default("queued"),
    trigger: text("trigger").$type<"console" | "api" | "schedule">().notNull(),
    /** The endpoint as it was when the run started (the server's URL may change later). */
    targetUrl: text("target_url").notNull(),
    protocolVersion: text("protocol_version").notNull(),
    protocolVersionSource: text("protocol_version_source").$type<"requested" | "server" | "default">().notNull(),
    /** The person who asked (directly or through an API token); null for the schedule. */
    requestedById: uuid("requested_by_id").references(() => people.id),
    requestedBy: text("requested_by").notNull(),
    checks: jsonb("checks").$type<ProbeCheckResult[]>().notNull().default(sql`'[]'::jsonb`),
    counts: jsonb("counts").$type<Record<ProbeVerdict, number>>(),
    error: text("error"),
    queuedAt: tstz("queued_at").notNull().defaultNow(),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
    durationMs: integer("duration_ms"),
  },
  (t) => [
    index("probe_runs_server_idx").on(t.serverId, t.queuedAt),
    // The per-person rate limit counts a person's recent runs.
    index("probe_runs_requester_idx").on(t.requestedById, t.queuedAt),
    index("probe_runs_open_idx").on(t.status).where(sql`${t.status} in ('queued', 'running')`),
    check("probe_runs_mode_ck", sql`${t.mode} in ('anonymous', 'active')`),
    check("probe_runs_status_ck", sql`${t.status} in ('queued', 'running', 'completed', 'failed')`),
    check("probe_runs_trigger_ck", sql`${t.trigger} in ('console', 'api', 'schedule')`),
    check("probe_runs_version_source_ck", sql`${t.protocolVersionSource} in ('requested', 'server', 'default')`),
    check("probe_runs_finished_ck", sql`(${t.status} in ('completed', 'failed')) = (${t.finishedAt} is not null)`),
  ],
);

export type ProbeRun = typeof probeRuns.$inferSelect;
