import type { Metadata } from "next";
import { Users } from "lucide-react";
import { FilterBar } from "@/components/filter-bar";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ROLES } from "@/db/schema/auth";
import { assertCan } from "@/lib/auth/actor";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { listPeople, listTeams } from "@/lib/auth/queries";
import { describeFilterError, firstValues, loadPage, withFilterErrors } from "@/lib/page";
import { PersonActions } from "./person-actions";

export const metadata: Metadata = { title: "People & teams" };

export default async function PeoplePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = firstValues(await searchParams);
  const { actorId, result, teams } = await loadPage(async (db, actor) => {
    assertCan(actor, "settings.read");
    return {
      actorId: actor.id,
      result: await withFilterErrors(() => listPeople(db, actor, { q: params.q, role: params.role || undefined, status: params.status || undefined })),
      teams: await listTeams(db, actor),
    };
  });
  const list = result.data?.people ?? [];
  const canManage = result.data?.canManage ?? false;

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="People & teams"
        description={canManage ? "Roles normally follow your identity provider's groups; change them here only for exceptions. Deactivating someone refuses their next request." : "Everyone with access to Steward, their role, and their teams."}
      />
      <FilterBar
        action="/settings/people"
        q={params.q}
        qLabel="Search people"
        error={result.error ? describeFilterError(result.error) : undefined}
        selects={[
          { name: "role", label: "Role", value: params.role, options: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })) },
          { name: "status", label: "Status", value: params.status, options: [{ value: "active", label: "Active" }, { value: "inactive", label: "Deactivated" }] },
        ]}
      />
      {list.length === 0 ? (
        <EmptyState icon={Users} title="Nobody matches" description="Try a shorter search or clear the filters." />
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Person</TableHead>
                <TableHead>Role</TableHead>
                <TableHead className="hidden md:table-cell">Teams</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="hidden xl:table-cell">Last sign-in</TableHead>
                {canManage && (
                  <TableHead className="w-12">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.map((p) => (
                <TableRow key={p.id} data-testid={`person-${p.email}`}>
                  <TableCell className="max-w-72">
                    <p className="truncate font-medium">{p.name}</p>
                    <p className="truncate text-xs text-muted-foreground">{p.email}</p>
                  </TableCell>
                  <TableCell>
                    <Badge variant={p.role === "admin" ? "default" : "secondary"}>{ROLE_LABELS[p.role]}</Badge>
                  </TableCell>
                  <TableCell className="hidden max-w-56 truncate text-sm text-muted-foreground md:table-cell">{p.teams.join(", ") || "—"}</TableCell>
                  <TableCell>{p.active ? <Badge variant="success">Active</Badge> : <Badge variant="destructive">Deactivated</Badge>}</TableCell>
                  <TableCell className="hidden text-sm whitespace-nowrap text-muted-foreground xl:table-cell">
                    {p.lastSignInAt ? p.lastSignInAt.toISOString().slice(0, 10) : "Never"}
                  </TableCell>
                  {canManage && (
                    <TableCell>
                      {p.id !== actorId && <PersonActions person={{ id: p.id, name: p.name, role: p.role, active: p.active }} />}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}

      <Card>
        <CardHeader>
          <CardTitle className="text-base">Teams</CardTitle>
          <CardDescription>Teams own servers and agents; their members can take over when an owner leaves.</CardDescription>
        </CardHeader>
        <CardContent>
          {teams.length === 0 ? (
            <p className="text-sm text-muted-foreground">No teams yet. Teams arrive from your identity provider&apos;s groups through SCIM.</p>
          ) : (
            <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
              {teams.map((t) => (
                <li key={t.id} className="rounded-md border p-3">
                  <p className="font-medium">{t.name}</p>
                  <p className="line-clamp-2 text-sm text-muted-foreground">{t.description ?? "—"}</p>
                  <p className="mt-1 text-xs text-muted-foreground">
                    {t.members} {t.members === 1 ? "member" : "members"}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
