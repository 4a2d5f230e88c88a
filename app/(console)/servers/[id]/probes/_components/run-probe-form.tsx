"use client";

import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { CircleAlert, Radar } from "lucide-react";
import { FormErrorAlert } from "@/components/form-error-alert";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { Field, fieldA11y } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";
import type { FieldErrors } from "@/lib/errors";
import { cn } from "@/lib/cn";
import type { ProbeMode, ProbeProtocolVersion } from "@/lib/probe/types";
import { startProbeAction } from "../actions";
import { splitActionError } from "./action-error";

type Props = {
  serverId: string;
  /** The owners opted this server in to active checks. */
  activeAllowed: boolean;
  /** May this person change the probe settings (to say where to opt in)? */
  canChangeSettings: boolean;
  versions: readonly ProbeProtocolVersion[];
  /** What a run is judged against when no version is asked for, and why. */
  judged: { version: ProbeProtocolVersion; because: string };
};

const MODES: { value: ProbeMode; label: string; description: string }[] = [
  {
    value: "anonymous",
    label: "Anonymous checks (N1–N14)",
    description: "No credentials and no side effects: what the server and its authorization server publish, and how they answer requests without a valid token.",
  },
  {
    value: "active",
    label: "Anonymous and active checks (N1–N14, T1–T11)",
    description: "Also registers a client, obtains tokens through the authorization code flow, uses and revokes them. Nothing is kept.",
  },
];

/** Start a probe run and go to its page, where it shows its progress. */
export function RunProbeForm({ serverId, activeAllowed, canChangeSettings, versions, judged }: Props) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [mode, setMode] = useState<ProbeMode>("anonymous");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<{ message: string; details: string[] } | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const modeError = errors.mode;

  return (
    <form
      className="flex flex-col gap-4"
      aria-label="Run a probe"
      onSubmit={(e) => {
        e.preventDefault();
        const version = String(new FormData(e.currentTarget).get("protocolVersion") ?? "");
        start(async () => {
          setErrors({});
          setProblem(null);
          const result = await startProbeAction({ serverId, mode, ...(version ? { protocolVersion: version } : {}) });
          if (result.ok) {
            toast.success("Probe started: its checks appear as they finish.");
            router.push(`/servers/${serverId}/probes/${result.data.id}`);
            return;
          }
          // Problems beside a field are shown there; the rest here.
          const { fields, problem } = splitActionError(result.error, ["mode", "protocolVersion"]);
          setErrors(fields);
          setProblem(problem);
          requestAnimationFrame(() => alertRef.current?.focus());
        });
      }}
    >
      <fieldset className="flex flex-col gap-2" aria-describedby="probe-mode-error">
        <legend className="mb-1 text-sm font-medium">Checks to run</legend>
        {MODES.map((m) => {
          const disabled = m.value === "active" && !activeAllowed;
          const id = `probe-mode-${m.value}`;
          return (
            <label
              key={m.value}
              htmlFor={id}
              className={cn(
                "flex items-start gap-3 rounded-md border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/5 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50",
                disabled ? "cursor-not-allowed opacity-70" : "cursor-pointer",
              )}
            >
              <input
                id={id}
                type="radio"
                name="mode"
                value={m.value}
                checked={mode === m.value}
                disabled={disabled}
                onChange={() => setMode(m.value)}
                aria-describedby={`${id}-description`}
                className="mt-0.5 accent-primary"
              />
              <span className="flex flex-col gap-0.5">
                <span className="font-medium">{m.label}</span>
                <span id={`${id}-description`} className="text-muted-foreground">
                  {m.description}
                  {disabled && (
                    <>
                      {" "}
                      <strong className="font-medium text-foreground">
                        Not available: the owners have not opted this server in
                        {canChangeSettings ? " (see Probe settings)." : "; an owner or an admin can, in the probe settings."}
                      </strong>
                    </>
                  )}
                </span>
              </span>
            </label>
          );
        })}
        <div id="probe-mode-error" aria-live="polite" className="text-sm font-medium text-destructive">
          {modeError?.map((m) => (
            <p key={m} className="flex items-start gap-1.5">
              <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden /> {m}
            </p>
          ))}
        </div>
      </fieldset>

      <Field
        label="Judge against"
        htmlFor="probe-protocol-version"
        error={errors.protocolVersion}
        description={`The MCP revision whose rules the verdicts follow. Default: ${judged.version}, ${judged.because}.`}
      >
        <div className="sm:max-w-xs">
          <NativeSelect name="protocolVersion" defaultValue="" {...fieldA11y("probe-protocol-version", errors.protocolVersion)}>
            <option value="">Default: MCP {judged.version}</option>
            {versions.map((v) => (
              <option key={v} value={v}>
                MCP {v}
              </option>
            ))}
          </NativeSelect>
        </div>
      </Field>

      {problem && <FormErrorAlert ref={alertRef} message={problem.message} details={problem.details} />}
      <div>
        <Button type="submit" disabled={pending}>
          <Radar className="size-4" aria-hidden /> {pending ? "Starting…" : "Run probe"}
        </Button>
      </div>
    </form>
  );
}
