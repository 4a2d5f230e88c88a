"use client";

import * as React from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";

/**
 * TanStack Query for the client components that need live server state (the inventory lists'
 * "Load more"). Not in the root layout: it wraps only what uses it, and it loads with that code.
 * Pages arrive server-rendered; nothing here refetches behind the person's back (no refetch on
 * focus or reconnect), so "Load more" fetches exactly one page and never the earlier ones again.
 */
export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = React.useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false, refetchOnMount: false, retry: 1 },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
