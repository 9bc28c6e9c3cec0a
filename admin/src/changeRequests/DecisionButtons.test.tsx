// @vitest-environment jsdom
import { RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it } from 'vitest';
import { authAs, buttonNamed, render, waitFor } from '../testRender';
import { DecisionButtons, isRequester } from './DecisionButtons';

const pending = {
  id: 'c1',
  status: 'PENDING',
  requestedBy: 'user:arranger@acme.test',
  viewerCanApprove: false,
  viewerCannotApproveReason: 'you requested this change (four-eyes)',
};

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const show = async (record: Record<string, unknown>, email: string, roles: string[]) => {
  const view = await render(
    <RecordContextProvider value={record}>
      <DecisionButtons />
    </RecordContextProvider>,
    { authProvider: authAs(email, roles) },
  );
  cleanup = view.unmount;
  return view.container;
};

describe('DecisionButtons', () => {
  it('disables Approve and Reject for the requester, says why, and offers Cancel', async () => {
    const page = await show(pending, 'arranger@acme.test', ['ARRANGER']);
    const approve = await waitFor(() => buttonNamed(page, 'Approve'));
    expect(approve.disabled).toBe(true);
    expect(buttonNamed(page, 'Reject')?.disabled).toBe(true);
    expect(page.querySelector('[data-testid="cannot-approve"]')?.textContent).toContain(
      'you requested this change (four-eyes)',
    );
    await waitFor(() => buttonNamed(page, 'Cancel request'));
  });

  it('enables Approve for another officer and offers no Cancel', async () => {
    const page = await show(
      { ...pending, viewerCanApprove: true, viewerCannotApproveReason: null },
      'compliance@acme.test',
      ['COMPLIANCE'],
    );
    const approve = await waitFor(() => buttonNamed(page, 'Approve'));
    expect(approve.disabled).toBe(false);
    expect(page.querySelector('[data-testid="cannot-approve"]')).toBeNull();
    expect(buttonNamed(page, 'Cancel request')).toBeUndefined();
  });

  it('recognises the requester by the user:<email> actor, case-insensitively', () => {
    expect(isRequester(pending, 'Arranger@Acme.test')).toBe(true);
    expect(isRequester(pending, 'compliance@acme.test')).toBe(false);
    expect(isRequester(pending, undefined)).toBe(false);
  });
});
