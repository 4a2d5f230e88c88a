"use server";

import { action } from "@/lib/actions";
import { acceptTransfer, declineTransfer } from "@/lib/inventory/ownership";

/*
 * Answers to ownership transfers from "My assets". Only the person a transfer is addressed to may
 * accept or decline it; lib/inventory decides. Cancelling (the requester, the owners or an admin)
 * is components/inventory/transfer-actions.ts#cancelTransferAction, shared with the hand-over dialog.
 */

const revalidate = ["/mine", "/servers", "/agents", "/orphans", "/"];

export const acceptTransferAction = action(
  async (db, caller, input: { transferId: string }) => {
    const owners = await acceptTransfer(db, caller, input);
    return { primaryOwnerId: owners.primaryOwnerId, backupOwnerId: owners.backupOwnerId };
  },
  { revalidate },
);

export const declineTransferAction = action(async (db, caller, input: { transferId: string }) => declineTransfer(db, caller, input), { revalidate });
