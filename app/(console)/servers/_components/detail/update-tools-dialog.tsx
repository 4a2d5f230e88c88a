"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { AlertTriangle, ArrowLeft, Download, FileJson, Info } from "lucide-react";
import { toast } from "@/components/toast";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Textarea } from "@/components/ui/textarea";
import type { ErrorBody } from "@/lib/errors";
import { applyToolsAction, fetchLiveToolsAction, previewToolsAction } from "../../actions";
import type { ToolSyncPreview } from "../../[id]/tools/sync-preview";

export type UpdateToolsDialogProps = {
  serverId: string;
  serverName: string;
  /** A remote server with an endpoint: its tools can be fetched live. */
  remote: boolean;
  endpointUrl: string | null;
  maxBytes: number;
  maxTools: number;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button that opened the dialog: focus goes back to it on close. */
  returnFocusTo?: React.RefObject<HTMLElement | null>;
};

type Source = "pasted" | "uploaded" | "tools/list";
type Staged = {
  source: Source;
  mode: "replace" | "merge";
  /** Exactly what was previewed; Apply sends it again and the server parses it again. */
  definitions: unknown;
  preview: ToolSyncPreview;
  count: number;
  fetchedFrom?: { name: string; version: string; protocolVersion: string; transport: string };
};

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

/** `tools.3.inputSchema` → `tools[3].inputSchema`, as a person reading their JSON would look for it. */
function fieldPath(key: string): string {
  return key.replace(/^tools\.(\d+)/, "tools[$1]");
}

/** The parser's and the fetcher's field errors as lines, except those shown beside a form field. */
function problemLines(error: ErrorBody, shownBeside: string[]): string[] {
  return Object.entries(error.fields ?? {})
    .filter(([key]) => !shownBeside.includes(key))
    // The message already says what "definitions" and "url" say, in more words.
    .filter(([key]) => key !== "definitions" && key !== "url")
    .flatMap(([key, messages]) => (key === "_form" ? messages : messages.map((m) => `${fieldPath(key)}: ${m}`)));
}

