"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Fragment } from "react";
import { Breadcrumb, BreadcrumbItem, BreadcrumbLink, BreadcrumbList, BreadcrumbPage, BreadcrumbSeparator } from "@/components/ui/breadcrumb";
import { useCrumbLabels } from "./crumb-labels";
import { NOT_PAGES, SEGMENT_LABELS, SEGMENT_PARENTS } from "./nav";

/**
 * Breadcrumbs from the URL: section labels for known segments, the name a detail page gave its id
 * (<CrumbLabel>), and a shortened id for the rest.
 */
export function Breadcrumbs() {
  const pathname = usePathname();
  const named = useCrumbLabels();
  const segments = pathname.split("/").filter(Boolean);
  const crumbs: { label: string; href?: string }[] = [];
  if (segments.length === 0) crumbs.push({ label: "Overview" });
  const parent = segments[0] ? SEGMENT_PARENTS[segments[0]] : undefined;
  if (parent) crumbs.push({ label: parent });
  segments.forEach((segment, i) => {
    const href = `/${segments.slice(0, i + 1).join("/")}`;
    const label =
      SEGMENT_LABELS[segment] ??
      named.get(segment) ?? (segment.length > 14 ? `${decodeURIComponent(segment).slice(0, 8)}…` : decodeURIComponent(segment));
    // "/settings" itself only redirects, and a control's path is only the way to its form: not links.
    crumbs.push({ label, href: NOT_PAGES.some((p) => p.test(href)) ? undefined : href });
  });

  return (
    <Breadcrumb className="min-w-0">
      <BreadcrumbList className="flex-nowrap">
        {crumbs.map((crumb, i) => {
          const last = i === crumbs.length - 1;
          return (
            <Fragment key={`${crumb.label}-${i}`}>
              <BreadcrumbItem className={i < crumbs.length - 2 ? "hidden md:inline-flex" : "truncate"}>
                {last || !crumb.href ? (
                  <BreadcrumbPage className={last ? undefined : "text-muted-foreground font-normal"}>{crumb.label}</BreadcrumbPage>
                ) : (
                  <BreadcrumbLink asChild>
                    <Link href={crumb.href}>{crumb.label}</Link>
                  </BreadcrumbLink>
                )}
              </BreadcrumbItem>
              {!last && <BreadcrumbSeparator className={i < crumbs.length - 2 ? "hidden md:inline-flex" : undefined} />}
            </Fragment>
          );
        })}
      </BreadcrumbList>
    </Breadcrumb>
  );
}
