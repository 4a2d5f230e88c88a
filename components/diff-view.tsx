import { cn } from "@/lib/cn";

type Row = { field: string; before: unknown; after: unknown; kind: "added" | "removed" | "changed" | "same" };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Field-by-field comparison of two JSON values (top-level keys of objects). */
export function diffRows(before: unknown, after: unknown): Row[] {
  if (!isRecord(before) && !isRecord(after)) {
    if (before === null || before === undefined) return after === null || after === undefined ? [] : [{ field: "(value)", before, after, kind: "added" }];
    return [{ field: "(value)", before, after, kind: JSON.stringify(before) === JSON.stringify(after) ? "same" : "changed" }];
  }
  const b = isRecord(before) ? before : {};
  const a = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return keys.map((field) => {
    const inB = Object.hasOwn(b, field);
    const inA = Object.hasOwn(a, field);
    const kind = !inB ? "added" : !inA ? "removed" : JSON.stringify(b[field]) === JSON.stringify(a[field]) ? "same" : "changed";
    return { field, before: b[field], after: a[field], kind };
  });
}

function Value({ value, missing, names }: { value: unknown; missing: boolean; names?: Record<string, string> }) {
  if (missing) return <span className="text-muted-foreground italic">not set</span>;
  const named = typeof value === "string" ? names?.[value] : undefined;
  if (named !== undefined) {
    return (
      <span className="flex flex-col">
        <span>{named}</span>
        <span className="font-mono text-[11px] break-all text-muted-foreground">{value as string}</span>
      </span>
    );
  }
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  // React escapes this text: stored values are shown exactly as stored, never interpreted as HTML.
  return <pre className="font-mono text-xs break-all whitespace-pre-wrap">{text}</pre>;
}

const KIND_LABEL = { added: "Added", removed: "Removed", changed: "Changed", same: "Unchanged" } as const;

/**
 * Before/after of one change, field by field, with what changed marked in colour and in words.
 * `names` shows a name above a value that is an id of something with one (a person, a team).
 */
export function DiffView({ before, after, names }: { before: unknown; after: unknown; names?: Record<string, string> }) {
  const rows = diffRows(before, after);
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">This entry records an event without a before/after state.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-sm">
        <caption className="sr-only">Changes, field by field</caption>
        <thead className="bg-muted/50 text-left">
          <tr>
            <th scope="col" className="w-48 px-3 py-2 font-medium">Field</th>
            <th scope="col" className="px-3 py-2 font-medium">Before</th>
            <th scope="col" className="px-3 py-2 font-medium">After</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.field} className="border-t align-top" data-kind={row.kind}>
              <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-medium">
                {row.field}
                <span className={cn("mt-1 block font-sans text-[11px] font-normal", row.kind === "same" ? "text-muted-foreground" : "text-foreground")}>{KIND_LABEL[row.kind]}</span>
              </th>
              <td className={cn("px-3 py-2", (row.kind === "changed" || row.kind === "removed") && "bg-destructive/10")}>
                <Value value={row.before} missing={row.kind === "added"} names={names} />
              </td>
              <td className={cn("px-3 py-2", (row.kind === "changed" || row.kind === "added") && "bg-success/10")}>
                <Value value={row.after} missing={row.kind === "removed"} names={names} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
