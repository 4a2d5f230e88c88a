import type { toast as sonnerToast } from "@/components/ui/sonner";
import { loadToasterModule } from "./lazy-toaster";

/*
 * `toast.success(…)` and friends, without sonner in the first-load JavaScript. sonner (about 9 kB
 * gzip) comes with the toaster, which loads once the page is interactive (lazy-toaster.tsx); a
 * static `import { toast } from "sonner"` in a form would put all of it in that page's first load
 * again. A toast only ever follows something the person did, so these wait for the toaster's own
 * chunk (already there by then, and the same sonner instance) and hand the toast on.
 */

type Sonner = typeof sonnerToast;

function later<K extends "success" | "error" | "info">(kind: K) {
  return (...args: Parameters<Sonner[K]>): void => {
    void loadToasterModule().then(({ toast }) => (toast[kind] as (...a: Parameters<Sonner[K]>) => unknown)(...args));
  };
}

export const toast = { success: later("success"), error: later("error"), info: later("info") };
