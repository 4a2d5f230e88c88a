"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CheckCircle2, ClipboardPaste, FileUp, Info, KeyRound, Upload } from "lucide-react";
import { CLASSIFICATION_LABELS, ENVIRONMENT_LABELS } from "@/components/labels";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, fieldA11y } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Textarea } from "@/components/ui/textarea";
import { DATA_CLASSIFICATIONS, ENVIRONMENTS } from "@/db/schema/vocabulary";
import type { ErrorBody } from "@/lib/errors";
import { IMPORT_LIMITS, type ImportApplyResult, type ImportDefaults, type ImportOptions, type ImportPreview } from "@/lib/inventory/import/types";
import { PreviewTable } from "./preview-table";

type Source = { blob: Blob; fileName: string };
type Applied = Extract<ImportApplyResult, { status: "applied" }>;
type Reply<T> = { status: number; body: T | { error?: ErrorBody } | null };

const MB = 1024 * 1024;
const formatBytes = (n: number) => (n >= MB ? `${(n / MB).toFixed(1).replace(/\.0$/, "")} MB` : n >= 1024 ? `${Math.round(n / 1024)} kB` : `${n} bytes`);

/** POST the file and options as multipart/form-data; XMLHttpRequest, because fetch cannot report upload progress. */
function send<T>(url: string, source: Source, options: ImportOptions, onUpload?: (loaded: number, total: number) => void): Promise<Reply<T>> {
  return new Promise((resolve) => {
    const form = new FormData();
    form.append("file", source.blob, source.fileName);
    form.append("options", JSON.stringify(options));
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.responseType = "json";
    if (onUpload) xhr.upload.onprogress = (e) => e.lengthComputable && onUpload(e.loaded, e.total);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response as T | null });
    xhr.onerror = () => resolve({ status: 0, body: { error: { code: "unavailable", message: "The upload did not reach Steward. Check your connection and try again." } } });
    xhr.send(form);
  });
}

function errorOf(reply: Reply<unknown>): ErrorBody {
  const body = reply.body as { error?: ErrorBody } | null;
  return body?.error ?? { code: "internal", message: `Steward answered ${reply.status || "nothing"}. Try again.` };
}

function ProgressBar({ value, label }: { value: number | null; label: string }) {
  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex justify-between text-sm">
        <span>{label}</span>
        {value !== null && <span className="tabular-nums text-muted-foreground">{Math.round(value * 100)}%</span>}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={value === null ? undefined : 0}
        aria-valuemax={value === null ? undefined : 100}
        aria-valuenow={value === null ? undefined : Math.round(value * 100)}
        className="relative h-2 overflow-hidden rounded-full bg-muted"
      >
        {value === null ? (
          <>
            <style>{"@keyframes steward-import-slide{0%{left:-40%}100%{left:100%}}"}</style>
            <div className="absolute inset-y-0 w-2/5 rounded-full bg-primary motion-safe:animate-[steward-import-slide_1.2s_ease-in-out_infinite] motion-reduce:left-0 motion-reduce:w-full motion-reduce:opacity-60" />
          </>
        ) : (
          <div className="h-full rounded-full bg-primary transition-[width]" style={{ width: `${Math.max(2, value * 100)}%` }} />
        )}
      </div>
    </div>
  );
}

