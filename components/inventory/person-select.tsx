import { NativeSelect } from "@/components/ui/native-select";

export type PersonOption = { id: string; name: string; email: string; role: string };

/**
 * Choose a person (owners): active people who are not auditors, passed in by the server page
 * (`ownerCandidates`). A native select: works without JavaScript and with every screen reader.
 */
export function PersonSelect({ people, emptyLabel = "Nobody", ...props }: React.ComponentProps<typeof NativeSelect> & { people: PersonOption[]; emptyLabel?: string }) {
  return (
    <NativeSelect {...props}>
      <option value="">{emptyLabel}</option>
      {people.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name} ({p.email})
        </option>
      ))}
    </NativeSelect>
  );
}
