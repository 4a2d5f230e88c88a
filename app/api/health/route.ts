import { sql } from "drizzle-orm";
import { NextResponse } from "next/server";
import { getDbHandle } from "@/db";

/**
 * Liveness and readiness for load balancers: 200 when the database answers, 503 when it does not
 * (within the pool's connect timeout). Public, and says nothing beyond up or down.
 */
export async function GET() {
  try {
    const { db } = await getDbHandle();
    await db.execute(sql`select 1`);
    return NextResponse.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch {
    return NextResponse.json({ status: "unavailable" }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
