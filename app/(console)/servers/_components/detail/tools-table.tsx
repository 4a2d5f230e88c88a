"use client";

import { Fragment, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, ChevronDown, ChevronRight } from "lucide-react";
import { toast } from "@/components/toast";
import { DiffView } from "@/components/diff-view";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ToolAnnotations } from "@/db/schema/inventory";
import { decideToolsAction } from "../../actions";
import { AnnotationChips, ToolRiskBadge, ToolStatusBadge } from "./badges";
import { day } from "./format";

export type ToolRowView = {
  id: string;
  name: string;
  title: string | null;
  description: string;
  inputSchema: unknown;
  annotations: ToolAnnotations;
  requiredScopes: string[];
  risk: string;
  status: "current" | "new" | "changed" | "removed";
  approved: boolean;
  /** A reviewer has decided on some definition of this tool (approved or left out). */
  decided: boolean;
  approvedAt: Date | null;
  approvedBy: string | null;
  definitionHash: string;
  updatedAt: Date;
};

type DefinitionView = { title: string | null; description: string; inputSchema: unknown; annotations: unknown } | null;
export type ToolChangeView = { decided: DefinitionView; current: DefinitionView };

function Decision({ tool }: { tool: ToolRowView }) {
  if (tool.status === "removed") return <span className="text-muted-foreground">Removed from the server</span>;
  if (!tool.decided) return <span className="text-muted-foreground">Not decided yet</span>;
  const earlier = tool.status === "changed" ? " (an earlier definition)" : "";
  if (tool.approved) {
    return (
      <span>
        <Badge variant="success">Approved</Badge>
        <span className="mt-1 block text-xs text-muted-foreground">
          {tool.approvedBy ? `by ${tool.approvedBy}` : "by a reviewer"}
          {tool.approvedAt && (
            <>
              {" "}
              on <time dateTime={tool.approvedAt.toISOString()}>{day(tool.approvedAt)}</time>
            </>
          )}
          {earlier}
        </span>
      </span>
    );
  }
  return (
    <span>
      <Badge variant="outline">Left out</Badge>
      <span className="mt-1 block text-xs text-muted-foreground">Not grantable{earlier}</span>
    </span>
  );
}

const FIELD_LABELS: Record<string, string> = { title: "title", description: "description", inputSchema: "input schema", annotations: "annotations" };

/** Only the parts of the definition that differ; the rest is named, not repeated. */
function ChangedFields({ decided, current }: { decided: NonNullable<DefinitionView>; current: DefinitionView }) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const same: string[] = [];
  for (const key of Object.keys(FIELD_LABELS)) {
    const b = (decided as Record<string, unknown>)[key];
    const a = (current as Record<string, unknown> | null)?.[key];
    if (JSON.stringify(b ?? null) === JSON.stringify(a ?? null)) same.push(FIELD_LABELS[key]!);
    else {
      before[key] = b;
      after[key] = a;
    }
  }
  return (
    <>
      <DiffView before={before} after={after} />
      {same.length > 0 && <p className="text-xs text-muted-foreground">Unchanged: {same.join(", ")}.</p>}
    </>
  );
}

/**
 * The server's tools. Reviewers (who do not own the server) select tools and approve them or leave
 * them out; everyone can open a tool's definition and, for a changed tool, what changed since the
 * reviewer's decision.
 */
