/**
 * Write docs/audit-event.schema.json from the event's zod schema (lib/audit/event.ts), so the
 * documented JSON Schema is the one ingestion validates with. `npm run docs:audit-schema`;
 * lib/audit/event.test.ts fails when the file is out of date.
 */
import { writeFileSync } from "node:fs";
import { auditEventJsonSchema } from "../lib/audit/event";

const path = new URL("../docs/audit-event.schema.json", import.meta.url);
writeFileSync(path, `${JSON.stringify(auditEventJsonSchema(), null, 2)}\n`);
console.log(`docs/audit-event.schema.json written`);
