import coreWebVitals from "eslint-config-next/core-web-vitals";
import typescript from "eslint-config-next/typescript";

const nextAuthReact = { name: "next-auth/react", message: "Sessions are read on the server (lib/auth); the browser never decides access." };

const config = [
  ...coreWebVitals,
  ...typescript,
  {
    ignores: [".next/**", ".next-*/**", "dist/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "db/migrations/**"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            nextAuthReact,
            { name: "sonner", message: "Use toast from @/components/toast: it keeps sonner out of the page's first-load JavaScript." },
          ],
        },
      ],
    },
  },
  {
    // The one module that loads sonner: the toaster, which loads after the page is interactive.
    files: ["components/ui/sonner.tsx"],
    rules: { "no-restricted-imports": ["error", { paths: [nextAuthReact] }] },
  },
];

export default config;
