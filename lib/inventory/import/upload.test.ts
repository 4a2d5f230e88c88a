import { describe, expect, test } from "vitest";
import { decodeText, isSameOrigin, readImportUpload } from "./upload";
import { IMPORT_LIMITS } from "./types";

function upload(parts: Record<string, Blob | string>, headers: Record<string, string> = {}): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(parts)) form.append(k, v);
  return new Request("http://steward.test/api/v1/imports/preview", { method: "POST", body: form, headers });
}

describe("reading an upload", () => {
  test("the file, its name and the options", async () => {
    const req = upload({ file: new File(['{"mcpServers":{}}'], "claude_desktop_config.json"), options: JSON.stringify({ exclude: [1], names: { "0": "com.acme/x" } }) });
    expect(await readImportUpload(req)).toEqual({ text: '{"mcpServers":{}}', fileName: "claude_desktop_config.json", options: { exclude: [1], names: { "0": "com.acme/x" } } });
  });

  test("pasted text (a blob without a name) is 'pasted text'", async () => {
    expect((await readImportUpload(upload({ file: new Blob(["name\ncom.acme/x\n"]) }))).fileName).toBe("pasted text");
  });

  test("no file, bad options, wrong content type are clear 4xx", async () => {
    await expect(readImportUpload(upload({ options: "{}" }))).rejects.toMatchObject({ status: 422, fields: { file: ["Choose a file or paste its text."] } });
    await expect(readImportUpload(upload({ file: new Blob(["x"]), options: "{nope" }))).rejects.toMatchObject({ status: 422, fields: { options: ["Not valid JSON"] } });
    await expect(readImportUpload(upload({ file: new Blob(["x"]), options: "[1]" }))).rejects.toMatchObject({ status: 422 });
    const json = new Request("http://steward.test/x", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    await expect(readImportUpload(json)).rejects.toMatchObject({ status: 415 });
  });

  test("over 5 MB is a 413 naming the limit, whether declared or streamed", async () => {
    const big = new File([new Uint8Array(IMPORT_LIMITS.maxBytes + 1)], "big.json");
    await expect(readImportUpload(upload({ file: big }))).rejects.toMatchObject({ status: 413, message: "The file is larger than 5 MB, the limit per file." });
    // A body with no Content-Length is cut off while it streams.
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ > 8) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = new Request("http://steward.test/x", { method: "POST", body: stream, headers: { "content-type": "multipart/form-data; boundary=x" }, duplex: "half" } as RequestInit);
    await expect(readImportUpload(streamed)).rejects.toMatchObject({ status: 413 });
  });

  test("UTF-16 files (with a byte-order mark) are decoded", () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Array.from(Buffer.from('{"a":1}', "utf16le"))]);
    expect(decodeText(bytes)).toBe('{"a":1}');
    expect(decodeText(new TextEncoder().encode("é"))).toBe("é");
  });
});

describe("the session cookie counts only on same-origin requests", () => {
  const req = (headers: Record<string, string>) => new Request("http://steward.test/api/v1/imports", { method: "POST", headers });
  test.each([
    [{ host: "steward.test", origin: "http://steward.test", "sec-fetch-site": "same-origin" }, true],
    [{ host: "steward.test", origin: "http://steward.test" }, true],
    [{ host: "internal:3000", "x-forwarded-host": "steward.test", origin: "https://steward.test" }, true],
    [{ host: "steward.test", origin: "https://evil.example", "sec-fetch-site": "cross-site" }, false],
    [{ host: "steward.test", origin: "http://steward.test", "sec-fetch-site": "same-site" }, false],
    [{ host: "steward.test" }, false],
    [{ host: "steward.test", origin: "null" }, false],
  ])("%o → %s", (headers, expected) => {
    expect(isSameOrigin(req(headers))).toBe(expected);
  });
});
