"use client";

import { Columns3 } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { useFirstOpenFocus, type LazyMenuProps } from "@/components/ui/lazy-menu";

export type ColumnMenuProps = {
  /** Every column a person may show, with its label, in display order (`name` first). */
  allColumns: { key: string; label: string }[];
  columns: string[];
  defaultColumns: string[];
  show: (next: string[]) => void;
};

/** The column chooser's menu, loaded by ColumnChooser (list-results.tsx) on first use. */
export function ColumnMenu({ allColumns, columns, defaultColumns, show, openedWith }: ColumnMenuProps & LazyMenuProps) {
  const focusFirstItem = useFirstOpenFocus(openedWith);
  return (
    <DropdownMenu defaultOpen>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm">
          <Columns3 aria-hidden /> Columns
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-56" onFocus={focusFirstItem}>
        <DropdownMenuLabel>Show columns</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {allColumns.map((c) => (
          <DropdownMenuCheckboxItem
            key={c.key}
            checked={c.key === "name" || columns.includes(c.key)}
            disabled={c.key === "name"}
            onSelect={(e) => e.preventDefault()}
            onCheckedChange={(on) => show(on ? [...columns, c.key] : columns.filter((k) => k !== c.key))}
          >
            {c.label}
          </DropdownMenuCheckboxItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => show(defaultColumns)}>Reset to default</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
