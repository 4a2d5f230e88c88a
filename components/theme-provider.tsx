"use client";

import * as React from "react";
import { ThemeProvider as NextThemesProvider } from "next-themes";

type ThemeProviderProps = Omit<React.ComponentProps<typeof NextThemesProvider>, "nonce"> & {
  /** The request's CSP nonce; next-themes puts it on its inline theme script. */
  nonce?: string;
};

/**
 * The app's light/dark/system theme, as a class on <html> (which needs `suppressHydrationWarning`).
 *
 * next-themes renders an inline <script> that sets the class before first paint. It only has to
 * run from the server HTML: when React creates the element on the client (the provider remounting
 * after a root-layout change) it never executes, and React 19 logs "Encountered a script tag while
 * rendering React component". Rendering it on the client as a data block (`type="application/json"`)
 * avoids that; the server copy, which carries the nonce, is left untouched by hydration
 * (`suppressHydrationWarning` is set on it by next-themes).
 */
export function ThemeProvider({ children, nonce, scriptProps, ...props }: ThemeProviderProps) {
  const clientScriptProps = typeof window === "undefined" ? scriptProps : { ...scriptProps, type: "application/json" };

  return (
    <NextThemesProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      nonce={nonce}
      scriptProps={clientScriptProps}
      {...props}
    >
      {children}
    </NextThemesProvider>
  );
}
