/** Every export format, one small module each behind one interface, registered here. */

import { exportBilingualMarkdown, exportMarkdown } from "./markdown.ts";
import type { ExportInput } from "./select.ts";
import { exportTmx } from "./tmx.ts";
import { exportXliff } from "./xliff.ts";

export interface ExportFormat {
  id: string;
  contentType: string;
  /** File name: `<slug>.<lang><suffix>`. */
  suffix: string;
  render(input: ExportInput, context: { version: string }): string;
}

export type ExportFormatId = "markdown" | "bilingual" | "xliff" | "tmx";

export const EXPORT_FORMATS: Record<ExportFormatId, ExportFormat> = {
  markdown: {
    id: "markdown",
    contentType: "text/markdown; charset=utf-8",
    suffix: ".md",
    render: exportMarkdown,
  },
  bilingual: {
    id: "bilingual",
    contentType: "text/markdown; charset=utf-8",
    suffix: ".bilingual.md",
    render: exportBilingualMarkdown,
  },
  xliff: {
    id: "xliff",
    contentType: "application/xliff+xml; charset=utf-8",
    suffix: ".xlf",
    render: exportXliff,
  },
  tmx: {
    id: "tmx",
    contentType: "application/x-tmx+xml; charset=utf-8",
    suffix: ".tmx",
    render: (input, context) => exportTmx(input, context.version),
  },
};
export const EXPORT_FORMAT_IDS = Object.keys(EXPORT_FORMATS) as ExportFormatId[];
