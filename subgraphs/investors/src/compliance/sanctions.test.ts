import { describe, expect, it } from 'vitest';
import {
  jaroWinkler,
  loadSdnList,
  nameScore,
  normaliseName,
  parseSdnList,
  SAMPLE_LIST_DIR,
  screenName,
} from './sanctions.js';

const THRESHOLD = 0.9;

describe('the OFAC SDN list in its published CSV layout', () => {
  it('reads the shipped sample: entries, aliases, types and programs', async () => {
    const list = await loadSdnList(SAMPLE_LIST_DIR);
    expect(list.entries).toBe(6);
    expect(list.names).toHaveLength(10);
    const karavayev = list.names.filter((n) => n.entNum === 10002);
    expect(karavayev.map((n) => n.kind)).toEqual(['primary', 'aka']);
    expect(karavayev[0]).toMatchObject({ type: 'individual', programs: ['RUSSIA-EO14024'] });
    expect(list.names.find((n) => n.entNum === 10001)?.programs).toEqual(['SDGT', 'IRAN']);
    expect(list.names.find((n) => n.entNum === 10001)?.type).toBe('entity');
    expect(list.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a file that is not in the layout, naming the line', () => {
    expect(() => parseSdnList('name,type\nFoo,bar\n', '')).toThrow(/sdn.csv line 1/);
  });

  it('changes its hash when either file changes', () => {
    const a = parseSdnList('1,"A B","-0- ","X"\n', '');
    const b = parseSdnList('1,"A B","-0- ","X"\n', '1,2,"aka","C D","-0- "\n');
    expect(a.sha256).not.toBe(b.sha256);
  });
});

describe('fuzzy name screening', () => {
  it('normalises case, accents, punctuation, name order and company forms', () => {
    expect(normaliseName('Ana Lucía Morales-Quintero')).toEqual(['ANA', 'LUCIA', 'MORALES', 'QUINTERO']);
    expect(normaliseName('Northwind Maritime Trading, L.L.C.')).toEqual(['NORTHWIND', 'MARITIME', 'TRADING']);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(nameScore(['A'], [])).toBe(0);
  });

  it.each([
    ['Oleg Karavayev', 10002],
    ['Karavaev Oleg', 10002],
    ['KARAVAYEV, Oleg Petrovich', 10002],
    ['Northwind Maritime Trading Ltd', 10001],
    ['North-Wind Maritime Trading', 10001],
    ['Northwind Marine Trading Co.', 10001],
    ['Ana Lucia Morales Quintero', 10005],
    ['Lucía Morales', 10005],
    ['Golden Crescent Exchange', 10003],
    ['Banco del Istmo Oriental', 10006],
  ])('flags %s', async (name, entNum) => {
    const list = await loadSdnList(SAMPLE_LIST_DIR);
    const matches = screenName(list, name, THRESHOLD);
    expect(matches[0]?.entNum, JSON.stringify(matches)).toBe(entNum);
  });

  it.each([
    'Harbor Pension Fund',
    'Olga Petrova',
    'Northern Trust Company',
    'Golden Gate Capital',
    'Ana Martinez',
    'Sea Lantern Holdings',
  ])('clears %s', async (name) => {
    const list = await loadSdnList(SAMPLE_LIST_DIR);
    expect(screenName(list, name, THRESHOLD)).toEqual([]);
  });

  it('does not compare vessels with investors', async () => {
    const list = await loadSdnList(SAMPLE_LIST_DIR);
    expect(screenName(list, 'Sea Lantern', THRESHOLD)).toEqual([]);
  });
});
