import type { Metadata } from "next";
import { ShieldX } from "lucide-react";
import { StatusPage } from "@/components/status-page";

export const metadata: Metadata = { title: "No access" };

export default function Forbidden() {
  return (
    <StatusPage icon={ShieldX} code="403" title="You don't have access to this page">
      <p>Your role does not include what this page shows. If you need it for your work, ask a Steward admin; access is granted by role in your identity provider.</p>
    </StatusPage>
  );
}
