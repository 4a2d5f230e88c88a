import * as React from "react";
import { CircleAlertIcon } from "lucide-react";

import { cn } from "@/lib/cn";
import { Label } from "@/components/ui/label";

type FieldError = string | readonly string[] | null | undefined;

function toMessages(error: FieldError): string[] {
  if (!error) return [];
  return (typeof error === "string" ? [error] : [...error]).filter((message) => message.length > 0);
}

/** Id of the element holding a field's error messages. */
function fieldErrorId(htmlFor: string) {
  return `${htmlFor}-error`;
}

/** Id of the element holding a field's description. */
function fieldDescriptionId(htmlFor: string) {
  return `${htmlFor}-description`;
}

/**
 * The accessibility props for the control inside a `<Field>`: spread them onto the Input,
 * Textarea, SelectTrigger, Checkbox… so that the Field's label points at the control (`id`), the
 * control is marked invalid while there is an error (`aria-invalid`), and its error messages and
 * description are read out with it (`aria-describedby`; a `<Field>` always renders both target
 * elements, empty when unused, so the references never dangle).
 *
 *   <Field label="Name" htmlFor="name" error={errors.name} required>
 *     <Input name="name" required {...fieldA11y("name", errors.name)} />
 *   </Field>
 */
function fieldA11y(
  htmlFor: string,
  error?: FieldError,
): { id: string; "aria-invalid": true | undefined; "aria-describedby": string } {
  return {
    id: htmlFor,
    "aria-invalid": toMessages(error).length > 0 ? true : undefined,
    "aria-describedby": `${fieldErrorId(htmlFor)} ${fieldDescriptionId(htmlFor)}`,
  };
}

type FieldProps = {
  label: React.ReactNode;
  /** The control's id. The label points at it; the error and description ids derive from it. */
  htmlFor: string;
  description?: React.ReactNode;
  /** One message or several (as in the API's `fields`); empty means valid. */
  error?: FieldError;
  /** Shows a required marker. Also set `required` on the control itself, which is what assistive technology reads. */
  required?: boolean;
  className?: string;
  children: React.ReactNode;
};

/**
 * A form field: label, control, description and error messages, stacked.
 *
 * The Field renders the text; the control (children) must carry the matching ARIA itself — set
 * `id`, `aria-invalid` and `aria-describedby` on it, most easily with
 * `{...fieldA11y(htmlFor, error)}` — and `required` if the field is required.
 *
 * The error region (`${htmlFor}-error`) is always rendered, empty while the field is valid, and is
 * `aria-live="polite"`: errors that arrive after a submit are announced without stealing focus
 * (deliberately not `role="alert"`, which would interrupt for every field at once).
 */
function Field({ label, htmlFor, description, error, required = false, className, children }: FieldProps) {
  const messages = toMessages(error);

  return (
    <div data-slot="field" data-invalid={messages.length > 0 || undefined} className={cn("flex min-w-0 flex-col", className)}>
      <Label htmlFor={htmlFor} className="leading-snug">
        <span>
          {label}
          {required ? (
            <span aria-hidden="true" className="ml-0.5 text-destructive">
              *
            </span>
          ) : null}
        </span>
      </Label>
      <div data-slot="field-control" className="mt-2">
        {children}
      </div>
      {description ? (
        <p id={fieldDescriptionId(htmlFor)} data-slot="field-description" className="mt-1.5 text-sm text-muted-foreground">
          {description}
        </p>
      ) : (
        // Kept (empty) so that fieldA11y's aria-describedby always resolves.
        <span id={fieldDescriptionId(htmlFor)} hidden />
      )}
      <div
        id={fieldErrorId(htmlFor)}
        data-slot="field-error"
        aria-live="polite"
        className="text-sm font-medium text-destructive not-empty:mt-1.5"
      >
        {messages.map((message, index) => (
          <p key={`${index}-${message}`} className="flex items-start gap-1.5">
            <CircleAlertIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            <span>{message}</span>
          </p>
        ))}
      </div>
    </div>
  );
}

export { Field, fieldA11y, fieldErrorId, fieldDescriptionId };
export type { FieldProps, FieldError };
