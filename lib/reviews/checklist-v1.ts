import type { ControlSpec } from "./checklist-types";

/**
 * Version 1 of the production-readiness checklist, the seed data every first review runs against.
 * Ids, sections, order, requirements, evidence sources, probe checks, blocking rules and framework
 * references for the server controls (ID-1 to LC-4) follow the specification in Steward's design
 * (controls.md, copied as test/fixtures/controls.md, which checklist-v1.test.ts checks this file
 * against); the guidance and attestation prompts are Steward's own text. Probe check ids are those
 * of the auth-posture probe (probe-checks.md). ID-2 and ID-3 name probe evidence by field rather
 * than by check: the authorization-server metadata (N7) and the issuer comparison (N8).
 *
 * The grant controls (GR-1 to GR-5) turn the specification's "Agent access grants" paragraph into
 * one control per rule. Their references are derived from the server controls each rule rests on
 * (AZ-1, LC-4, ID-2, CR-1, LC-1); they are not from the specification's reference table.
 */
/**
 * The built-in version 1's id, the same in every installation (so links to it, and tests, need no
 * lookup). Later versions get random ids.
 */
export const BUILT_IN_CHECKLIST_V1_ID = "00000000-0000-4000-8000-00000000c001";

export const CHECKLIST_V1: { title: string; notes: string; controls: ControlSpec[] } = {
  title: "Production readiness for MCP servers and agent access",
  notes: "Version 1 of the checklist, taken from Steward's design: twenty controls for MCP servers and five for agent access grants.",
  controls: [
    // Identity and registration
    {
      id: "ID-1",
      subject: "server",
      section: "Identity and registration",
      title: "Runtime client registration tied to enterprise identity",
      requirement:
        "Clients get their client ids at run time, through Dynamic Client Registration (RFC 7591) or Client ID Metadata Documents, from an authorization server that is the enterprise IdP or federated with it; every registration is a record that can be listed and revoked.",
      guidance: {
        check:
          "Confirm that the authorization server named in the server's metadata is the enterprise IdP or federates with it, and that probe check N10 finds a registration endpoint or Client ID Metadata Document support. Where the owner allowed active checks, T1 should register a client; ask how that registration would then be found and revoked.",
        goodEvidence:
          "N10 and T1 passing against the enterprise IdP's issuer, and the owner naming the IdP together with the console page or API call that lists and revokes client registrations.",
        why: "Client ids handed out by hand, or by an authorization server of the server's own, live outside the IdP: nobody can list them, and offboarding never reaches them.",
      },
      evidence: ["probe", "attestation"],
      probeChecks: ["N10", "T1"],
      attestationPrompt: "Name the identity provider that issues client registrations, and how a registration is revoked.",
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI03" },
        { framework: "NHI", id: "NHI4" },
        { framework: "NHI", id: "NHI1" },
        { framework: "CSF", id: "PR.AA-01" },
        { framework: "CSF", id: "PR.AA-02" },
        { framework: "MAESTRO", id: "L7" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "ID-2",
      subject: "server",
      section: "Identity and registration",
      title: "Workload identity",
      requirement:
        "Agents authenticate with a cryptographic identity bound to workload, environment and purpose (private_key_jwt, mTLS, OIDC federation or SPIFFE), not with a shared secret.",
      guidance: {
        check:
          "Read token_endpoint_auth_methods_supported in the authorization-server metadata the probe fetched (N7): private_key_jwt or an mTLS method should be offered. The metadata shows what is possible, not what is used, so ask which method each calling agent actually uses and whether any still sends a client secret.",
        goodEvidence:
          "The method each calling agent uses and where its key or certificate comes from (a SPIFFE ID per workload, a federated token from the CI or cloud platform), with rotation done by the platform rather than by people.",
        why: "A shared secret works for anyone who copies it, from any machine; a workload-bound identity can only be presented by the workload, in the environment, it was issued to.",
      },
      evidence: ["attestation", "probe"],
      probeChecks: ["N7"],
      attestationPrompt:
        "State the method agents use to authenticate at the token endpoint (private_key_jwt, mTLS, OIDC federation or SPIFFE), how each agent's key or credential is issued, and confirm that no shared client secret is in use.",
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI03" },
        { framework: "NHI", id: "NHI4" },
        { framework: "NHI", id: "NHI9" },
        { framework: "CSF", id: "PR.AA-03" },
        { framework: "CSF", id: "PR.AA-04" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "ID-3",
      subject: "server",
      section: "Identity and registration",
      title: "Enterprise SSO",
      requirement: "People reach the server only through enterprise single sign-on; there is no local password store.",
      guidance: {
        check:
          "Compare the issuer the probe recorded (N7, N8) with the enterprise IdP's issuer: they should be the same, or the recorded issuer should federate to the IdP. Ask whether the server or its authorization server keeps any local accounts, break-glass logins or password resets of its own.",
        goodEvidence:
          "A recorded issuer that is the enterprise IdP, and the owner's statement that sign-in is federated with no local user store, describing how any break-glass access is controlled and logged.",
        why: "A local password store is a parallel identity path: its accounts survive leavers, skip MFA and conditional access, and never appear in access reviews.",
      },
      evidence: ["attestation", "probe"],
      probeChecks: ["N7", "N8"],
      attestationPrompt:
        "Confirm that people sign in only through enterprise SSO, name the IdP, and state that the server keeps no local accounts or passwords (describe any break-glass access).",
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI03" },
        { framework: "NHI", id: "NHI10" },
        { framework: "CSF", id: "PR.AA-03" },
      ],
      parallelIdentityPath: true,
    },
    {
      id: "ID-4",
      subject: "server",
      section: "Identity and registration",
      title: "Provisioning and deprovisioning compose with the IdP",
      requirement:
        "Provisioning and deprovisioning compose with the IdP: removing a person or an agent there removes their MCP access within a stated time (≤ 1 hour).",
      guidance: {
        check:
          "Ask when a test person or agent was last disabled in the IdP and then tried to call the server. The stated time must be ≤ 1 hour and must cover sessions and tokens already issued, not only new sign-ins.",
        goodEvidence:
          "The date and outcome of the last deprovisioning test, and the measured time until MCP access stopped, for a person and for an agent.",
        why: "If removal in the IdP does not reach the server, a leaver or a retired agent keeps working access, and nothing in the IdP shows it.",
      },
      evidence: ["attestation"],
      probeChecks: [],
      attestationPrompt:
        "State the time within which removing a person or an agent in the IdP removes their MCP access (at most 1 hour), how that happens, and the date and result of the last test.",
      blocking: "always",
      references: [
        { framework: "NHI", id: "NHI1" },
        { framework: "CSF", id: "PR.AA-01" },
        { framework: "RMF", id: "MANAGE 2.4" },
      ],
      parallelIdentityPath: true,
    },
    {
      id: "ID-5",
      subject: "server",
      section: "Identity and registration",
      title: "Acting agent distinguishable from the human",
      requirement:
        "The acting agent is distinguishable from the human it acts for (a client id per agent, or token exchange with an act claim); no client is shared between agents.",
      guidance: {
        check:
          "Steward's inventory lists the agents behind each client id: every client id should belong to exactly one agent. Ask how the server records who acted: the token's subject is the human, and the client id or the act claim names the agent.",
        goodEvidence:
          "An inventory showing one agent per client id, and a sample token or audit record from the server that names both the human and the agent (its client id or act claim).",
        why: "When agents share a client, or act purely as the user, a harmful call cannot be traced to the agent that made it, and one agent cannot be revoked without breaking the others.",
      },
      evidence: ["attestation", "inventory"],
      probeChecks: [],
      attestationPrompt:
        "Describe how the server tells the acting agent from the human it acts for (a client id per agent, or token exchange with an act claim), and confirm that no client id is shared between agents.",
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI03" },
        { framework: "ASI", id: "ASI10" },
        { framework: "NHI", id: "NHI9" },
        { framework: "CSF", id: "PR.AA-02" },
        { framework: "CSF", id: "DE.CM-03" },
      ],
      parallelIdentityPath: false,
    },

    // Credentials
    {
      id: "CR-1",
      subject: "server",
      section: "Credentials",
      title: "Just-in-time, short-lived credentials",
      requirement:
        "Access tokens live ≤ 1 hour (warn at ≤ 24 h; fail above that or when the lifetime is missing); refresh tokens rotate for public clients; no durable secret is reused across sessions.",
      guidance: {
        check:
          "Read the token lifetime from T4 (expires_in, and exp - iat for a JWT): up to 1 hour passes, up to 24 h warns, more or missing fails. T8 should show a refresh token refused on its second use and replaced by a new one; ask how agents obtain credentials for each session.",
        goodEvidence:
          "T4 and T8 passing, and the owner's statement that agents obtain tokens at the start of each session instead of keeping long-lived keys or refresh tokens in configuration.",
        why: "A long-lived or reusable credential turns a single leak into lasting access; short lifetimes and rotation limit what a stolen token is worth and make reuse detectable.",
      },
      evidence: ["probe", "attestation"],
      probeChecks: ["T4", "T8"],
      attestationPrompt:
        "State the access-token lifetime, whether refresh tokens rotate for public clients, and confirm that no durable secret is reused across sessions.",
      blocking: "always",
      references: [
        { framework: "NHI", id: "NHI7" },
        { framework: "ASI", id: "ASI03" },
        { framework: "CSF", id: "PR.AA-01" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "CR-2",
      subject: "server",
      section: "Credentials",
      title: "No embedded secrets",
      requirement: "No credential is kept in code, CI/CD variables or committed configuration; secrets live in a vault.",
      guidance: {
        check:
          "Ask for a recent secret-scanning report covering the server's repositories and CI/CD configuration, and for the vault the server reads its secrets from. Past findings should have been closed by rotating the secret, not only by deleting it from the latest commit.",
        goodEvidence:
          "A scan report naming the tool, the date and what was scanned, with no open findings, and the vault or secret store each credential is read from at run time.",
        why: "A secret in code or in a CI variable is copied into every clone, build log and fork, and cannot be taken back from only the people who should lose it.",
      },
      evidence: ["attestation"],
      probeChecks: [],
      attestationPrompt:
        "Name the vault the server's secrets live in, confirm that no credential is in code, CI/CD variables or committed configuration, and attach a recent secret-scanning report.",
      blocking: "restricted_data",
      references: [
        { framework: "NHI", id: "NHI2" },
        { framework: "CSF", id: "PR.DS-01" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "CR-3",
      subject: "server",
      section: "Credentials",
      title: "Audience binding",
      requirement:
        "Tokens are requested with resource indicators (RFC 8707) and the server rejects tokens issued for anyone else; tokens are never passed through to downstream APIs.",
      guidance: {
        check:
          "N6 confirms that the Protected Resource Metadata names the canonical MCP URL as its resource; T7 asks for a token for another resource and expects invalid_target, or a 401 from the server if a token is issued anyway. Ask separately how the server authenticates to the APIs behind it.",
        goodEvidence:
          "N6 and T7 passing, and the owner's statement that downstream calls use the server's own credentials or a token exchanged for that API, never the token the client presented.",
        why: "A server that accepts any token from the IdP can be reached with tokens meant for other services, and passing a client's token downstream lets it act far beyond what was approved for this server.",
      },
      evidence: ["probe", "attestation"],
      probeChecks: ["N6", "T7"],
      attestationPrompt: "Confirm that the server never passes a client's token through to downstream APIs, and describe how it authenticates to them instead.",
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI03" },
        { framework: "ASI", id: "ASI02" },
        { framework: "CSF", id: "PR.AA-04" },
      ],
      parallelIdentityPath: false,
    },

    // Authorization and scoping
    {
      id: "AZ-1",
      subject: "server",
      section: "Authorization and scoping",
      title: "Tool-level scoping",
      requirement:
        "Only the tools needed for the approved purpose are approved; destructive or open-world tools need an explicit scope; scopes_supported is published and no scope is a wildcard.",
      guidance: {
        check:
          "Compare the approved tools in Steward's inventory with the approved purpose and drop any that are not needed. N3 and N6 should show scopes in the challenge and a scopes_supported list without *, all or full-access; T9 should show a minimal-scope token refused with insufficient_scope on a privileged tool.",
        goodEvidence:
          "An approved-tool list that matches the purpose, each destructive or open-world tool mapped to a scope of its own, and N3, N6 and T9 passing.",
        why: "An agent holding every tool can be steered into deleting, sending or publishing things nobody meant it to; per-tool scopes keep a misled agent's reach small.",
      },
      evidence: ["inventory", "probe"],
      probeChecks: ["N3", "N6", "T9"],
      attestationPrompt: null,
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI02" },
        { framework: "NHI", id: "NHI5" },
        { framework: "CSF", id: "PR.AA-05" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "AZ-2",
      subject: "server",
      section: "Authorization and scoping",
      title: "Tenant and workspace binding",
      requirement: "On a multi-tenant server, grants bind tenant, workspace and tool context, so that a client cannot move laterally.",
      guidance: {
        check:
          "Ask how a token or grant names its tenant and workspace, and what the server does when a call targets another tenant's data. The tenant should come from the token or the grant, never from a request parameter the client controls.",
        goodEvidence:
          "Where tenant and workspace are bound (a token claim, the grant record), and the result of a test in which a client of one tenant tried to reach another tenant's data and was refused.",
        why: "Without that binding, one tenant's client, or a compromised agent, can read or change other tenants' data through the same server.",
      },
      evidence: ["attestation"],
      probeChecks: [],
      attestationPrompt: "Describe how grants bind tenant, workspace and tool context, and how a call that targets another tenant is refused.",
      blocking: "multi_tenant",
      references: [
        { framework: "ASI", id: "ASI03" },
        { framework: "NHI", id: "NHI8" },
        { framework: "CSF", id: "PR.AA-05" },
        { framework: "MAESTRO", id: "L4" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "AZ-3",
      subject: "server",
      section: "Authorization and scoping",
      title: "Request-time enforcement",
      requirement:
        "Every call is authorized when it is made, against current approvals and grants, by an enforcement point integrated with IAM/PAM/RBAC; revocation takes effect at the next call.",
      guidance: {
        check:
          "Identify the enforcement point (a gateway, a policy engine or the server itself) and confirm it judges each tool call against current grants rather than a decision cached when the session began. Ask to see decisions it recorded, including a refusal after a revocation.",
        goodEvidence:
          "The enforcement point's name and how it is connected to IAM/PAM/RBAC, with decision records showing a call allowed, the grant revoked, and the next call refused.",
        why: "If authorization happens only when a session opens, a revoked grant or a changed role keeps working until the session ends, which for a long-running agent can be days.",
      },
      evidence: ["attestation"],
      probeChecks: [],
      attestationPrompt:
        "Name the enforcement point that authorizes every call, describe how it is integrated with IAM/PAM/RBAC, and attach decisions it recorded, including one made after a revocation.",
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI02" },
        { framework: "ASI", id: "ASI10" },
        { framework: "CSF", id: "PR.AA-05" },
        { framework: "MAESTRO", id: "L6" },
      ],
      parallelIdentityPath: false,
    },

    // Discovery and transport
    {
      id: "DS-1",
      subject: "server",
      section: "Discovery and transport",
      title: "Standard discovery",
      requirement:
        "Unauthenticated calls get 401 with a WWW-Authenticate header naming the resource metadata; Protected Resource Metadata (RFC 9728) and authorization-server metadata (RFC 8414 or OIDC discovery) are served and consistent.",
      guidance: {
        check:
          "Read the probe results: N1 expects a 401 to an anonymous initialize, N2 a Bearer challenge with resource_metadata, N5 the Protected Resource Metadata, N7 the authorization-server metadata and N8 an issuer equal to the authorization_servers entry. A 200 on N1 means the server is open to anyone and fails outright.",
        goodEvidence:
          "A recent probe run against the production URL with N1, N2, N5, N7 and N8 passing, judged against the MCP protocol version the server claims to support.",
        why: "Clients find the right authorization server only through these documents; missing or inconsistent metadata leads to hard-coded configuration, wrong issuers and tokens sent to the wrong place.",
      },
      evidence: ["probe"],
      probeChecks: ["N1", "N2", "N5", "N7", "N8"],
      attestationPrompt: null,
      blocking: "always",
      references: [
        { framework: "NHI", id: "NHI4" },
        { framework: "CSF", id: "PR.AA-03" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "DS-2",
      subject: "server",
      section: "Discovery and transport",
      title: "OAuth 2.1 baseline",
      requirement: "OAuth 2.1 baseline: PKCE with S256 is advertised and enforced; there is no implicit or password grant; invalid tokens get 401.",
      guidance: {
        check:
          "N9 looks for S256 in code_challenge_methods_supported, N11 for the code response type with no implicit or password grant, and N4 sends a garbage token expecting 401. Metadata is not behaviour: T3 must show /authorize refusing a request with no code challenge or with the plain method.",
        goodEvidence:
          "N4, N9, N11 and T3 all passing. If the owner has not allowed active checks, T3 is missing and the reviewer should ask for it to be run before approving.",
        why: "Without enforced PKCE an intercepted authorization code can be redeemed by an attacker; the implicit and password grants expose tokens or passwords; and a server that answers a bad token with anything but 401 has token checking nobody can rely on.",
      },
      evidence: ["probe"],
      probeChecks: ["N4", "N9", "N11", "T3"],
      attestationPrompt: null,
      blocking: "always",
      references: [
        { framework: "NHI", id: "NHI4" },
        { framework: "CSF", id: "PR.AA-03" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "DS-3",
      subject: "server",
      section: "Discovery and transport",
      title: "Transport security",
      requirement:
        "HTTPS is used for the MCP endpoint, the metadata and every authorization-server endpoint; the Origin header is validated; tokens are never accepted in a query string.",
      guidance: {
        check:
          "N12 checks https on every URL the probe met, N13 sends a foreign Origin and expects 403, N6 fails when bearer_methods_supported lists query, and T6 confirms that a valid token sent as ?access_token= is refused.",
        goodEvidence: "N6, N12, N13 and T6 passing against the production URL, with no loopback or test-mode exemption in play.",
        why: "Tokens sent over plain HTTP or in URLs end up in proxies, logs and browser history, and a server that ignores Origin can be driven from a malicious web page through DNS rebinding.",
      },
      evidence: ["probe"],
      probeChecks: ["N6", "N12", "N13", "T6"],
      attestationPrompt: null,
      blocking: "always",
      references: [
        { framework: "CSF", id: "PR.DS-02" },
        { framework: "NHI", id: "NHI6" },
      ],
      parallelIdentityPath: false,
    },

    // Audit
    {
      id: "AU-1",
      subject: "server",
      section: "Audit",
      title: "Audit logging",
      requirement:
        "Every tool call records who (human and agent), which tool, the decision, and what data came back (size, classification, hash), with a correlation id, and the record reaches Steward or the SIEM.",
      guidance: {
        check:
          "Steward shows whether it received events from this server in the last 7 days; open a few and confirm each names the human, the agent, the tool and the decision, gives the returned data's size, classification and hash, and carries a correlation id. If events go only to the SIEM, ask for a sample query and its results.",
        goodEvidence:
          "Recent events in Steward, or a SIEM query with results, carrying every required field, and the owner's account of what is recorded when a call fails or is refused.",
        why: "Without a record per call nobody can tell which agent read or changed what, on whose behalf, so an incident cannot be scoped and a rogue agent goes unnoticed.",
      },
      evidence: ["inventory", "attestation"],
      probeChecks: [],
      attestationPrompt:
        "Describe what each tool-call record contains (human, agent, tool, decision, the returned data's size, classification and hash, a correlation id) and where the records are sent.",
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI10" },
        { framework: "CSF", id: "PR.PS-04" },
        { framework: "CSF", id: "DE.CM-03" },
        { framework: "RMF", id: "MANAGE 4.1" },
        { framework: "MAESTRO", id: "L5" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "AU-2",
      subject: "server",
      section: "Audit",
      title: "Audit integrity and retention",
      requirement: "Audit logs are tamper-evident and kept for ≥ 1 year.",
      guidance: {
        check:
          "Ask where the logs are stored, who can change or delete them, and how tampering would be detected (write-once storage, hash chaining, signed batches). Confirm that the retention setting is at least 1 year.",
        goodEvidence:
          "The log store, its retention setting (at least 1 year) and its tamper-evidence mechanism, with the people able to alter them separate from the server's operators.",
        why: "Whoever can edit the logs can erase the evidence, and short retention loses the history an investigation needs when a breach is found months later.",
      },
      evidence: ["attestation"],
      probeChecks: [],
      attestationPrompt: "State where the audit logs are stored, how they are made tamper-evident, and how long they are kept (at least 1 year).",
      blocking: "never",
      references: [{ framework: "CSF", id: "PR.PS-04" }],
      parallelIdentityPath: false,
    },

    // Lifecycle and accountability
    {
      id: "LC-1",
      subject: "server",
      section: "Lifecycle and accountability",
      title: "Accountable ownership",
      requirement: "The server has a primary and a backup owner, both active people, and an owning team.",
      guidance: {
        check:
          "Steward's inventory shows the owners and the team: confirm that the primary and backup owners are two different people, both active in the directory, and that the owning team is set.",
        goodEvidence: "A primary and a backup owner who are current staff, not service accounts or leavers, and an owning team, all recorded in Steward.",
        why: "A server with no reachable owner cannot be reviewed, fixed or shut off in an incident, and its access drifts without anyone noticing.",
      },
      evidence: ["inventory"],
      probeChecks: [],
      attestationPrompt: null,
      blocking: "always",
      references: [
        { framework: "NHI", id: "NHI1" },
        { framework: "CSF", id: "GV.RR-02" },
        { framework: "RMF", id: "GOVERN 2.1" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "LC-2",
      subject: "server",
      section: "Lifecycle and accountability",
      title: "Revocation owned end to end",
      requirement:
        "A named owner of revocation and a tested procedure revoke tokens, client registrations and grants within a stated time; the date of the last drill is recorded.",
      guidance: {
        check:
          "Ask who owns revocation for this server and for the written procedure: it must cover tokens, client registrations and grants, not just one of them. Check the date and result of the last drill against the stated time.",
        goodEvidence:
          "The named owner, a link to the procedure, and the date, duration and outcome of the last drill, showing all three kinds of access gone within the stated time.",
        why: "When an agent or a credential is compromised, what matters is how fast every path can be closed; an untested procedure, or one that forgets client registrations, leaves access in place.",
      },
      evidence: ["attestation"],
      probeChecks: [],
      attestationPrompt:
        "Name the owner of revocation, link the procedure that revokes tokens, client registrations and grants, state the time it takes, and give the date and result of the last drill.",
      blocking: "always",
      references: [
        { framework: "NHI", id: "NHI1" },
        { framework: "CSF", id: "RS.MI-01" },
        { framework: "RMF", id: "MANAGE 2.4" },
      ],
      parallelIdentityPath: true,
    },
    {
      id: "LC-3",
      subject: "server",
      section: "Lifecycle and accountability",
      title: "Supply-chain provenance",
      requirement:
        "The server's source repository, pinned version, package hash (where the registry gives one) and verified publisher namespace are known.",
      guidance: {
        check:
          "Steward reads these from the server's server.json: check that the repository is linked, the version is pinned (not latest or a range), a package hash is recorded where the registry provides one, and the publisher namespace is verified. Ask how a new version is reviewed before the pin moves.",
        goodEvidence:
          "A server.json with the repository, an exact version and a hash, a verified namespace, and the owner's description of who reviews and approves each upgrade.",
        why: "An unpinned or unverified server can be swapped for a malicious release or a look-alike package, and agents will trust its tools just as before.",
      },
      evidence: ["inventory", "attestation"],
      probeChecks: [],
      attestationPrompt: "State how the version is pinned, how the publisher was verified, and how a new version is reviewed before it is deployed.",
      blocking: "never",
      references: [
        { framework: "ASI", id: "ASI04" },
        { framework: "NHI", id: "NHI3" },
        { framework: "CSF", id: "GV.SC-07" },
        { framework: "MAESTRO", id: "L7" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "LC-4",
      subject: "server",
      section: "Lifecycle and accountability",
      title: "Periodic recertification",
      requirement: "Owners re-attest access at least every 90 days (every 30 days for restricted data).",
      guidance: {
        check:
          "Steward's campaign results show when the owners last re-attested this server's access: the last completed campaign must fall within 90 days, or 30 days for a server holding restricted data, and the revocations it asked for must have been carried out.",
        goodEvidence: "A recertification campaign completed within the interval, with every grant either confirmed or revoked and none left unanswered.",
        why: "Access that is never looked at again only grows; regular recertification removes grants whose purpose has ended and agents nobody uses any more.",
      },
      evidence: ["inventory"],
      probeChecks: [],
      attestationPrompt: null,
      blocking: "renewal",
      references: [
        { framework: "NHI", id: "NHI1" },
        { framework: "NHI", id: "NHI5" },
        { framework: "CSF", id: "PR.AA-05" },
        { framework: "RMF", id: "GOVERN 1.5" },
      ],
      parallelIdentityPath: false,
    },

    // Agent access grants (references derived from the server controls; see the header)
    {
      id: "GR-1",
      subject: "grant",
      section: "Agent access grants",
      title: "Stated purpose",
      requirement: "The grant states the purpose the agent's access serves.",
      guidance: {
        check:
          "Read the purpose on the grant: it should name the task, the data involved and whom it serves, specifically enough to judge whether each requested tool is needed.",
        goodEvidence:
          "A purpose such as \"summarise new support tickets for the EU support team each morning, read-only\", rather than \"general use\" or a copy of the server's description.",
        why: "Without a stated purpose there is nothing to judge the tool list, the expiry or a later recertification against, so grants only ever grow.",
      },
      evidence: ["inventory", "attestation"],
      probeChecks: [],
      attestationPrompt: "State the purpose of the grant: the task the agent performs with this server, for whom, and why it needs each of the requested tools.",
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI02" },
        { framework: "NHI", id: "NHI5" },
        { framework: "CSF", id: "PR.AA-05" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "GR-2",
      subject: "grant",
      section: "Agent access grants",
      title: "Only approved tools of an approved server",
      requirement: "The grant covers only approved tools of a server whose review is approved.",
      guidance: {
        check:
          "Steward checks that the server is approved and that every tool in the grant is on its approved-tool list (AZ-1). Confirm that the requested tools are the fewest that serve the purpose.",
        goodEvidence: "A grant whose tools are all approved on an approved server, with no destructive or open-world tool unless the purpose calls for it.",
        why: "A grant that reaches past the approved tools, or onto a server that has not passed review, bypasses everything the review checked.",
      },
      evidence: ["inventory"],
      probeChecks: [],
      attestationPrompt: null,
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI02" },
        { framework: "NHI", id: "NHI5" },
        { framework: "CSF", id: "PR.AA-05" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "GR-3",
      subject: "grant",
      section: "Agent access grants",
      title: "Expiry within 90 days",
      requirement: "The grant has an expiry ≤ 90 days.",
      guidance: {
        check: "Steward checks that an expiry date is set and falls no more than 90 days after approval; trials and one-off tasks deserve a shorter one.",
        goodEvidence: "An expiry within 90 days that fits the task, renewed through a fresh approval rather than extended automatically.",
        why: "Open-ended grants outlive the task and the people who asked for them; an expiry makes the access justify itself again.",
      },
      evidence: ["inventory"],
      probeChecks: [],
      attestationPrompt: null,
      blocking: "always",
      references: [
        { framework: "NHI", id: "NHI1" },
        { framework: "NHI", id: "NHI5" },
        { framework: "CSF", id: "PR.AA-05" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "GR-4",
      subject: "grant",
      section: "Agent access grants",
      title: "An owned agent with a non-static identity",
      requirement:
        "The agent has owners and a non-static identity: a workload identity as ID-2 requires and short-lived credentials as CR-1 requires.",
      guidance: {
        check:
          "Steward checks that the agent has active owners; confirm from the agent's record that it authenticates with a workload identity (ID-2) and obtains short-lived tokens (CR-1) rather than holding a static key or secret.",
        goodEvidence:
          "An agent record with active owners and an authentication method such as private_key_jwt, mTLS, OIDC federation or SPIFFE, obtaining tokens that live ≤ 1 hour.",
        why: "An ownerless agent with a static key is the classic orphaned non-human identity: nobody notices when it is misused, and nobody can rotate or retire it.",
      },
      evidence: ["inventory"],
      probeChecks: [],
      attestationPrompt: null,
      blocking: "always",
      references: [
        { framework: "ASI", id: "ASI03" },
        { framework: "NHI", id: "NHI4" },
        { framework: "NHI", id: "NHI7" },
        { framework: "NHI", id: "NHI1" },
        { framework: "CSF", id: "PR.AA-01" },
        { framework: "CSF", id: "GV.RR-02" },
      ],
      parallelIdentityPath: false,
    },
    {
      id: "GR-5",
      subject: "grant",
      section: "Agent access grants",
      title: "Two approvers for restricted data",
      requirement: "A grant on a server that holds restricted data is approved by two approvers.",
      guidance: {
        check: "When the server holds restricted data, Steward checks that two different people approved the grant; preferably neither is the person who requested it.",
        goodEvidence: "Two recorded approvals by different people, each dated, on a grant to a server that holds restricted data.",
        why: "A single approver can be mistaken, hurried or persuaded; a second approver makes it much harder for one person to open restricted data to an agent.",
      },
      evidence: ["inventory"],
      probeChecks: [],
      attestationPrompt: null,
      blocking: "restricted_data",
      references: [
        { framework: "NHI", id: "NHI5" },
        { framework: "CSF", id: "PR.AA-05" },
      ],
      parallelIdentityPath: false,
    },
  ],
};
