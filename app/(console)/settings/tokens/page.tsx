import type { Metadata } from "next";
import { KeyRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TOKEN_KINDS } from "@/db/schema/auth";
import { grantableScopes, listTokens } from "@/lib/auth/tokens";
import { PERMISSIONS } from "@/lib/auth/permissions";
import { loadPage } from "@/lib/page";
import { NewTokenButton } from "./new-token-button";
import { RevokeTokenButton } from "./revoke-token-button";

export const metadata: Metadata = { title: "API tokens" };

const KIND_LABELS = { api: "Machine API", scim: "SCIM provisioning", ingest: "Audit ingestion", decision: "Access decisions" } as const;
const STATUS_VARIANT = { active: "success", expired: "warning", revoked: "destructive" } as const;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "—");

export default async function TokensPage() {
  const { tokens, scopes } = await loadPage(async (db, actor) => ({
    tokens: await listTokens(db, actor),
    scopes: Object.fromEntries(TOKEN_KINDS.map((k) => [k, grantableScopes(actor, k).map((p) => ({ value: p, description: PERMISSIONS[p] }))])),
  }));

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="API tokens"
        description="Tokens let machines act on Steward: CI registering servers, gateways sending audit events or asking for decisions, your identity provider provisioning people. Each is scoped, expires, and can be revoked at once."
        actions={<NewTokenButton kinds={TOKEN_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} scopes={scopes} />}
      />
      {tokens.length === 0 ? (
        <EmptyState icon={KeyRound} title="No API tokens yet" description="Create a token for each machine that talks to Steward, with only the scopes it needs. The secret is shown once." />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Token</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead className="hidden lg:table-cell">Scopes</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden md:table-cell">Expires</TableHead>
                <TableHead className="hidden xl:table-cell">Last used</TableHead>
                <TableHead className="w-24">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tokens.map((t) => (
                <TableRow key={t.id} data-testid={`token-${t.name}`}>
                  <TableCell className="max-w-64">
                    <p className="truncate font-medium">{t.name}</p>
                    <p className="truncate font-mono text-xs text-muted-foreground">{t.prefix}…</p>
                    <p className="truncate text-xs text-muted-foreground">by {t.createdBy?.name ?? "a removed person"}</p>
                  </TableCell>
                  <TableCell className="text-sm">
                    {KIND_LABELS[t.kind]}
                    {t.boundTo && <p className="font-mono text-xs text-muted-foreground">{t.boundTo}</p>}
                  </TableCell>
                  <TableCell className="hidden max-w-72 lg:table-cell">
                    <div className="flex flex-wrap gap-1">
                      {t.scopes.map((s) => (
                        <Badge key={s} variant="outline" className="font-mono text-[11px]">
                          {s}
                        </Badge>
                      ))}
                    </div>
                  </TableCell>
                  <TableCell>
                    <Badge variant={STATUS_VARIANT[t.status]}>{t.status}</Badge>
                  </TableCell>
                  <TableCell className="hidden text-sm whitespace-nowrap md:table-cell">{day(t.expiresAt)}</TableCell>
                  <TableCell className="hidden text-sm whitespace-nowrap text-muted-foreground xl:table-cell">{t.lastUsedAt ? day(t.lastUsedAt) : "Never"}</TableCell>
                  <TableCell>{t.status === "active" && <RevokeTokenButton id={t.id} name={t.name} />}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </div>
  );
}
