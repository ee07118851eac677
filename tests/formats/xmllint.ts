/** Offline validation with libxml2's xmllint (as WebAssembly): XSD for XLIFF, DTD for TMX, RELAX NG for TBX. */

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { validateXML } from "xmllint-wasm";

export const FORMATS = path.join(import.meta.dirname, "..", "..", "..", "shared", "formats");
const read = (...parts: string[]) => readFileSync(path.join(FORMATS, ...parts), "utf8");

export async function validateXliff20(xml: string) {
  return validateXML({
    xml: [{ fileName: "export.xlf", contents: xml }],
    schema: [{ fileName: "xliff_core_2.0.xsd", contents: read("xliff", "xliff_core_2.0.xsd") }],
    preload: [
      {
        fileName: "informativeCopiesOf3rdPartySchemas/w3c/xml.xsd",
        contents: read("xliff", "informativeCopiesOf3rdPartySchemas", "w3c", "xml.xsd"),
      },
    ],
    modifyArguments: (args) => ["--nonet", ...args],
  });
}

export async function validateTbxCore(xml: string) {
  return validateXML({
    xml: [{ fileName: "export.tbx", contents: xml }],
    schema: [{ fileName: "tbx_v3_core_schema.rng", contents: read("tbx", "tbx_v3_core_schema.rng") }],
    extension: "relaxng",
    modifyArguments: (args) => ["--nonet", ...args],
  });
}

/**
 * TMX against its DTD. The WebAssembly build has no DTD validation, so this one is libxml2's own
 * xmllint (Debian's libxml2-utils, which .ci/run installs), offline with --nonet.
 */
export function validateTmx(xml: string): { valid: boolean; errors: string[] } {
  const result = spawnSync(
    "xmllint",
    ["--noout", "--nonet", "--dtdvalid", path.join(FORMATS, "tmx", "tmx14.dtd"), "-"],
    {
      input: xml,
      encoding: "utf8",
    },
  );
  if (result.error)
    throw new Error(`xmllint is missing (apt-get install libxml2-utils): ${result.error.message}`);
  const errors = result.stderr.split("\n").filter(Boolean);
  return { valid: result.status === 0, errors };
}
