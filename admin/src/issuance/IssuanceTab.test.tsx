// @vitest-environment jsdom
import { act } from 'react';
import { RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canAccess } from '../providers/permissions';
import { authAs, buttonNamed, render, waitFor } from '../testRender';
import { IssuanceTab } from './IssuanceTab';
import type { IssuanceState } from './issuanceProvider';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const deal = (over: Partial<IssuanceState> = {}): IssuanceState => ({
  id: 'd1',
  status: 'PROPOSED',
  spvName: 'Acme Trust',
  spvJurisdiction: 'US-DE',
  regulatoryFramework: 'REG_D_506C',
  accreditedOnly: true,
  allowedCountries: ['US'],
  minimumInvestment: null,
  lockUpDays: 0,
  chainId: 31337,
  reviewChangeRequestId: null,
  waterfallRules: null,
  documents: [],
  issuance: null,
  ...over,
});
const chains = [{ chainId: 31337, name: 'Hardhat' }];
const waterfallRulesSchema = async () => ({
  required: ['name', 'classes', 'waterfall'],
  properties: { name: {}, classes: {}, waterfall: {}, fees: {} },
});

const mount = (provider: Record<string, unknown>, roles = ['ARRANGER']) =>
  render(
    <RecordContextProvider value={{ id: 'd1' }}>
      <IssuanceTab />
    </RecordContextProvider>,
    {
      dataProvider: { waterfallRulesSchema, ...provider } as never,
      authProvider: {
        ...authAs('arranger@acme.test', roles),
        canAccess: async ({ resource, action }) => canAccess(roles as never, resource, action),
      },
    },
  );

describe('the issuance tab', () => {
  it('keeps Deploy disabled until the review is approved, and submits for review', async () => {
    const states = [deal(), deal({ status: 'IN_REVIEW', reviewChangeRequestId: 'cr1' })];
    const issuanceOf = vi.fn(async () => ({
      deal: states.length > 1 ? states.shift()! : states[0]!,
      chains,
    }));
    const submitDealForReview = vi.fn(async () => undefined);
    const view = await mount({ issuanceOf, submitDealForReview });
    cleanup = view.unmount;
    const deploy = await waitFor(() => buttonNamed(view.container, 'Deploy'));
    expect(deploy.disabled).toBe(true);
    await act(async () => buttonNamed(view.container, 'Submit for review')!.click());
    expect(submitDealForReview).toHaveBeenCalledWith('d1');
    await waitFor(() => (view.container.textContent?.includes('review request cr1') ? true : null));
    expect(buttonNamed(view.container, 'Deploy')!.disabled).toBe(true);
  });

  it('enables Deploy once APPROVED and shows the deployment with every transaction', async () => {
    const deploying = deal({
      status: 'APPROVED',
      issuance: {
        status: 'DEPLOYING',
        progress: 0.5,
        stepsDone: 1,
        stepsTotal: 2,
        chainId: 31337,
        error: null,
        tokens: [{ tranche: 'A', symbol: 'ACME-A', status: 'DEPLOYING', address: '0xabc', deployTx: '0x1' }],
        transactions: [
          { step: 'suite:tranche:ACME-A:token', txHash: '0x1', gasUsed: '123', contractAddress: '0xabc' },
        ],
      },
    });
    const states = [deal({ status: 'APPROVED' }), deploying];
    const issuanceOf = vi.fn(async () => ({
      deal: states.length > 1 ? states.shift()! : states[0]!,
      chains,
    }));
    const issueDeal = vi.fn(async () => undefined);
    const view = await mount({ issuanceOf, issueDeal });
    cleanup = view.unmount;
    const deploy = await waitFor(() => buttonNamed(view.container, 'Deploy'));
    expect(deploy.disabled).toBe(false);
    await act(async () => deploy.click());
    expect(issueDeal).toHaveBeenCalledWith('d1');
    const shown = await waitFor(() => view.container.querySelector('[data-testid="deployment"]'));
    expect(shown.textContent).toContain('1 of 2 transactions');
    expect(shown.textContent).toContain('suite:tranche:ACME-A:token');
    expect(shown.textContent).toContain('0xabc');
  });

  it('offers no actions to a role that may not issue', async () => {
    const view = await mount({ issuanceOf: async () => ({ deal: deal({ status: 'APPROVED' }), chains }) }, [
      'COMPLIANCE',
    ]);
    cleanup = view.unmount;
    await waitFor(() => view.container.querySelector('[data-testid="issuance-status"]'));
    expect(buttonNamed(view.container, 'Deploy')).toBeFalsy();
  });

  it('checks the rule document against the schema as it is typed, then shows the engine’s problems by path', async () => {
    const setWaterfallRules = vi.fn(async () => {
      throw Object.assign(new Error('tranche.errors.invalid_input'), {
        body: { errors: { 'waterfallRules.classes': 'no class for tranche(s) B' } },
      });
    });
    const view = await mount({ issuanceOf: async () => ({ deal: deal(), chains }), setWaterfallRules });
    cleanup = view.unmount;
    const editor = await waitFor(() =>
      view.container.querySelector<HTMLTextAreaElement>('textarea[aria-label="rule document"]'),
    );
    await waitFor(() =>
      view.container.textContent?.includes('has: name, classes, waterfall, fees') ? true : null,
    );
    const type = async (value: string) =>
      act(async () => {
        const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
        setter.call(editor, value);
        editor.dispatchEvent(new Event('input', { bubbles: true }));
      });
    await type('{ "name": "x", ');
    expect(view.container.querySelector('[data-testid="structure-problems"]')?.textContent).toMatch(
      /not valid JSON/,
    );
    await type('{ "name": "x", "colour": 1 }');
    const problems = view.container.querySelector('[data-testid="structure-problems"]')!.textContent!;
    expect(problems).toContain('classes: required by the schema');
    expect(problems).toContain('colour: not a property of the schema');
    expect(buttonNamed(view.container, 'Save rules')!.disabled).toBe(true);
    await type('{ "name": "x", "classes": [], "waterfall": [] }');
    const save = buttonNamed(view.container, 'Save rules')!;
    expect(save.disabled).toBe(false);
    await act(async () => save.click());
    expect(setWaterfallRules).toHaveBeenCalledWith('d1', '{ "name": "x", "classes": [], "waterfall": [] }');
    await waitFor(() =>
      view.container
        .querySelector('[data-testid="structure-problems"]')
        ?.textContent?.includes('waterfallRules.classes: no class for tranche(s) B')
        ? true
        : null,
    );
  });
});
