import type { Request } from "express";
import { z } from "zod";
import { ValidationError } from "../../../translations/errors.ts";
import type { Cursors } from "../../services/paging.ts";

const cursorParam = z.string().min(1).max(400).optional();
const pageQuerySchema = z.object({ after: cursorParam, before: cursorParam });

/** The `?after=` / `?before=` cursors of a paged page; 400 when they cannot be cursors. */
export function pageCursors(req: Request): Cursors {
  const query = pageQuerySchema.safeParse(req.query);
  if (!query.success)
    throw new ValidationError(
      "The page cursor is not one this list handed out.",
      { cursor: "invalid" },
      "invalid_cursor",
    );
  return query.data as Cursors;
}

/** The pager partial's Previous and Next links on `path`, from a page's cursors. */
export function pagerLinks(path: string, size: number, page: { next?: string; previous?: string }) {
  const link = (name: string, cursor: string | undefined) =>
    cursor ? `${path}?${new URLSearchParams({ [name]: cursor })}` : undefined;
  return { size, next: link("after", page.next), previous: link("before", page.previous) };
}