function NameList({ title, names, variant }: { title: string; names: string[]; variant: "success" | "warning" | "secondary" | "outline" | "info" }) {
  if (names.length === 0) return null;
  return (
    <div className="flex flex-col gap-1.5">
      <p className="text-sm font-medium">
        {title} ({names.length})
      </p>
      <ul className="flex max-h-28 flex-wrap gap-1 overflow-y-auto" aria-label={title}>
        {names.map((n) => (
          <li key={n}>
            <Badge variant={variant} className="font-mono text-[11px] font-normal">
              {n}
            </Badge>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Update a server's tools: paste or upload their JSON, or fetch them live with `tools/list`; see
 * what the sync would add, change and remove; then apply. Nothing is written before "Apply".
 */
export function UpdateToolsDialog({ serverId, serverName, remote, endpointUrl, maxBytes, maxTools, open, onOpenChange, returnFocusTo }: UpdateToolsDialogProps) {
  const router = useRouter();
  const [tab, setTab] = useState<"paste" | "fetch">("paste");
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [replace, setReplace] = useState(true);
  const [staged, setStaged] = useState<Staged | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [pending, start] = useTransition();
  const tokenRef = useRef<HTMLInputElement>(null);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const mode = replace ? "replace" : "merge";

  useEffect(() => {
    if (staged) previewHeading.current?.focus();
  }, [staged]);

  const reset = () => {
    setText("");
    setFileName(null);
    setStaged(null);
    setError(null);
    setTab("paste");
    if (tokenRef.current) tokenRef.current.value = "";
  };

  const close = () => {
    reset();
    onOpenChange(false);
  };

  const tooLarge = (bytes: number) => {
    if (bytes <= maxBytes) return false;
    setError({ code: "payload_too_large", message: `This is ${megabytes(bytes)}; tool definitions can be at most ${megabytes(maxBytes)}.`, fields: { definitions: [`At most ${megabytes(maxBytes)}`] } });
    return true;
  };

  const previewPasted = () => {
    setError(null);
    if (tooLarge(new Blob([text]).size)) return;
    // Parsed here only to send less (a value, not an escaped string); the server parses it again
    // and reports any syntax error itself.
    let definitions: unknown = text;
    try {
      definitions = JSON.parse(text);
    } catch {
      // Sent as text: the server names the syntax error.
    }
    const source: Source = fileName ? "uploaded" : "pasted";
    start(async () => {
      const result = await previewToolsAction({ serverId, mode, definitions });
      if (result.ok) setStaged({ source, mode, definitions, preview: result.data.preview, count: result.data.count });
      else setError(result.error);
    });
  };

  const fetchLive = () => {
    setError(null);
    const bearerToken = tokenRef.current?.value ?? "";
    start(async () => {
      const result = await fetchLiveToolsAction({ serverId, mode, bearerToken });
      if (result.ok) {
        // The token served this one call; it is not kept in the page either.
        if (tokenRef.current) tokenRef.current.value = "";
        const d = result.data;
        setStaged({
          source: "tools/list",
          mode,
          definitions: d.definitions,
          preview: d.preview,
          count: d.count,
          fetchedFrom: { name: d.serverInfo.name, version: d.serverInfo.version, protocolVersion: d.protocolVersion, transport: d.transport },
        });
      } else {
        setError(result.error);
      }
    });
  };

  const apply = () => {
    if (!staged) return;
    start(async () => {
      const result = await applyToolsAction({ serverId, mode: staged.mode, source: staged.source, definitions: staged.definitions });
      if (result.ok) {
        const r = result.data;
        const parts = [r.added.length && `${r.added.length} added`, r.changed.length && `${r.changed.length} changed`, r.removed.length && `${r.removed.length} removed`, r.restored.length && `${r.restored.length} restored`].filter(Boolean);
        toast.success(`Tools of ${serverName} updated${parts.length ? `: ${parts.join(", ")}` : ""}.${r.changedSinceApproval ? " The server is marked changed since approval until a reviewer decides." : ""}`);
        close();
        router.refresh();
      } else {
        setError(result.error);
      }
    });
  };

  const tokenErrors = error?.fields?.bearerToken;
  // Beside the text box: what the alert below does not already say.
  const jsonErrors = error?.fields?.definitions ?? error?.fields?.tools;
  const jsonBeside = jsonErrors?.filter((m) => m !== error?.message);
  const lines = error ? problemLines(error, ["bearerToken"]) : [];
  const p = staged?.preview;
  const writes = p ? p.added.length + p.changed.length + p.removed.length + p.restored.length : 0;

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())}>
      <DialogContent
        className="max-h-[92dvh] overflow-y-auto sm:max-w-2xl"
        onCloseAutoFocus={(e) => {
          if (!returnFocusTo?.current) return;
          e.preventDefault();
          returnFocusTo.current.focus();
        }}
      >
        <DialogHeader>
          <DialogTitle>Update tools of {serverName}</DialogTitle>
          <DialogDescription>Give Steward the server&apos;s tool list. You see what would change before anything is written.</DialogDescription>
        </DialogHeader>

        {staged && p ? (
          <section aria-labelledby="tools-preview-heading" className="flex flex-col gap-4" data-testid="tools-preview">
            <div className="flex flex-col gap-1">
              <h3 id="tools-preview-heading" ref={previewHeading} tabIndex={-1} className="text-base font-semibold outline-none">
                Preview: {writes === 0 ? "nothing to change" : `${writes} ${writes === 1 ? "change" : "changes"}`}
              </h3>
              <p className="text-sm text-muted-foreground">
                {staged.fetchedFrom
                  ? `${staged.count} ${staged.count === 1 ? "tool" : "tools"} listed by ${staged.fetchedFrom.name || "the server"}${staged.fetchedFrom.version ? ` ${staged.fetchedFrom.version}` : ""} over ${staged.fetchedFrom.transport === "sse" ? "HTTP + SSE" : "Streamable HTTP"}${staged.fetchedFrom.protocolVersion ? ` (protocol ${staged.fetchedFrom.protocolVersion})` : ""}.`
                  : `${staged.count} ${staged.count === 1 ? "tool" : "tools"} ${staged.source === "uploaded" ? `in ${fileName ?? "the file"}` : "pasted"}.`}{" "}
                {staged.mode === "replace" ? "Tools on record that are not in the list are marked removed." : "Tools on record that are not in the list are kept."}
              </p>
            </div>
            <div className="flex flex-col gap-3 rounded-md border p-3">
              <NameList title="Added" names={p.added} variant="info" />
              <NameList title="Changed" names={p.changed} variant="warning" />
              <NameList title="Marked removed" names={p.removed} variant="secondary" />
              <NameList title="Restored" names={p.restored} variant="info" />
              <NameList title="Unchanged" names={p.unchanged} variant="outline" />
              {staged.count === 0 && p.removed.length === 0 && <p className="text-sm text-muted-foreground">The list is empty.</p>}
            </div>
            {(p.added.length > 0 || p.changed.length > 0) && (
              <Alert variant="info">
                <Info className="size-4" aria-hidden />
                <AlertTitle>New and changed tools wait for a reviewer</AlertTitle>
                <AlertDescription>
                  <p>They cannot be granted to agents until a reviewer decides on them. If the server has been approved, it is marked changed since approval until then.</p>
                </AlertDescription>
              </Alert>
            )}
            {error && (
              <Alert variant="destructive" role="alert">
                <AlertTriangle className="size-4" aria-hidden />
                <AlertTitle>{error.message}</AlertTitle>
              </Alert>
            )}
            <DialogFooter>
              <Button
                type="button"
                variant="outline"
                onClick={() => {
                  setStaged(null);
                  setError(null);
                }}
              >
                <ArrowLeft className="size-4" aria-hidden /> Back
              </Button>
              <Button type="button" onClick={apply} disabled={pending || writes === 0}>
                {pending ? "Applying…" : "Apply"}
              </Button>
            </DialogFooter>
          </section>
        ) : (
          <div className="flex flex-col gap-4">
            <Tabs
              value={tab}
              onValueChange={(v) => {
                setTab(v as "paste" | "fetch");
                setError(null);
              }}
            >
              <TabsList aria-label="Where the tools come from">
                <TabsTrigger value="paste">
                  <FileJson aria-hidden /> Paste or upload
                </TabsTrigger>
                <TabsTrigger value="fetch">
                  <Download aria-hidden /> Fetch from the server
                </TabsTrigger>
              </TabsList>

              <TabsContent value="paste" className="flex flex-col gap-4 pt-2">
                <Field
                  label="Tool definitions (JSON)"
                  htmlFor="tools-json"
                  error={jsonBeside}
                  description={`A tools/list result ({ "tools": [ … ] }), an array of tools, or one tool. At most ${megabytes(maxBytes)} and ${maxTools} tools.`}
                >
                  <Textarea
                    value={text}
                    onChange={(e) => {
                      setText(e.target.value);
                      setFileName(null);
                    }}
                    spellCheck={false}
                    autoComplete="off"
                    rows={10}
                    placeholder={'{ "tools": [ { "name": "search_issues", "description": "…", "inputSchema": { "type": "object" } } ] }'}
                    className="max-h-72 min-h-40 font-mono text-xs"
                    {...fieldA11y("tools-json", jsonErrors)}
                  />
                </Field>
                <Field label="Or upload a .json file" htmlFor="tools-file" description={`At most ${megabytes(maxBytes)}. Its contents appear above, to check before the preview.`}>
                  <Input
                    type="file"
                    accept=".json,application/json"
                    className="cursor-pointer"
                    {...fieldA11y("tools-file")}
                    onChange={async (e) => {
                      const file = e.target.files?.[0];
                      e.target.value = "";
                      if (!file) return;
                      setError(null);
                      if (tooLarge(file.size)) return;
                      setText(await file.text());
                      setFileName(file.name);
                    }}
                  />
                </Field>
                {fileName && (
                  <p className="text-sm text-muted-foreground" role="status">
                    Loaded {fileName}.
                  </p>
                )}
              </TabsContent>

              <TabsContent value="fetch" className="flex flex-col gap-4 pt-2">
                {remote && endpointUrl ? (
                  <>
                    <div className="flex flex-col gap-1 text-sm">
                      <p className="font-medium">Endpoint</p>
                      <p className="font-mono text-xs break-all text-muted-foreground">{endpointUrl}</p>
                      <p className="text-xs text-muted-foreground">Steward connects with the official MCP client, lists every page of tools, and disconnects. It never calls a tool.</p>
                    </div>
                    <Field
                      label="Bearer token (optional)"
                      htmlFor="tools-token"
                      error={tokenErrors}
                      description="Used for this call only: sent to the endpoint above in the Authorization header, never stored, logged or shown again."
                    >
                      <Input ref={tokenRef} type="password" autoComplete="off" spellCheck={false} name="bearer-token" {...fieldA11y("tools-token", tokenErrors)} />
                    </Field>
                  </>
                ) : (
                  <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">
                    A local (stdio) server has no endpoint Steward can call. Run <code className="font-mono">tools/list</code> against it yourself and paste or upload the result.
                  </p>
                )}
              </TabsContent>
            </Tabs>

            <div className="flex items-start gap-2">
              <Checkbox id="tools-replace" checked={replace} onCheckedChange={(c) => setReplace(c === true)} className="mt-0.5" aria-describedby="tools-replace-description" />
              <div className="flex flex-col gap-1">
                <Label htmlFor="tools-replace" className="leading-snug">
                  This is the complete list
                </Label>
                <p id="tools-replace-description" className="text-xs text-muted-foreground">
                  Tools on record that are not in it are marked removed (kept for history, no longer grantable). Clear this to only add and update.
                </p>
              </div>
            </div>

            {error && (
              <Alert variant="destructive" role="alert" data-testid="tools-error">
                <AlertTriangle className="size-4" aria-hidden />
                <AlertTitle>{error.message}</AlertTitle>
                {lines.length > 0 && (
                  <AlertDescription>
                    <ul className="max-h-40 list-disc overflow-y-auto pl-4 font-mono text-xs">
                      {lines.slice(0, 50).map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                      {lines.length > 50 && <li>and {lines.length - 50} more</li>}
                    </ul>
                  </AlertDescription>
                )}
              </Alert>
            )}

            <DialogFooter>
              <Button type="button" variant="outline" onClick={close}>
                Cancel
              </Button>
              {tab === "paste" ? (
                <Button type="button" onClick={previewPasted} disabled={pending || !text.trim()}>
                  {pending ? "Reading…" : "Preview"}
                </Button>
              ) : (
                <Button type="button" onClick={fetchLive} disabled={pending || !remote || !endpointUrl}>
                  {pending ? "Fetching…" : "Fetch and preview"}
                </Button>
              )}
            </DialogFooter>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
