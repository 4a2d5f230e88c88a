import { aliasedTable, sql } from "drizzle-orm";
import { people } from "@/db/schema/auth";

/** The people table joined twice, as an asset's primary and backup owner. */
export const primaryOwner = aliasedTable(people, "primary_owner");
export const backupOwner = aliasedTable(people, "backup_owner");

/** An asset is orphaned when no owner it names is an active person (both left-joined above). */
export const orphaned = sql<boolean>`(coalesce(${primaryOwner.active}, false) = false and coalesce(${backupOwner.active}, false) = false)`;
