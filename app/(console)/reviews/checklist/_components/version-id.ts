import { notFound } from "next/navigation";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A version id from the URL: anything that is not a UUID is a page that does not exist. */
export function versionIdOr404(id: string): string {
  if (!UUID.test(id)) notFound();
  return id;
}
