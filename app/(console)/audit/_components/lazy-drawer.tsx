"use client";

import dynamic from "next/dynamic";

/**
 * The event drawer (a Radix dialog) loads only on pages with an open event, not with every view
 * of the explorer. Server-rendered when it is open, so a shared link shows the event at once.
 */
export const LazyEventDrawer = dynamic(() => import("./event-drawer").then((m) => m.EventDrawer));
