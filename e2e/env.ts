/**
 * Where the browser tests find the console and the identity provider. Overridable, so that two
 * checkouts (or two engineers on one machine) can run the suite side by side: each sets its own
 * E2E_APP_PORT, E2E_IDP_PORT, NEXT_DIST_DIR (its build) and E2E_STATE_DIR (its signed-in states).
 */
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const IDP_PORT = Number(process.env.E2E_IDP_PORT ?? 4010);
// localhost, not 127.0.0.1: next-auth's CSRF and state cookies are set for the host the browser uses.
export const BASE_URL = `http://localhost:${APP_PORT}`;
export const ISSUER = `http://127.0.0.1:${IDP_PORT}`;
/** Saved signed-in browser states and the matrix's API token (made by auth.setup.ts). */
export const STATE_DIR = process.env.E2E_STATE_DIR ?? "e2e/.auth";
