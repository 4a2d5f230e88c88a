import type { Metadata } from "next";
import { Radar } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { loadServer } from "../load";

export const metadata: Metadata = { title: "Probes" };

const ANONYMOUS = [
  "an unauthenticated initialize gets 401 with a Bearer challenge naming the resource metadata",
  "Protected Resource Metadata (RFC 9728) and authorization-server metadata (RFC 8414) are served and agree",
  "PKCE with S256 is advertised, clients can register (DCR or metadata documents), no implicit or password grant",
  "HTTPS everywhere, Origin checked, invalid tokens refused with 401",
];

export default async function ServerProbesPage({ params }: { params: Promise<{ id: string }> }) {
  const { server } = await loadServer((await params).id);
  const remote = server.transport !== "stdio";
  return (
    <EmptyState
      icon={Radar}
      title="No probe has run yet"
      description={
        remote ? (
          <div className="flex flex-col gap-3 text-left">
            <p>
              An auth-posture probe checks this server&apos;s endpoint over HTTP, without credentials and without side effects, against the MCP authorization specification
              {server.protocolVersion ? ` (protocol ${server.protocolVersion})` : ""}. Each run appears here with a verdict per check (pass, warn, fail, info or inconclusive), the request made and
              what came back:
            </p>
            <ul className="list-disc pl-5">
              {ANONYMOUS.map((c) => (
                <li key={c}>{c}.</li>
              ))}
            </ul>
            <p>Active checks (registering a client, obtaining tokens, testing audience and refresh rotation) run only when an owner opts in. Results become evidence for the review.</p>
          </div>
        ) : (
          "A local (stdio) server has no endpoint to probe: its authentication is covered by the owners' attestations in its review."
        )
      }
    />
  );
}
