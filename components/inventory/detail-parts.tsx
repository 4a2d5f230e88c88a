import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/cn";
import type { transfersForAsset } from "@/lib/inventory/ownership";

/** Pieces the server and agent detail pages share: a list of facts, and the Ownership card. */

/** Label / value pairs; `narrow` for the side column. */
export function Facts({ items, narrow = false }: { items: [string, React.ReactNode][]; narrow?: boolean }) {
  return (
    <dl className={cn("grid gap-y-3 text-sm", narrow ? "grid-cols-[7.5rem_minmax(0,1fr)] gap-x-4" : "gap-x-6 sm:grid-cols-[11rem_minmax(0,1fr)]")}>
      {items.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted-foreground">{label}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

type Person = { name: string; email: string; active: boolean } | null;

function OwnerLine({ role, person }: { role: string; person: Person }) {
  return (
    <div className="flex items-start justify-between gap-3">
      <div className="min-w-0">
        <p className="text-xs text-muted-foreground">{role}</p>
        {person ? (
          <>
            <p className="truncate font-medium">{person.name}</p>
            <p className="truncate text-xs text-muted-foreground">{person.email}</p>
          </>
        ) : (
          <p className="text-muted-foreground">Nobody</p>
        )}
      </div>
      {person ? <Badge variant={person.active ? "success" : "destructive"}>{person.active ? "Active" : "Deactivated"}</Badge> : <Badge variant="warning">Missing</Badge>}
    </div>
  );
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Primary and backup owner, team, and hand-overs waiting for the new owner's answer. */
export function OwnershipCard({
  noun,
  prod,
  primaryOwner,
  backupOwner,
  team,
  transfers,
}: {
  noun: "server" | "agent";
  prod: boolean;
  primaryOwner: Person;
  backupOwner: Person;
  team: { name: string } | null;
  transfers: Awaited<ReturnType<typeof transfersForAsset>>;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">
          <h2>Ownership</h2>
        </CardTitle>
        <CardDescription>{prod ? `A production ${noun} needs a primary and a backup owner, both active.` : `Who is accountable for this ${noun}.`}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-sm">
        <OwnerLine role="Primary owner" person={primaryOwner} />
        <OwnerLine role="Backup owner" person={backupOwner} />
        <div>
          <p className="text-xs text-muted-foreground">Team</p>
          <p className="font-medium">{team?.name ?? <span className="font-normal text-muted-foreground">No team</span>}</p>
        </div>
        {transfers.length > 0 && (
          <div className="flex flex-col gap-2 rounded-md border bg-muted/30 p-3" data-testid="pending-transfers">
            <p className="text-xs font-semibold">Hand-over waiting for an answer</p>
            <ul className="flex flex-col gap-1.5">
              {transfers.map((t) => (
                <li key={t.id}>
                  <span className="font-medium">{t.to.name}</span> asked to take over as {t.slot} owner{" "}
                  <span className="text-xs text-muted-foreground">
                    (<time dateTime={t.createdAt.toISOString()}>{day(t.createdAt)}</time>)
                  </span>
                  {t.note && <p className="text-xs whitespace-pre-line text-muted-foreground">“{t.note}”</p>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
