import { EngineInputError, zodIssues, type InputIssue } from './errors.js';
import { toMinor } from './money.js';
import {
  checkAmount,
  checkMoney,
  checkPct,
  checkPctSchedule,
  checkRule,
  checkSteps,
  Checker,
  type Path,
} from './rule-checks.js';
import {
  RuleDocumentSchema,
  type ClassDef,
  type MoneyValue,
  type PrincipalRule,
  type RuleDocument,
} from './rules.js';

/*
 * Semantic validation of a rule document, beyond its zod schema: references to classes, fees,
 * accounts, triggers, schedules and named rules; cycles; percentage sums; residual and accrual
 * classes. Every problem is reported with its JSON path.
 */

function ruleRefs(rule: PrincipalRule, out: string[]): void {
  if (typeof rule === 'string') return;
  if ('sequential' in rule) rule.sequential.forEach((r) => ruleRefs(r, out));
  else if ('proRata' in rule) rule.proRata.forEach((r) => ruleRefs(r, out));
  else if ('split' in rule) rule.split.forEach((x) => ruleRefs(x.to, out));
  else if ('lockout' in rule) ruleRefs(rule.lockout, out);
  else if ('if' in rule) {
    ruleRefs(rule.then, out);
    if (rule.else !== undefined) ruleRefs(rule.else, out);
  } else if ('ref' in rule) out.push(rule.ref);
}

/** Depth-first search for a cycle in a name -> names graph; returns the cycle as a list of names. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (s === undefined && graph.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

function checkDocument(doc: RuleDocument, root: string): InputIssue[] {
  const c = new Checker(doc, root);
  const seen = new Map<string, string>();
  const unique = (id: string, kind: string, path: Path): void => {
    const prior = seen.get(id);
    if (prior !== undefined) c.add(path, `duplicate id "${id}" (already used by a ${prior})`);
    else seen.set(id, kind);
  };
  doc.collateralGroups.forEach((g, i) => {
    if (c.groups.has(g.id)) c.add(['collateralGroups', i, 'id'], `duplicate collateral group "${g.id}"`);
    c.groups.set(g.id, g.stripRatePct !== undefined);
  });
  doc.classes.forEach((def, i) => {
    unique(def.id, 'class', ['classes', i, 'id']);
    c.classes.set(def.id, def);
    checkMoney(c, def.balance, ['classes', i, 'balance']);
    if (def.dayCount !== '30/360' && !doc.dates) {
      c.add(['classes', i, 'dayCount'], `${def.dayCount} needs "dates" (cutoffDate) in the rule document`);
    }
    if (def.residual && toMinorSafe(def.balance, doc.currency.minorDigits) !== 0n) {
      c.add(['classes', i, 'balance'], 'the residual class has no balance');
    }
    if (def.accrual && def.residual)
      c.add(['classes', i, 'accrual'], 'a class cannot be both accrual and residual');
    if (def.notional && (def.residual || def.accrual)) {
      c.add(['classes', i, 'notional'], 'a notional class cannot be accrual or residual');
    }
    if (def.notional && toMinorSafe(def.balance, doc.currency.minorDigits) !== 0n) {
      c.add(['classes', i, 'balance'], 'a notional class takes its balance from the classes it references');
    }
    if (typeof def.coupon === 'number') checkPct(c, def.coupon, ['classes', i, 'coupon']);
    if (def.ratioStrip) checkRatioStripClass(c, def, ['classes', i]);
  });
  const stripParts = new Set<string>();
  doc.classes.forEach((def, i) => {
    const strip = def.ratioStrip;
    if (!strip) return;
    const key = `${strip.group}/${strip.part}`;
    if (stripParts.has(key)) {
      c.add(
        ['classes', i, 'ratioStrip'],
        `collateral group "${strip.group}" already has a ${strip.part} class`,
      );
    }
    stripParts.add(key);
  });
  doc.classes.forEach((def, i) => {
    def.notional?.classes.forEach((id, j) => {
      const ref = c.classes.get(id);
      if (!ref) c.add(['classes', i, 'notional', 'classes', j], `unknown class "${id}"`);
      else if (ref.notional || ref.residual) {
        c.add(['classes', i, 'notional', 'classes', j], `"${id}" is not a principal-paying class`);
      }
    });
  });
  const residuals = doc.classes.filter((def) => def.residual);
  if (residuals.length !== 1) {
    c.add(
      ['classes'],
      `exactly one class must be the residual ("residual": true), found ${residuals.length}`,
    );
  }
  doc.fees.forEach((f, i) => {
    unique(f.id, 'fee', ['fees', i, 'id']);
    c.fees.add(f.id);
    if (f.fixed !== undefined) checkMoney(c, f.fixed, ['fees', i, 'fixed']);
  });
  doc.accounts.forEach((a, i) => {
    unique(a.id, 'account', ['accounts', i, 'id']);
    if (a.id === 'interest' || a.id === 'principal')
      c.add(['accounts', i, 'id'], `"${a.id}" is a reserved fund name`);
    c.accounts.add(a.id);
    checkMoney(c, a.initial, ['accounts', i, 'initial']);
  });
  doc.triggers.forEach((t, i) => {
    unique(t.id, 'trigger', ['triggers', i, 'id']);
    c.triggers.set(t.id, t);
  });
  doc.schedules.forEach((s, i) => {
    unique(s.id, 'schedule', ['schedules', i, 'id']);
    c.schedules.add(s.id);
    s.classes.forEach((id, j) => c.checkClass(id, ['schedules', i, 'classes', j]));
    s.balances?.forEach((b, j) => checkMoney(c, b, ['schedules', i, 'balances', j]));
    if (s.psaCollar && s.psaCollar[0] > s.psaCollar[1]) {
      c.add(['schedules', i, 'psaCollar'], 'the low speed must not exceed the high speed');
    }
  });
  doc.accounts.forEach((a, i) => {
    if (a.target) checkAmount(c, a.target, ['accounts', i, 'target']);
  });
  doc.triggers.forEach((t, i) => {
    const p: Path = ['triggers', i];
    if (t.type === 'any' || t.type === 'all') {
      t.of.forEach((id, j) => {
        if (!c.triggers.has(id)) c.add([...p, 'of', j], `unknown trigger "${id}"`);
      });
    } else if (t.type === 'delinquency') {
      t.seniorEnhancementOf?.forEach((id, j) => c.checkClass(id, [...p, 'seniorEnhancementOf', j]));
      checkPctSchedule(c, t.thresholdPct, [...p, 'thresholdPct']);
    } else if (t.type === 'twoTimesTest' || t.type === 'stepdownTest') {
      t.subordinates.forEach((id, j) => c.checkClass(id, [...p, 'subordinates', j]));
      checkPctSchedule(c, t.cumulativeLossLimitPct, [...p, 'cumulativeLossLimitPct']);
    } else if (t.type === 'overcollateralization' || t.type === 'interestCoverage') {
      t.classes.forEach((id, j) => c.checkClass(id, [...p, 'classes', j]));
      checkPctSchedule(c, t.minRatioPct, [...p, 'minRatioPct']);
    } else checkPctSchedule(c, t.thresholdPct, [...p, 'thresholdPct']);
  });
  const triggerGraph = new Map<string, string[]>();
  for (const t of doc.triggers) triggerGraph.set(t.id, t.type === 'any' || t.type === 'all' ? t.of : []);
  const tCycle = findCycle(triggerGraph);
  if (tCycle) {
    const i = doc.triggers.findIndex((t) => t.id === tCycle[0]);
    c.add(['triggers', i, 'of'], `cycle between triggers: ${tCycle.join(' -> ')}`);
  }
  for (const [name, rule] of Object.entries(doc.rules)) checkRule(c, rule, ['rules', name]);
  const ruleGraph = new Map<string, string[]>();
  for (const [name, rule] of Object.entries(doc.rules)) {
    const refs: string[] = [];
    ruleRefs(rule, refs);
    ruleGraph.set(name, refs);
  }
  const rCycle = findCycle(ruleGraph);
  if (rCycle) c.add(['rules', rCycle[0] ?? ''], `cycle between rules: ${rCycle.join(' -> ')}`);

  const accreted = new Set<string>();
  const interestPaid = new Set<string>();
  checkSteps(c, doc.waterfall, ['waterfall'], accreted, interestPaid);
  doc.classes.forEach((def, i) => {
    if (def.accrual && !accreted.has(def.id)) {
      c.add(['classes', i, 'accrual'], `accrual class "${def.id}" is not accreted by any waterfall step`);
    }
  });
  doc.losses?.writedownOrder.forEach((id, i) => {
    c.checkClass(id, ['losses', 'writedownOrder', i]);
    const def = c.classes.get(id);
    if (def?.notional || def?.ratioStrip?.part === 'IO')
      c.add(['losses', 'writedownOrder', i], `the notional class "${id}" has no principal`);
  });
  return c.issues;
}

/**
 * A ratio-stripped class belongs to a group with a strip rate, bears no coupon of its own, and
 * is a plain class: the IO's notional comes from the pool (balance 0), the PO earns no interest.
 */
