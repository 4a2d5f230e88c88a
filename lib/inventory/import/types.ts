/**
 * Types and limits of an import that both the server and the browser use. No database or server
 * imports here: the import screen (a client component) imports this file.
 */
import type { AuthProfile, DataClassification, Environment, Transport } from "@/db/schema/vocabulary";

export const IMPORT_LIMITS = {
  /** Bytes per file (UTF-8). */
  maxBytes: 5 * 1024 * 1024,
  /** Servers per import. */
  maxEntries: 5000,
} as const;

export const IMPORT_FORMATS = ["registry", "client_config", "csv", "unknown"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const IMPORT_FORMAT_LABELS: Record<ImportFormat, string> = {
  registry: "MCP registry server.json",
  client_config: "MCP client configuration",
  csv: "CSV",
  unknown: "Unreadable file",
};

/** One package of a server, as stored in `servers.packages` (the registry's Package, trimmed). */
export type DraftPackage = {
  registryType: string;
  identifier: string;
  version?: string;
  registryBaseUrl?: string;
  fileSha256?: string;
  transport?: string;
  runtimeHint?: string;
};

/**
 * What an entry of the file says about a server. A field that is `undefined` is not provided by the
 * file: a new server gets the default, an existing server keeps what it has.
 */
export type ServerDraft = {
  /** null when the file gives no usable name (and none could be proposed). */
  name: string | null;
  /** True when Steward proposed the name (a client config's bare key): the person may change it. */
  nameProposed: boolean;
  title?: string | null;
  /** A title for a new server only (a client config's key); never overwrites an existing title. */
  defaultTitle?: string;
  description?: string;
  version?: string | null;
  transport?: Transport;
  endpointUrl?: string | null;
  /** A remote URL that still holds a placeholder Steward cannot fill in: the person gives the URL. */
  endpointTemplate?: string;
  packages?: DraftPackage[];
  repositoryUrl?: string | null;
  websiteUrl?: string | null;
  /** The registry-shaped document kept for provenance, secret values removed. */
  serverJson?: Record<string, unknown> | null;
  // CSV only: references resolved against the database in the preview.
  environment?: Environment;
  dataClassification?: DataClassification;
  authProfile?: AuthProfile;
  tags?: string[];
  team?: string;
  primaryOwnerEmail?: string;
  backupOwnerEmail?: string;
};

export type ParsedEntry = {
  /** Position in the file, from 0; the screen shows it from 1. */
  index: number;
  /** What the file calls it: the server name, the client config's key, or "row 3". */
  key: string;
  /** Where it is in the file: "servers.sentry", "document 2", "row 3". */
  location: string;
  draft?: ServerDraft;
  /** Why the entry cannot be imported, as found while reading the file. */
  error?: string;
  /** Names of values that were dropped and never stored (environment variables, headers, arguments). */
  secretsDropped: string[];
  notes: string[];
};

export type ParsedImport = {
  format: ImportFormat;
  /** A finer description: "VS Code (servers + inputs)", "registry API list response", … */
  variant: string;
  fileName: string;
  bytes: number;
  fileSha256: string;
  entries: ParsedEntry[];
  notes: string[];
};

export const PREVIEW_STATUSES = ["new", "updated", "unchanged", "invalid", "skipped"] as const;
export type PreviewStatus = (typeof PREVIEW_STATUSES)[number];

export type PreviewChange = { field: string; label: string; before: string; after: string };

export type PreviewEntry = {
  index: number;
  key: string;
  location: string;
  status: PreviewStatus;
  /** The name the server would have (after the person's override), or null. */
  name: string | null;
  nameProposed: boolean;
  title: string | null;
  transport: Transport | null;
  endpointUrl: string | null;
  /** Set when the person must give the endpoint URL (the file's URL has a placeholder). */
  endpointTemplate: string | null;
  /** One line per package: "npm @scope/pkg@1.2.3". */
  packages: string[];
  /** Why an entry is invalid (or skipped). */
  reasons: string[];
  /** For `updated`: each field that would change. */
  changes: PreviewChange[];
  secretsDropped: string[];
  notes: string[];
  /** The existing server (updated / unchanged). */
  existingId: string | null;
};

export type ImportDefaults = { teamId?: string; environment?: Environment; dataClassification?: DataClassification };

export type ImportPreview = {
  format: ImportFormat;
  formatLabel: string;
  variant: string;
  fileName: string;
  bytes: number;
  entries: PreviewEntry[];
  counts: Record<PreviewStatus, number>;
  /** How many values (secrets and other env/header values) were dropped, over the included entries. */
  secretsDropped: number;
  notes: string[];
  /** True when nothing is invalid and at least one server would be created or updated. */
  canApply: boolean;
};

export type ImportApplyResult =
  | { status: "applied"; created: { id: string; name: string }[]; updated: { id: string; name: string }[]; preview: ImportPreview }
  /** Something is invalid: nothing was written. */
  | { status: "blocked"; preview: ImportPreview }
  /** Every entry is unchanged (or left out): nothing was written. */
  | { status: "nothing_to_do"; preview: ImportPreview };

/** Options the person sets in the preview; the same for preview and apply. */
export type ImportOptions = {
  names?: Record<string, string>;
  endpointUrls?: Record<string, string>;
  defaults?: ImportDefaults;
  exclude?: number[];
};
