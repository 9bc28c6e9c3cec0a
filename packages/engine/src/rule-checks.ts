import { formatPath, type InputIssue, type PathSegment } from './errors.js';
import { pctToScaled, toMinor } from './money.js';
import type {
  Amount,
  ClassDef,
  Condition,
  MoneyValue,
  OcSpec,
  PctScheduleValue,
  PrincipalRule,
  RuleDocument,
  Step,
  TriggerDef,
} from './rules.js';

/*
 * Reference checks of a rule document's parts (conditions, principal rules, amounts, steps):
 * each names an existing class, fee, account, trigger, schedule or rule, and is used where the
 * waterfall allows it. Problems are collected on a `Checker` with their JSON paths.
 */

/** A JSON path inside the document, e.g. `['waterfall', 2, 'payPrincipal']`. */
export type Path = PathSegment[];

/** The ids a document defines, and the problems found so far. */
export class Checker {
  readonly issues: InputIssue[] = [];
  readonly classes = new Map<string, ClassDef>();
  readonly fees = new Set<string>();
  readonly accounts = new Set<string>();
  readonly triggers = new Map<string, TriggerDef>();
  readonly schedules = new Set<string>();
  /** Collateral group ids, and whether each has a strip rate. */
  readonly groups = new Map<string, boolean>();
  readonly ruleNames: Set<string>;
  constructor(
    readonly doc: RuleDocument,
    readonly root: string,
  ) {
    this.ruleNames = new Set(Object.keys(doc.rules));
  }
  add(path: Path, message: string): void {
    this.issues.push({ path: formatPath(this.root, path), message });
  }
  checkClass(id: string, path: Path): void {
    if (!this.classes.has(id)) this.add(path, `unknown class "${id}"`);
  }
  checkFund(name: string, path: Path): void {
    const [kind, group] = name.split(/\.(.*)/s);
    const groupFund =
      (kind === 'interest' || kind === 'principal') && group !== undefined && this.groups.has(group);
    if (name !== 'interest' && name !== 'principal' && !groupFund && !this.accounts.has(name)) {
      const groups = this.groups.size > 0 ? ', "interest.<group>", "principal.<group>"' : '';
      this.add(path, `unknown fund "${name}" (expected "interest", "principal"${groups} or an account id)`);
    }
  }
  /** The collateral group exists (and has a strip rate when `needsStrip`). */
  checkGroup(id: string, path: Path, needsStrip = false): void {
    const hasStrip = this.groups.get(id);
    if (hasStrip === undefined) this.add(path, `unknown collateral group "${id}"`);
    else if (needsStrip && !hasStrip) this.add(path, `collateral group "${id}" has no stripRatePct`);
  }
}

/** A percentage step schedule starts at period 1 and its periods increase. */
export function checkPctSchedule(c: Checker, s: PctScheduleValue, path: Path): void {
  if (typeof s === 'number') return;
  s.forEach((step, i) => {
    if (i === 0 && step.fromPeriod !== 1)
      c.add([...path, 0, 'fromPeriod'], 'the first step must start at period 1');
    const prev = i > 0 ? s[i - 1] : undefined;
    if (prev && step.fromPeriod <= prev.fromPeriod) {
      c.add([...path, i, 'fromPeriod'], 'periods must increase');
    }
  });
}

/** Shift percentages are never negative (they may exceed 100). */
function checkNonNegative(c: Checker, s: PctScheduleValue, path: Path): void {
  const steps = typeof s === 'number' ? [{ pct: s }] : s;
  steps.forEach((step, i) => {
    if (step.pct < 0)
      c.add(typeof s === 'number' ? path : [...path, i, 'pct'], 'a shift percentage cannot be negative');
  });
}

/** Triggers and classes a condition names exist. */
export function checkCondition(c: Checker, cond: Condition, path: Path): void {
  if ('trigger' in cond) {
    if (!c.triggers.has(cond.trigger)) c.add([...path, 'trigger'], `unknown trigger "${cond.trigger}"`);
  } else if ('not' in cond) checkCondition(c, cond.not, [...path, 'not']);
  else if ('all' in cond) cond.all.forEach((x, i) => checkCondition(c, x, [...path, 'all', i]));
  else if ('any' in cond) cond.any.forEach((x, i) => checkCondition(c, x, [...path, 'any', i]));
  else if ('retired' in cond) cond.retired.forEach((x, i) => c.checkClass(x, [...path, 'retired', i]));
}

/**
 * A principal rule pays only principal-paying classes, its `split` percentages sum to 100, its
 * schedules and named rules exist, and a NAS class is in its own basis.
 */
