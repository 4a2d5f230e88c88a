export type TestAccount = { email: string; name: string; groups: string[] };
export declare const ACCOUNTS: Record<"admin" | "reviewer" | "auditor" | "owner" | "member" | "deactivated" | "newcomer" | "leaver", TestAccount>;
export declare const CLIENT: { client_id: string; client_secret: string };
export declare const ROLE_MAPPING: string;
