import type { Metadata } from "next";
import Link from "next/link";
import { BarChart3 } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { cn } from "@/lib/cn";
import { loadPage } from "@/lib/page";
import { frameworkCoverage, type ReferenceCoverage } from "@/lib/reviews/coverage";
import { FRAMEWORK_LABELS } from "../checklist/_components/labels";

export const metadata: Metadata = { title: "Framework coverage" };

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 100));

/** A horizontal bar with its value as text: pure HTML and CSS, readable without the bar. */
function Bar({ value, total, label }: { value: number; total: number; label: string }) {
  const p = percent(value, total);
  return (
    <div className="flex items-center gap-2">
      <div className="h-2 min-w-24 flex-1 overflow-hidden rounded-full bg-muted" aria-hidden>
        <div className={cn("h-full rounded-full", p === 100 ? "bg-success" : p >= 50 ? "bg-warning" : "bg-destructive")} style={{ width: `${p}%` }} />
      </div>
      <span className="w-24 text-right text-sm tabular-nums">
        <span className="sr-only">{label}: </span>
        {value} of {total}
      </span>
    </div>
  );
}

function ReferenceRow({ r, approved }: { r: ReferenceCoverage; approved: number }) {
  return (
    <tr className="border-t align-top">
      <th scope="row" className="py-2 pr-3 text-left font-normal">
        <span className="font-mono text-sm font-medium">{r.id}</span>
        {r.name && <span className="block text-xs text-muted-foreground">{r.name}</span>}
      </th>
      <td className="py-2 pr-3">
        <ul className="flex flex-wrap gap-1">
          {[...r.serverControls, ...r.grantControls].map((c) => (
            <li key={c}>
              <Link href={`/reviews/checklist#control-${c}`} className="rounded border px-1.5 py-0.5 font-mono text-[11px] text-muted-foreground hover:text-foreground">
                {c}
              </Link>
            </li>
          ))}
        </ul>
      </td>
      <td className="w-72 py-2">{r.serverControls.length ? <Bar value={r.serversPassing} total={approved} label={`${r.framework} ${r.id}, approved servers passing`} /> : <span className="text-xs text-muted-foreground">Agent grants only</span>}</td>
    </tr>
  );
}

export default async function CoveragePage() {
  const data = await loadPage((db, actor) => frameworkCoverage(db, actor));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Framework coverage"
        description={
          <>
            Which checklist controls (version {data.versionNumber}) serve each framework reference, and how many of the {data.approvedServers} servers with a current approval pass all of them. A control that failed and was accepted with an exception does not count as passing.
          </>
        }
      />
      {data.approvedServers === 0 && <EmptyState icon={BarChart3} title="No server has a current approval yet" description="Coverage fills in as reviews are approved: each approval's assessments say which controls pass." />}

      <Card>
        <CardHeader>
          <CardTitle className="text-base">
            <h2>Overall</h2>
          </CardTitle>
          <CardDescription>
            Mean share of approved servers passing each reference, per framework. {data.approvedServers} of {data.serversInScope} active servers have a current approval.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="flex flex-col gap-3">
            {data.frameworks.map((f) => {
              const p = f.meanPassRate === null ? null : Math.round(f.meanPassRate * 100);
              return (
                <li key={f.framework} className="grid gap-1 sm:grid-cols-[16rem_1fr_4rem] sm:items-center">
                  <a href={`#framework-${f.framework}`} className="text-sm underline-offset-4 hover:underline">
                    <span className="font-mono font-medium">{f.framework}</span> <span className="text-muted-foreground">{FRAMEWORK_LABELS[f.framework]}</span>
                  </a>
                  <div className="h-3 overflow-hidden rounded-full bg-muted" aria-hidden>
                    {p !== null && <div className={cn("h-full rounded-full", p === 100 ? "bg-success" : p >= 50 ? "bg-warning" : "bg-destructive")} style={{ width: `${p}%` }} />}
                  </div>
                  <span className="text-right text-sm font-medium tabular-nums">{p === null ? "—" : `${p}%`}</span>
                </li>
              );
            })}
          </ul>
        </CardContent>
      </Card>

      {data.frameworks.map((f) => (
        <section key={f.framework} id={`framework-${f.framework}`} aria-labelledby={`heading-${f.framework}`} className="flex scroll-mt-20 flex-col gap-2">
          <h2 id={`heading-${f.framework}`} className="text-lg font-semibold">
            {FRAMEWORK_LABELS[f.framework]} <span className="font-mono text-sm text-muted-foreground">{f.framework}</span>
          </h2>
          <div className="overflow-x-auto rounded-lg border bg-card px-4">
            <table className="w-full text-sm">
              <caption className="sr-only">
                {FRAMEWORK_LABELS[f.framework]}: references, the controls that serve them, and approved servers passing
              </caption>
              <thead>
                <tr className="text-left text-xs text-muted-foreground">
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Reference
                  </th>
                  <th scope="col" className="py-2 pr-3 font-medium">
                    Controls
                  </th>
                  <th scope="col" className="py-2 font-medium">
                    Approved servers passing
                  </th>
                </tr>
              </thead>
              <tbody>
                {f.references.map((r) => (
                  <ReferenceRow key={r.id} r={r} approved={data.approvedServers} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}

      <section aria-labelledby="by-control" className="flex flex-col gap-2">
        <h2 id="by-control" className="text-lg font-semibold">
          By control
        </h2>
        <div className="overflow-x-auto rounded-lg border bg-card px-4">
          <table className="w-full text-sm">
            <caption className="sr-only">Approved servers passing each server control</caption>
            <thead>
              <tr className="text-left text-xs text-muted-foreground">
                <th scope="col" className="py-2 pr-3 font-medium">
                  Control
                </th>
                <th scope="col" className="py-2 font-medium">
                  Approved servers passing
                </th>
              </tr>
            </thead>
            <tbody>
              {data.controls.map((c) => (
                <tr key={c.controlId} className="border-t">
                  <th scope="row" className="py-2 pr-3 text-left font-normal">
                    <span className="font-mono text-xs text-muted-foreground">{c.controlId}</span> {c.title}
                  </th>
                  <td className="w-72 py-2">
                    <Bar value={c.passing} total={data.approvedServers} label={`${c.controlId}, approved servers passing`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
