import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listPeople } from "@/lib/auth/queries";
import { loadPage } from "@/lib/page";
import { listChecklistVersions } from "@/lib/reviews/checklist";
import { checklistPaths, day, STATE_LABELS, STATE_VARIANT } from "../_components/labels";

export const metadata: Metadata = { title: "Checklist versions" };

export default async function ChecklistVersionsPage() {
  const { versions, names } = await loadPage(async (db, actor) => {
    const versions = await listChecklistVersions(db, actor);
    const { people } = await listPeople(db, actor);
    return { versions, names: new Map(people.map((p) => [p.id, p.name])) };
  });
  const who = (id: string | null) => (id ? (names.get(id) ?? "a removed person") : null);

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Checklist versions"
        description="Each published version is frozen: reviews stay on the version they began with. An admin drafts the next version, and publishing it supersedes the one before for new reviews."
      />
      <div className="rounded-lg border">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead className="w-24">Version</TableHead>
              <TableHead>Title and notes</TableHead>
              <TableHead className="w-32">State</TableHead>
              <TableHead className="hidden w-56 md:table-cell">Published</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {versions.map((v) => (
              <TableRow key={v.id} data-testid={`version-${v.version}`} className="align-top">
                <TableCell className="font-medium whitespace-nowrap">
                  <Link href={checklistPaths.version(v.id)} className="underline-offset-4 hover:underline">
                    Version {v.version}
                  </Link>
                </TableCell>
                <TableCell className="max-w-xl whitespace-normal">
                  <p className="font-medium">{v.title}</p>
                  {v.notes ? <p className="mt-1 line-clamp-3 text-sm text-pretty whitespace-pre-line text-muted-foreground">{v.notes}</p> : v.state === "draft" ? <p className="mt-1 text-sm text-muted-foreground">Not published yet.</p> : null}
                </TableCell>
                <TableCell>
                  <Badge variant={STATE_VARIANT[v.state]}>{STATE_LABELS[v.state]}</Badge>
                </TableCell>
                <TableCell className="hidden text-sm md:table-cell">
                  {v.publishedAt ? (
                    <>
                      <p>{day(v.publishedAt)}</p>
                      <p className="text-xs text-muted-foreground">{who(v.publishedById) ? `by ${who(v.publishedById)}` : "Built in"}</p>
                      {v.supersededAt && <p className="text-xs text-muted-foreground">superseded {day(v.supersededAt)}</p>}
                    </>
                  ) : (
                    <p className="text-muted-foreground">{who(v.createdById) ? `Drafted by ${who(v.createdById)}` : "—"}</p>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
