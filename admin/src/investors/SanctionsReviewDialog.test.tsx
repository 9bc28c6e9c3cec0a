// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authAs, buttonNamed, render, waitFor } from '../testRender';
import { SanctionsReviewDialog } from './SanctionsReviewDialog';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Types into a React-controlled input or textarea the way a user would (React tracks the value setter). */
const typeInto = (element: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  const prototype = Object.getPrototypeOf(element) as object;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(element, value);
  element.dispatchEvent(new Event('input', { bubbles: true }));
};

const open = async () => {
  const create = vi.fn(async (_resource: string, params: { data: Record<string, unknown> }) => ({
    data: { id: String(params.data.investorId), sanctionsStatus: 'CLEAR' },
  }));
  const onReviewed = vi.fn();
  const view = await render(
    <SanctionsReviewDialog investorId="i1" onClose={() => undefined} onReviewed={onReviewed} />,
    { dataProvider: { create }, authProvider: authAs('compliance@acme.test', ['COMPLIANCE']) },
  );
  cleanup = view.unmount;
  // MUI renders the dialog in a portal on document.body.
  const submit = await waitFor(() => buttonNamed(document.body, 'Record review'));
  return { create, onReviewed, submit };
};

const radio = (label: string) =>
  Array.from(document.body.querySelectorAll('label'))
    .find((l) => l.textContent === label)
    ?.querySelector('input');

describe('SanctionsReviewDialog', () => {
  it('sends nothing until an outcome is chosen and a comment written', async () => {
    const { create, submit } = await open();
    expect(submit.disabled).toBe(true);
    await act(async () => radio('False positive: not the listed party')?.click());
    expect(submit.disabled).toBe(true);
    const comment = document.body.querySelector('textarea');
    if (comment === null) throw new Error('no comment box');
    await act(async () => typeInto(comment, '   '));
    expect(submit.disabled).toBe(true);
    expect(create).not.toHaveBeenCalled();
  });

  it('clears a false positive with the comment', async () => {
    const { create, onReviewed, submit } = await open();
    await act(async () => radio('False positive: not the listed party')?.click());
    const comment = document.body.querySelector('textarea');
    if (comment === null) throw new Error('no comment box');
    await act(async () => typeInto(comment, ' Different date of birth '));
    expect(submit.disabled).toBe(false);
    await act(async () => submit.click());
    await waitFor(() => onReviewed.mock.calls.length > 0);
    expect(create).toHaveBeenCalledWith(
      'sanctionsReviews',
      expect.objectContaining({
        data: { investorId: 'i1', falsePositive: true, comment: 'Different date of birth' },
      }),
    );
  });

  it('keeps a confirmed match blocked (falsePositive false)', async () => {
    const { create, onReviewed, submit } = await open();
    await act(async () => radio('Confirmed match: keep blocked')?.click());
    const comment = document.body.querySelector('textarea');
    if (comment === null) throw new Error('no comment box');
    await act(async () => typeInto(comment, 'Same person per passport'));
    await act(async () => submit.click());
    await waitFor(() => onReviewed.mock.calls.length > 0);
    expect(create.mock.calls[0]?.[1].data).toEqual({
      investorId: 'i1',
      falsePositive: false,
      comment: 'Same person per passport',
    });
  });
});
