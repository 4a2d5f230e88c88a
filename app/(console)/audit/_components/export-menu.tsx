"use client";

import { Download } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { useFirstOpenFocus, type LazyMenuProps } from "@/components/ui/lazy-menu";

export type ExportLinks = { jsonl: string; csv: string; ocsf: string; bundle: string };

/** The export menu, loaded on first use: the view's events in three formats, or an evidence bundle. */
export function ExportMenu({ links, openedWith }: { links: ExportLinks } & LazyMenuProps) {
  const focusFirstItem = useFirstOpenFocus(openedWith);
  return (
    <DropdownMenu defaultOpen>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm">
          <Download aria-hidden /> Export
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-72" onFocus={focusFirstItem}>
        <DropdownMenuLabel>The events this view shows</DropdownMenuLabel>
        <DropdownMenuItem asChild>
          <a href={links.jsonl} download>
            JSON Lines
          </a>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <a href={links.csv} download>
            CSV
          </a>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <a href={links.ocsf} download>
            OCSF (API Activity)
          </a>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="font-normal text-muted-foreground">Whole chains in the range, with signed checkpoints, to verify offline</DropdownMenuLabel>
        <DropdownMenuItem asChild>
          <a href={links.bundle} download data-testid="export-bundle">
            Evidence bundle (.tar.gz)
          </a>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
