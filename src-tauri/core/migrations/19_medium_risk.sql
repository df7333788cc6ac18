-- Auto Fulfillment's choice for orders the store rates MEDIUM risk of fraud (issue 18): 0 sends
-- them (the default), 1 holds them for the merchant to check (they may still ship by hand).
ALTER TABLE auto_fulfillment ADD COLUMN hold_medium_risk INTEGER NOT NULL DEFAULT 0 CHECK (hold_medium_risk IN (0, 1));
