CREATE TYPE "public"."person_source" AS ENUM('seed', 'sso', 'scim', 'admin');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('admin', 'reviewer', 'auditor', 'member');--> statement-breakpoint
CREATE TYPE "public"."team_role" AS ENUM('lead', 'member');--> statement-breakpoint
CREATE TYPE "public"."token_kind" AS ENUM('api', 'scim', 'ingest', 'decision');--> statement-breakpoint
CREATE TYPE "public"."agent_kind" AS ENUM('coding_assistant', 'workflow_agent', 'chat_assistant', 'service');--> statement-breakpoint
CREATE TYPE "public"."agent_state" AS ENUM('active', 'suspended', 'revoked', 'retired');--> statement-breakpoint
CREATE TYPE "public"."asset_source" AS ENUM('manual', 'registry_import', 'client_config_import', 'csv_import', 'api');--> statement-breakpoint
CREATE TYPE "public"."auth_profile" AS ENUM('none', 'static_api_key', 'oauth_dcr', 'oauth_cimd', 'oauth_preregistered', 'mtls', 'workload_identity');--> statement-breakpoint
CREATE TYPE "public"."credential_type" AS ENUM('client_secret', 'private_key_jwt', 'mtls_certificate', 'spiffe_svid', 'oidc_federation', 'api_key', 'refresh_token');--> statement-breakpoint
CREATE TYPE "public"."data_classification" AS ENUM('public', 'internal', 'confidential', 'restricted');--> statement-breakpoint
CREATE TYPE "public"."environment" AS ENUM('dev', 'staging', 'prod');--> statement-breakpoint
CREATE TYPE "public"."grant_state" AS ENUM('pending', 'active', 'suspended', 'revoked');--> statement-breakpoint
CREATE TYPE "public"."identity_type" AS ENUM('oauth_dcr', 'oauth_cimd', 'oauth_preregistered', 'workload_spiffe', 'workload_oidc', 'service_account', 'static_api_key');--> statement-breakpoint
CREATE TYPE "public"."risk_level" AS ENUM('low', 'medium', 'high');--> statement-breakpoint
CREATE TYPE "public"."server_lifecycle" AS ENUM('draft', 'in_review', 'approved', 'suspended', 'expired', 'revoked', 'retired');--> statement-breakpoint
CREATE TYPE "public"."transport" AS ENUM('stdio', 'streamable-http', 'sse');--> statement-breakpoint
CREATE TYPE "public"."actor_type" AS ENUM('person', 'token', 'system', 'scim');--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" "token_kind" DEFAULT 'api' NOT NULL,
	"prefix" text NOT NULL,
	"token_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"bound_to" text,
	"created_by_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"last_used_ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_tokens_expiry_ck" CHECK ("api_tokens"."expires_at" > "api_tokens"."created_at")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"role" "role" DEFAULT 'member' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"source" "person_source" DEFAULT 'admin' NOT NULL,
	"oidc_issuer" text,
	"oidc_subject" text,
	"idp_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"external_id" text,
	"deactivated_at" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_email_lower_ck" CHECK ("people"."email" = lower("people"."email")),
	CONSTRAINT "people_deactivated_ck" CHECK ("people"."active" or "people"."deactivated_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "team_memberships" (
	"team_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"role" "team_role" DEFAULT 'member' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_memberships_team_id_person_id_pk" PRIMARY KEY("team_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_slug_ck" CHECK ("teams"."slug" ~ '^[a-z0-9][a-z0-9-]*$')
);
--> statement-breakpoint
CREATE TABLE "access_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"server_id" uuid NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"tenant" text,
	"workspace" text,
	"purpose" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"state" "grant_state" DEFAULT 'pending' NOT NULL,
	"created_by_id" uuid,
	"approved_at" timestamp with time zone,
	"state_reason" text,
	"state_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" "agent_kind" NOT NULL,
	"identity_type" "identity_type" NOT NULL,
	"client_id" text,
	"issuer" text,
	"environment" "environment" DEFAULT 'dev' NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"primary_owner_id" uuid,
	"backup_owner_id" uuid,
	"team_id" uuid,
	"state" "agent_state" DEFAULT 'active' NOT NULL,
	"max_credential_ttl_seconds" integer,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"source" "asset_source" DEFAULT 'manual' NOT NULL,
	"last_seen_at" timestamp with time zone,
	"state_reason" text,
	"state_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agents_ttl_ck" CHECK ("agents"."max_credential_ttl_seconds" is null or "agents"."max_credential_ttl_seconds" > 0),
	CONSTRAINT "agents_owners_distinct_ck" CHECK ("agents"."backup_owner_id" is null or "agents"."backup_owner_id" <> "agents"."primary_owner_id")
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agent_id" uuid NOT NULL,
	"type" "credential_type" NOT NULL,
	"issuer" text,
	"identifier" text,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"ttl_seconds" bigint,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credentials_expiry_ck" CHECK ("credentials"."expires_at" is null or "credentials"."expires_at" > "credentials"."issued_at")
);
--> statement-breakpoint
CREATE TABLE "grant_tools" (
	"grant_id" uuid NOT NULL,
	"tool_id" uuid NOT NULL,
	CONSTRAINT "grant_tools_grant_id_tool_id_pk" PRIMARY KEY("grant_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "servers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"description" text DEFAULT '' NOT NULL,
	"version" text,
	"transport" "transport" NOT NULL,
	"endpoint_url" text,
	"packages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"repository_url" text,
	"website_url" text,
	"environment" "environment" DEFAULT 'dev' NOT NULL,
	"data_classification" "data_classification" DEFAULT 'internal' NOT NULL,
	"auth_profile" "auth_profile" DEFAULT 'none' NOT NULL,
	"auth_issuer" text,
	"protocol_version" text,
	"multi_tenant" boolean DEFAULT false NOT NULL,
	"lifecycle" "server_lifecycle" DEFAULT 'draft' NOT NULL,
	"approved_until" timestamp with time zone,
	"changed_since_approval" boolean DEFAULT false NOT NULL,
	"primary_owner_id" uuid,
	"backup_owner_id" uuid,
	"team_id" uuid,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"source" "asset_source" DEFAULT 'manual' NOT NULL,
	"server_json" jsonb,
	"last_probe_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"risk_score" integer DEFAULT 0 NOT NULL,
	"state_reason" text,
	"state_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "servers_name_ck" CHECK ("servers"."name" ~ '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$' and length("servers"."name") <= 200),
	CONSTRAINT "servers_remote_endpoint_ck" CHECK ("servers"."transport" = 'stdio' or "servers"."endpoint_url" is not null),
	CONSTRAINT "servers_risk_ck" CHECK ("servers"."risk_score" between 0 and 100),
	CONSTRAINT "servers_owners_distinct_ck" CHECK ("servers"."backup_owner_id" is null or "servers"."backup_owner_id" <> "servers"."primary_owner_id")
);
--> statement-breakpoint
CREATE TABLE "tools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"server_id" uuid NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"description" text DEFAULT '' NOT NULL,
	"input_schema" jsonb DEFAULT '{"type":"object"}'::jsonb NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"required_scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"risk" "risk_level" DEFAULT 'medium' NOT NULL,
	"approved" boolean DEFAULT false NOT NULL,
	"approved_by_id" uuid,
	"approved_at" timestamp with time zone,
	"definition_hash" text NOT NULL,
	"approved_hash" text,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tools_hash_ck" CHECK ("tools"."definition_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "activity_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_type" "actor_type" NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"target_label" text,
	"before" jsonb,
	"after" jsonb,
	"context" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "activity_log_action_ck" CHECK ("activity_log"."action" ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'),
	CONSTRAINT "activity_log_seq_ck" CHECK ("activity_log"."seq" > 0)
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_memberships" ADD CONSTRAINT "team_memberships_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_memberships" ADD CONSTRAINT "team_memberships_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grants" ADD CONSTRAINT "access_grants_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_primary_owner_id_people_id_fk" FOREIGN KEY ("primary_owner_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_backup_owner_id_people_id_fk" FOREIGN KEY ("backup_owner_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_tools" ADD CONSTRAINT "grant_tools_grant_id_access_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grant_tools" ADD CONSTRAINT "grant_tools_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_primary_owner_id_people_id_fk" FOREIGN KEY ("primary_owner_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_backup_owner_id_people_id_fk" FOREIGN KEY ("backup_owner_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_approved_by_id_people_id_fk" FOREIGN KEY ("approved_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "api_tokens_created_by_idx" ON "api_tokens" USING btree ("created_by_id");--> statement-breakpoint
CREATE UNIQUE INDEX "people_email_key" ON "people" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "people_oidc_identity_key" ON "people" USING btree ("oidc_issuer","oidc_subject");--> statement-breakpoint
CREATE UNIQUE INDEX "people_external_id_key" ON "people" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "people_name_trgm_idx" ON "people" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "team_memberships_person_idx" ON "team_memberships" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_slug_key" ON "teams" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_external_id_key" ON "teams" USING btree ("external_id");--> statement-breakpoint
CREATE INDEX "access_grants_agent_idx" ON "access_grants" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "access_grants_server_idx" ON "access_grants" USING btree ("server_id");--> statement-breakpoint
CREATE INDEX "access_grants_state_expiry_idx" ON "access_grants" USING btree ("state","expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_client_key" ON "agents" USING btree (coalesce("issuer", ''),"client_id");--> statement-breakpoint
CREATE INDEX "agents_state_idx" ON "agents" USING btree ("state","id");--> statement-breakpoint
CREATE INDEX "agents_identity_type_idx" ON "agents" USING btree ("identity_type","id");--> statement-breakpoint
CREATE INDEX "agents_team_idx" ON "agents" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "agents_primary_owner_idx" ON "agents" USING btree ("primary_owner_id");--> statement-breakpoint
CREATE INDEX "agents_backup_owner_idx" ON "agents" USING btree ("backup_owner_id");--> statement-breakpoint
CREATE INDEX "agents_updated_idx" ON "agents" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "agents_name_trgm_idx" ON "agents" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "credentials_agent_idx" ON "credentials" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "credentials_expires_idx" ON "credentials" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "grant_tools_tool_idx" ON "grant_tools" USING btree ("tool_id");--> statement-breakpoint
CREATE UNIQUE INDEX "servers_name_key" ON "servers" USING btree ("name");--> statement-breakpoint
CREATE INDEX "servers_lifecycle_idx" ON "servers" USING btree ("lifecycle","id");--> statement-breakpoint
CREATE INDEX "servers_environment_idx" ON "servers" USING btree ("environment","id");--> statement-breakpoint
CREATE INDEX "servers_team_idx" ON "servers" USING btree ("team_id");--> statement-breakpoint
CREATE INDEX "servers_primary_owner_idx" ON "servers" USING btree ("primary_owner_id");--> statement-breakpoint
CREATE INDEX "servers_backup_owner_idx" ON "servers" USING btree ("backup_owner_id");--> statement-breakpoint
CREATE INDEX "servers_updated_idx" ON "servers" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "servers_name_trgm_idx" ON "servers" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "tools_server_name_key" ON "tools" USING btree ("server_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "activity_log_hash_key" ON "activity_log" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "activity_log_occurred_idx" ON "activity_log" USING btree ("occurred_at" DESC NULLS LAST,"seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "activity_log_actor_idx" ON "activity_log" USING btree ("actor_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "activity_log_target_idx" ON "activity_log" USING btree ("target_type","target_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "activity_log_action_idx" ON "activity_log" USING btree ("action","seq" DESC NULLS LAST);