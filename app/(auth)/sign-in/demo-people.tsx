"use client";

import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { Role } from "@/db/schema/auth";
import { ROLE_LABELS as ROLE_LABEL } from "@/lib/auth/permissions";

type Person = { id: string; name: string; email: string; role: Role; title: string | null };

const ROLE_ORDER: Role[] = ["admin", "reviewer", "auditor", "member"];

export function DemoPeople({ people, redirectTo, action }: { people: Person[]; redirectTo: string; action: (formData: FormData) => Promise<void> }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (p: Person) => !q || p.name.toLowerCase().includes(q) || p.email.includes(q) || (p.title ?? "").toLowerCase().includes(q);
    return ROLE_ORDER.map((role) => ({ role, people: people.filter((p) => p.role === role && match(p)) })).filter((g) => g.people.length > 0);
  }, [people, query]);

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="demo-search">Find a person</Label>
        <Input id="demo-search" type="search" placeholder="Name, email or title" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </div>
      <div className="-mx-2 max-h-80 overflow-y-auto px-2" aria-live="polite">
        {groups.length === 0 && <p className="py-6 text-center text-sm text-muted-foreground">Nobody matches “{query}”.</p>}
        {groups.map((group) => (
          <section key={group.role} aria-label={ROLE_LABEL[group.role]} className="flex flex-col gap-1 py-1">
            <h2 className="pt-2 text-xs font-semibold uppercase tracking-wide text-muted-foreground">{ROLE_LABEL[group.role]}</h2>
            <ul className="flex flex-col">
              {group.people.map((p) => (
                <li key={p.id}>
                  <form action={action} className="flex items-center justify-between gap-3 rounded-md px-2 py-1.5 hover:bg-muted">
                    <input type="hidden" name="personId" value={p.id} />
                    <input type="hidden" name="redirectTo" value={redirectTo} />
                    <div className="min-w-0">
                      <p className="truncate text-sm font-medium">{p.name}</p>
                      <p className="truncate text-xs text-muted-foreground">{p.title ?? p.email}</p>
                    </div>
                    <div className="flex shrink-0 items-center gap-2">
                      <Badge variant="outline" className="hidden sm:inline-flex">{ROLE_LABEL[p.role]}</Badge>
                      <Button type="submit" size="sm" variant="secondary" aria-label={`Sign in as ${p.name}`}>
                        Sign in
                      </Button>
                    </div>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
