/**
 * Test accounts of the test identity provider: one per role, plus people for the just-in-time and
 * deactivation flows. Emails match people in the demo seed (db/seed/people.ts) except `newcomer`
 * and `leaver`, who do not exist in Steward until they first sign in.
 */
export const ACCOUNTS = {
  admin: { email: "priya.raman@northwind.example", name: "Priya Raman", groups: ["steward-admins", "steward-users"] },
  reviewer: { email: "marcus.chen@northwind.example", name: "Marcus Chen", groups: ["steward-reviewers", "steward-users"] },
  auditor: { email: "elena.petrova@northwind.example", name: "Elena Petrova", groups: ["steward-auditors", "steward-users"] },
  owner: { email: "sam.okafor@northwind.example", name: "Sam Okafor", groups: ["steward-users"] },
  member: { email: "jordan.lee@northwind.example", name: "Jordan Lee", groups: ["steward-users"] },
  deactivated: { email: "taylor.brooks@northwind.example", name: "Taylor Brooks", groups: ["steward-users"] },
  newcomer: { email: "riley.nakamura@northwind.example", name: "Riley Nakamura", groups: ["steward-reviewers"] },
  leaver: { email: "morgan.hale@northwind.example", name: "Morgan Hale", groups: ["steward-users"] },
};

export const CLIENT = {
  client_id: "steward-e2e",
  client_secret: "steward-e2e-client-secret-not-a-real-secret",
};

export const ROLE_MAPPING = "steward-admins=admin,steward-reviewers=reviewer,steward-auditors=auditor";
