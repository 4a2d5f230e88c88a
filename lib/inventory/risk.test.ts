import { describe, expect, it } from "vitest";
import { serverRiskScore } from "./risk";

describe("server risk score", () => {
  const base = { dataClassification: "internal", authProfile: "oauth_dcr", environment: "dev", multiTenant: false, toolRisks: [] } as const;

  it("rises with data classification, weak authentication, risky tools and production", () => {
    const low = serverRiskScore(base);
    expect(serverRiskScore({ ...base, dataClassification: "restricted" })).toBeGreaterThan(low);
    expect(serverRiskScore({ ...base, authProfile: "none" })).toBeGreaterThan(serverRiskScore({ ...base, authProfile: "static_api_key" }));
    expect(serverRiskScore({ ...base, toolRisks: ["high", "high"] })).toBeGreaterThan(serverRiskScore({ ...base, toolRisks: ["low", "low"] }));
    expect(serverRiskScore({ ...base, environment: "prod" })).toBeGreaterThan(low);
  });

  it("stays within 0–100 and caps the tools' share", () => {
    const worst = serverRiskScore({ dataClassification: "restricted", authProfile: "none", environment: "prod", multiTenant: true, toolRisks: Array(50).fill("high") });
    expect(worst).toBeLessThanOrEqual(100);
    expect(serverRiskScore({ ...base, toolRisks: Array(4).fill("high") })).toBe(serverRiskScore({ ...base, toolRisks: Array(40).fill("high") }));
  });
});
