// @vitest-environment jsdom
import { act } from 'react';
import { Notification, RecordContextProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normalizeError } from '../providers/errors';
import { authAs, buttonNamed, render, waitFor } from '../testRender';
import { DecisionButtons } from './DecisionButtons';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('a decision refused by the gate', () => {
  it('shows a notification with the kill switch reason from extensions', async () => {
    // What the data provider rejects with: the gateway's error document run through normalizeError.
    const refusal = normalizeError({
      graphQLErrors: [
        {
          message: 'stopped by a GLOBAL kill switch: incident 42',
          extensions: { code: 'KILL_SWITCH_ACTIVE', scope: 'GLOBAL', target: null, reason: 'incident 42' },
        },
      ],
    });
    const update = vi.fn((_resource: string, _params: unknown) => Promise.reject(refusal));
    const view = await render(
      <>
        <RecordContextProvider value={{ id: 'c1', status: 'PENDING', viewerCanApprove: true }}>
          <DecisionButtons />
        </RecordContextProvider>
        <Notification />
      </>,
      { dataProvider: { update }, authProvider: authAs('compliance@acme.test', ['COMPLIANCE']) },
    );
    cleanup = view.unmount;
    const approve = await waitFor(() => buttonNamed(view.container, 'Approve'));
    await act(async () => approve.click());
    const dialog = await waitFor(() => document.querySelector('[role="dialog"]'));
    const confirm = await waitFor(() => buttonNamed(dialog, 'Approve'));
    await act(async () => confirm.click());
    await waitFor(() => document.body.textContent?.includes('Stopped by a GLOBAL kill switch: incident 42'));
    expect(update).toHaveBeenCalledWith(
      'changeRequests',
      expect.objectContaining({ id: 'c1', data: { decision: 'APPROVE', comment: '' } }),
    );
  });
});
