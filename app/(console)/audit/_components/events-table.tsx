import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { AuditEventRecord } from "@/lib/audit/queries";
import { hrefOf, withChange, type ExplorerState } from "./state";

const time = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");

/**
 * A page of events, newest first. The time opens the event's drawer (a link: the open event is in
 * the URL too); agent, person, server and tool are links that filter by them. Agents show their
 * inventory name where they have one (the client id is in the link's title and the drawer).
 */
export function EventsTable({ rows, agentNames, state }: { rows: AuditEventRecord[]; agentNames: Record<string, string>; state: ExplorerState }) {
  const filterLink = (key: "agent" | "server" | "tool" | "person", value: string | null | undefined, label = value, muted = false) =>
    value ? (
      <Link href={hrefOf(withChange(state, { filters: { [key]: value } }))} className={muted ? "text-muted-foreground hover:underline" : "hover:underline"} title={`Only ${value}`}>
        {label}
      </Link>
    ) : (
      <span className="text-muted-foreground">—</span>
    );
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full table-fixed text-sm" data-testid="audit-events">
        <caption className="sr-only">Audit events, newest first</caption>
        <colgroup>
          <col className="w-40" />
          <col />
          <col />
          <col className="w-24" />
          <col className="w-32" />
        </colgroup>
        <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Time (UTC)
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Agent · on behalf of
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Server · tool
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Decision
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Data returned
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const e = r.event;
            const key = `${r.source}:${r.seq}`;
            const open = state.event === key;
            const clientId = e.actor.agent.clientId;
            const server = e.server.name ?? e.server.url;
            return (
              <tr key={key} className={open ? "border-t bg-accent" : "border-t hover:bg-muted/40"}>
                <td className="px-3 py-1.5 align-top font-mono text-xs whitespace-nowrap">
                  <Link href={hrefOf(withChange(state, { event: key }))} scroll={false} className="underline-offset-2 hover:underline" aria-label={`${time(r.occurredAt)}, ${r.source} position ${r.seq}: open the event`}>
                    {time(r.occurredAt)}
                  </Link>
                </td>
                <td className="px-3 py-1.5 align-top">
                  <div className="truncate">{filterLink("agent", clientId, agentNames[clientId] ?? e.actor.agent.name ?? clientId)}</div>
                  <div className="truncate text-xs">{e.actor.person?.email ? filterLink("person", e.actor.person.email, e.actor.person.email, true) : <span className="text-muted-foreground">no person</span>}</div>
                </td>
                <td className="px-3 py-1.5 align-top">
                  <div className="truncate">{filterLink("server", server)}</div>
                  <div className="truncate text-xs">{e.tool ? filterLink("tool", e.tool.name, e.tool.name, true) : <span className="text-muted-foreground">{String(e.attributes["mcp.method.name"])}</span>}</div>
                </td>
                <td className="px-3 py-1.5 align-top">
                  {e.decision.outcome === "deny" ? (
                    <Badge variant="destructive" title={e.decision.reason}>
                      denied
                    </Badge>
                  ) : (
                    <Badge variant="success">allowed</Badge>
                  )}
                </td>
                <td className="px-3 py-1.5 align-top text-xs text-muted-foreground">
                  {e.result ? (
                    <>
                      <div>{e.result.classification ?? "unclassified"}</div>
                      <div className="tabular-nums">{[e.result.bytes !== undefined && `${e.result.bytes.toLocaleString("en")} B`, e.result.records !== undefined && `${e.result.records.toLocaleString("en")} rec.`].filter(Boolean).join(" · ")}</div>
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
