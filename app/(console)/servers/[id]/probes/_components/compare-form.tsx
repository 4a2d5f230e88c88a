import { GitCompareArrows } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { ProbeRunSummary } from "@/lib/probe/service";
import { MODE_LABELS, probesPath, shortWhen } from "./labels";

/**
 * Choose two finished runs to compare (newest first in both lists; by default the latest against
 * the one before). A plain GET form: no JavaScript, and the comparison is a link to share.
 */
export function CompareForm({ serverId, runs, base, head }: { serverId: string; runs: Pick<ProbeRunSummary, "id" | "queuedAt" | "mode" | "status">[]; base?: string; head?: string }) {
  const known = (v: string | undefined) => (v && runs.some((r) => r.id === v.toLowerCase()) ? v.toLowerCase() : undefined);
  const options = runs.map((r) => (
    <option key={r.id} value={r.id}>
      {shortWhen(r.queuedAt)} · {MODE_LABELS[r.mode].toLowerCase()}
      {r.status === "failed" ? " · failed" : ""}
    </option>
  ));
  return (
    <form action={`${probesPath(serverId)}/compare`} method="get" className="flex flex-wrap items-end gap-2" aria-label="Compare two runs">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="compare-base" className="text-xs">
          Before
        </Label>
        <NativeSelect id="compare-base" name="base" defaultValue={known(base) ?? runs[1]?.id} className="w-64">
          {options}
        </NativeSelect>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="compare-head" className="text-xs">
          After
        </Label>
        <NativeSelect id="compare-head" name="head" defaultValue={known(head) ?? runs[0]?.id} className="w-64">
          {options}
        </NativeSelect>
      </div>
      <Button type="submit" variant="outline">
        <GitCompareArrows className="size-4" aria-hidden /> Compare
      </Button>
    </form>
  );
}
