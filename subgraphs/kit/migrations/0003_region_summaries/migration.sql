-- Region summaries (summary.ts): one row per aggregate a subgraph keeps summarised per province and
-- regency. The summary table itself ("_kopdes_summary_<aggregate>") and the triggers that keep it
-- current are derived from the aggregate's own grouped select at start-up; definition_hash says which
-- select built them, so a changed select rebuilds them. version grows with every refresh: disclosure
-- decisions are memoised per version.
CREATE TABLE IF NOT EXISTS "_kopdes_summary" (
  "aggregate" TEXT PRIMARY KEY,
  "definition_hash" TEXT NOT NULL,
  "version" BIGINT NOT NULL DEFAULT 1,
  "filled_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "refreshed_at" TIMESTAMPTZ NOT NULL DEFAULT now()
);
