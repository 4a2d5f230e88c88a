// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Several dev servers can work on one checkout (one per engineer or agent), each with its own
  // build folder: NEXT_DIST_DIR=.next-mine npx next dev -p 3300.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite ships a WebAssembly build of Postgres and loads its files from its own package folder;
  // bundling it breaks those paths under `next dev` and `next build`.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-copy-streams"],
  poweredByHeader: false,
  devIndicators: false,
  typedRoutes: false,
  experimental: {
    // forbidden() and unauthorized() from next/navigation: a page refused by lib/ answers 403.
    authInterrupts: true,
    // Evidence files are uploaded through a server action: up to 10 MB (lib/reviews/evidence-files.ts)
    // plus the form's other fields.
    serverActions: { bodySizeLimit: "11mb" },
  },
  // Type-checking and linting run as their own CI steps (`npm run typecheck`, `npm run lint`);
  // doing them again inside `next build` would double the build time on two cores.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    // Headers that do not depend on the request. The nonce-based Content-Security-Policy is
    // per request and is set in proxy.ts.
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
