"use client";

import dynamic from "next/dynamic";

/**
 * Toasts only ever follow something the person did, so the toaster (and sonner) load after the
 * page is interactive instead of weighing on every page's first load.
 */
export const LazyToaster = dynamic(() => import("@/components/ui/sonner").then((m) => m.Toaster), { ssr: false });
