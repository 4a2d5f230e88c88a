import { createHash } from "node:crypto";

/**
 * Deterministic randomness for the demo seed: the same organisation on every run, so screenshots
 * and tests are stable. Every entity draws from its own stream (seeded by a label such as
 * `server:com.northwind/k8s-ops`), so adding one server does not reshuffle all the others.
 */

/** mulberry32: a tiny 32-bit PRNG, good enough for demo data (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn a label into a 32-bit seed. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const SEED_SALT = "northwind-analytics/v1";

export class Random {
  private readonly next: () => number;

  constructor(label: string) {
    this.next = mulberry32(hashLabel(`${SEED_SALT}:${label}`));
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, Math.min(count, items.length)));
  }

  /** Lower-case hex digits. */
  hex(length: number): string {
    let out = "";
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** Characters from an alphabet. */
  chars(length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** A random-looking (version 4 format) UUID from this stream. */
  uuid(): string {
    return formatUuid(this.hex(32));
  }
}

/**
 * A stable UUID for a seeded row, derived from what the row is (`server`, `com.northwind/k8s-ops`):
 * the same ids on every run, so links in screenshots and tests do not change.
 */
export function seedId(kind: string, key: string): string {
  return formatUuid(createHash("sha256").update(`${SEED_SALT}:${kind}:${key}`).digest("hex").slice(0, 32));
}

function formatUuid(hex32: string): string {
  const h = hex32.split("");
  h[12] = "4"; // version 4 layout
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16); // RFC 4122 variant
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

// ---- Time relative to "now" ----------------------------------------------------------------------

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `now` minus some days (fractions allowed). */
export function daysAgo(now: Date, days: number): Date {
  return new Date(now.getTime() - Math.round(days * DAY));
}

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + Math.round(ms));
}

export function addDays(date: Date, days: number): Date {
  return addMs(date, days * DAY);
}

export function maxDate(...dates: (Date | null | undefined)[]): Date {
  const present = dates.filter((d): d is Date => d instanceof Date);
  return new Date(Math.max(...present.map((d) => d.getTime())));
}

export function minDate(...dates: (Date | null | undefined)[]): Date {
  const present = dates.filter((d): d is Date => d instanceof Date);
  return new Date(Math.min(...present.map((d) => d.getTime())));
}
