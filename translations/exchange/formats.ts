/** Every export format, one small module each behind one interface, registered here. */

import { bilingualParts, markdownParts } from "./markdown.ts";
import type { ExportInput } from "./select.ts";
import { tmxParts } from "./tmx.ts";
import { xliffParts } from "./xliff.ts";

export interface ExportFormat {
  id: string;
  contentType: string;
  /** File name: `<slug>.<lang><suffix>`. */
  suffix: string;
  /**
   * The file a paragraph or unit at a time, for `inSlices` to make a slice per turn of the event
   * loop (an 11,500-paragraph XLIFF file written in one go held it 1.4 s); joined, the whole file.
   */
  render(input: ExportInput, context: { version: string }): Iterable<string>;
}

export type ExportFormatId = "markdown" | "bilingual" | "xliff" | "tmx";

export const EXPORT_FORMATS: Record<ExportFormatId, ExportFormat> = {
  markdown: {
    id: "markdown",
    contentType: "text/markdown; charset=utf-8",
    suffix: ".md",
    render: markdownParts,
  },
  bilingual: {
    id: "bilingual",
    contentType: "text/markdown; charset=utf-8",
    suffix: ".bilingual.md",
    render: bilingualParts,
  },
  xliff: {
    id: "xliff",
    contentType: "application/xliff+xml; charset=utf-8",
    suffix: ".xlf",
    render: xliffParts,
  },
  tmx: {
    id: "tmx",
    contentType: "application/x-tmx+xml; charset=utf-8",
    suffix: ".tmx",
    render: (input, context) => tmxParts(input, context.version),
  },
};
export const EXPORT_FORMAT_IDS = Object.keys(EXPORT_FORMATS) as ExportFormatId[];
