-- Issue 15: a store that asked Dropdock to wait longer than it waits within a run (Retry-After
-- past the cap): no background run before this instant (UTC). NULL when it asked nothing.
ALTER TABLE store ADD COLUMN retry_not_before TEXT;