export function ToolsTable({ serverId, tools, changes, canDecide }: { serverId: string; tools: ToolRowView[]; changes: Record<string, ToolChangeView>; canDecide: boolean }) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<Set<string>>(() => new Set(tools.filter((t) => t.status === "changed").slice(0, 1).map((t) => t.id)));
  const [problem, setProblem] = useState<{ message: string; details: string[] } | null>(null);
  const [pending, start] = useTransition();
  const selectable = tools.filter((t) => t.status !== "removed");
  const allSelected = selectable.length > 0 && selectable.every((t) => selected.has(t.id));
  const someSelected = selected.size > 0 && !allSelected;
  const columns = canDecide ? 7 : 6;

  const toggle = (set: Set<string>, id: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };

  const decide = (approved: boolean) => {
    const toolIds = [...selected];
    start(async () => {
      const result = await decideToolsAction({ serverId, toolIds, approved });
      if (result.ok) {
        const n = result.data.decided.length;
        toast.success(`${approved ? "Approved" : "Left out"} ${n} ${n === 1 ? "tool" : "tools"}.${result.data.changedSinceApproval ? " Some tools still wait for a decision." : ""}`);
        setSelected(new Set());
        setProblem(null);
        router.refresh();
      } else {
        setProblem({ message: result.error.message, details: Object.values(result.error.fields ?? {}).flat() });
      }
    });
  };

  return (
    <div className="flex flex-col gap-3">
      {canDecide && (
        <div role="toolbar" aria-label="Decide on the selected tools" className="flex flex-wrap items-center gap-2 rounded-lg border bg-card p-2 pl-3">
          <p className="mr-auto text-sm" aria-live="polite" data-testid="selected-count">
            {selected.size === 0 ? "Select tools to approve them for granting, or to leave them out." : `${selected.size} ${selected.size === 1 ? "tool" : "tools"} selected`}
          </p>
          <Button type="button" size="sm" disabled={selected.size === 0 || pending} onClick={() => decide(true)}>
            Approve selected
          </Button>
          <Button type="button" size="sm" variant="outline" disabled={selected.size === 0 || pending} onClick={() => decide(false)}>
            Leave out selected
          </Button>
        </div>
      )}
      {problem && (
        <Alert variant="destructive" role="alert">
          <AlertTriangle className="size-4" aria-hidden />
          <AlertTitle>{problem.message}</AlertTitle>
          {problem.details.length > 0 && (
            <AlertDescription>
              <ul className="list-disc pl-4">
                {problem.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </AlertDescription>
          )}
        </Alert>
      )}
      <div className="rounded-lg border">
        <Table>
          <caption className="sr-only">Tools of this server, with their risk, annotations, status and the reviewer&apos;s decision</caption>
          <TableHeader>
            <TableRow>
              {canDecide && (
                <TableHead className="w-10">
                  <Checkbox
                    aria-label="Select all tools"
                    checked={allSelected ? true : someSelected ? "indeterminate" : false}
                    onCheckedChange={(checked) => setSelected(checked === true ? new Set(selectable.map((t) => t.id)) : new Set())}
                  />
                </TableHead>
              )}
              <TableHead>Tool</TableHead>
              <TableHead>Risk</TableHead>
              <TableHead className="hidden lg:table-cell">Annotations</TableHead>
              <TableHead className="hidden xl:table-cell">Required scopes</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Decision</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tools.map((tool) => {
              const expanded = open.has(tool.id);
              const detailsId = `tool-${tool.id}-details`;
              const change = changes[tool.id];
              return (
                <Fragment key={tool.id}>
                  <TableRow data-state={selected.has(tool.id) ? "selected" : undefined} data-testid={`tool-${tool.name}`} className={tool.status === "removed" ? "text-muted-foreground" : undefined}>
                    {canDecide && (
                      <TableCell>
                        {tool.status !== "removed" && (
                          <Checkbox aria-label={`Select ${tool.name}`} checked={selected.has(tool.id)} onCheckedChange={(checked) => setSelected((s) => toggle(s, tool.id, checked === true))} />
                        )}
                      </TableCell>
                    )}
                    <TableCell className="max-w-96 align-top whitespace-normal">
                      <p className="font-mono text-sm font-medium break-all">{tool.name}</p>
                      {tool.title && <p className="text-sm">{tool.title}</p>}
                      {tool.description && <p className="line-clamp-2 text-xs text-muted-foreground">{tool.description}</p>}
                      <Button
                        type="button"
                        variant="link"
                        size="sm"
                        className="h-auto px-0 py-1 text-xs"
                        aria-expanded={expanded}
                        aria-controls={detailsId}
                        onClick={() => setOpen((s) => toggle(s, tool.id, !expanded))}
                      >
                        {expanded ? <ChevronDown className="size-3.5" aria-hidden /> : <ChevronRight className="size-3.5" aria-hidden />}
                        {tool.status === "changed" ? "What changed" : "Definition"}
                        <span className="sr-only"> of {tool.name}</span>
                      </Button>
                    </TableCell>
                    <TableCell className="align-top">
                      <ToolRiskBadge risk={tool.risk} />
                    </TableCell>
                    <TableCell className="hidden align-top whitespace-normal lg:table-cell">
                      <AnnotationChips annotations={tool.annotations} />
                    </TableCell>
                    <TableCell className="hidden align-top whitespace-normal xl:table-cell">
                      {tool.requiredScopes.length ? (
                        <ul className="flex max-w-48 flex-wrap gap-1" aria-label="Required scopes">
                          {tool.requiredScopes.map((s) => (
                            <li key={s}>
                              <Badge variant="outline" className="font-mono text-[11px]">
                                {s}
                              </Badge>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="text-xs text-muted-foreground">None stated</span>
                      )}
                    </TableCell>
                    <TableCell className="align-top">
                      <ToolStatusBadge status={tool.status} />
                    </TableCell>
                    <TableCell className="align-top text-sm whitespace-normal">
                      <Decision tool={tool} />
                    </TableCell>
                  </TableRow>
                  {expanded && (
                    <TableRow className="bg-muted/20 hover:bg-muted/20">
                      <TableCell colSpan={columns} className="whitespace-normal" id={detailsId}>
                        <div className="flex flex-col gap-4 py-2">
                          {tool.status === "changed" && (
                            <section className="flex flex-col gap-2" aria-label={`What changed in ${tool.name}`}>
                              <h3 className="text-sm font-semibold">What changed since the reviewer&apos;s decision</h3>
                              {change?.decided ? (
                                <ChangedFields decided={change.decided} current={change.current} />
                              ) : (
                                <p className="text-sm text-muted-foreground">The definition the reviewer decided on is not on record, so only the current one can be shown.</p>
                              )}
                            </section>
                          )}
                          <section className="flex flex-col gap-2" aria-label={`Current definition of ${tool.name}`}>
                            <h3 className="text-sm font-semibold">Current definition</h3>
                            <div className="grid gap-3 lg:hidden">
                              <AnnotationChips annotations={tool.annotations} />
                            </div>
                            {tool.description ? <p className="text-sm whitespace-pre-line">{tool.description}</p> : <p className="text-sm text-muted-foreground">No description.</p>}
                            <pre className="max-h-80 overflow-auto rounded-md border bg-card p-3 font-mono text-xs break-all whitespace-pre-wrap">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
                            <p className="font-mono text-[11px] break-all text-muted-foreground">
                              Definition hash sha256:{tool.definitionHash} · last changed {day(tool.updatedAt)}
                            </p>
                          </section>
                        </div>
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
