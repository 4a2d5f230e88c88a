"use client";

import { useState, useTransition } from "react";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Field, fieldA11y } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { ROLES, type Role } from "@/db/schema/vocabulary";
import type { ActionResult } from "@/lib/actions";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { FieldErrors } from "@/lib/errors";
import { changeRoleAction, deactivatePersonAction, reactivatePersonAction } from "./actions";

export type PersonSummary = { id: string; name: string; role: Role; active: boolean };
export type PersonDialog = "role" | "deactivate" | "reactivate";

export function PersonDialogs({ person, dialog, onClose }: { person: PersonSummary; dialog: PersonDialog | null; onClose: () => void }) {
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const close = () => {
    setErrors({});
    setFormError(null);
    onClose();
  };

  function submit(run: () => Promise<ActionResult<unknown>>, success: string) {
    start(async () => {
      const result = await run();
      if (result.ok) {
        toast.success(success);
        close();
      } else {
        setErrors(result.error.fields ?? {});
        setFormError(result.error.fields ? null : result.error.message);
      }
    });
  }

  const formProblem = formError && (
    <p className="text-sm text-destructive" role="alert">
      {formError}
    </p>
  );

  return (
    <>
      <Dialog open={dialog === "role"} onOpenChange={(open) => !open && close()}>
        <DialogContent>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const role = String(new FormData(e.currentTarget).get("role"));
              submit(() => changeRoleAction({ personId: person.id, role }), `${person.name} is now ${ROLE_LABELS[role as Role] ?? role}.`);
            }}
            className="flex flex-col gap-4"
          >
            <DialogHeader>
              <DialogTitle>Change {person.name}&apos;s role</DialogTitle>
              <DialogDescription>Takes effect at their next request. If your identity provider maps groups to roles, their next sign-in applies the mapping again.</DialogDescription>
            </DialogHeader>
            <Field label="Role" htmlFor="role" error={errors.role}>
              <NativeSelect name="role" defaultValue={person.role} {...fieldA11y("role", errors.role)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            {formProblem}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? "Saving…" : "Change role"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>

      <Dialog open={dialog === "deactivate"} onOpenChange={(open) => !open && close()}>
        <DialogContent>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const reason = String(new FormData(e.currentTarget).get("reason") ?? "");
              submit(() => deactivatePersonAction({ personId: person.id, reason }), `${person.name} was deactivated.`);
            }}
            className="flex flex-col gap-4"
          >
            <DialogHeader>
              <DialogTitle>Deactivate {person.name}?</DialogTitle>
              <DialogDescription>
                Their sessions end at once, their next request is refused and their API tokens stop working. The servers and agents they own stay as they are and show up as needing a new owner.
              </DialogDescription>
            </DialogHeader>
            <Field label="Reason" htmlFor="reason" error={errors.reason} description="Recorded in the activity log.">
              <Textarea name="reason" required minLength={3} maxLength={500} placeholder="For example: left the company on 2026-11-30" {...fieldA11y("reason", errors.reason)} />
            </Field>
            {formProblem}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" variant="destructive" disabled={pending}>
                {pending ? "Deactivating…" : "Deactivate"}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>

      <Dialog open={dialog === "reactivate"} onOpenChange={(open) => !open && close()}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Reactivate {person.name}?</DialogTitle>
            <DialogDescription>They can sign in again. Sessions and access that ended with the deactivation stay ended.</DialogDescription>
          </DialogHeader>
          {formProblem}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={close}>
              Cancel
            </Button>
            <Button type="button" disabled={pending} onClick={() => submit(() => reactivatePersonAction({ personId: person.id }), `${person.name} can sign in again.`)}>
              {pending ? "Reactivating…" : "Reactivate"}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}
