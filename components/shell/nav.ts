import { Activity, Bot, ClipboardCheck, FileCheck2, KeyRound, LayoutDashboard, LogIn, ScrollText, Server, Users } from "lucide-react";
import type { LucideIcon } from "lucide-react";
import type { Permission } from "@/lib/auth/permissions";

export type NavItem = { href: string; label: string; icon: LucideIcon; permission?: Permission; anyOf?: Permission[] };
export type NavSection = { label?: string; items: NavItem[] };

/** The console's navigation. An item shows only to people whose permissions open its page. */
export const NAV: NavSection[] = [
  { items: [{ href: "/", label: "Overview", icon: LayoutDashboard }] },
  {
    label: "Inventory",
    items: [
      { href: "/servers", label: "Servers", icon: Server, permission: "servers.read" },
      { href: "/agents", label: "Agents", icon: Bot, permission: "agents.read" },
    ],
  },
  {
    label: "Governance",
    items: [
      { href: "/reviews", label: "Reviews", icon: ClipboardCheck, permission: "reviews.read" },
      { href: "/attestations", label: "Attestations", icon: FileCheck2, permission: "attestations.read" },
      { href: "/audit", label: "Audit", icon: ScrollText, permission: "audit.read" },
    ],
  },
];

export const SETTINGS_NAV: NavItem[] = [
  { href: "/settings/people", label: "People & teams", icon: Users, permission: "settings.read" },
  { href: "/settings/activity", label: "Activity", icon: Activity, permission: "activity.read" },
  { href: "/settings/tokens", label: "API tokens", icon: KeyRound, permission: "tokens.manage" },
  { href: "/settings/sign-in", label: "Sign-in", icon: LogIn, permission: "settings.read" },
];

/** Labels for breadcrumb segments. */
export const SEGMENT_LABELS: Record<string, string> = {
  servers: "Servers",
  agents: "Agents",
  reviews: "Reviews",
  attestations: "Attestations",
  audit: "Audit",
  settings: "Settings",
  people: "People & teams",
  activity: "Activity",
  tokens: "API tokens",
  "sign-in": "Sign-in",
};

export const SEGMENT_PARENTS: Record<string, string> = { servers: "Inventory", agents: "Inventory" };

/** The hrefs this person's permissions open: computed on the server, passed to the client nav. */
export function allowedHrefs(permissions: ReadonlySet<Permission>): string[] {
  return [...NAV.flatMap((s) => s.items), ...SETTINGS_NAV].filter((i) => !i.permission || permissions.has(i.permission)).map((i) => i.href);
}
