/**
 * Runs once when the server starts. A bad environment stops start-up here, with a message naming
 * each bad variable, rather than failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    await import("./lib/startup");
  }
}
