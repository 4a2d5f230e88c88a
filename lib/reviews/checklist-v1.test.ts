import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BLOCKING_RULES, CHECKLIST_SUBJECTS, EVIDENCE_SOURCES, FRAMEWORKS, type BlockingRule, type EvidenceSource, type Framework, type FrameworkRef } from "./checklist-types";
import { CHECKLIST_V1 } from "./checklist-v1";

/** The checklist specification from Steward's design, copied into the repository as a fixture. */
const SPEC = readFileSync(path.resolve(import.meta.dirname, "../../test/fixtures/controls.md"), "utf8");

type SpecRow = { id: string; section: string; control: string; evidence: string; blocks: string; references: string };

/** Every control row of the specification's tables, in order, with the section heading above it. */
function specRows(markdown: string): SpecRow[] {
  const rows: SpecRow[] = [];
  let section = "";
  for (const line of markdown.split("\n")) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) section = heading[1]!.trim();
    if (!/^\| [A-Z]{2}-\d+ \|/.test(line)) continue;
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    if (cells.length !== 5) throw new Error(`Expected 5 cells in "${line}"`);
    const [id, control, evidence, blocks, references] = cells as [string, string, string, string, string];
    rows.push({ id, section, control, evidence, blocks, references });
  }
  return rows;
}

/** The "blocks" column, as a blocking rule. */
const BLOCKS: Record<string, BlockingRule> = {
  yes: "always",
  no: "never",
  "restricted data only": "restricted_data",
  "when multi-tenant": "multi_tenant",
  "renewal only": "renewal",
};

/** The evidence sources an evidence cell names, in the order it names them. */
function evidenceSources(cell: string): EvidenceSource[] {
  const found = cell.match(/\b(probe|inventory|attestation)\b/g) ?? [];
  return [...new Set(found)] as EvidenceSource[];
}

const PROBE_CHECK = /\b[NT]\d{1,2}\b/g;
const probeIds = (text: string) => [...new Set(text.match(PROBE_CHECK) ?? [])];

/**
 * Controls whose evidence column names what the probe reads rather than a check id. ID-2: the probe
 * reads `token_endpoint_auth_methods_supported` from the authorization-server metadata it fetches
 * in N7. ID-3: the issuer is recorded by N7 and compared with the resource's authorization server
 * in N8.
 */
const PROBE_CHECKS_FOR_NAMED_FIELDS: Record<string, string[]> = { "ID-2": ["N7"], "ID-3": ["N7", "N8"] };

