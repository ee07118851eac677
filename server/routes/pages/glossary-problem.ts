/** Glossary problems said in the reader's language (the JSON API keeps their English `message`). */

import type { Request } from "express";
import type { ImportProblem } from "../../../glossary/exchange.ts";
import type { Problem } from "../../../glossary/problem.ts";

/** A problem as a page shows it: its sentence, and the sentences of the problems it is made of. */
export interface SaidProblem {
  text: string;
  reasons: string[];
}

export function sayProblem(req: Request, problem: Problem): SaidProblem {
  const say = (p: Problem) => req.t(`glossary.problem.${p.code}`, { ...p.params, defaultValue: p.message });
  return { text: say(problem), reasons: (problem.reasons ?? []).map(say) };
}

/** An import row's problem, with where it is in the file (`line 3`, `entry c1`). */
export function sayImportProblem(req: Request, problem: ImportProblem): SaidProblem & { where: string } {
  const where =
    problem.line !== undefined
      ? req.t("glossary.line", { line: problem.line })
      : req.t("glossary.entry", { entry: problem.entry ?? "?" });
  return { where, ...sayProblem(req, problem) };
}

/** A refusal said after the name of the file it is about ("wrong.tbx: Not a TBX v3 file…"). */
export function namedRefusal(name: string, text: string): string {
  return `${name}: ${text}`;
}

/**
 * A refused file's problem, and the line where reading stopped unless its sentence already names it.
 * With the file's `name`, a problem that has a sentence naming the file (`<code>_named`) says that one.
 */
export function sayFileProblem(req: Request, problem: Problem, line?: number, name?: string): SaidProblem {
  const said = sayProblem(req, problem);
  if (name) {
    said.text = req.t(`glossary.problem.${problem.code}`, {
      ...problem.params,
      name,
      context: "named",
      defaultValue: said.text,
    });
    // A problem with no sentence of its own naming the file is said after the file's name.
    if (!said.text.includes(name)) said.text = namedRefusal(name, said.text);
  }
  if (line !== undefined && !("line" in problem.params))
    said.text += ` (${req.t("glossary.line", { line })})`;
  return said;
}
