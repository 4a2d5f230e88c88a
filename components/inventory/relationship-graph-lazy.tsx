"use client";

import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";

/**
 * The relationship view (graph and text alternative) for server and agent pages. React Flow is
 * heavy, so it loads after the page is interactive and never weighs on its first load; until then
 * a placeholder of the graph's height holds its place.
 *
 *   <LazyRelationshipGraph input={graphInput} />   // props: RelationshipGraphProps
 */
export const LazyRelationshipGraph = dynamic(() => import("./relationship-graph"), {
  ssr: false,
  loading: () => (
    <div role="status" className="h-[420px] w-full">
      <Skeleton className="size-full rounded-lg" />
      <span className="sr-only">Loading the relationship graph…</span>
    </div>
  ),
});
