import Link from "next/link";
import { ExternalLink, LoaderCircle } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import type { CheckSpec } from "@/lib/probe/catalog";
import type { ProbeCheckResult, ProbeExchange, ProbeProtocolVersion } from "@/lib/probe/types";
import type { ControlRef } from "../load";
import { duration } from "./labels";
import { VerdictBadge } from "./verdicts";

/**
 * One check of a run: what it asks, what it found, the clauses it was judged against, the controls
 * it is evidence for, and every HTTP exchange it rests on. Everything an exchange holds came from
 * the server probed (or from whatever it pointed the probe at), so it is only ever text in <pre>:
 * React escapes it; nothing is rendered as HTML or followed as a link.
 */
export function CheckResult({
  spec,
  result,
  state,
  judgedAgainst,
  controls,
  checklistVersionId,
}: {
  spec: CheckSpec;
  result: ProbeCheckResult | undefined;
  /** What to say when there is no result: the run has not reached it yet, or stopped before it. */
  state: "pending" | "missing";
  judgedAgainst: ProbeProtocolVersion;
  controls: ControlRef[];
  checklistVersionId: string | null;
}) {
  const headingId = `check-${spec.id}-title`;
  const version = result?.protocolVersion ?? judgedAgainst;
  const clauses = spec.spec(version);
  // A check that did not run is evidence of nothing: its name and the reason are enough.
  if (result?.verdict === "skipped") {
    return (
      <article id={`check-${spec.id}`} aria-labelledby={headingId} data-testid={`check-${spec.id}`} data-verdict="skipped" className="flex scroll-mt-20 flex-col gap-1 rounded-lg border border-dashed px-4 py-2.5">
        <header className="flex flex-wrap items-center justify-between gap-2">
          <h3 id={headingId} className="flex min-w-0 flex-wrap items-baseline gap-x-2 text-sm font-medium">
            <span className="font-mono text-xs text-muted-foreground">{spec.id}</span>
            <span className="text-pretty">{spec.title}</span>
          </h3>
          <VerdictBadge verdict="skipped" />
        </header>
        <p className="text-sm text-muted-foreground" data-testid={`check-${spec.id}-summary`}>
          {result.summary}
        </p>
      </article>
    );
  }
  return (
    <article
      id={`check-${spec.id}`}
      aria-labelledby={headingId}
      data-testid={`check-${spec.id}`}
      data-verdict={result?.verdict ?? state}
      className={cn(
        "flex scroll-mt-20 flex-col gap-3 rounded-lg border bg-card p-4",
        result?.verdict === "fail" && "border-l-4 border-l-destructive",
        result?.verdict === "warn" && "border-l-4 border-l-warning",
      )}
    >
      <header className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={headingId} className="flex min-w-0 flex-wrap items-baseline gap-x-2 font-medium">
          <span className="font-mono text-sm text-muted-foreground">{spec.id}</span>
          <span className="text-pretty">{spec.title}</span>
        </h3>
        <div className="flex items-center gap-1.5">
          <Badge variant="outline" className="font-normal text-muted-foreground">
            {spec.kind === "metadata" ? "Metadata" : "Behaviour"}
          </Badge>
          {result ? (
            <VerdictBadge verdict={result.verdict} />
          ) : state === "pending" ? (
            <Badge variant="outline" className="text-muted-foreground">
              <LoaderCircle className="motion-safe:animate-spin" aria-hidden /> Not reached yet
            </Badge>
          ) : (
            <Badge variant="outline" className="text-muted-foreground">
              No result
            </Badge>
          )}
        </div>
      </header>
      <p className="text-sm text-muted-foreground">{spec.question}</p>
      {result ? (
        <p className="max-w-prose text-sm text-pretty" data-testid={`check-${spec.id}-summary`}>
          {result.summary}
        </p>
      ) : (
        <p className="text-sm text-muted-foreground">{state === "pending" ? "The probe has not reached this check yet." : "The run stopped before this check."}</p>
      )}
      {result && result.facts.length > 0 && (
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[minmax(0,12rem)_minmax(0,1fr)]">
          {result.facts.map((f, i) => (
            <div key={`${f.label}-${i}`} className="contents">
              <dt className="min-w-0 text-muted-foreground break-words [overflow-wrap:anywhere]">{f.label}</dt>
              <dd className="min-w-0 font-mono text-xs break-all sm:pt-0.5">{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="flex flex-col gap-1.5 text-xs text-muted-foreground">
        <p>
          Judged against <span className="font-medium text-foreground">MCP {version}</span>
          {result && result.exchanges.length > 0 && <> · took {duration(result.durationMs)}</>}
        </p>
        {clauses.length > 0 && (
          <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <span>Specification:</span>
            {clauses.map((c) => (
              <a key={c.url + c.clause} href={c.url} target="_blank" rel="noreferrer" className="inline-flex items-baseline gap-1 text-foreground underline-offset-4 hover:underline">
                {c.source}: {c.clause}
                <ExternalLink className="size-3 shrink-0 self-center" aria-hidden />
                <span className="sr-only">(opens in a new tab)</span>
              </a>
            ))}
          </p>
        )}
        {controls.length > 0 && (
          <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1" data-testid={`check-${spec.id}-controls`}>
            <span>Evidence for controls:</span>
            {controls.map((c, i) => (
              <span key={c.id}>
                {checklistVersionId ? (
                  <Link href={`/reviews/checklist/versions/${checklistVersionId}#control-${c.id}`} title={c.title} className="font-mono text-foreground underline-offset-4 hover:underline">
                    {c.id}
                  </Link>
                ) : (
                  <span className="font-mono">{c.id}</span>
                )}
                {i < controls.length - 1 ? "," : ""}
              </span>
            ))}
          </p>
        )}
      </div>
      {result && result.exchanges.length > 0 && (
        <details className="group rounded-md border bg-muted/20 text-sm" data-testid={`check-${spec.id}-exchanges`}>
          <summary className="cursor-pointer px-3 py-2 font-medium select-none">
            HTTP exchanges <span className="font-normal text-muted-foreground">({result.exchanges.length})</span>
          </summary>
          <ol className="flex flex-col divide-y border-t">
            {result.exchanges.map((x, i) => (
              <Exchange key={i} exchange={x} />
            ))}
          </ol>
        </details>
      )}
    </article>
  );
}

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
}

const PRE = "max-h-80 overflow-auto rounded-md border bg-background p-2.5 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap";

function Exchange({ exchange: x }: { exchange: ProbeExchange }) {
  const requestText = [`${x.request.method} ${x.request.url}`, headerLines(x.request.headers)].filter(Boolean).join("\n") + (x.request.body ? `\n\n${x.request.body}` : "");
  const responseText = x.response ? [`HTTP ${x.response.status}`, headerLines(x.response.headers)].filter(Boolean).join("\n") + (x.response.body ? `\n\n${x.response.body}` : "") : null;
  return (
    <li className="flex flex-col gap-2 px-3 py-3">
      <p className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">{x.purpose}</span>
        <span className="text-xs text-muted-foreground">{duration(x.durationMs)}</span>
      </p>
      <div className="grid gap-3 lg:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-1">
          <h4 className="text-xs font-medium text-muted-foreground">Request</h4>
          <pre className={PRE}>{requestText}</pre>
        </div>
        <div className="flex min-w-0 flex-col gap-1">
          <h4 className="text-xs font-medium text-muted-foreground">Response</h4>
          {responseText !== null ? (
            <>
              <pre className={PRE} data-testid="exchange-response">
                {responseText}
              </pre>
              {x.response!.truncated && <p className="text-xs text-muted-foreground">The body was longer: only its first 2 KiB were kept.</p>}
            </>
          ) : (
            <p className="text-xs text-muted-foreground">No answer.</p>
          )}
        </div>
      </div>
      {x.error && (
        <p className="text-xs text-destructive">
          <span className="font-medium">The request failed ({x.error.code}):</span> {x.error.message}
        </p>
      )}
    </li>
  );
}
