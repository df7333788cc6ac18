-- The values a hold's sentence is made of (a JSON object of strings, e.g. {"sku":"CJ-MUG"}), so
-- each front end words the hold in the merchant's language from `hold_kind` and these. NULL when
-- the order is not held, or for a hold recorded before this column (its `hold_reason` stays the
-- English sentence, shown as it is until the order is looked at again).
ALTER TABLE orders ADD COLUMN hold_params TEXT;
