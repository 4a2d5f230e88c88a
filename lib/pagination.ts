/**
 * Keyset pagination: a query asks for `limit + 1` rows; if the extra row came back there is a next
 * page, and its cursor is taken from the last row shown. (Never OFFSET: a deep page costs the same
 * as the first.)
 */
export function keysetPage<T, C>(rows: T[], limit: number, cursorOf: (last: T) => C): { items: T[]; nextCursor: C | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: cursorOf(items[items.length - 1]!) };
}
