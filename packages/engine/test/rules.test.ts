import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { EngineInputError, parseScenario, parseWaterfallRules, projectDeal } from '../src/index.js';

const examples = join(import.meta.dirname, '..', 'examples');

const base = () => ({
  name: 'test',
  classes: [
    { id: 'A1', balance: 60, coupon: 5 },
    { id: 'A2', balance: 40, coupon: 5 },
    { id: 'R', residual: true },
  ],
  triggers: [{ id: 'cl', type: 'cumulativeLoss', thresholdPct: 2 }],
  waterfall: [{ payInterest: ['A1', 'A2'] }, { payPrincipal: { sequential: ['A1', 'A2'] } }] as unknown[],
});

function errorOf(doc: unknown): EngineInputError {
  try {
    parseWaterfallRules(doc);
  } catch (e) {
    if (e instanceof EngineInputError) return e;
    throw e;
  }
  throw new Error('expected the document to be rejected');
}

describe('example rule documents', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.json'));
  it('has one example per structure', () => {
    expect(files.sort()).toEqual(
      [
        'concurrent-split.json',
        'floater-inverse-io.json',
        'multi-group.json',
        'nas-priority.json',
        'nas.json',
        'oc-turbo-reserve.json',
        'pac-support.json',
        'pro-rata.json',
        'ratio-strip.json',
        'sequential-four-class.json',
        'shifting-interest.json',
        'two-times-test.json',
        'z-accrual.json',
      ].sort(),
    );
  });
  it.each(files)('%s validates and projects with conservation', (file) => {
    const text = readFileSync(join(examples, file), 'utf8');
    const doc = parseWaterfallRules(text);
    const total = doc.classes.reduce((s, c) => s + Number(c.balance), 0);
    const r = projectDeal({
      collateral: {
        loans: [
          {
            balance: total * 1.03,
            couponPct: 8,
            servicingFeePct: 0.5,
            originalTerm: 360,
            remainingTerm: 350,
          },
        ],
      },
      rules: text,
      scenario: { prepayment: { type: 'PSA', speed: 200 }, indexCurves: { SOFR: 4.3 } },
    });
    for (const p of r.periods) expect(p.cashIn).toBe(p.cashOut);
  });
});

describe('invalid rule documents name the path', () => {
  it('rejects an unknown class', () => {
    const doc = base();
    doc.waterfall[1] = { payPrincipal: { sequential: ['A9', 'A2'] } };
    expect(() => parseWaterfallRules(doc)).toThrow(
      'rules.waterfall[1].payPrincipal.sequential[0]: unknown class "A9"',
    );
  });
  it('rejects an unknown class deep inside a split', () => {
    const doc = base();
    doc.waterfall[1] = {
      payPrincipal: {
        split: [
          { pct: 50, to: 'A1' },
          { pct: 50, to: { proRata: ['A2', 'B'] } },
        ],
      },
    };
    expect(errorOf(doc).message).toBe(
      'rules.waterfall[1].payPrincipal.split[1].to.proRata[1]: unknown class "B"',
    );
  });
  it('rejects split percentages that do not sum to 100', () => {
    const doc = base();
    doc.waterfall[1] = {
      payPrincipal: {
        split: [
          { pct: 60, to: 'A1' },
          { pct: 35, to: 'A2' },
        ],
      },
    };
    expect(errorOf(doc).message).toBe(
      'rules.waterfall[1].payPrincipal.split: percentages sum to 95, not 100',
    );
  });
  it('rejects a reference to a missing trigger', () => {
    const doc = base();
    doc.waterfall[1] = {
      payPrincipal: { if: { trigger: 'dlq' }, then: { proRata: ['A1', 'A2'] }, else: 'A1' },
    };
    expect(errorOf(doc).message).toBe('rules.waterfall[1].payPrincipal.if.trigger: unknown trigger "dlq"');
  });
  it('rejects a cycle between named rules', () => {
    const doc = {
      ...base(),
      rules: { a: { sequential: ['A1', { ref: 'b' }] }, b: { proRata: [{ ref: 'a' }] } },
    };
    expect(errorOf(doc).message).toBe('rules.rules.a: cycle between rules: a -> b -> a');
  });
  it('rejects a cycle between composite triggers', () => {
    const doc = base();
    const withCycle = {
      ...doc,
      triggers: [
        { id: 'x', type: 'any', of: ['y'] },
        { id: 'y', type: 'all', of: ['cl', 'x'] },
        { id: 'cl', type: 'cumulativeLoss', thresholdPct: 2 },
      ],
    };
    expect(errorOf(withCycle).message).toBe('rules.triggers[0].of: cycle between triggers: x -> y -> x');
  });
  it('rejects an unknown field with its path', () => {
    const doc = base();
    doc.waterfall[0] = { payInterest: ['A1'], form: ['interest'] };
    expect(errorOf(doc).message).toBe('rules.waterfall[0]: unknown field(s) "form"');
  });
  it('rejects a wrong type deep in a rule with its path', () => {
    const doc = base();
    doc.waterfall[1] = { payPrincipal: { lockout: 'A1', throughPeriod: 'soon' } };
    expect(errorOf(doc).message).toMatch(/^rules\.waterfall\[1\]\.payPrincipal\.throughPeriod: /);
  });
  it('rejects a missing residual class, duplicate ids and bad money', () => {
    const doc = {
      name: 'x',
      classes: [
        { id: 'A', balance: '10.001' },
        { id: 'A', balance: 5 },
      ],
      waterfall: [{ payPrincipal: 'A' }],
    };
    const e = errorOf(doc);
    const paths = e.issues.map((i) => i.path);
    expect(paths).toContain('rules.classes[0].balance');
    expect(paths).toContain('rules.classes[1].id');
    expect(paths).toContain('rules.classes');
  });
  it('rejects an accrual class without an accrete step and an unknown fund', () => {
    const doc = base();
    doc.classes[1] = { id: 'A2', balance: 40, coupon: 5, accrual: true } as never;
    doc.waterfall = [{ payInterest: ['A1'], from: ['interest', 'reserve'] }, { payPrincipal: 'A1' }];
    const e = errorOf(doc);
    expect(e.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'rules.waterfall[0].from[1]: unknown fund "reserve" (expected "interest", "principal" or an account id)',
      'rules.classes[1].accrual: accrual class "A2" is not accreted by any waterfall step',
    ]);
  });
  it('rejects invalid JSON text', () => {
    expect(() => parseWaterfallRules('{')).toThrow(/^rules: invalid JSON/);
  });
});

