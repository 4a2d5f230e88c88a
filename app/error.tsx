"use client";

import { useEffect } from "react";
import { TriangleAlert } from "lucide-react";
import { StatusPage } from "@/components/status-page";
import { Button } from "@/components/ui/button";

/** Unexpected errors: say so plainly, offer a retry, and give the reference the server logged. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <StatusPage icon={TriangleAlert} title="Something went wrong" action={<Button onClick={reset}>Try again</Button>}>
      <p>Steward could not show this page. Nothing you did was lost: changes are saved whole or not at all.</p>
      {error.digest && (
        <p className="mt-2">
          Reference for your admin: <code className="font-mono">{error.digest}</code>
        </p>
      )}
    </StatusPage>
  );
}
