import { ValidationError } from "../../translations/errors.ts";
import { InvalidCursorError } from "../storage/store.ts";

/** The cursors of a paged read, as the store's page queries take them. */
export interface Cursors {
  after?: string;
  before?: string;
}

/** Reads one page of a list with the cursors given; a cursor no page handed out is a 400. */
export async function readPage<T>(read: (cursors: Cursors) => Promise<T>, after?: string, before?: string) {
  try {
    return await read({
      ...(after !== undefined ? { after } : {}),
      ...(before !== undefined ? { before } : {}),
    });
  } catch (error) {
    if (error instanceof InvalidCursorError)
      throw new ValidationError(error.message, { cursor: "invalid" }, "invalid_cursor");
    throw error;
  }
}
