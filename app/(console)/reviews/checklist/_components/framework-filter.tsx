import Link from "next/link";
import { cn } from "@/lib/cn";
import { FRAMEWORKS, type Framework } from "@/lib/reviews/checklist-types";
import { FRAMEWORK_LABELS } from "./labels";

/** Links that keep only the controls referencing one framework (?framework=CSF). No script needed. */
export function FrameworkFilter({ basePath, current }: { basePath: string; current?: Framework }) {
  const chip = "inline-flex h-7 items-center rounded-md border px-2.5 text-xs font-medium transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none";
  return (
    <nav aria-label="Filter by framework" className="flex flex-wrap items-center gap-1.5">
      <span className="mr-1 text-xs text-muted-foreground">Framework</span>
      <Link href={basePath} aria-current={current ? undefined : "page"} className={cn(chip, !current && "border-primary bg-primary text-primary-foreground hover:bg-primary/90 hover:text-primary-foreground")}>
        All
      </Link>
      {FRAMEWORKS.map((f) => (
        <Link
          key={f}
          href={`${basePath}?framework=${f}`}
          title={FRAMEWORK_LABELS[f]}
          aria-current={current === f ? "page" : undefined}
          className={cn(chip, current === f && "border-primary bg-primary text-primary-foreground hover:bg-primary/90 hover:text-primary-foreground")}
        >
          {f}
        </Link>
      ))}
    </nav>
  );
}

export function parseFramework(value: string | string[] | undefined): Framework | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return (FRAMEWORKS as readonly string[]).includes(v ?? "") ? (v as Framework) : undefined;
}
