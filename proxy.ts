import { NextResponse, type NextRequest } from "next/server";

/**
 * The proxy does three things and makes no authorization decision (that happens in lib/, on every
 * read and write): it sends visitors without a session cookie to sign-in, sets a per-request
 * nonce-based Content-Security-Policy, and gives every request an id for the activity log.
 */

const PUBLIC_PATHS = ["/sign-in", "/api/", "/_next/", "/favicon", "/icon", "/robots.txt"];
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some((c) => SESSION_COOKIES.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV !== "production";
  // A sign-in form posts to /api/auth and is redirected to the identity provider; browsers apply
  // form-action to that redirect, so the provider's origin must be allowed.
  let idp = "";
  try {
    if (process.env.AUTH_OIDC_ISSUER) idp = ` ${new URL(process.env.AUTH_OIDC_ISSUER).origin}`;
  } catch {
    // lib/env.ts reports a malformed issuer at start-up.
  }
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Radix positions popovers with inline style attributes, which nonces cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self'${idp}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isPublic = pathname === "/sign-in" || PUBLIC_PATHS.some((p) => pathname.startsWith(p));
  if (!isPublic && !hasSessionCookie(request)) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = pathname === "/" ? "" : `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return NextResponse.redirect(url);
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const requestId = /^[A-Za-z0-9._:-]{8,128}$/.test(request.headers.get("x-request-id") ?? "")
    ? request.headers.get("x-request-id")!
    : crypto.randomUUID();

  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("x-request-id", requestId);
  // Next.js reads the nonce for its own scripts from the request's CSP header.
  headers.set("content-security-policy", csp);

  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  // Not for audit ingestion (POST /api/v1/audit-events): megabyte bodies many times a second, for
  // which Next.js would buffer the body again to hand it on, and JSON answers need no CSP; the
  // request id is made in lib/request-context.ts when the proxy has not set one.
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt|api/v1/audit-events$).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
