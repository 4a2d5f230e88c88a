"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { ownerCandidates } from "@/lib/auth/queries";
import { parseInput } from "@/lib/errors";
import { assetRef } from "@/lib/inventory/inputs";
import { cancelTransfer, requestTransfer, transfersForAsset } from "@/lib/inventory/ownership";

/**
 * Ownership hand-over for servers and agents (the "Hand over…" dialog). Who may ask, accept or
 * cancel is decided in lib/inventory/ownership.ts; these only wire the dialog to it.
 */

// Requests and cancellations show on both sides: the asset's page and "My assets" (incoming, outgoing).
const revalidate = ["/mine", "/servers", "/agents", "/orphans", "/"];

export type TransferAsset = z.input<typeof assetRef>;

/** What the dialog needs when it opens: the people who can own assets and the requests still open. */
export const transferContextAction = action(async (db, caller, input: { asset: TransferAsset }) => {
  const asset = parseInput(z.object({ asset: assetRef }), input).asset;
  const [people, pending] = await Promise.all([ownerCandidates(db, caller.actor), transfersForAsset(db, caller.actor, asset.type, asset.id)]);
  return {
    people,
    pending: pending.map((t) => ({ id: t.id, slot: t.slot, to: t.to, note: t.note, createdAt: t.createdAt, requestedById: t.requestedById })),
  };
});

export type RequestTransferInput = { asset: TransferAsset; slot: "primary" | "backup"; toPersonId: string; note?: string };

export const requestTransferAction = action(
  async (db, caller, input: RequestTransferInput) => {
    const row = await requestTransfer(db, caller, input);
    return { id: row.id, slot: row.slot };
  },
  { revalidate },
);

export const cancelTransferAction = action(
  async (db, caller, input: { transferId: string }) => {
    return cancelTransfer(db, caller, input);
  },
  { revalidate },
);
