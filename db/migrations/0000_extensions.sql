-- drizzle-kit never writes CREATE EXTENSION. pg_trgm backs the trigram indexes that make
-- substring search over 100,000 servers and 1,000,000 agents fast. On PGlite the matching
-- contrib module is loaded by db/client.ts. pg_trgm is a trusted extension, so a database
-- owner without superuser rights can create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
