import type { QualityCheck } from "../finding.ts";
import { doubleSpace } from "./double-space.ts";
import { identicalToSource } from "./identical-to-source.ts";
import { length } from "./length.ts";
import { markupMismatch } from "./markup-mismatch.ts";
import { numberMismatch } from "./number-mismatch.ts";
import { punctuation } from "./punctuation.ts";
import { spelling } from "./spelling.ts";

/** Every quality check beyond the glossary's, errors first so that lists show the serious ones first. */
export const QUALITY_CHECKS: readonly QualityCheck[] = [
  numberMismatch,
  markupMismatch,
  punctuation,
  spelling,
  identicalToSource,
  doubleSpace,
  length,
];
