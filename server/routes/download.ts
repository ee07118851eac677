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

/**
 * Sends a file made in pieces as it is made (a large memory export): no single string of the whole
 * file, and no pause to hash it for an ETag. Headers go with the first piece, so an error while the
 * first is made still gets its own answer.
 */
export async function sendDownloadChunks(
  res: Response,
  file: { chunks: AsyncIterable<string>; contentType: string; filename: string },
): Promise<void> {
  const safe = file.filename.replace(/[^A-Za-z0-9._-]/g, "_");
  for await (const chunk of file.chunks) {
    if (!res.headersSent)
      res
        .status(200)
        .set("Content-Type", file.contentType)
        .set("Content-Disposition", `attachment; filename="${safe}"`);
    // A reader that went away never drains: stop making the file.
    if (!res.write(chunk) && !res.destroyed) await drainOrClose(res);
    if (res.destroyed) return;
  }
  res.end();
}

/**
 * The start of a file made in pieces, at least `chars` characters of it unless it is shorter, for a
 * preview: no more of the file is made once that much is in hand.
 */
export async function startOf(
  chunks: AsyncIterable<string>,
  chars: number,
): Promise<{ text: string; whole: boolean }> {
  const pieces: string[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    pieces.push(chunk);
    size += chunk.length;
    // Leaving the loop ends the file's generator: the rest is never made.
    if (size >= chars) return { text: pieces.join(""), whole: false };
  }
  return { text: pieces.join(""), whole: true };
}

/**
 * Resolves when the response drains or closes, leaving no listener behind: a race of two `once`
 * left the loser attached, one more per wait, and a large export on a slow reader warned of a leak.
 */
export function drainOrClose(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
