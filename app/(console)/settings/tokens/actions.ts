"use server";

import { action } from "@/lib/actions";
import { createToken, revokeToken, type CreateTokenInput } from "@/lib/auth/tokens";

const revalidate = ["/settings/tokens"];

/** Returns the secret once; the page shows it and it is never retrievable again. */
export const createTokenAction = action(
  async (db, caller, input: CreateTokenInput) => {
    const { token, secret } = await createToken(db, caller, input);
    return { id: token.id, name: token.name, secret };
  },
  { revalidate },
);

export const revokeTokenAction = action(
  async (db, caller, input: { tokenId: string }) => {
    const token = await revokeToken(db, caller, input);
    return { id: token.id, status: token.status };
  },
  { revalidate },
);
