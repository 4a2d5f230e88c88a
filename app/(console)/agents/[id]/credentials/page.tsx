import type { Metadata } from "next";
import { KeyRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { AddCredentialButton, RevokeCredentialButton } from "../../_components/detail/credential-buttons";
import { CREDENTIAL_TYPE_LABELS, formatDate, formatDateTime, humanizeSeconds, relativeTime } from "../../_components/detail/format";
import { loadAgent, loadAgentCredentials } from "../load";

export const metadata: Metadata = { title: "Credentials" };

export default async function AgentCredentialsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [detail, credentials] = await Promise.all([loadAgent(id), loadAgentCredentials(id)]);
  const { agent, can } = detail;
  const closed = agent.state === "revoked" || agent.state === "retired";
  const canAdd = can.edit && !closed;

  return (
    <section aria-labelledby="credentials-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex max-w-prose flex-col gap-1">
          <h2 id="credentials-heading" className="text-base font-semibold">
            Credentials
          </h2>
          <p className="text-sm text-muted-foreground">
            What {agent.name} authenticates with: type, issuer, lifetime and last use. Shared secrets are flagged as static; anything valid for over a day, or forever, as long-lived.
            {agent.maxCredentialTtlSeconds ? ` This agent's credentials may live at most ${humanizeSeconds(agent.maxCredentialTtlSeconds)}.` : ""}
          </p>
        </div>
        {canAdd && <AddCredentialButton agentId={agent.id} agentName={agent.name} maxTtlSeconds={agent.maxCredentialTtlSeconds} />}
      </div>

      {credentials.length === 0 ? (
        <EmptyState
          icon={KeyRound}
          title="No credentials recorded"
          description={
            canAdd
              ? "Add the credentials this agent holds (key ids, certificate fingerprints, SVIDs — never the secrets), so reviewers can see how long they live."
              : "Its owners record the credentials it holds here: identifiers and lifetimes, never the secrets."
          }
        />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <caption className="sr-only">Credentials of {agent.name}</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Type</TableHead>
                <TableHead>Identifier and issuer</TableHead>
                <TableHead>Issued</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead className="hidden lg:table-cell">Lifetime</TableHead>
                <TableHead className="hidden xl:table-cell">Last used</TableHead>
                <TableHead>Flags</TableHead>
                {can.cutAccess && (
                  <TableHead className="w-24">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {credentials.map((c) => {
                const typeLabel = CREDENTIAL_TYPE_LABELS[c.type] ?? c.type;
                const revoked = c.revokedAt !== null;
                return (
                  <TableRow key={c.id} data-testid={`credential-${c.id}`} className={cn(revoked && "text-muted-foreground")}>
                    <TableCell className="font-medium">{typeLabel}</TableCell>
                    <TableCell className="max-w-56">
                      {c.identifier ? (
                        <span className="block truncate font-mono text-xs" title={c.identifier}>
                          {c.identifier}
                        </span>
                      ) : (
                        <span className="text-xs text-muted-foreground">No identifier</span>
                      )}
                      <span className="block truncate text-xs text-muted-foreground" title={c.issuer ?? undefined}>
                        {c.issuer ?? "Issuer not recorded"}
                      </span>
                    </TableCell>
                    <TableCell className="text-sm tabular-nums">
                      <time dateTime={c.issuedAt.toISOString()} title={formatDateTime(c.issuedAt)}>
                        {formatDate(c.issuedAt)}
                      </time>
                    </TableCell>
                    <TableCell className="text-sm tabular-nums">
                      {c.expiresAt ? (
                        <span className="flex flex-col">
                          <time dateTime={c.expiresAt.toISOString()} title={formatDateTime(c.expiresAt)}>
                            {formatDate(c.expiresAt)}
                          </time>
                          <span className="text-xs text-muted-foreground">{relativeTime(c.expiresAt)}</span>
                        </span>
                      ) : (
                        "Never"
                      )}
                    </TableCell>
                    <TableCell className="hidden text-sm lg:table-cell">{c.ttlSeconds ? humanizeSeconds(c.ttlSeconds) : "No expiry"}</TableCell>
                    <TableCell className="hidden text-sm xl:table-cell">
                      {c.lastUsedAt ? <time dateTime={c.lastUsedAt.toISOString()}>{formatDate(c.lastUsedAt)}</time> : <span className="text-muted-foreground">Never</span>}
                    </TableCell>
                    <TableCell>
                      <ul className="flex flex-wrap gap-1" aria-label="Flags">
                        {revoked && (
                          <li>
                            <Badge variant="destructive">Revoked</Badge>
                          </li>
                        )}
                        {c.expired && (
                          <li>
                            <Badge variant="secondary">Expired</Badge>
                          </li>
                        )}
                        {c.static && (
                          <li>
                            <Badge variant="warning">Static</Badge>
                          </li>
                        )}
                        {c.longLived && (
                          <li>
                            <Badge variant="warning">Long-lived</Badge>
                          </li>
                        )}
                        {!revoked && !c.expired && !c.static && !c.longLived && (
                          <li>
                            <Badge variant="success">Short-lived</Badge>
                          </li>
                        )}
                      </ul>
                    </TableCell>
                    {can.cutAccess && (
                      <TableCell>
                        {!revoked && !c.expired && (
                          <RevokeCredentialButton credentialId={c.id} description={`${typeLabel}${c.identifier ? ` ${c.identifier}` : ""}, issued ${formatDate(c.issuedAt)}`} />
                        )}
                      </TableCell>
                    )}
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
