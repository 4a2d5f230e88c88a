"use client";

import { useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Bookmark, Trash2 } from "lucide-react";
import { toast } from "@/components/toast";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { useFirstOpenFocus, type LazyMenuProps } from "@/components/ui/lazy-menu";
import { deleteAuditViewAction } from "../actions";

export type SavedView = { id: string; name: string; query: string };

/** The saved-views menu, loaded on first use (explorer-actions.tsx): open, delete, or save one. */
export function SavedViewsMenu({ views, current, canSave, onSave, openedWith }: { views: SavedView[]; current?: SavedView; canSave: boolean; onSave: () => void } & LazyMenuProps) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const focusFirstItem = useFirstOpenFocus(openedWith);
  const remove = (view: SavedView) =>
    start(async () => {
      const result = await deleteAuditViewAction({ id: view.id });
      if (result.ok) {
        toast.success(`Deleted the view “${view.name}”`);
        router.refresh();
      } else toast.error(result.error.message);
    });
  return (
    <DropdownMenu defaultOpen>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm" data-testid="saved-views">
          <Bookmark aria-hidden />
          {current ? current.name : "Saved views"}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-72" onFocus={focusFirstItem}>
        <DropdownMenuLabel>Your saved views</DropdownMenuLabel>
        {views.length === 0 && <p className="px-2 py-1.5 text-sm text-muted-foreground">None yet. Filter the trail, then save the view to come back to it.</p>}
        {views.map((v) => (
          <div key={v.id} className="flex items-center gap-1">
            <DropdownMenuItem asChild className="flex-1">
              <Link href={v.query ? `/audit?${v.query}` : "/audit"}>{v.name}</Link>
            </DropdownMenuItem>
            <Button variant="ghost" size="icon" className="size-7" aria-label={`Delete the view ${v.name}`} disabled={pending} onClick={() => remove(v)}>
              <Trash2 aria-hidden />
            </Button>
          </div>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem disabled={!canSave} onSelect={onSave}>
          Save this view…
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
