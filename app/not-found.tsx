import type { Metadata } from "next";
import { FileQuestion } from "lucide-react";
import { StatusPage } from "@/components/status-page";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <StatusPage icon={FileQuestion} code="404" title="There is nothing here">
      <p>The page or record does not exist, or it was removed. Check the address, or start again from the overview.</p>
    </StatusPage>
  );
}