function checkRatioStripClass(c: Checker, def: ClassDef, path: Path): void {
  const strip = def.ratioStrip;
  if (!strip) return;
  c.checkGroup(strip.group, [...path, 'ratioStrip', 'group'], true);
  if (def.residual || def.accrual || def.notional) {
    c.add([...path, 'ratioStrip'], 'a ratio-stripped class cannot be residual, accrual or notional');
  }
  if (def.coupon !== 0) {
    c.add(
      [...path, 'coupon'],
      `a ratio-stripped ${strip.part} class takes its interest from the strip (coupon 0)`,
    );
  }
  if (strip.part === 'IO' && toMinorSafe(def.balance, c.doc.currency.minorDigits) !== 0n) {
    c.add([...path, 'balance'], "the IO's notional amount is the premium loans' balance (balance 0)");
  }
}

function toMinorSafe(m: MoneyValue, digits: number): bigint {
  try {
    return toMinor(m, digits);
  } catch {
    return 0n;
  }
}

/**
 * Parse and validate a waterfall rule document (an object or JSON text). Beyond the zod schema it
 * checks that every class, fee, account, trigger, schedule and named rule referenced exists, that
 * named rules and composite triggers have no cycles, that `split` percentages sum to 100, that
 * there is exactly one residual class and that accrual classes are accreted. Throws
 * `EngineInputError` whose message names the path, e.g.
 * `rules.waterfall[2].payPrincipal.sequential[0]: unknown class "A9"`.
 */
export function parseWaterfallRules(input: unknown, root = 'rules'): RuleDocument {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (e) {
      throw new EngineInputError([{ path: root, message: `invalid JSON: ${(e as Error).message}` }]);
    }
  }
  const r = RuleDocumentSchema.safeParse(value);
  if (!r.success) throw new EngineInputError(zodIssues(root, r.error));
  const issues = checkDocument(r.data, root);
  if (issues.length > 0) throw new EngineInputError(issues);
  return r.data;
}
