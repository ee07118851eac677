import type { Response } from "express";

/**
 * Sends an exported file as a download, `filename` always quoted as the API spec writes it.
 * File names are built from a slug, a language tag and a suffix: ASCII letters, digits, `.` and `-`.
 */
export function sendDownload(
  res: Response,
  file: { body: string; contentType: string; filename: string },
): void {
  const safe = file.filename.replace(/[^A-Za-z0-9._-]/g, "_");
  res
    .set("Content-Type", file.contentType)
    .set("Content-Disposition", `attachment; filename="${safe}"`)
    .send(file.body);
}