export function checkRule(c: Checker, rule: PrincipalRule, path: Path): void {
  if (typeof rule === 'string') {
    c.checkClass(rule, path);
    const def = c.classes.get(rule);
    if (def?.residual) c.add(path, `the residual class "${rule}" has no balance to pay principal on`);
    if (def?.notional) c.add(path, `the notional class "${rule}" is never paid principal`);
    if (def?.ratioStrip?.part === 'IO') c.add(path, `the IO class "${rule}" is never paid principal`);
    return;
  }
  if ('sequential' in rule) rule.sequential.forEach((r, i) => checkRule(c, r, [...path, 'sequential', i]));
  else if ('proRata' in rule) rule.proRata.forEach((r, i) => checkRule(c, r, [...path, 'proRata', i]));
  else if ('split' in rule) {
    const total = rule.split.reduce((s, x) => s + x.pct, 0);
    if (Math.abs(total - 100) > 1e-9) c.add([...path, 'split'], `percentages sum to ${total}, not 100`);
    rule.split.forEach((x, i) => checkRule(c, x.to, [...path, 'split', i, 'to']));
  } else if ('toSchedule' in rule) {
    if (!c.schedules.has(rule.toSchedule))
      c.add([...path, 'toSchedule'], `unknown schedule "${rule.toSchedule}"`);
  } else if ('lockout' in rule) checkRule(c, rule.lockout, [...path, 'lockout']);
  else if ('nas' in rule) {
    c.checkClass(rule.nas, [...path, 'nas']);
    rule.basis.forEach((x, i) => c.checkClass(x, [...path, 'basis', i]));
    if (!rule.basis.includes(rule.nas))
      c.add([...path, 'basis'], `the NAS class "${rule.nas}" must be in its basis`);
    checkPctSchedule(c, rule.shiftPct, [...path, 'shiftPct']);
  } else if ('nasPriority' in rule) {
    checkRule(c, rule.nasPriority, [...path, 'nasPriority']);
    if (rule.group !== undefined) c.checkGroup(rule.group, [...path, 'group']);
    checkPctSchedule(c, rule.scheduledShiftPct, [...path, 'scheduledShiftPct']);
    checkPctSchedule(c, rule.prepaymentShiftPct, [...path, 'prepaymentShiftPct']);
    checkNonNegative(c, rule.scheduledShiftPct, [...path, 'scheduledShiftPct']);
    checkNonNegative(c, rule.prepaymentShiftPct, [...path, 'prepaymentShiftPct']);
  } else if ('if' in rule) {
    checkCondition(c, rule.if, [...path, 'if']);
    checkRule(c, rule.then, [...path, 'then']);
    if (rule.else !== undefined) checkRule(c, rule.else, [...path, 'else']);
  } else if ('ref' in rule) {
    if (!c.ruleNames.has(rule.ref)) c.add([...path, 'ref'], `unknown rule "${rule.ref}"`);
  }
}

function checkOc(c: Checker, spec: OcSpec, path: Path): void {
  if (spec.stepdown) checkCondition(c, spec.stepdown, [...path, 'stepdown']);
}

/** Classes and conditions an amount names exist, and its fixed amounts are whole minor units. */
export function checkAmount(c: Checker, a: Amount, path: Path): void {
  if (typeof a === 'string') return;
  if ('fixed' in a) checkMoney(c, a.fixed, [...path, 'fixed']);
  else if ('pct' in a) checkAmount(c, a.of, [...path, 'of']);
  else if ('sum' in a) a.sum.forEach((x, i) => checkAmount(c, x, [...path, 'sum', i]));
  else if ('minus' in a) a.minus.forEach((x, i) => checkAmount(c, x, [...path, 'minus', i]));
  else if ('min' in a) a.min.forEach((x, i) => checkAmount(c, x, [...path, 'min', i]));
  else if ('max' in a) a.max.forEach((x, i) => checkAmount(c, x, [...path, 'max', i]));
  else if ('classBalance' in a)
    a.classBalance.forEach((x, i) => c.checkClass(x, [...path, 'classBalance', i]));
  else if ('seniorPrincipal' in a) {
    const sp = a.seniorPrincipal;
    sp.seniors.forEach((x, i) => c.checkClass(x, [...path, 'seniorPrincipal', 'seniors', i]));
    checkPctSchedule(c, sp.shiftPct, [...path, 'seniorPrincipal', 'shiftPct']);
    if (sp.blockedBy) checkCondition(c, sp.blockedBy, [...path, 'seniorPrincipal', 'blockedBy']);
    if (sp.group !== undefined) c.checkGroup(sp.group, [...path, 'seniorPrincipal', 'group']);
    if (sp.twoTimes) {
      checkCondition(c, sp.twoTimes.passes, [...path, 'seniorPrincipal', 'twoTimes', 'passes']);
      checkPctSchedule(c, sp.twoTimes.shiftPct, [...path, 'seniorPrincipal', 'twoTimes', 'shiftPct']);
    }
  } else if ('poPrincipal' in a) c.checkGroup(a.poPrincipal, [...path, 'poPrincipal'], true);
  else if ('undercollateralization' in a) {
    const u = a.undercollateralization;
    c.checkGroup(u.group, [...path, 'undercollateralization', 'group']);
    u.seniors.forEach((x, i) => c.checkClass(x, [...path, 'undercollateralization', 'seniors', i]));
  } else if ('ocTarget' in a) checkOc(c, a.ocTarget, [...path, 'ocTarget']);
  else if ('ocDeficiency' in a) checkOc(c, a.ocDeficiency, [...path, 'ocDeficiency']);
  else if ('ocExcess' in a) checkOc(c, a.ocExcess, [...path, 'ocExcess']);
  else if ('ocPrincipalDistribution' in a)
    checkOc(c, a.ocPrincipalDistribution, [...path, 'ocPrincipalDistribution']);
}

