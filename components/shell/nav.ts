import { Activity, Bot, Inbox, ClipboardCheck, FileCheck2, KeyRound, LayoutDashboard, LogIn, ScrollText, Server, UserRound, UserX, Users } from "lucide-react";
import type { LucideIcon } from "lucide-react";
import type { Permission } from "@/lib/auth/permissions";

/** Counts the shell shows beside a navigation item (computed by the console layout, one count each). */
export type NavBadges = { orphans: number; incomingTransfers: number; inbox: number };

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
  permission?: Permission;
  anyOf?: Permission[];
  /** A count shown beside the label when above zero, and the link's accessible name with it. */
  badge?: { key: keyof NavBadges; describe: (n: number) => string; tone: "attention" | "info" };
};
export type NavSection = { label?: string; items: NavItem[] };

/** The console's navigation. An item shows only to people whose permissions open its page. */
export const NAV: NavSection[] = [
  {
    items: [
      { href: "/", label: "Overview", icon: LayoutDashboard },
      {
        href: "/inbox",
        label: "Inbox",
        icon: Inbox,
        permission: "reviews.read",
        badge: { key: "inbox", tone: "attention", describe: (n) => `${n} ${n === 1 ? "item waits" : "items wait"} for you` },
      },
      {
        href: "/mine",
        label: "My assets",
        icon: UserRound,
        permission: "servers.read",
        badge: { key: "incomingTransfers", tone: "info", describe: (n) => `${n} ${n === 1 ? "transfer waits" : "transfers wait"} for you` },
      },
    ],
  },
  {
    label: "Inventory",
    items: [
      { href: "/servers", label: "Servers", icon: Server, permission: "servers.read" },
      { href: "/agents", label: "Agents", icon: Bot, permission: "agents.read" },
      {
        href: "/orphans",
        label: "Orphans",
        icon: UserX,
        permission: "servers.read",
        badge: { key: "orphans", tone: "attention", describe: (n) => `${n} ${n === 1 ? "needs" : "need"} an owner` },
      },
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
  mine: "My assets",
  orphans: "Orphans",
  new: "New",
  edit: "Edit",
  credentials: "Credentials",
  grants: "Grants",
  tools: "Tools",
  probes: "Probes",
  compare: "Compare",
  import: "Import",
  checklist: "Checklist",
  frameworks: "Framework coverage",
  inbox: "Inbox",
  versions: "Versions",
  controls: "Controls",
};

/** Paths in the breadcrumbs that are no page (they are shown, not linked). */
export const NOT_PAGES: readonly RegExp[] = [/^\/settings$/, /^\/reviews\/checklist\/versions\/[^/]+\/controls(?:\/[^/]+)?$/];

export const SEGMENT_PARENTS: Record<string, string> = { servers: "Inventory", agents: "Inventory", orphans: "Inventory" };

/** The hrefs this person's permissions open: computed on the server, passed to the client nav. */
export function allowedHrefs(permissions: ReadonlySet<Permission>): string[] {
  return [...NAV.flatMap((s) => s.items), ...SETTINGS_NAV].filter((i) => !i.permission || permissions.has(i.permission)).map((i) => i.href);
}
