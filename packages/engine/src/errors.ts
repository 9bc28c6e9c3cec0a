import type { z } from 'zod';

/** One problem in an input document, located by its JSON path (e.g. `rules.waterfall[2].payPrincipal`). */
export interface InputIssue {
  path: string;
  message: string;
}

/**
 * Thrown when a rule document, collateral or scenario is invalid. The message names the path of
 * the first problem (`rules.classes[3].id: duplicate class "A2"`); `issues` lists all of them.
 */
export class EngineInputError extends Error {
  readonly issues: InputIssue[];
  constructor(issues: InputIssue[]) {
    const first = issues[0];
    const head = first ? `${first.path}: ${first.message}` : 'invalid input';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(head + more);
    this.name = 'EngineInputError';
    this.issues = issues;
  }
}

/** Thrown when a computed period breaks conservation or produces a negative balance (an engine bug). */
export class ConservationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConservationError';
  }
}

export type PathSegment = string | number | symbol;

/** `rules` + ['waterfall', 2, 'to'] -> `rules.waterfall[2].to`. */
export function formatPath(root: string, path: readonly PathSegment[]): string {
  let out = root;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += `.${String(seg)}`;
  }
  return out;
}

type Issue = z.core.$ZodIssue;

function depth(issues: readonly Issue[]): number {
  let best = -1;
  for (const i of issues) best = Math.max(best, i.path.length + (i.code === 'invalid_union' ? 1 : 0));
  return best;
}

/** Issues showing the input has another shape than the branch (unknown or missing keys). */
function mismatches(issues: readonly Issue[]): number {
  let n = 0;
  for (const i of issues) {
    if (i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'))
      n += 1000; // another kind of value
    else if (i.code === 'unrecognized_keys') n += i.keys.length;
    else if (i.code === 'invalid_type' && i.message.endsWith('received undefined')) n += 1;
  }
  return n;
}

function flatten(root: string, prefix: readonly PathSegment[], issue: Issue, out: InputIssue[]): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Key-shaped unions ({sequential: ...} | {proRata: ...}) fail shallowly in every branch but
    // the one the author meant; report that branch's problems, not a bare "invalid input".
    // Pick the branch the input most resembles: fewest unknown/missing keys, then deepest.
    let best: readonly Issue[] = [];
    let bestDepth = -1;
    let bestMismatch = Infinity;
    for (const branch of issue.errors) {
      const d = depth(branch);
      const m = mismatches(branch);
      if (m < bestMismatch || (m === bestMismatch && d > bestDepth)) {
        best = branch;
        bestDepth = d;
        bestMismatch = m;
      }
    }
    const unknownKeys = best.find((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
    if (unknownKeys && unknownKeys.code === 'unrecognized_keys') {
      // The keys fit no alternative (e.g. a misspelt step name): list the expected keys instead.
      const expected = new Set<string>();
      for (const branch of issue.errors) {
        const missing = branch.find(
          (i) =>
            i.path.length === 1 &&
            (i.code === 'invalid_union' ||
              (i.code === 'invalid_type' && i.message.endsWith('received undefined'))),
        );
        if (missing) expected.add(String(missing.path[0]));
      }
      const list = [...expected].map((k) => `"${k}"`).join(', ');
      out.push({
        path: formatPath(root, path),
        message: `unknown field(s) ${unknownKeys.keys.map((k) => `"${k}"`).join(', ')}${list ? `; expected one of ${list}` : ''}`,
      });
      return;
    }
    if (bestDepth > 0) {
      for (const sub of best) flatten(root, path, sub, out);
      return;
    }
  }
  if (issue.code === 'unrecognized_keys') {
    out.push({
      path: formatPath(root, path),
      message: `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
    });
    return;
  }
  out.push({ path: formatPath(root, path), message: issue.message });
}

/** Zod error -> issues with JSON paths under `root`. */
export function zodIssues(root: string, error: z.ZodError): InputIssue[] {
  const out: InputIssue[] = [];
  for (const issue of error.issues) flatten(root, [], issue, out);
  return out;
}
