"use client";

import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { Bookmark, Download, ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useLazyMenu } from "@/components/ui/lazy-menu";
import type { ExportLinks } from "./export-menu";
import type { SavedView } from "./saved-views-menu";

// Menus and dialogs load on first use (components/ui/lazy-menu.tsx): Radix's menu and dialog
// code would otherwise be most of the page's JavaScript, for controls most visits never open.
const loadSavedViewsMenu = () => import("./saved-views-menu").then((m) => m.SavedViewsMenu);
const loadExportMenu = () => import("./export-menu").then((m) => m.ExportMenu);
const SaveViewDialog = dynamic(() => import("./save-view-dialog").then((m) => m.SaveViewDialog), { ssr: false });
const VerifyDialog = dynamic(() => import("./verify-dialog").then((m) => m.VerifyDialog), { ssr: false });

/** The explorer's header actions: saved views, "Verify integrity" and (with audit.export) Export. */
export function ExplorerActions({ views, query, sources, exportLinks }: { views: SavedView[]; query: string; sources: { name: string; events: number }[]; exportLinks: ExportLinks | null }) {
  const current = views.find((v) => v.query === query);
  const viewsMenu = useLazyMenu(loadSavedViewsMenu);
  const exportMenu = useLazyMenu(loadExportMenu);
  const [saving, setSaving] = useState<boolean | null>(null);
  const [verifying, setVerifying] = useState<boolean | null>(null);
  const viewsTrigger = useRef<HTMLDivElement>(null);
  const ViewsMenu = viewsMenu.Menu;
  const Export = exportMenu.Menu;
  return (
    <div className="flex flex-wrap gap-2">
      <div ref={viewsTrigger} className="contents">
        {ViewsMenu ? (
          <ViewsMenu views={views} current={current} canSave={query !== ""} onSave={() => setSaving(true)} openedWith={viewsMenu.openedWith} />
        ) : (
          <Button variant="outline" size="sm" data-testid="saved-views" {...viewsMenu.triggerProps}>
            <Bookmark aria-hidden />
            {current ? current.name : "Saved views"}
          </Button>
        )}
      </div>
      {saving !== null && <SaveViewDialog query={query} open={saving} onOpenChange={setSaving} focusBack={() => viewsTrigger.current?.querySelector("button")?.focus()} />}
      <Button variant="outline" size="sm" disabled={sources.length === 0} onClick={() => setVerifying(true)} aria-haspopup="dialog">
        <ShieldCheck aria-hidden /> Verify integrity
      </Button>
      {verifying !== null && <VerifyDialog sources={sources} open={verifying} onOpenChange={setVerifying} />}
      {exportLinks &&
        (Export ? (
          <Export links={exportLinks} openedWith={exportMenu.openedWith} />
        ) : (
          <Button variant="outline" size="sm" {...exportMenu.triggerProps}>
            <Download aria-hidden /> Export
          </Button>
        ))}
    </div>
  );
}
