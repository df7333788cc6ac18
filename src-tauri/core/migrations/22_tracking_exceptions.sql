-- Tracking exceptions (issue 18): what the carrier said of each shipment, as the supplier's
-- tracking lookup reports it (CJ `logistic/trackInfo`'s `trackingStatus`), one row per change.
-- A shipment that has had no new event for the merchant's number of days (7 by default), or
-- that the carrier still does not know that long after it shipped, needs attention; after 30
-- days of nothing it has expired (see tracking::exceptions).
CREATE TABLE tracking_event (
    id          INTEGER PRIMARY KEY,
    shipment_id INTEGER NOT NULL REFERENCES shipment(id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (length(status) BETWEEN 1 AND 200),
    seen_at     TEXT NOT NULL
) STRICT;
CREATE INDEX tracking_event_by_shipment ON tracking_event (shipment_id, seen_at);

-- The newest event (NULL: the carrier has said nothing yet), and when Attention was announced.
ALTER TABLE shipment ADD COLUMN last_status TEXT;
ALTER TABLE shipment ADD COLUMN last_event_at TEXT;
ALTER TABLE shipment ADD COLUMN attention_notified_at TEXT;
-- Quiet shipments are found by when they last moved.
CREATE INDEX shipment_by_last_move ON shipment (COALESCE(last_event_at, detected_at));