/** A money value has no more decimals than the currency's minor units. */
export function checkMoney(c: Checker, m: MoneyValue, path: Path): void {
  try {
    toMinor(m, c.doc.currency.minorDigits);
  } catch (e) {
    c.add(path, (e as Error).message);
  }
}

/** A percentage has at most 10 decimal places (the scaled-percent precision). */
export function checkPct(c: Checker, pct: number, path: Path): void {
  try {
    pctToScaled(pct);
  } catch (e) {
    c.add(path, (e as Error).message);
  }
}

/**
 * Waterfall steps name existing fees, classes, accounts and funds, and each class is paid the way
 * its kind allows (accrual classes by `accrete`, the residual by nothing). Records the classes
 * accreted and paid interest in the given sets.
 */
export function checkSteps(
  c: Checker,
  steps: Step[],
  path: Path,
  accreted: Set<string>,
  interestPaid: Set<string>,
): void {
  steps.forEach((step, i) => {
    const p: Path = [...path, i];
    if ('payFees' in step) {
      step.payFees.forEach((f, j) => {
        if (!c.fees.has(f)) c.add([...p, 'payFees', j], `unknown fee "${f}"`);
      });
      step.from?.forEach((f, j) => c.checkFund(f, [...p, 'from', j]));
    } else if ('payInterest' in step) {
      step.payInterest.forEach((id, j) => {
        c.checkClass(id, [...p, 'payInterest', j]);
        const def = c.classes.get(id);
        if (def?.accrual)
          c.add([...p, 'payInterest', j], `accrual class "${id}" takes interest through an accrete step`);
        if (def?.residual) c.add([...p, 'payInterest', j], `the residual class "${id}" is paid what is left`);
        interestPaid.add(id);
      });
      step.from?.forEach((f, j) => c.checkFund(f, [...p, 'from', j]));
    } else if ('reimburseWritedowns' in step) {
      step.reimburseWritedowns.forEach((id, j) => c.checkClass(id, [...p, 'reimburseWritedowns', j]));
      step.from?.forEach((f, j) => c.checkFund(f, [...p, 'from', j]));
    } else if ('payCapCarryover' in step) {
      step.payCapCarryover.forEach((id, j) => {
        c.checkClass(id, [...p, 'payCapCarryover', j]);
        const def = c.classes.get(id);
        if (def && !def.netWacCap) c.add([...p, 'payCapCarryover', j], `class "${id}" has no netWacCap`);
      });
      step.from?.forEach((f, j) => c.checkFund(f, [...p, 'from', j]));
    } else if ('payPrincipal' in step) {
      checkRule(c, step.payPrincipal, [...p, 'payPrincipal']);
      if (step.amount !== undefined) checkAmount(c, step.amount, [...p, 'amount']);
      step.from?.forEach((f, j) => c.checkFund(f, [...p, 'from', j]));
    } else if ('accrete' in step) {
      step.accrete.forEach((id, j) => {
        c.checkClass(id, [...p, 'accrete', j]);
        const def = c.classes.get(id);
        if (def && !def.accrual)
          c.add([...p, 'accrete', j], `class "${id}" is not an accrual class (set "accrual": true)`);
        accreted.add(id);
      });
      checkRule(c, step.to, [...p, 'to']);
    } else if ('deposit' in step) {
      if (!c.accounts.has(step.deposit)) c.add([...p, 'deposit'], `unknown account "${step.deposit}"`);
      if (step.amount !== undefined) checkAmount(c, step.amount, [...p, 'amount']);
      step.from?.forEach((f, j) => c.checkFund(f, [...p, 'from', j]));
    } else if ('release' in step) {
      if (!c.accounts.has(step.release)) c.add([...p, 'release'], `unknown account "${step.release}"`);
      if (step.amount !== undefined) checkAmount(c, step.amount, [...p, 'amount']);
    } else {
      checkCondition(c, step.if, [...p, 'if']);
      checkSteps(c, step.then, [...p, 'then'], accreted, interestPaid);
      if (step.else) checkSteps(c, step.else, [...p, 'else'], accreted, interestPaid);
    }
  });
}
