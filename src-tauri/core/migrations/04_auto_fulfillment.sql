-- Auto Fulfillment (the seed's AutoFulfillment page): one row of settings.
-- Money is US cents (the supplier wallet's currency); times are UTC RFC 3339.
CREATE TABLE auto_fulfillment (
    id                      INTEGER PRIMARY KEY CHECK (id = 1),
    enabled                 INTEGER NOT NULL DEFAULT 0,
    payment_method          TEXT NOT NULL DEFAULT 'wallet' CHECK (payment_method IN ('wallet', 'card')),
    -- Both checkboxes of the My Wallet tab, ticked and saved.
    wallet_terms_accepted_at TEXT,
    -- The wallet must hold at least this much at each supplier for auto mode to run.
    threshold_minor         INTEGER NOT NULL DEFAULT 100000 CHECK (threshold_minor >= 0),
    -- How long a paid order waits before it is sent, so the merchant can still hold it.
    approval_delay_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (approval_delay_minutes BETWEEN 0 AND 10080),
    -- Or: once a day, at this minute of the merchant's day (0 to 1439), send the orders placed
    -- before it; the merchant's offset from UTC is kept beside it.
    daily_at_minute         INTEGER CHECK (daily_at_minute BETWEEN 0 AND 1439),
    utc_offset_minutes      INTEGER NOT NULL DEFAULT 0 CHECK (utc_offset_minutes BETWEEN -1080 AND 1080),
    -- "Choose the most suitable shipping method": the cheapest line arriving within this many
    -- days, else the fastest. NULL: off (the country's lines, else the cheapest line).
    most_suitable_within_days INTEGER CHECK (most_suitable_within_days BETWEEN 1 AND 90),
    -- Orders whose products cost more than this (US cents) are held for the merchant, not sent.
    max_order_cost_minor    INTEGER CHECK (max_order_cost_minor > 0),
    -- Set while auto mode waits for the wallet (below the threshold); cleared when it is back.
    paused_reason           TEXT,
    updated_at              TEXT NOT NULL
) STRICT;
INSERT INTO auto_fulfillment (id, updated_at) VALUES (1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- Default shipping method per destination country, with ordered fallbacks: the first line the
-- supplier offers for the parcel is used. Replaces shipping_default (one line per country).
CREATE TABLE shipping_rule (
    country_code  TEXT NOT NULL,
    position      INTEGER NOT NULL CHECK (position >= 0),
    logistic_name TEXT NOT NULL,
    PRIMARY KEY (country_code, position)
) STRICT;
INSERT INTO shipping_rule (country_code, position, logistic_name)
SELECT country_code, 0, logistic_name FROM shipping_default;
DROP TABLE shipping_default;

-- CJ's API rate limit for this account, requests per second (1 on CJ's free level; the embedded
-- sandbox's accounts are connected with more). Every call waits for its turn.
ALTER TABLE supplier ADD COLUMN requests_per_second INTEGER NOT NULL DEFAULT 1 CHECK (requests_per_second BETWEEN 1 AND 1000);
