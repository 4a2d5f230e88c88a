"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { PREVIEW_STATUSES, type ImportPreview, type PreviewEntry, type PreviewStatus } from "@/lib/inventory/import/types";
import { cn } from "@/lib/cn";

const STATUS: Record<PreviewStatus, { label: string; variant: "success" | "info" | "secondary" | "destructive" | "outline" }> = {
  new: { label: "New", variant: "success" },
  updated: { label: "Updated", variant: "info" },
  unchanged: { label: "Unchanged", variant: "secondary" },
  invalid: { label: "Invalid", variant: "destructive" },
  skipped: { label: "Left out", variant: "outline" },
};

const PAGE = 100;

type Props = {
  preview: ImportPreview;
  names: Record<string, string>;
  endpointUrls: Record<string, string>;
  excluded: number[];
  disabled: boolean;
  refreshing: boolean;
  onName: (index: number, value: string) => void;
  onEndpoint: (index: number, value: string) => void;
  onToggle: (index: number) => void;
};

function Details({ entry, endpointUrl, disabled, onEndpoint }: { entry: PreviewEntry; endpointUrl: string | undefined; disabled: boolean; onEndpoint: (value: string) => void }) {
  const what = entry.endpointUrl ?? entry.packages[0] ?? null;
  return (
    <div className="flex min-w-0 flex-col gap-1.5 text-sm">
      {entry.status === "invalid" && (
        <ul className="flex flex-col gap-0.5 text-destructive" aria-label="Why it is invalid">
          {entry.reasons.map((r) => (
            <li key={r} className="break-words">
              {r}
            </li>
          ))}
        </ul>
      )}
      {entry.endpointTemplate && entry.status !== "skipped" && (
        <div className="flex flex-col gap-1">
          <label htmlFor={`endpoint-${entry.index}`} className="text-xs text-muted-foreground">
            Endpoint URL (the file has <span className="font-mono break-all">{entry.endpointTemplate}</span>)
          </label>
          <Input
            id={`endpoint-${entry.index}`}
            type="url"
            inputMode="url"
            placeholder="https://mcp.example.com/mcp"
            value={endpointUrl ?? ""}
            disabled={disabled}
            onChange={(e) => onEndpoint(e.target.value)}
            className="h-8 font-mono text-xs"
          />
        </div>
      )}
      {entry.status === "updated" && (
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5" aria-label="What would change">
          {entry.changes.map((c) => (
            <div key={c.field} className="contents">
              <dt className="text-muted-foreground">{c.label}</dt>
              <dd className="break-words">
                <span className="text-muted-foreground line-through decoration-muted-foreground/60">{c.before}</span> → <span>{c.after}</span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {(entry.status === "new" || entry.status === "unchanged") && what && (
        <p className="break-all text-muted-foreground">
          <span className="text-foreground">{entry.transport ?? "stdio"}</span> · <span className="font-mono text-xs">{what}</span>
        </p>
      )}
      {entry.secretsDropped.length > 0 && <p className="text-xs text-muted-foreground">Not stored: {entry.secretsDropped.join(", ")}</p>}
      {entry.notes.map((n) => (
        <p key={n} className="text-xs text-muted-foreground">
          {n}
        </p>
      ))}
    </div>
  );
}

/** The preview, entry by entry: status, name (editable when proposed), why, and what would change. */
export function PreviewTable({ preview, names, endpointUrls, excluded, disabled, refreshing, onName, onEndpoint, onToggle }: Props) {
  const [filter, setFilter] = useState<PreviewStatus | "all">("all");
  const [shown, setShown] = useState(PAGE);
  const rows = filter === "all" ? preview.entries : preview.entries.filter((e) => e.status === filter);
  const total = preview.entries.length;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Show entries by status">
        {(["all", ...PREVIEW_STATUSES] as const).map((s) => {
          const n = s === "all" ? total : preview.counts[s];
          if (s !== "all" && n === 0) return null;
          return (
            <Button
              key={s}
              size="sm"
              variant={filter === s ? "secondary" : "outline"}
              aria-pressed={filter === s}
              onClick={() => {
                setFilter(s);
                setShown(PAGE);
              }}
              data-testid={`import-count-${s}`}
            >
              {s === "all" ? "All" : STATUS[s].label}
              <span className="tabular-nums text-muted-foreground">{n.toLocaleString("en")}</span>
            </Button>
          );
        })}
      </div>
      <div className={cn("rounded-lg border transition-opacity", refreshing && "opacity-70")} aria-busy={refreshing}>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead className="w-10">#</TableHead>
              <TableHead className="w-[40%]">Server</TableHead>
              <TableHead className="w-24">Status</TableHead>
              <TableHead>Details</TableHead>
              <TableHead className="w-24">
                <span className="sr-only">Include or leave out</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.slice(0, shown).map((entry) => {
              const isOut = excluded.includes(entry.index);
              const editable = entry.nameProposed && entry.status !== "skipped";
              return (
                <TableRow key={entry.index} data-status={entry.status} className="align-top">
                  <TableCell className="tabular-nums text-muted-foreground">{entry.index + 1}</TableCell>
                  <TableCell className="max-w-0 whitespace-normal">
                    {editable ? (
                      <div className="flex flex-col gap-1">
                        <label htmlFor={`name-${entry.index}`} className="sr-only">
                          Name for {entry.key}
                        </label>
                        <Input
                          id={`name-${entry.index}`}
                          value={names[entry.index] ?? entry.name ?? ""}
                          disabled={disabled}
                          onChange={(e) => onName(entry.index, e.target.value)}
                          className="h-8 font-mono text-xs"
                          spellCheck={false}
                          aria-describedby={`name-hint-${entry.index}`}
                        />
                        <span id={`name-hint-${entry.index}`} className="truncate text-xs text-muted-foreground">
                          Proposed from “{entry.key}” — change it if you like
                        </span>
                      </div>
                    ) : (
                      <div className="flex min-w-0 flex-col">
                        <span className="truncate font-mono text-xs" title={entry.name ?? entry.key}>
                          {entry.name ?? <span className="text-muted-foreground">{entry.key}</span>}
                        </span>
                        {entry.title && <span className="truncate text-xs text-muted-foreground">{entry.title}</span>}
                        {entry.location !== entry.key && <span className="truncate text-xs text-muted-foreground">{entry.location}</span>}
                      </div>
                    )}
                  </TableCell>
                  <TableCell>
                    <Badge variant={STATUS[entry.status].variant}>{STATUS[entry.status].label}</Badge>
                  </TableCell>
                  <TableCell className="max-w-0 whitespace-normal">
                    <Details entry={entry} endpointUrl={endpointUrls[entry.index]} disabled={disabled} onEndpoint={(v) => onEndpoint(entry.index, v)} />
                  </TableCell>
                  <TableCell className="text-right">
                    {(isOut || entry.status !== "unchanged") && (
                      <Button size="sm" variant="ghost" disabled={disabled} onClick={() => onToggle(entry.index)} aria-label={`${isOut ? "Include" : "Leave out"} ${entry.name ?? entry.key}`}>
                        {isOut ? "Include" : "Leave out"}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      {rows.length > shown && (
        <div className="flex items-center gap-3 text-sm text-muted-foreground">
          <span>
            Showing {shown.toLocaleString("en")} of {rows.length.toLocaleString("en")}
          </span>
          <Button size="sm" variant="outline" onClick={() => setShown((n) => n + PAGE)}>
            Show {Math.min(PAGE, rows.length - shown)} more
          </Button>
        </div>
      )}
    </div>
  );
}
