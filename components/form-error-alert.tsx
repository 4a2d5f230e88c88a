import { AlertTriangle } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/**
 * A form's error as a whole, above its buttons: the message, then the problems that belong to no
 * field. `whenAllBesideFields` is said instead when every problem is shown beside its field. Pass
 * `ref` to move focus to it after a failed submit.
 */
export function FormErrorAlert({
  message,
  details,
  whenAllBesideFields,
  ref,
}: {
  message: string;
  details: string[];
  whenAllBesideFields?: string;
  ref?: React.Ref<HTMLDivElement>;
}) {
  const body = details.length > 0 ? (
    <ul className="list-disc pl-4">
      {details.map((d) => (
        <li key={d}>{d}</li>
      ))}
    </ul>
  ) : whenAllBesideFields ? (
    <p>{whenAllBesideFields}</p>
  ) : null;
  return (
    <Alert variant="destructive" role="alert" ref={ref} tabIndex={ref ? -1 : undefined} data-testid="form-error">
      <AlertTriangle className="size-4" aria-hidden />
      <AlertTitle>{message}</AlertTitle>
      {body && <AlertDescription>{body}</AlertDescription>}
    </Alert>
  );
}
