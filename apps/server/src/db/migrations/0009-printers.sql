-- The admin's printer list (docs/printing.md): network ticket printers the server prints on for
-- plain-browser kiosks, with the paper width and mode of each, and which kiosk uses which.
-- Only IP literals on the center's network are stored (checked by the API, protocol/printing.ts).
CREATE TABLE printers (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  host       TEXT NOT NULL,
  port       INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  width_mm   INTEGER NOT NULL CHECK (width_mm IN (58, 80)),
  mode       TEXT NOT NULL CHECK (mode IN ('raster', 'text')),
  code_page  INTEGER NOT NULL DEFAULT 52 CHECK (code_page BETWEEN 0 AND 255),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- A kiosk prints on one printer; a printer may serve several kiosks. Deleting a printer frees its
-- kiosks (they fall back to LUOT_KIOSK_PRINTER).
CREATE TABLE kiosk_printers (
  device_id  INTEGER PRIMARY KEY REFERENCES devices (id),
  printer_id INTEGER NOT NULL REFERENCES printers (id) ON DELETE CASCADE
) STRICT;
CREATE INDEX kiosk_printers_printer ON kiosk_printers (printer_id);