export function ImportScreen({ teams }: { teams: { id: string; name: string }[] }) {
  const [tab, setTab] = useState("file");
  const [source, setSource] = useState<Source | null>(null);
  const [pasted, setPasted] = useState("");
  const [dragging, setDragging] = useState(false);
  const [upload, setUpload] = useState<number | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [applying, setApplying] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [result, setResult] = useState<Applied | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [endpointUrls, setEndpointUrls] = useState<Record<string, string>>({});
  const [exclude, setExclude] = useState<number[]>([]);
  const [defaults, setDefaults] = useState<ImportDefaults>({});
  const request = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);

  const options = useMemo<ImportOptions>(() => ({ names, endpointUrls, exclude, defaults }), [names, endpointUrls, exclude, defaults]);

  const runPreview = useCallback(async (src: Source, opts: ImportOptions, first: boolean) => {
    const id = ++request.current;
    if (first) setUpload(0);
    else setRefreshing(true);
    const reply = await send<ImportPreview>("/api/v1/imports/preview", src, opts, first ? (loaded, total) => request.current === id && setUpload(loaded / total) : undefined);
    if (request.current !== id) return; // a newer preview is on its way
    setUpload(null);
    setRefreshing(false);
    if (reply.status === 200 && reply.body && "entries" in reply.body) {
      setPreview(reply.body);
      setError(null);
    } else {
      setError(errorOf(reply));
      if (first) setPreview(null);
    }
  }, []);

  // The person's choices re-run the preview (debounced: typing a name sends one request, not ten).
  const started = useRef(false);
  useEffect(() => {
    if (!source || !started.current) return;
    const timer = setTimeout(() => void runPreview(source, options, false), 400);
    return () => clearTimeout(timer);
  }, [options, source, runPreview]);

  function start(src: Source) {
    setResult(null);
    setNotice(null);
    setError(null);
    if (src.blob.size > IMPORT_LIMITS.maxBytes) {
      setSource(null);
      setPreview(null);
      setError({ code: "payload_too_large", message: `${src.fileName} is ${formatBytes(src.blob.size)}; the limit is ${formatBytes(IMPORT_LIMITS.maxBytes)} per file.` });
      return;
    }
    if (src.blob.size === 0) {
      setError({ code: "validation_failed", message: `${src.fileName} is empty.` });
      return;
    }
    started.current = false;
    setSource(src);
    setNames({});
    setEndpointUrls({});
    setExclude([]);
    const fresh: ImportOptions = { defaults };
    void runPreview(src, fresh, true).then(() => {
      started.current = true;
    });
  }

  function chooseFiles(files: FileList | null) {
    const file = files?.[0];
    if (file) start({ blob: file, fileName: file.name });
  }

  async function apply() {
    if (!source || !preview) return;
    const id = ++request.current;
    setApplying(true);
    setError(null);
    setNotice(null);
    const reply = await send<ImportApplyResult>("/api/v1/imports", source, options);
    setApplying(false);
    if (request.current !== id) return;
    const body = reply.body as (ImportApplyResult & { error?: ErrorBody }) | null;
    if (body && "status" in body && body.preview) {
      setPreview(body.preview);
      if (body.status === "applied") {
        setResult(body);
        return;
      }
      if (body.status === "nothing_to_do") setNotice("Nothing to import: every server in the file is already up to date.");
      if (body.status === "blocked") setError(body.error ?? { code: "validation_failed", message: "Some entries became invalid since the preview; nothing was imported." });
      return;
    }
    setError(errorOf(reply));
  }

  function reset() {
    request.current++;
    started.current = false;
    setSource(null);
    setPreview(null);
    setResult(null);
    setError(null);
    setNotice(null);
    setPasted("");
    setNames({});
    setEndpointUrls({});
    setExclude([]);
    if (fileInput.current) fileInput.current.value = "";
  }

  const busy = upload !== null || applying;
  const counts = preview?.counts;
  const toWrite = counts ? counts.new + counts.updated : 0;
  const invalidIndexes = preview?.entries.filter((e) => e.status === "invalid").map((e) => e.index) ?? [];

  if (result) {
    const links = [...result.created.map((s) => ({ ...s, verb: "new" })), ...result.updated.map((s) => ({ ...s, verb: "updated" }))];
    return (
      <section aria-labelledby="import-done" className="flex flex-col gap-4">
        <Alert variant="success" role="status">
          <CheckCircle2 aria-hidden />
          <AlertTitle id="import-done">
            Imported {result.created.length} new {result.created.length === 1 ? "server" : "servers"}
            {result.updated.length ? ` and updated ${result.updated.length}` : ""} from {result.preview.fileName}.
          </AlertTitle>
          <AlertDescription>
            <p>
              {result.preview.counts.unchanged ? `${result.preview.counts.unchanged} unchanged. ` : ""}
              {result.preview.counts.skipped ? `${result.preview.counts.skipped} left out. ` : ""}
              New servers start as drafts, owned by you unless the file named owners. Each change is in the activity log.
            </p>
          </AlertDescription>
        </Alert>
        <ul className="grid gap-1 text-sm sm:grid-cols-2" aria-label="Imported servers">
          {links.slice(0, 40).map((s) => (
            <li key={s.id} className="flex min-w-0 items-center gap-2">
              <span className="w-16 shrink-0 text-xs text-muted-foreground">{s.verb}</span>
              <Link href={`/servers/${s.id}`} className="truncate font-mono text-xs underline-offset-4 hover:underline">
                {s.name}
              </Link>
            </li>
          ))}
        </ul>
        {links.length > 40 && <p className="text-sm text-muted-foreground">…and {links.length - 40} more, all listed on the Servers page.</p>}
        <div className="flex flex-wrap gap-2">
          <Button asChild>
            <Link href="/servers">Go to servers</Link>
          </Button>
          <Button variant="outline" onClick={reset}>
            Import another file
          </Button>
        </div>
      </section>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="import-source" className="flex flex-col gap-3">
        <h2 id="import-source" className="text-base font-semibold">
          1. Choose what to import
        </h2>
        <Tabs value={tab} onValueChange={setTab}>
          <TabsList>
            <TabsTrigger value="file">
              <FileUp aria-hidden /> Upload a file
            </TabsTrigger>
            <TabsTrigger value="paste">
              <ClipboardPaste aria-hidden /> Paste text
            </TabsTrigger>
          </TabsList>
          <TabsContent value="file">
            <label
              htmlFor="import-file"
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => {
                e.preventDefault();
                setDragging(false);
                if (!busy) chooseFiles(e.dataTransfer.files);
              }}
              data-dragging={dragging || undefined}
              className="flex cursor-pointer flex-col items-center justify-center gap-2 rounded-xl border border-dashed px-6 py-8 text-center transition-colors hover:bg-muted/40 has-focus-visible:ring-3 has-focus-visible:ring-ring/30 data-dragging:border-primary data-dragging:bg-primary/5"
            >
              <Upload className="size-6 text-muted-foreground" aria-hidden />
              <span className="text-sm font-medium">
                Drop a file here, or <span className="text-primary underline underline-offset-4">choose one</span>
              </span>
              <span className="max-w-prose text-xs text-muted-foreground">
                server.json (one, an array, or a registry list response), an MCP client configuration (JSON with comments is fine) or CSV · up to {formatBytes(IMPORT_LIMITS.maxBytes)} and {IMPORT_LIMITS.maxEntries.toLocaleString("en")} servers
              </span>
              <input
                ref={fileInput}
                id="import-file"
                type="file"
                accept=".json,.jsonc,.csv,application/json,text/csv,text/plain"
                className="sr-only"
                disabled={busy}
                onChange={(e) => chooseFiles(e.currentTarget.files)}
              />
            </label>
          </TabsContent>
          <TabsContent value="paste" className="flex flex-col gap-3">
            <Field label="File contents" htmlFor="import-paste" description="Paste a server.json, a client configuration or CSV (with its header row).">
              <Textarea
                value={pasted}
                onChange={(e) => setPasted(e.target.value)}
                rows={8}
                spellCheck={false}
                className="max-h-80 font-mono text-xs"
                placeholder={'{\n  "mcpServers": {\n    "sentry": { "url": "https://mcp.sentry.dev/mcp" }\n  }\n}'}
                {...fieldA11y("import-paste")}
              />
            </Field>
            <div>
              <Button type="button" disabled={busy || !pasted.trim()} onClick={() => start({ blob: new Blob([pasted], { type: "text/plain" }), fileName: "pasted text" })}>
                Preview
              </Button>
            </div>
          </TabsContent>
        </Tabs>
        {upload !== null && <ProgressBar value={upload < 1 ? upload : null} label={upload < 1 ? `Uploading ${source?.fileName ?? "the file"}` : `Reading ${source?.fileName ?? "the file"}…`} />}
        <div aria-live="polite" className="contents">
          {error && (
            <Alert variant="destructive" role="alert">
              <AlertTitle>{error.code === "payload_too_large" ? "Too large" : error.code === "forbidden" ? "Not allowed" : "Cannot import this"}</AlertTitle>
              <AlertDescription>
                <p>{error.message}</p>
              </AlertDescription>
            </Alert>
          )}
          {notice && (
            <Alert variant="info" role="status">
              <Info aria-hidden />
              <AlertDescription>
                <p>{notice}</p>
              </AlertDescription>
            </Alert>
          )}
        </div>
      </section>

      {preview && counts && (
        <section aria-labelledby="import-preview" className="flex flex-col gap-4">
          <div className="flex flex-col gap-1">
            <h2 id="import-preview" className="text-base font-semibold">
              2. Check the preview
            </h2>
            <p className="text-sm text-muted-foreground" data-testid="import-detected">
              <span className="font-medium text-foreground">{preview.fileName}</span> · {formatBytes(preview.bytes)} · detected: <span className="font-medium text-foreground">{preview.formatLabel}</span>
              {preview.variant ? ` — ${preview.variant}` : ""}
            </p>
          </div>

          {(preview.secretsDropped > 0 || preview.notes.length > 0) && (
            <div className="flex flex-col gap-2">
              {preview.secretsDropped > 0 && (
                <Alert variant="info">
                  <KeyRound aria-hidden />
                  <AlertTitle>
                    {preview.secretsDropped} {preview.secretsDropped === 1 ? "value was" : "values were"} not stored
                  </AlertTitle>
                  <AlertDescription>
                    <p>Secrets are never stored: Steward keeps the names of environment variables, headers and secret arguments, never their values. Each entry lists what it left out.</p>
                  </AlertDescription>
                </Alert>
              )}
              {preview.notes.map((note) => (
                <Alert key={note} variant="info">
                  <Info aria-hidden />
                  <AlertDescription>
                    <p>{note}</p>
                  </AlertDescription>
                </Alert>
              ))}
            </div>
          )}

          {preview.entries.some((e) => e.name !== null) && (
            <fieldset className="grid gap-4 rounded-lg border p-4 sm:grid-cols-3">
              <legend className="px-1 text-sm font-medium">For new servers, when the file does not say</legend>
              <Field label="Team" htmlFor="default-team">
                <NativeSelect value={defaults.teamId ?? ""} onChange={(e) => setDefaults((d) => ({ ...d, teamId: e.target.value || undefined }))} disabled={busy} {...fieldA11y("default-team")}>
                  <option value="">No team</option>
                  {teams.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
              <Field label="Environment" htmlFor="default-environment">
                <NativeSelect value={defaults.environment ?? ""} onChange={(e) => setDefaults((d) => ({ ...d, environment: (e.target.value || undefined) as ImportDefaults["environment"] }))} disabled={busy} {...fieldA11y("default-environment")}>
                  <option value="">Dev (default)</option>
                  {ENVIRONMENTS.map((v) => (
                    <option key={v} value={v}>
                      {ENVIRONMENT_LABELS[v]}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
              <Field label="Data classification" htmlFor="default-classification">
                <NativeSelect
                  value={defaults.dataClassification ?? ""}
                  onChange={(e) => setDefaults((d) => ({ ...d, dataClassification: (e.target.value || undefined) as ImportDefaults["dataClassification"] }))}
                  disabled={busy}
                  {...fieldA11y("default-classification")}
                >
                  <option value="">Internal (default)</option>
                  {DATA_CLASSIFICATIONS.map((v) => (
                    <option key={v} value={v}>
                      {CLASSIFICATION_LABELS[v]}
                    </option>
                  ))}
                </NativeSelect>
              </Field>
            </fieldset>
          )}

          <PreviewTable
            preview={preview}
            names={names}
            endpointUrls={endpointUrls}
            excluded={exclude}
            disabled={busy}
            refreshing={refreshing}
            onName={(index, value) => setNames((n) => ({ ...n, [index]: value }))}
            onEndpoint={(index, value) => setEndpointUrls((u) => ({ ...u, [index]: value }))}
            onToggle={(index) => setExclude((list) => (list.includes(index) ? list.filter((i) => i !== index) : [...list, index]))}
          />

          <div className="sticky bottom-0 z-10 -mx-1 flex flex-col gap-3 border-t bg-background/95 px-1 py-3 backdrop-blur lg:flex-row lg:items-center lg:justify-between">
            <p className="min-w-0 flex-1 text-sm text-muted-foreground" aria-live="polite">
              {counts.invalid > 0
                ? `${counts.invalid} invalid ${counts.invalid === 1 ? "entry blocks" : "entries block"} the import: fix ${counts.invalid === 1 ? "it" : "them"} above or leave ${counts.invalid === 1 ? "it" : "them"} out.`
                : toWrite > 0
                  ? `${counts.new} new and ${counts.updated} updated will be written${counts.unchanged ? `; ${counts.unchanged} unchanged` : ""}.`
                  : "Nothing to import: every entry is unchanged or left out."}
              {refreshing ? " Updating the preview…" : ""}
            </p>
            <div className="flex shrink-0 flex-wrap gap-2">
              {invalidIndexes.length > 0 && (
                <Button variant="outline" disabled={busy} onClick={() => setExclude((list) => [...new Set([...list, ...invalidIndexes])])}>
                  Leave out {invalidIndexes.length} invalid
                </Button>
              )}
              <Button variant="ghost" disabled={applying} onClick={reset}>
                Start over
              </Button>
              <Button disabled={busy || refreshing || counts.invalid > 0 || toWrite === 0} onClick={() => void apply()} data-testid="import-apply">
                {applying ? "Importing…" : toWrite === 0 ? "Import" : `Import ${toWrite.toLocaleString("en")} ${toWrite === 1 ? "server" : "servers"}`}
              </Button>
            </div>
          </div>
          {applying && <ProgressBar value={null} label={`Importing ${toWrite} ${toWrite === 1 ? "server" : "servers"} in one transaction`} />}
        </section>
      )}
    </div>
  );
}
