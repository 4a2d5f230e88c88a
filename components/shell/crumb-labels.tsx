"use client";

import { createContext, useContext, useEffect, useState } from "react";

/**
 * Names for the ids in the URL. The breadcrumbs are drawn by the console layout from the path alone;
 * a detail page knows what its id stands for (a server's title, an agent's name) and says so with
 * <CrumbLabel>, so the trail reads "Servers › Billing Ledger" instead of a shortened id.
 */
type Labels = { labels: ReadonlyMap<string, string>; set: (segment: string, label: string | null) => void };

const CrumbLabelsContext = createContext<Labels>({ labels: new Map(), set: () => {} });

export function CrumbLabelsProvider({ children }: { children: React.ReactNode }) {
  const [labels, setLabels] = useState<ReadonlyMap<string, string>>(new Map());
  const set = (segment: string, label: string | null) =>
    setLabels((current) => {
      if ((current.get(segment) ?? null) === label) return current;
      const next = new Map(current);
      if (label === null) next.delete(segment);
      else next.set(segment, label);
      return next;
    });
  return <CrumbLabelsContext.Provider value={{ labels, set }}>{children}</CrumbLabelsContext.Provider>;
}

export const useCrumbLabels = () => useContext(CrumbLabelsContext).labels;

/** Renders nothing: names the URL segment `segment` in the breadcrumbs while it is mounted. */
export function CrumbLabel({ segment, label }: { segment: string; label: string }) {
  const { set } = useContext(CrumbLabelsContext);
  useEffect(() => {
    set(segment, label);
    return () => set(segment, null);
    // `set` is recreated on every provider render; the label only depends on these two.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [segment, label]);
  return null;
}
