import type { ErrorBody } from "@/lib/errors";

/**
 * A refused action's error, split for a form: the field messages it shows beside its own fields,
 * and the rest (a run already in progress, a rate limit) for the alert above the form.
 */
export function splitActionError(error: ErrorBody, ownFields: readonly string[]) {
  const fields = error.fields ?? {};
  const details = Object.entries(fields)
    .filter(([name]) => !ownFields.includes(name))
    .flatMap(([, messages]) => messages);
  return { fields, problem: { message: error.message, details } };
}
