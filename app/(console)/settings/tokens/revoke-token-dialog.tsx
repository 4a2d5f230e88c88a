"use client";

import { useTransition } from "react";
import { toast } from "@/components/toast";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { revokeTokenAction } from "./actions";

export function RevokeTokenDialog({ id, name, open, setOpen }: { id: string; name: string; open: boolean; setOpen: (open: boolean) => void }) {
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke “{name}”?</AlertDialogTitle>
          <AlertDialogDescription>The next request with this token is refused. This cannot be undone; create a new token if the machine still needs access.</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={() =>
              start(async () => {
                const result = await revokeTokenAction({ tokenId: id });
                if (result.ok) toast.success(`“${name}” was revoked.`);
                else toast.error(result.error.message);
              })
            }
          >
            Revoke token
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
