/**
 * GET /api/v1/audit-events/bundle — an evidence bundle (events, checkpoints, public keys and a
 * manifest of hashes) as a .tar.gz, checked offline by `npm run verify` (audit.export).
 */
export { exportAuditBundle as GET } from "@/lib/api/handlers/audit-bundle";
