import type { AuthProfile, DataClassification, Environment, RiskLevel } from "@/db/schema/vocabulary";

const CLASSIFICATION: Record<DataClassification, number> = { public: 5, internal: 15, confidential: 30, restricted: 45 };
const AUTH: Record<AuthProfile, number> = {
  none: 30,
  static_api_key: 20,
  oauth_preregistered: 10,
  oauth_dcr: 5,
  oauth_cimd: 5,
  mtls: 3,
  workload_identity: 3,
};

/**
 * A server's risk score, 0–100: what its data is worth, how weakly it authenticates, how much its
 * tools can do, and where it runs. A heuristic to sort and filter by, stated here so it can be read.
 */
export function serverRiskScore(input: {
  dataClassification: DataClassification;
  authProfile: AuthProfile;
  environment: Environment;
  multiTenant: boolean;
  toolRisks: readonly RiskLevel[];
}): number {
  const high = input.toolRisks.filter((r) => r === "high").length;
  const medium = input.toolRisks.filter((r) => r === "medium").length;
  const tools = Math.min(20, high * 5 + medium * 2);
  const score = CLASSIFICATION[input.dataClassification] + AUTH[input.authProfile] + tools + (input.environment === "prod" ? 5 : 0) + (input.multiTenant ? 5 : 0);
  return Math.max(0, Math.min(100, score));
}
