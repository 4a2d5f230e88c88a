"use client";

import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { Brand, SidebarNav } from "./sidebar";

export function MobileNavSheet({ allowed, open, onOpenChange }: { allowed: string[]; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Sheet open={open} onOpenChange={onOpenChange}>
      <SheetContent side="left" className="flex w-72 flex-col gap-0 bg-sidebar p-0 text-sidebar-foreground">
        <SheetHeader className="border-b border-sidebar-border px-4 py-3">
          <SheetTitle asChild>
            <div>
              <Brand />
            </div>
          </SheetTitle>
          <SheetDescription className="sr-only">Console navigation</SheetDescription>
        </SheetHeader>
        <SidebarNav allowed={allowed} onNavigate={() => onOpenChange(false)} />
      </SheetContent>
    </Sheet>
  );
}
