import type { Metadata } from "next";
import Link from "next/link";
import { ArrowRightLeft, Bot, Inbox, Plus, Server } from "lucide-react";
import { ENVIRONMENT_LABELS, IDENTITY_TYPE_LABELS } from "@/components/labels";
import { AgentStateBadge, LifecycleBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/actor";
import { ownerCandidates } from "@/lib/auth/queries";
import { myAssets } from "@/lib/inventory/ownership";
import { loadPage } from "@/lib/page";
import { expiryPhrase, formatDate } from "../agents/_components/detail/format";
import { CancelTransfer, TransferAnswer } from "./transfer-answer";

export const metadata: Metadata = { title: "My assets" };

const SLOT_LABEL = { primary: "primary owner", backup: "backup owner" } as const;
const assetHref = (type: "server" | "agent", id: string) => `/${type === "server" ? "servers" : "agents"}/${id}`;

function Section({ id, title, description, children }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="flex flex-col gap-3">
      <div>
        <h2 id={id} className="text-base font-semibold">
          {title}
        </h2>
        {description && <p className="text-sm text-muted-foreground">{description}</p>}
      </div>
      {children}
    </section>
  );
}

export default async function MyAssetsPage() {
  const { mine, me, names, rights } = await loadPage(async (db, actor) => {
    const mine = await myAssets(db, actor);
    // Who asked, for the transfers waiting on me (only read when there are some).
    const people = mine.incoming.length && can(actor, "people.read") ? await ownerCandidates(db, actor) : [];
    return {
      mine,
      me: actor,
      names: new Map(people.map((p) => [p.id, p.name])),
      rights: { servers: can(actor, "servers.create"), agents: can(actor, "agents.create") },
    };
  });
  const owned = mine.servers.length + mine.agents.length;
  const role = (primaryOwnerId: string | null) => (primaryOwnerId === me.id ? "Primary" : "Backup");

  return (
    <div className="flex flex-col gap-8">
      <PageHeader
        className="pb-0"
        title="My assets"
        description="The MCP servers and agents you answer for, the hand-overs waiting for your answer, and the ones you asked others to take."
        actions={
          <>
            {rights.servers && (
              <Button variant="outline" size="sm" asChild>
                <Link href="/servers/new">
                  <Plus className="size-4" aria-hidden /> Register server
                </Link>
              </Button>
            )}
            {rights.agents && (
              <Button variant="outline" size="sm" asChild>
                <Link href="/agents/new">
                  <Plus className="size-4" aria-hidden /> Register agent
                </Link>
              </Button>
            )}
          </>
        }
      />

      <Section id="incoming-heading" title="Waiting for you" description="Owners asked you to take over. Nothing changes until you accept.">
        {mine.incoming.length === 0 ? (
          <p className="rounded-lg border border-dashed px-4 py-3 text-sm text-muted-foreground" data-testid="no-incoming">
            No hand-overs wait for you.
          </p>
        ) : (
          <ul className="flex flex-col gap-2" aria-label="Transfers waiting for you">
            {mine.incoming.map((t) => {
              const requester = t.requestedById ? names.get(t.requestedById) : undefined;
              return (
                <li key={t.id} data-testid="incoming-transfer" className="flex flex-col gap-3 rounded-lg border bg-card p-4 sm:flex-row sm:items-center sm:justify-between">
                  <div className="flex min-w-0 items-start gap-3">
                    <Inbox className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
                    <div className="min-w-0 text-sm">
                      <p>
                        You would become the <span className="font-semibold">{SLOT_LABEL[t.slot]}</span> of{" "}
                        <Link href={assetHref(t.assetType, t.assetId)} className="font-medium break-all underline-offset-4 hover:underline">
                          {t.assetName}
                        </Link>{" "}
                        <span className="text-muted-foreground">({t.assetType})</span>
                      </p>
                      <p className="text-xs text-muted-foreground">
                        {requester ? `Asked by ${requester}` : "Asked by its owners"} on <time dateTime={t.createdAt.toISOString()}>{formatDate(t.createdAt)}</time>
                      </p>
                      {t.note && <p className="mt-1 text-xs whitespace-pre-line text-muted-foreground">“{t.note}”</p>}
                    </div>
                  </div>
                  <TransferAnswer transferId={t.id} assetName={t.assetName} slotLabel={SLOT_LABEL[t.slot]} />
                </li>
              );
            })}
          </ul>
        )}
      </Section>

      {owned === 0 ? (
        <EmptyState
          icon={Server}
          title="You own no servers or agents yet"
          description={
            me.role === "auditor"
              ? "Auditors read everything and own nothing, so this page stays empty for you."
              : "Register a server or an agent and you become its primary owner. To take over one that exists, ask its owners to hand it over: the request appears above for you to accept."
          }
        >
          {rights.servers && (
            <Button asChild>
              <Link href="/servers/new">Register a server</Link>
            </Button>
          )}
          {rights.agents && (
            <Button variant="outline" asChild>
              <Link href="/agents/new">Register an agent</Link>
            </Button>
          )}
        </EmptyState>
      ) : (
        <>
          <Section id="servers-heading" title={`Servers (${mine.servers.length})`}>
            {mine.servers.length === 0 ? (
              <p className="rounded-lg border border-dashed px-4 py-3 text-sm text-muted-foreground">You own no MCP servers.</p>
            ) : (
              <div className="rounded-lg border">
                <Table>
                  <caption className="sr-only">Servers you own</caption>
                  <TableHeader>
                    <TableRow>
                      <TableHead>Server</TableHead>
                      <TableHead>Lifecycle</TableHead>
                      <TableHead>Env</TableHead>
                      <TableHead className="hidden md:table-cell">Approval</TableHead>
                      <TableHead>You are</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {mine.servers.map((s) => (
                      <TableRow key={s.id}>
                        <TableCell className="max-w-80">
                          <Link href={`/servers/${s.id}`} className="block truncate font-medium underline-offset-4 hover:underline">
                            {s.title ?? s.name}
                          </Link>
                          <p className="truncate font-mono text-xs text-muted-foreground">{s.name}</p>
                        </TableCell>
                        <TableCell>
                          <div className="flex flex-wrap items-center gap-1">
                            <LifecycleBadge state={s.lifecycle} />
                            {s.changedSinceApproval && <Badge variant="warning">Changed since approval</Badge>}
                          </div>
                        </TableCell>
                        <TableCell>{ENVIRONMENT_LABELS[s.environment] ?? s.environment}</TableCell>
                        <TableCell className="hidden text-sm md:table-cell">
                          {s.approvedUntil ? (
                            <span className="flex flex-col">
                              <time dateTime={s.approvedUntil.toISOString()}>{formatDate(s.approvedUntil)}</time>
                              <span className="text-xs text-muted-foreground">{expiryPhrase(s.approvedUntil)}</span>
                            </span>
                          ) : (
                            <span className="text-muted-foreground">Not approved</span>
                          )}
                        </TableCell>
                        <TableCell className="text-sm">{role(s.primaryOwnerId)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            )}
          </Section>

          <Section id="agents-heading" title={`Agents (${mine.agents.length})`}>
            {mine.agents.length === 0 ? (
              <p className="rounded-lg border border-dashed px-4 py-3 text-sm text-muted-foreground">You own no agents.</p>
            ) : (
              <div className="rounded-lg border">
                <Table>
                  <caption className="sr-only">Agents you own</caption>
                  <TableHeader>
                    <TableRow>
                      <TableHead>Agent</TableHead>
                      <TableHead>State</TableHead>
                      <TableHead className="hidden md:table-cell">Identity</TableHead>
                      <TableHead>Env</TableHead>
                      <TableHead>You are</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {mine.agents.map((a) => (
                      <TableRow key={a.id}>
                        <TableCell className="max-w-80">
                          <Link href={`/agents/${a.id}`} className="flex items-center gap-2 truncate font-medium underline-offset-4 hover:underline">
                            <Bot className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                            <span className="truncate">{a.name}</span>
                          </Link>
                        </TableCell>
                        <TableCell>
                          <AgentStateBadge state={a.state} />
                        </TableCell>
                        <TableCell className="hidden text-sm md:table-cell">{IDENTITY_TYPE_LABELS[a.identityType] ?? a.identityType}</TableCell>
                        <TableCell>{ENVIRONMENT_LABELS[a.environment] ?? a.environment}</TableCell>
                        <TableCell className="text-sm">{role(a.primaryOwnerId)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            )}
          </Section>
        </>
      )}

      <Section id="outgoing-heading" title="Requests you sent" description="Hand-overs you asked someone else to accept. Cancel one to keep things as they are.">
        {mine.outgoing.length === 0 ? (
          <p className="rounded-lg border border-dashed px-4 py-3 text-sm text-muted-foreground" data-testid="no-outgoing">
            You have no open requests. Use “Hand over…” on a server or an agent you own to ask someone to take it.
          </p>
        ) : (
          <ul className="flex flex-col gap-2" aria-label="Requests you sent">
            {mine.outgoing.map((t) => (
              <li key={t.id} data-testid="outgoing-transfer" className="flex flex-col gap-3 rounded-lg border bg-card p-4 sm:flex-row sm:items-center sm:justify-between">
                <div className="flex min-w-0 items-start gap-3 text-sm">
                  <ArrowRightLeft className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
                  <div className="min-w-0">
                    <p>
                      <span className="font-medium">{t.to.name}</span> to become the {SLOT_LABEL[t.slot]} of{" "}
                      <Link href={assetHref(t.assetType, t.assetId)} className="font-medium break-all underline-offset-4 hover:underline">
                        {t.assetName}
                      </Link>
                    </p>
                    <p className="text-xs text-muted-foreground">
                      Sent <time dateTime={t.createdAt.toISOString()}>{formatDate(t.createdAt)}</time>, waiting for their answer
                    </p>
                  </div>
                </div>
                <CancelTransfer transferId={t.id} assetName={t.assetName} />
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