describe('scenario validation', () => {
  it('names the path of a bad scenario field', () => {
    expect(() => parseScenario({ prepayment: { type: 'PSA', speed: -5 } })).toThrow(
      /^scenario\.prepayment\.speed: /,
    );
    expect(() => parseScenario({ prepayment: { type: 'XYZ' } })).toThrow(/^scenario\.prepayment/);
  });
  it('applies documented defaults', () => {
    const s = parseScenario({});
    expect(s.conventions).toEqual({
      walFrom: 'settlement',
      walDayCount: '30/360',
      walWeights: 'netReduction',
    });
    expect(s.advancing).toBe('none');
  });
});

describe('union error reporting', () => {
  it('reports the branch the author meant, not the string alternative', () => {
    const doc = base();
    doc.waterfall[1] = { payPrincipal: { sequential: ['A1', { proRata: ['A2'], extra: 1 }] } };
    expect(errorOf(doc).message).toBe(
      'rules.waterfall[1].payPrincipal.sequential[1]: unknown field(s) "extra"',
    );
  });
});

describe('misspelt keys', () => {
  it('lists the expected step kinds for an unknown step', () => {
    const doc = base();
    doc.waterfall[1] = { payPrinciple: 'A1' };
    expect(errorOf(doc).message).toBe(
      'rules.waterfall[1]: unknown field(s) "payPrinciple"; expected one of "payFees", "reimburseWritedowns", "payCapCarryover", "payInterest", "payPrincipal", "accrete", "deposit", "release", "if"',
    );
  });
});

describe('JSON Schema export', () => {
  it('describes the rule document, scenario and collateral for editors', async () => {
    const { ruleDocumentJsonSchema, scenarioJsonSchema, collateralJsonSchema } =
      await import('../src/index.js');
    const rules = ruleDocumentJsonSchema();
    expect(rules.type).toBe('object');
    expect(Object.keys(rules.properties as object)).toContain('waterfall');
    expect(scenarioJsonSchema().type).toBe('object');
    expect(JSON.stringify(collateralJsonSchema())).toContain('remainingTerm');
  });
});

