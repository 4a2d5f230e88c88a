"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/toast";
import type { ActionResult } from "@/lib/actions";
import type { FieldErrors } from "@/lib/errors";

/**
 * Run a review action: on success a toast and a refresh of the server-rendered page; on failure
 * the message and the field errors, for the form to show beside its fields.
 */
export function useReviewAction() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [problem, setProblem] = useState<{ message: string; details: string[] } | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const run = <T,>(fn: () => Promise<ActionResult<T>>, success: string | ((data: T) => string), onOk?: (data: T) => void) =>
    start(async () => {
      setProblem(null);
      setErrors({});
      const result = await fn();
      if (result.ok) {
        toast.success(typeof success === "function" ? success(result.data) : success);
        onOk?.(result.data);
        router.refresh();
      } else {
        setErrors(result.error.fields ?? {});
        setProblem({ message: result.error.message, details: Object.entries(result.error.fields ?? {}).flatMap(([, v]) => v) });
      }
    });
  const reset = () => {
    setProblem(null);
    setErrors({});
  };
  return { pending, problem, errors, run, reset };
}