const ID_SHAPES: Record<Framework, RegExp> = {
  ASI: /^ASI\d{2}$/,
  NHI: /^NHI\d{1,2}$/,
  CSF: /^[A-Z]{2}\.[A-Z]{2}-\d{2}$/,
  RMF: /^(GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+$/,
  MAESTRO: /^L[1-7]$/,
};

/**
 * The references column: "ASI03" and "NHI4" carry their framework in the id; "CSF PR.AA-01",
 * "RMF MANAGE 2.4" and "MAESTRO L7" name it first; a bare id ("PR.AA-02") continues the framework
 * named just before it.
 */
function parseReferences(cell: string): FrameworkRef[] {
  let continued: Framework | null = null;
  return cell.split(",").map((part) => {
    const token = part.trim();
    const own = /^(ASI|NHI)\d+$/.exec(token);
    const named = /^(CSF|RMF|MAESTRO) (.+)$/.exec(token);
    let ref: FrameworkRef;
    if (own) {
      ref = { framework: own[1] as Framework, id: token };
      continued = null;
    } else if (named) {
      ref = { framework: named[1] as Framework, id: named[2]! };
      continued = ref.framework;
    } else if (continued) {
      ref = { framework: continued, id: token };
    } else {
      throw new Error(`Unrecognised reference "${token}" in "${cell}"`);
    }
    if (!ID_SHAPES[ref.framework].test(ref.id)) throw new Error(`"${ref.id}" is not a ${ref.framework} id (in "${cell}")`);
    return ref;
  });
}

const rows = specRows(SPEC);
const controls = CHECKLIST_V1.controls;
const serverControls = controls.filter((c) => c.subject === "server");
const grantControls = controls.filter((c) => c.subject === "grant");
const control = (id: string) => {
  const found = controls.find((c) => c.id === id);
  if (!found) throw new Error(`No control ${id}`);
  return found;
};

describe("reading the specification", () => {
  it("finds every control row, in six sections", () => {
    expect(rows.map((r) => r.id)).toEqual([
      ...["ID-1", "ID-2", "ID-3", "ID-4", "ID-5"],
      ...["CR-1", "CR-2", "CR-3"],
      ...["AZ-1", "AZ-2", "AZ-3"],
      ...["DS-1", "DS-2", "DS-3"],
      ...["AU-1", "AU-2"],
      ...["LC-1", "LC-2", "LC-3", "LC-4"],
    ]);
    expect([...new Set(rows.map((r) => r.section))]).toEqual([
      "Identity and registration",
      "Credentials",
      "Authorization and scoping",
      "Discovery and transport",
      "Audit",
      "Lifecycle and accountability",
    ]);
  });

  it("parses references the way the specification writes them", () => {
    expect(parseReferences("ASI03, NHI4, CSF PR.AA-01, PR.AA-02, MAESTRO L7")).toEqual([
      { framework: "ASI", id: "ASI03" },
      { framework: "NHI", id: "NHI4" },
      { framework: "CSF", id: "PR.AA-01" },
      { framework: "CSF", id: "PR.AA-02" },
      { framework: "MAESTRO", id: "L7" },
    ]);
    expect(parseReferences("NHI1, CSF PR.AA-01, RMF MANAGE 2.4")).toEqual([
      { framework: "NHI", id: "NHI1" },
      { framework: "CSF", id: "PR.AA-01" },
      { framework: "RMF", id: "MANAGE 2.4" },
    ]);
    expect(() => parseReferences("ASI03, PR.AA-01")).toThrow(/Unrecognised/);
    expect(() => parseReferences("CSF PRAA01")).toThrow(/not a CSF id/);
  });
});

describe("checklist version 1 against the specification", () => {
  it("has every control of the specification, with the same id, section and order", () => {
    expect(serverControls.map((c) => [c.id, c.section])).toEqual(rows.map((r) => [r.id, r.section]));
  });

  it.each(rows)("$id: blocking follows the blocks column", (row) => {
    expect(Object.keys(BLOCKS)).toContain(row.blocks);
    expect(control(row.id).blocking).toBe(BLOCKS[row.blocks]);
  });

  it.each(rows)("$id: evidence sources are the ones the evidence column names", (row) => {
    expect(control(row.id).evidence).toEqual(evidenceSources(row.evidence));
  });

  it.each(rows)("$id: probe checks are the ones the evidence column names", (row) => {
    const c = control(row.id);
    const named = probeIds(row.evidence);
    const byField = PROBE_CHECKS_FOR_NAMED_FIELDS[row.id];
    if (byField) {
      // The exception only holds while the column mentions the probe without naming a check.
      expect(named).toEqual([]);
      expect(row.evidence).toMatch(/\bprobe\b/);
    }
    expect([...c.probeChecks].sort()).toEqual([...named, ...(byField ?? [])].sort());
    expect(c.probeChecks.length > 0).toBe(c.evidence.includes("probe"));
  });

  it.each(rows)("$id: references match the references column exactly", (row) => {
    expect(control(row.id).references).toEqual(parseReferences(row.references));
  });

  it.each(rows)("$id: title and thresholds are kept", (row) => {
    const c = control(row.id);
    const titled = /^([^:]{1,80}): (.+)$/.exec(row.control);
    if (titled) expect(c.title).toBe(titled[1]);
    const body = (titled ? titled[2]! : row.control).replaceAll("`", "");
    // Thresholds such as "≤ 1 hour", "≤ 24 h" and "≥ 1 year" appear word for word…
    for (const threshold of body.match(/[≤≥] \d+ \w+/g) ?? []) expect(c.requirement).toContain(threshold);
    // …and every number (90 and 30 days, RFC numbers, status codes) appears in the requirement.
    for (const n of body.match(/\b\d+(\.\d+)?\b/g) ?? []) expect(c.requirement).toMatch(new RegExp(`\\b${n.replace(".", "\\.")}\\b`));
  });

  it("marks exactly the controls the parallel identity path verdict names", () => {
    const line = SPEC.split("\n").find((l) => l.includes("**Parallel identity path**"));
    const named = line?.match(/[A-Z]{2}-\d+/g);
    expect(named).toEqual(["ID-3", "ID-4", "LC-2"]);
    expect(controls.filter((c) => c.parallelIdentityPath).map((c) => c.id)).toEqual(named);
  });
});

describe("checklist version 1 as data", () => {
  it("has a title and notes", () => {
    expect(CHECKLIST_V1.title).toBe("Production readiness for MCP servers and agent access");
    expect(CHECKLIST_V1.notes).toMatch(/version 1/i);
  });

  it("has unique ids", () => {
    expect(new Set(controls.map((c) => c.id)).size).toBe(controls.length);
  });

  it.each(controls)("$id: values come from the allowed lists", (c) => {
    expect(CHECKLIST_SUBJECTS).toContain(c.subject);
    expect(BLOCKING_RULES).toContain(c.blocking);
    expect(c.evidence.length).toBeGreaterThan(0);
    expect(new Set(c.evidence).size).toBe(c.evidence.length);
    for (const source of c.evidence) expect(EVIDENCE_SOURCES).toContain(source);
    for (const id of c.probeChecks) expect(id).toMatch(/^(N([1-9]|1[0-4])|T([1-9]|1[01]))$/);
    expect(c.references.length).toBeGreaterThan(0);
    for (const ref of c.references) {
      expect(FRAMEWORKS).toContain(ref.framework);
      expect(ref.id).toMatch(ID_SHAPES[ref.framework]);
    }
  });

  it.each(controls)("$id: title, requirement and guidance are written, each guidance field under 600 characters", (c) => {
    for (const value of [c.title, c.requirement, c.guidance.check, c.guidance.goodEvidence, c.guidance.why]) expect(value.trim()).not.toBe("");
    for (const value of Object.values(c.guidance)) expect(value.length).toBeLessThan(600);
  });

  it.each(controls)("$id: guidance mentions only its own probe checks", (c) => {
    const mentioned = probeIds(Object.values(c.guidance).join(" "));
    for (const id of mentioned) expect(c.probeChecks).toContain(id);
  });

  it.each(controls)("$id: has an attestation prompt exactly when attestation is a source", (c) => {
    if (c.evidence.includes("attestation")) expect(c.attestationPrompt?.trim()).toBeTruthy();
    else expect(c.attestationPrompt).toBeNull();
  });
});

describe("agent access grants", () => {
  it("are GR-1 to GR-5, after the server controls, in the grants section", () => {
    expect(SPEC).toContain("\n## Agent access grants\n");
    expect(grantControls.map((c) => c.id)).toEqual(["GR-1", "GR-2", "GR-3", "GR-4", "GR-5"]);
    expect(controls.slice(serverControls.length)).toEqual(grantControls);
    for (const c of grantControls) {
      expect(c.section).toBe("Agent access grants");
      expect(c.evidence).toContain("inventory");
      expect(c.parallelIdentityPath).toBe(false);
    }
  });

  it("follow the rules of the grants paragraph", () => {
    expect(control("GR-1").evidence).toEqual(["inventory", "attestation"]);
    expect(control("GR-3").requirement).toContain("≤ 90 days");
    expect(control("GR-4").requirement).toMatch(/ID-2[\s\S]*CR-1/);
    expect(grantControls.map((c) => c.blocking)).toEqual(["always", "always", "always", "always", "restricted_data"]);
  });
});
