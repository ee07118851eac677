-- Processes read the imported units another one added after the last position they hold, a page at
-- a time (Store.listMemoryUnitsAfter): without an index each page read the whole table.
CREATE UNIQUE INDEX IF NOT EXISTS memory_units_position ON memory_units (position);
