"use client";

import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { CircleAlert } from "lucide-react";
import { FormErrorAlert } from "@/components/form-error-alert";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field, fieldA11y } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { FieldErrors } from "@/lib/errors";
import { updateProbeSettingsAction } from "../actions";
import { splitActionError } from "./action-error";

type Props = { serverId: string; activeOptIn: boolean; stepUpTool: string | null; tools: string[] };

/** The owners' probe settings: opt in to active checks, and name the tool that needs a higher scope. */
export function ProbeSettingsForm({ serverId, activeOptIn, stepUpTool, tools }: Props) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [optIn, setOptIn] = useState(activeOptIn);
  const [tool, setTool] = useState(stepUpTool ?? "");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<{ message: string; details: string[] } | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const changed = optIn !== activeOptIn || tool !== (stepUpTool ?? "");
  // A tool named earlier that the server no longer lists stays choosable (and visible as such).
  const options = stepUpTool && !tools.includes(stepUpTool) ? [...tools, stepUpTool] : tools;

  return (
    <form
      className="flex flex-col gap-4"
      aria-label="Probe settings"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          setErrors({});
          setProblem(null);
          const result = await updateProbeSettingsAction({ serverId, activeOptIn: optIn, stepUpTool: tool || null });
          if (result.ok) {
            toast.success(result.data.activeOptIn ? "Saved: active checks are allowed on this server." : "Saved: only anonymous checks run on this server.");
            router.refresh();
            return;
          }
          // Problems beside a field are shown there; the rest here.
          const { fields, problem } = splitActionError(result.error, ["activeOptIn", "stepUpTool"]);
          setErrors(fields);
          setProblem(problem);
          requestAnimationFrame(() => alertRef.current?.focus());
        });
      }}
    >
      <div className="flex items-start gap-2">
        <Checkbox
          id="probe-active-opt-in"
          checked={optIn}
          onCheckedChange={(c) => setOptIn(c === true)}
          className="mt-0.5"
          aria-invalid={errors.activeOptIn?.length ? true : undefined}
          aria-describedby="probe-active-opt-in-description probe-active-opt-in-error"
        />
        <div className="flex flex-col gap-1">
          <Label htmlFor="probe-active-opt-in" className="leading-snug">
            Allow active checks
          </Label>
          <p id="probe-active-opt-in-description" className="text-xs text-muted-foreground">
            Active checks act like a new client: they register a client with the authorization server, obtain tokens through the authorization code flow (approving their own request), use
            them against this server, refresh and revoke them. Nothing is stored: the client and tokens are discarded after the run, and token values never appear in the results.
          </p>
          <div id="probe-active-opt-in-error" aria-live="polite" className="text-sm font-medium text-destructive">
            {errors.activeOptIn?.map((m) => (
              <p key={m} className="flex items-start gap-1.5">
                <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden /> {m}
              </p>
            ))}
          </div>
        </div>
      </div>
      <Field
        label="Step-up tool"
        htmlFor="probe-step-up-tool"
        error={errors.stepUpTool}
        description="A tool that needs more than the basic scope. Check T9 calls it with a minimal-scope token and expects 403 insufficient_scope."
      >
        <div className="sm:max-w-xs">
          <NativeSelect name="stepUpTool" value={tool} onChange={(e) => setTool(e.target.value)} {...fieldA11y("probe-step-up-tool", errors.stepUpTool)}>
            <option value="">None</option>
            {options.map((t) => (
              <option key={t} value={t}>
                {t}
                {tools.includes(t) ? "" : " (no longer listed)"}
              </option>
            ))}
          </NativeSelect>
        </div>
      </Field>
      {problem && <FormErrorAlert ref={alertRef} message={problem.message} details={problem.details} />}
      <div>
        <Button type="submit" variant="outline" disabled={pending || !changed}>
          {pending ? "Saving…" : "Save settings"}
        </Button>
      </div>
    </form>
  );
}
