-- One row per committed write transaction that changed rows: which process wrote (`origin`,
-- "pid:random") and the tables it touched, comma-separated. An open app polls it to show writes
-- made by another process (dropdock-cli) without a reload; the writer keeps the last 1,000.
-- AUTOINCREMENT: ids never go back, even after pruning, so a reader's cursor stays valid.
CREATE TABLE change_log (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    tables TEXT NOT NULL
);
