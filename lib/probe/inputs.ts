import { z } from "zod";
import { PROBE_PROTOCOL_VERSIONS } from "./types";

/** What a probe run is asked with (console, API): the server, the mode, and optionally the version. */
export const startProbeInput = z.strictObject({
  serverId: z.uuid("Must be a server id"),
  mode: z.enum(["anonymous", "active"], "Must be anonymous or active").default("anonymous"),
  protocolVersion: z.enum(PROBE_PROTOCOL_VERSIONS, `Must be one of ${PROBE_PROTOCOL_VERSIONS.join(", ")}`).optional(),
});
export type StartProbeInput = z.input<typeof startProbeInput>;

/** The owners' probe settings for a server: active checks allowed, and the step-up tool for T9. */
export const probeSettingsInput = z.strictObject({
  serverId: z.uuid("Must be a server id"),
  activeOptIn: z.boolean("Must be true or false"),
  stepUpTool: z
    .string("Must be text")
    .trim()
    .max(128, "At most 128 characters")
    .regex(/^[A-Za-z0-9_.\-/]*$/, "A tool name: letters, digits, _ . - and /")
    .nullish()
    .transform((v) => (v ? v : null)),
});
