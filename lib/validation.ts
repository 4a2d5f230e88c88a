import { z } from "zod";

// C0 control characters other than tab and newline, DEL, and the ANSI escape: Postgres refuses NUL
// outright, and the rest only ever arrive from hostile or broken clients (terminal escapes in a name).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * Text from a person or a machine: trimmed, length-checked, and refused (with a message naming
 * the problem) when it holds control characters, instead of failing in the database as a 500.
 */
export function text(options: { min?: number; max: number; minMessage?: string; multiline?: boolean }) {
  let schema = z
    .string("Must be text")
    .trim()
    .max(options.max, `At most ${options.max} characters`)
    .refine((v) => !CONTROL.test(v), "Contains control characters")
    .refine((v) => options.multiline || !/[\r\n]/.test(v), "Must be a single line");
  if (options.min) schema = schema.refine((v) => v.length >= options.min!, options.minMessage ?? `At least ${options.min} characters`);
  return schema;
}

/** A search box: control characters are dropped rather than refused (it is only a filter). */
export function searchText(max = 200) {
  return z
    .string()
    .transform((v) => v.replace(new RegExp(CONTROL.source, "g"), "").trim())
    .pipe(z.string().max(max, `At most ${max} characters`))
    .transform((v) => v || undefined);
}
