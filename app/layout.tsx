import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { ThemeProvider } from "@/components/theme-provider";
import { LazyToaster } from "@/components/lazy-toaster";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Steward", template: "%s · Steward" },
  description: "Governance console for MCP servers and the AI agents that call them.",
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f9fafb" },
    { media: "(prefers-color-scheme: dark)", color: "#0b0d13" },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Set per request by proxy.ts; next-themes' inline script needs it under the CSP.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-dvh bg-background font-sans text-foreground antialiased">
        <ThemeProvider nonce={nonce}>
          {children}
          <LazyToaster />
        </ThemeProvider>
      </body>
    </html>
  );
}
