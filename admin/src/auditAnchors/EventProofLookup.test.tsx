// @vitest-environment jsdom
import { act } from 'react';
import { RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authAs, buttonNamed, render, waitFor } from '../testRender';
import { EventProofLookup } from './EventProofLookup';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Types `value` into `input` as React sees it. */
const type = async (input: HTMLInputElement, value: string) => {
  await act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
};

const proof = {
  ledgerId: `0x${'11'.repeat(32)}`,
  proof: [`0x${'aa'.repeat(32)}`, `0x${'bb'.repeat(32)}`],
  event: {
    id: 'e1',
    seq: 7,
    hash: 'cd'.repeat(32),
    action: 'deal.created',
    aggregateType: 'Deal',
    aggregateId: 'd1',
  },
  anchor: { id: 'a1', firstSeq: 1, lastSeq: 20 },
};

const show = async (getOne: (...args: never[]) => Promise<unknown>) => {
  const view = await render(
    <RecordContextProvider value={{ id: 'a1', firstSeq: 1, lastSeq: 20 }}>
      <EventProofLookup />
    </RecordContextProvider>,
    { dataProvider: { getOne }, authProvider: authAs('auditor@acme.test', ['AUDITOR']) },
  );
  cleanup = view.unmount;
  return view.container;
};

describe('EventProofLookup', () => {
  it("fetches an event's inclusion proof and shows its leaf and sibling hashes against this anchor", async () => {
    const getOne = vi.fn(async (_resource: string, params: { id: string }) => ({
      data: { ...proof, id: params.id },
    }));
    const page = await show(getOne);
    const fetchButton = await waitFor(() => buttonNamed(page, 'Fetch proof'));
    expect(fetchButton.disabled).toBe(true);
    const input = page.querySelector('input');
    if (!input) throw new Error('no input');
    await type(input, ' e1 ');
    await act(async () => fetchButton.click());
    const siblings = await waitFor(() => page.querySelector('[data-testid="proof-siblings"]'));
    expect(getOne).toHaveBeenCalledWith('auditEventProofs', { id: 'e1' });
    expect(siblings.querySelectorAll('li').length).toBe(2);
    expect(page.textContent).toContain('Event 7: deal.created on Deal d1');
    expect(page.textContent).toContain('Proven against this anchor’s root');
  });

  it('says when there is no proof (unknown or not anchored yet)', async () => {
    const page = await show(vi.fn(async () => Promise.reject(new Error('not found'))));
    const input = page.querySelector('input');
    if (!input) throw new Error('no input');
    await type(input, 'e9');
    const fetchButton = await waitFor(() => buttonNamed(page, 'Fetch proof'));
    await act(async () => fetchButton.click());
    await waitFor(() => page.textContent?.includes('No proof: the event is unknown, or not anchored yet.'));
  });
});
