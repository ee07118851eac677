import type { RequestHandler } from "express";
import multer from "multer";
import type { Csrf } from "../../csrf.ts";

/** Parses one uploaded file into memory (bounded), then checks the CSRF token the form carried. */
export function upload(field: string, maxBytes: number, csrf: Csrf): RequestHandler[] {
  const parser = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: maxBytes },
  });
  return [parser.single(field), csrf.protect];
}

/** An uploaded file as UTF-8 text (a BOM is dropped), or undefined. */
export function uploadedText(file: Express.Multer.File | undefined): string | undefined {
  if (!file || file.size === 0) return undefined;
  return new TextDecoder("utf-8", { fatal: false }).decode(file.buffer).replace(/^\uFEFF/, "");
}
