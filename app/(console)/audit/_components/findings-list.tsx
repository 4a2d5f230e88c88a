import Link from "next/link";
import { ArrowRight, ShieldAlert, ShieldCheck } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { FINDING_TITLES, type Finding } from "@/lib/audit/findings";
import { hrefOf, shortUtc, withChange, type ExplorerState } from "./state";

/**
 * What the trail shows that governance did not allow, most serious first. Each finding links to
 * its asset (to fix it there) and to the calls behind it (to see them here).
 */
export function FindingsList({ findings, state }: { findings: Finding[]; state: ExplorerState }) {
  if (findings.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed p-8 text-center">
        <ShieldCheck className="size-8 text-success" aria-hidden />
        <p className="font-medium">No findings in this range</p>
        <p className="max-w-prose text-sm text-muted-foreground">
          Every allowed call went to a registered, approved server and tool, by an active agent, within a grant in force; and no agent&apos;s denials spiked.
        </p>
      </div>
    );
  }
  return (
    <ol className="flex flex-col gap-3" data-testid="audit-findings">
      {findings.map((f, i) => {
        const calls = withChange(state, { tab: "events", from: f.filter.from, to: f.filter.to, filters: { agent: f.filter.agent ?? null, server: f.filter.server ?? null, tool: f.filter.tool ?? null, decision: f.filter.decision ?? null } });
        return (
          <li key={`${f.kind}-${i}`} className="flex flex-col gap-2 rounded-lg border bg-card p-4 sm:flex-row sm:items-start sm:gap-4">
            <ShieldAlert className={f.severity === "high" ? "mt-0.5 size-5 shrink-0 text-destructive" : "mt-0.5 size-5 shrink-0 text-warning"} aria-hidden />
            <div className="flex min-w-0 flex-1 flex-col gap-1">
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="font-medium">{FINDING_TITLES[f.kind]}</h3>
                <Badge variant={f.severity === "high" ? "destructive" : "warning"}>{f.severity === "high" ? "High" : "Medium"}</Badge>
              </div>
              <p className="text-sm">{f.detail}</p>
              <p className="text-xs text-muted-foreground">
                {f.calls.toLocaleString("en")} {f.kind === "denial_spike" ? "denied" : "allowed"} calls · {shortUtc(f.firstAt)} to {shortUtc(f.lastAt)}
              </p>
            </div>
            <div className="flex shrink-0 flex-col gap-1 text-sm sm:items-end">
              <Link href={f.asset.href} className="inline-flex items-center gap-1 font-medium text-primary hover:underline">
                {f.asset.href.includes("/new?") ? `Register ${f.asset.type}` : `Open ${f.asset.type}`} <span className="sr-only">{f.asset.name}</span>
                <ArrowRight className="size-3.5" aria-hidden />
              </Link>
              <Link href={hrefOf(calls)} className="text-muted-foreground hover:underline">
                Show the calls<span className="sr-only"> for this finding</span>
              </Link>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
