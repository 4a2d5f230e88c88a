import { describe, expect, test } from "vitest";
import { serverNameProblem } from "@/lib/inventory/rules";
import { proposeServerName, reverseDns, slugify, uniqueName } from "./names";
import { cleanUrl, displayText, looksLikeSecretValue, sanitizeArgs, textProblem } from "./sanitize";

describe("proposed names", () => {
  test.each([
    ["sentry", { kind: "remote", url: "https://mcp.sentry.dev/mcp" }, "dev.sentry.mcp/sentry"],
    ["Sentry", { kind: "remote", url: "https://mcp.sentry.dev/mcp/renderiq/javascript-nextjs" }, "dev.sentry.mcp/sentry"],
    ["github", { kind: "package", registryType: "npm", identifier: "@modelcontextprotocol/server-github" }, "io.github.modelcontextprotocol/server-github"],
    ["fetch", { kind: "package", registryType: "pypi", identifier: "mcp-server-fetch" }, "io.pypi/mcp-server-fetch"],
    ["chrome", { kind: "package", registryType: "npm", identifier: "chrome-devtools-mcp" }, "io.npmjs/chrome-devtools-mcp"],
    ["gh", { kind: "package", registryType: "oci", identifier: "ghcr.io/github/github-mcp-server:1.0" }, "io.github.github/github-mcp-server"],
    ["git", { kind: "package", registryType: "oci", identifier: "mcp/git" }, "io.docker.mcp/git"],
    ["q", { kind: "package", registryType: "oci", identifier: "quay.io/acme/tool" }, "io.quay.acme/tool"],
    ["LLM Text", { kind: "remote", url: "https://mcp.llmtxt.dev/sse" }, "dev.llmtxt.mcp/llm-text"],
    ["figma", { kind: "remote", url: "http://127.0.0.1:3845/mcp" }, "local/figma"],
    ["jira", { kind: "remote", url: "http://localhost:8100/mcp" }, "local/jira"],
    ["ha", { kind: "remote", url: "https://${input:home-assistant-domain}/mcp_server/sse" }, "local/ha"],
    ["fn", { kind: "remote", url: "https://${input:functionapp-name}.azurewebsites.net/runtime/webhooks/mcp" }, "net.azurewebsites/fn"],
    ["Ünïcode ☃ server!", { kind: "local" }, "local/unicode-server"],
    ["<script>", { kind: "local" }, "local/script"],
    ["!!!", { kind: "local" }, "local/server"],
  ] as const)("%s → %s", (key, source, expected) => {
    const name = proposeServerName(key, source);
    expect(name).toBe(expected);
    expect(serverNameProblem(name)).toBeNull();
  });

  test("every proposal obeys the registry's name rule, even for hostile keys", () => {
    for (const key of ["a".repeat(1000), "../../etc/passwd", "\u0000\u0007", "名前", "a/b/c", " "]) {
      expect(serverNameProblem(proposeServerName(key, { kind: "local" })), key).toBeNull();
      expect(serverNameProblem(proposeServerName(key, { kind: "remote", url: "https://very.long.host.example.com/x" })), key).toBeNull();
    }
  });

  test("uniqueName adds -2, -3 …", () => {
    const taken = new Set(["local/x", "local/x-2"]);
    expect(uniqueName("local/x", taken)).toBe("local/x-3");
    expect(uniqueName("local/y", taken)).toBe("local/y");
  });

  test("reverseDns refuses addresses and local names", () => {
    expect(reverseDns("10.0.0.1")).toBeNull();
    expect(reverseDns("printer.local")).toBeNull();
    expect(reverseDns("api.example.com")).toBe("com.example.api");
    expect(slugify("  Hello, World  ")).toBe("hello-world");
  });
});

describe("secret hygiene", () => {
  test("well-known token shapes and long random strings look like secrets; paths and words do not", () => {
    for (const v of ["ghp_abcdefghijklmnopqrstuvwxyz0123", "xoxb-1234567890-abcdefghij", "sk-proj-abcdefghijklmnop1234", "AKIAIOSFODNN7EXAMPLE", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "Bearer abc", "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6"]) {
      expect(looksLikeSecretValue(v), v).toBe(true);
    }
    for (const v of ["/Users/YOUR_USERNAME/apps/MCP", "mcp-server-fetch", "@modelcontextprotocol/server-filesystem", "stdio", "8080", "https://example.com/a/b", "--rm"]) {
      expect(looksLikeSecretValue(v), v).toBe(false);
    }
  });

  test("sanitizeArgs drops secret flags' values, secret-looking values and ${input:…}", () => {
    expect(sanitizeArgs(["--port", "8080", "--token", "abc", "--api-key=xyz", "${input:pat}", "ghp_abcdefghijklmnopqrstuvwxyz0123", "--verbose"])).toEqual({
      args: ["--port", "8080", "--token", "--api-key=", "--verbose"],
      dropped: ["argument --token", "argument --api-key", "argument 6", "argument 7"],
    });
  });

  test("cleanUrl removes credentials and keeps a clean URL's exact text", () => {
    expect(cleanUrl("https://mcp.example.com")).toEqual({ ok: true, url: "https://mcp.example.com", dropped: [] });
    expect(cleanUrl("https://u:p@mcp.example.com/mcp?api_key=1&x=2")).toEqual({ ok: true, url: "https://mcp.example.com/mcp?x=2", dropped: ["URL user name and password", "URL parameter api_key"] });
    expect(cleanUrl("javascript:alert(1)")).toMatchObject({ ok: false, problem: "must be an http:// or https:// URL" });
    expect(cleanUrl("https://${input:host}/mcp")).toMatchObject({ ok: false, template: "https://${input:host}/mcp" });
    expect(cleanUrl("https://u:secret@${input:host}/mcp")).toMatchObject({ ok: false, template: "https://${input:host}/mcp", dropped: ["URL user name and password"] });
  });

  test("text checks and display", () => {
    expect(textProblem("ok", { max: 5 })).toBeNull();
    expect(textProblem("a\nb", { max: 5 })).toBe("must be a single line");
    expect(textProblem("a\nb", { max: 5, multiline: true })).toBeNull();
    expect(textProblem("abcdef", { max: 5 })).toBe("at most 5 characters (it has 6)");
    expect(textProblem("\ud800", { max: 5 })).toMatch(/cannot be stored/);
    expect(displayText("a\u0000b\u001bc", 10)).toBe("a\u2400b\u241bc");
    expect(displayText("x".repeat(300), 10)).toBe(`${"x".repeat(10)}…`);
  });
});