describe('prime-deal rules: validation and JSON Schema', () => {
  const prime = () => ({
    name: 'prime',
    collateralGroups: [{ id: 'G1', stripRatePct: 5.5 }, { id: 'G2' }],
    classes: [
      { id: 'PO', balance: 1, ratioStrip: { group: 'G1', part: 'PO' } },
      { id: 'AX', ratioStrip: { group: 'G1', part: 'IO' } },
      { id: 'A1', balance: 60, coupon: 5 },
      { id: 'AN', balance: 20, coupon: 5 },
      { id: 'B', balance: 19, coupon: 5 },
      { id: 'R', residual: true },
    ],
    triggers: [
      { id: 'twoTimes', type: 'twoTimesTest', subordinates: ['B'], cumulativeLossLimitPct: 20 },
      { id: 'stepdown', type: 'stepdownTest', subordinates: ['B'], cumulativeLossLimitPct: 30 },
    ],
    waterfall: [
      { payInterest: ['A1', 'AN', 'AX'], from: ['interest.G1'] },
      { payPrincipal: 'PO', amount: { poPrincipal: 'G1' } },
      {
        payPrincipal: {
          sequential: [
            { nasPriority: 'AN', group: 'G1', scheduledShiftPct: 0, prepaymentShiftPct: 300 },
            'A1',
            'AN',
          ],
        },
        amount: {
          seniorPrincipal: {
            seniors: ['A1', 'AN'],
            group: 'G1',
            shiftPct: 100,
            blockedBy: { trigger: 'stepdown' },
            twoTimes: { passes: { not: { trigger: 'twoTimes' } }, shiftPct: 50 },
          },
        },
        from: ['principal.G1'],
      },
      {
        payPrincipal: 'A1',
        amount: { undercollateralization: { group: 'G1', seniors: ['A1', 'AN'] } },
      },
      { payPrincipal: 'B' },
    ] as unknown[],
  });

  it('accepts NAS priority, ratio strips, two-times and step-down tests and groups', () => {
    expect(parseWaterfallRules(prime()).collateralGroups).toHaveLength(2);
  });

  it('rejects bad prime rules, naming each path', () => {
    const doc = prime();
    doc.classes[1] = { id: 'AX', balance: 5, ratioStrip: { group: 'G2', part: 'IO' } } as never;
    doc.waterfall[1] = { payPrincipal: 'AX', amount: { poPrincipal: 'G2' } };
    doc.waterfall[2] = {
      payPrincipal: { nasPriority: 'A9', group: 'G7', scheduledShiftPct: -5, prepaymentShiftPct: 100 },
      from: ['principal.G9'],
    };
    doc.triggers[0] = {
      id: 'twoTimes',
      type: 'twoTimesTest',
      subordinates: ['B9'],
      cumulativeLossLimitPct: 20,
    };
    expect(errorOf(doc).issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'rules.classes[1].ratioStrip.group: collateral group "G2" has no stripRatePct',
      "rules.classes[1].balance: the IO's notional amount is the premium loans' balance (balance 0)",
      'rules.triggers[0].subordinates[0]: unknown class "B9"',
      'rules.waterfall[1].payPrincipal: the IO class "AX" is never paid principal',
      'rules.waterfall[1].amount.poPrincipal: collateral group "G2" has no stripRatePct',
      'rules.waterfall[2].payPrincipal.nasPriority: unknown class "A9"',
      'rules.waterfall[2].payPrincipal.group: unknown collateral group "G7"',
      'rules.waterfall[2].payPrincipal.scheduledShiftPct: a shift percentage cannot be negative',
      'rules.waterfall[2].from[0]: unknown fund "principal.G9" (expected "interest", "principal", "interest.<group>", "principal.<group>" or an account id)',
    ]);
  });

  it('rejects a second PO class for the same group (its PO losses would be written down twice)', () => {
    const doc = prime();
    doc.classes.splice(2, 0, { id: 'PO2', balance: 1, ratioStrip: { group: 'G1', part: 'PO' } } as never);
    expect(errorOf(doc).message).toBe(
      'rules.classes[2].ratioStrip: collateral group "G1" already has a PO class',
    );
  });

  it('rejects a PPC curve and a two-times test of the wrong shape in the schema', () => {
    const doc = prime();
    doc.triggers[0] = { id: 'twoTimes', type: 'twoTimesTest', cumulativeLossLimitPct: 20 } as never;
    expect(errorOf(doc).message).toContain('rules.triggers[0].subordinates');
  });

  it('the JSON Schemas describe the new rules, the PPC and loan groups', async () => {
    const { ruleDocumentJsonSchema, scenarioJsonSchema, collateralJsonSchema } =
      await import('../src/index.js');
    const rules = JSON.stringify(ruleDocumentJsonSchema());
    for (const word of [
      'nasPriority',
      'prepaymentShiftPct',
      'ratioStrip',
      'stripRatePct',
      'poPrincipal',
      'undercollateralization',
      'twoTimesTest',
      'stepdownTest',
      'collateralGroups',
    ])
      expect(rules).toContain(word);
    expect(JSON.stringify(scenarioJsonSchema())).toContain('"PPC"');
    expect(JSON.stringify(collateralJsonSchema())).toContain('"group"');
  });
});
