DROP INDEX "agents_team_idx";--> statement-breakpoint
DROP INDEX "servers_team_idx";--> statement-breakpoint
CREATE INDEX "agents_name_idx" ON "agents" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "agents_last_seen_idx" ON "agents" USING btree (coalesce("last_seen_at", '-infinity'::timestamptz),"id");--> statement-breakpoint
CREATE INDEX "agents_search_trgm_idx" ON "agents" USING gin (("name" || chr(31) || coalesce("client_id", '') || chr(31) || "purpose") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "servers_risk_idx" ON "servers" USING btree ("risk_score","id");--> statement-breakpoint
CREATE INDEX "servers_changed_idx" ON "servers" USING btree ("name") WHERE "servers"."changed_since_approval";--> statement-breakpoint
CREATE INDEX "servers_tags_idx" ON "servers" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "servers_search_trgm_idx" ON "servers" USING gin (("name" || chr(31) || coalesce("title", '') || chr(31) || "description") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "agents_team_idx" ON "agents" USING btree ("team_id","name","id");--> statement-breakpoint
CREATE INDEX "servers_team_idx" ON "servers" USING btree ("team_id","name");