"use client";

import dynamic from "next/dynamic";

/**
 * The toaster's module, with sonner: one chunk, shared by the toaster and by components/toast.ts
 * (keep this the only `import()` of it, so that a toast never downloads sonner a second time).
 */
export const loadToasterModule = () => import("@/components/ui/sonner");

/**
 * Toasts only ever follow something the person did, so the toaster (and sonner) load after the
 * page is interactive instead of weighing on every page's first load.
 */
export const LazyToaster = dynamic(() => loadToasterModule().then((m) => m.Toaster), { ssr: false });
