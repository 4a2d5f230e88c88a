import "server-only";
import { assertCan } from "@/lib/auth/actor";
import { loadPage } from "@/lib/page";
import { readChecklist } from "@/lib/reviews/checklist";
import { versionIdOr404 } from "./version-id";

/**
 * A version for the control form: admins only (others get 403 before anything is read), a missing
 * version is a 404. Whether it is still a draft the page says (a published version cannot change).
 */
export async function loadDraftForForm(rawId: string) {
  const id = versionIdOr404(rawId);
  return loadPage(async (db, actor) => {
    assertCan(actor, "checklists.manage");
    return readChecklist(db, actor, id);
  });
}
