import { EnvError, getEnv } from "./env";

// Imported once by instrumentation.ts in the Node.js runtime, when the server starts.
try {
  const env = getEnv();
  const database = env.DATABASE_URL ? "Postgres (DATABASE_URL)" : `embedded PGlite in ${env.STEWARD_DATA_DIR}`;
  const signIn = [env.AUTH_OIDC_ISSUER ? `OpenID Connect (${env.AUTH_OIDC_ISSUER})` : null, env.demoSignIn ? "demo sign-in" : null].filter(Boolean).join(" + ");
  console.log(`[steward] database: ${database}; sign-in: ${signIn || "none"}`);
  // Scheduled work (the review sweep) runs on the app's own timer unless turned off.
  void import("./jobs/scheduler").then(({ startScheduler }) => startScheduler());
} catch (err) {
  if (err instanceof EnvError) {
    console.error(`\n${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
