import { relations } from "drizzle-orm";
import { apiTokens, people, sessions, teamMemberships, teams } from "./auth";
import { accessGrants, agents, credentials, grantTools, servers, tools, toolVersions } from "./inventory";

export const peopleRelations = relations(people, ({ many }) => ({
  memberships: many(teamMemberships),
  tokens: many(apiTokens),
  sessions: many(sessions),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  person: one(people, { fields: [sessions.personId], references: [people.id] }),
}));

export const teamsRelations = relations(teams, ({ many }) => ({
  memberships: many(teamMemberships),
  servers: many(servers),
  agents: many(agents),
}));

export const teamMembershipsRelations = relations(teamMemberships, ({ one }) => ({
  team: one(teams, { fields: [teamMemberships.teamId], references: [teams.id] }),
  person: one(people, { fields: [teamMemberships.personId], references: [people.id] }),
}));

export const apiTokensRelations = relations(apiTokens, ({ one }) => ({
  createdBy: one(people, { fields: [apiTokens.createdById], references: [people.id] }),
}));

export const serversRelations = relations(servers, ({ one, many }) => ({
  primaryOwner: one(people, { fields: [servers.primaryOwnerId], references: [people.id], relationName: "server_primary" }),
  backupOwner: one(people, { fields: [servers.backupOwnerId], references: [people.id], relationName: "server_backup" }),
  team: one(teams, { fields: [servers.teamId], references: [teams.id] }),
  tools: many(tools),
  grants: many(accessGrants),
}));

export const toolsRelations = relations(tools, ({ one, many }) => ({
  server: one(servers, { fields: [tools.serverId], references: [servers.id] }),
  grantTools: many(grantTools),
  versions: many(toolVersions),
}));

export const toolVersionsRelations = relations(toolVersions, ({ one }) => ({
  tool: one(tools, { fields: [toolVersions.toolId], references: [tools.id] }),
}));

export const agentsRelations = relations(agents, ({ one, many }) => ({
  primaryOwner: one(people, { fields: [agents.primaryOwnerId], references: [people.id], relationName: "agent_primary" }),
  backupOwner: one(people, { fields: [agents.backupOwnerId], references: [people.id], relationName: "agent_backup" }),
  team: one(teams, { fields: [agents.teamId], references: [teams.id] }),
  credentials: many(credentials),
  grants: many(accessGrants),
}));

export const credentialsRelations = relations(credentials, ({ one }) => ({
  agent: one(agents, { fields: [credentials.agentId], references: [agents.id] }),
}));

export const accessGrantsRelations = relations(accessGrants, ({ one, many }) => ({
  agent: one(agents, { fields: [accessGrants.agentId], references: [agents.id] }),
  server: one(servers, { fields: [accessGrants.serverId], references: [servers.id] }),
  tools: many(grantTools),
}));

export const grantToolsRelations = relations(grantTools, ({ one }) => ({
  grant: one(accessGrants, { fields: [grantTools.grantId], references: [accessGrants.id] }),
  tool: one(tools, { fields: [grantTools.toolId], references: [tools.id] }),
}));
