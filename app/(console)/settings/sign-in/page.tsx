import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { signInSettings } from "@/lib/auth/settings";
import { getEnv } from "@/lib/env";
import { loadPage } from "@/lib/page";

export const metadata: Metadata = { title: "Sign-in" };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="contents">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export default async function SignInSettingsPage() {
  const s = await loadPage(async (_db, actor) => signInSettings(actor, getEnv()));
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="Sign-in" description="How people sign in to Steward and which role they get. Set by environment variables on the server (see .env.example and docs/identity-providers.md)." />
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Identity provider (OpenID Connect)</CardTitle>
          <CardDescription>{s.oidc ? "People sign in through your identity provider; the first sign-in creates their Steward account." : "No identity provider is configured."}</CardDescription>
        </CardHeader>
        <CardContent>
          {s.oidc ? (
            <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[12rem_1fr]">
              <Row label="Button label">{s.oidc.name}</Row>
              <Row label="Issuer">
                <span className="font-mono text-xs">{s.oidc.issuer}</span>
              </Row>
              <Row label="Client id">
                <span className="font-mono text-xs">{s.oidc.clientId}</span>
              </Row>
              <Row label="Client secret">{s.oidc.clientSecretSet ? "Set (never shown)" : "Missing"}</Row>
              <Row label="Scopes">
                <span className="font-mono text-xs">{s.oidc.scope}</span>
              </Row>
              <Row label="Groups claim">
                <span className="font-mono text-xs">{s.oidc.groupsClaim}</span>
              </Row>
              <Row label="Redirect URI">
                <span className="font-mono text-xs">{s.callbackUrl}</span>
              </Row>
              <Row label="Session length">{s.sessionHours} hours; roles and deactivation apply at the next request.</Row>
            </dl>
          ) : (
            <p className="text-sm text-muted-foreground">Set AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET to enable single sign-on.</p>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Group → role mapping</CardTitle>
          <CardDescription>
            {s.roleMapping.length > 0
              ? "The identity provider is authoritative: each sign-in sets the role from the person's groups (the most powerful mapped role wins)."
              : "No mapping is configured: new people get the default role and admins manage roles in Steward."}
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {s.roleMapping.length > 0 && (
            <div className="rounded-md border">
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Group</TableHead>
                    <TableHead>Role</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {s.roleMapping.map(([group, role]) => (
                    <TableRow key={group}>
                      <TableCell className="font-mono text-xs">{group}</TableCell>
                      <TableCell>
                        <Badge variant="secondary">{ROLE_LABELS[role]}</Badge>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
          <p className="text-sm">
            People in no mapped group get the default role: <Badge variant="outline">{ROLE_LABELS[s.defaultRole]}</Badge>
          </p>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Demo sign-in</CardTitle>
          <CardDescription>“Sign in as” any seeded person, for local demos and tests. Never on when an identity provider is configured.</CardDescription>
        </CardHeader>
        <CardContent>{s.demoSignIn ? <Badge variant="warning">On</Badge> : <Badge variant="success">Off</Badge>}</CardContent>
      </Card>
    </div>
  );
}
