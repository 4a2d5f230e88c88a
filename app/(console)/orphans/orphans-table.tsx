"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Bot, Server, UserRoundCog } from "lucide-react";
import { ENVIRONMENT_LABELS } from "@/components/labels";
import { AgentStateBadge, LifecycleBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

// The dialog (people and teams, the form, toasts) loads on first use.
const ReassignDialog = dynamic(() => import("./reassign-dialog").then((m) => m.ReassignDialog), { ssr: false });

type Owner = { id: string; name: string; active: boolean } | null;

export type OrphanRow = {
  type: "server" | "agent";
  id: string;
  name: string;
  title: string | null;
  state: string;
  environment: string;
  team: { id: string; name: string } | null;
  primary: Owner;
  backup: Owner;
};

const keyOf = (r: { type: string; id: string }) => `${r.type}:${r.id}`;

function FormerOwner({ label, owner }: { label: string; owner: Owner }) {
  return (
    <p className="text-sm">
      <span className="text-muted-foreground">{label}: </span>
      {owner ? (
        <>
          {owner.name}
          {!owner.active && <span className="text-muted-foreground"> · deactivated</span>}
        </>
      ) : (
        <span className="text-muted-foreground">nobody</span>
      )}
    </p>
  );
}

/**
 * The orphans, with a checkbox per row for those who may reassign them (admins), "select all",
 * and "Reassign…" for the selection.
 */
export function OrphansTable({ rows, canReassign }: { rows: OrphanRow[]; canReassign: { server: boolean; agent: boolean } }) {
  const selectable = useMemo(() => rows.filter((r) => canReassign[r.type]), [rows, canReassign]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  const anySelectable = selectable.length > 0;
  const chosen = rows.filter((r) => selected.has(keyOf(r)));
  const allChecked = anySelectable && selectable.every((r) => selected.has(keyOf(r)));
  const someChecked = chosen.length > 0 && !allChecked;

  const toggle = (key: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(key);
    else next.delete(key);
    setSelected(next);
  };

  return (
    <div className="flex flex-col gap-3">
      {anySelectable && (
        <div className="flex flex-wrap items-center gap-3 rounded-lg border bg-card px-3 py-2" role="toolbar" aria-label="Selection">
          <p className="text-sm" aria-live="polite">
            {chosen.length === 0 ? "Select the assets to reassign." : `${chosen.length} selected`}
          </p>
          <Button
            size="sm"
            className="ml-auto"
            disabled={chosen.length === 0}
            aria-haspopup="dialog"
            onClick={() => {
              setWanted(true);
              setOpen(true);
            }}
          >
            <UserRoundCog className="size-4" aria-hidden /> Reassign…
          </Button>
        </div>
      )}
      <div className="rounded-lg border">
        <Table>
          <caption className="sr-only">Servers and agents with no active owner</caption>
          <TableHeader>
            <TableRow>
              {anySelectable && (
                <TableHead className="w-10">
                  <Checkbox
                    aria-label="Select all orphans"
                    checked={allChecked ? true : someChecked ? "indeterminate" : false}
                    onCheckedChange={(checked) => setSelected(checked === true ? new Set(selectable.map(keyOf)) : new Set())}
                  />
                </TableHead>
              )}
              <TableHead>Asset</TableHead>
              <TableHead>State</TableHead>
              <TableHead>Env</TableHead>
              <TableHead className="hidden xl:table-cell">Team</TableHead>
              <TableHead>Former owners</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => {
              const key = keyOf(r);
              const href = `/${r.type === "server" ? "servers" : "agents"}/${r.id}`;
              return (
                <TableRow key={key} data-state={selected.has(key) ? "selected" : undefined} data-testid={`orphan-${r.type}`}>
                  {anySelectable && (
                    <TableCell>
                      {canReassign[r.type] && <Checkbox aria-label={`Select ${r.name}`} checked={selected.has(key)} onCheckedChange={(checked) => toggle(key, checked === true)} />}
                    </TableCell>
                  )}
                  <TableCell className="max-w-80">
                    <div className="flex items-center gap-2">
                      {r.type === "server" ? <Server className="size-4 shrink-0 text-muted-foreground" aria-hidden /> : <Bot className="size-4 shrink-0 text-muted-foreground" aria-hidden />}
                      <div className="min-w-0">
                        <Link href={href} className="block truncate font-medium underline-offset-4 hover:underline">
                          {r.title ?? r.name}
                        </Link>
                        <p className="truncate text-xs text-muted-foreground">
                          {r.type === "server" ? "Server" : "Agent"}
                          {r.title && <span className="font-mono"> · {r.name}</span>}
                          <span className="xl:hidden"> · {r.team?.name ?? "no team"}</span>
                        </p>
                      </div>
                    </div>
                  </TableCell>
                  <TableCell>{r.type === "server" ? <LifecycleBadge state={r.state} /> : <AgentStateBadge state={r.state} />}</TableCell>
                  <TableCell>
                    <Badge variant="outline">{ENVIRONMENT_LABELS[r.environment] ?? r.environment}</Badge>
                  </TableCell>
                  <TableCell className="hidden text-sm xl:table-cell">{r.team?.name ?? <span className="text-muted-foreground">No team</span>}</TableCell>
                  <TableCell className="min-w-48 whitespace-normal">
                    <FormerOwner label="Primary" owner={r.primary} />
                    <FormerOwner label="Backup" owner={r.backup} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      {wanted && (
        <ReassignDialog
          assets={chosen.map((r) => ({ type: r.type, id: r.id, name: r.name, environment: r.environment }))}
          open={open}
          onOpenChange={setOpen}
          onDone={() => setSelected(new Set())}
        />
      )}
    </div>
  );
}
