import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ApprovalRequestView } from '@paved/plugin-approvals-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApprovalsApi, approvalsApiRef } from '../api/ApprovalsApi';
import { ApprovalsPage } from './ApprovalsPage';

const request = (
  id: string,
  overrides: Partial<ApprovalRequestView> = {},
): ApprovalRequestView => ({
  id,
  taskId: `task-${id}`,
  stepId: 'review',
  kind: 'terraform-plan',
  subjectId: `plan-${id}`,
  target: `terraform workspace ${id}`,
  ownerRef: 'group:default/storefront',
  requesterRef: 'user:default/lena-fischer',
  summary: 'Plan: 6 to add, 0 to change, 0 to destroy.',
  taskUrl: `http://localhost:3000/create/tasks/task-${id}`,
  url: `http://localhost:3000/approvals?request=${id}`,
  status: 'pending',
  createdAt: '2026-12-07T11:00:00.000Z',
  canDecide: true,
  ...overrides,
});

/** The approvals API as the backend answers, in memory. */
function fakeApi(items: ApprovalRequestView[]) {
  const calls: string[] = [];
  const api: ApprovalsApi = {
    list: async () => items,
    approve: async id => {
      calls.push(`approve ${id}`);
      const i = items.findIndex(r => r.id === id);
      items[i] = {
        ...items[i],
        status: 'approved',
        decidedBy: 'user:default/marcus-okafor',
        decidedAt: '2026-12-07T11:05:00.000Z',
        canDecide: false,
      };
      return items[i];
    },
    reject: async (id, reason) => {
      calls.push(`reject ${id}: ${reason}`);
      return items.find(r => r.id === id)!;
    },
  };
  return { api, calls };
}

describe('ApprovalsPage', () => {
  it('offers Approve where the person may decide, and says why not elsewhere', async () => {
    const { api, calls } = fakeApi([
      request('orders-db'),
      request('cart-db', {
        canDecide: false,
        cannotDecideReason:
          'user:default/lena-fischer may not decide approval request cart-db: they asked for it',
      }),
    ]);
    await renderInTestApp(<ApprovalsPage />, {
      apis: [[approvalsApiRef, api]],
    });
    const mine = await screen.findByTestId('approval-cart-db');
    expect(within(mine).queryByText('Approve')).not.toBeInTheDocument();
    expect(within(mine).getByText(/they asked for it/)).toBeInTheDocument();

    const theirs = screen.getByTestId('approval-orders-db');
    fireEvent.click(within(theirs).getByText('Approve'));
    await waitFor(() => expect(calls).toEqual(['approve orders-db']));
    expect(
      await screen.findByText(/Approved by user:default\/marcus-okafor/),
    ).toBeInTheDocument();
  });

  it('rejects only with a reason', async () => {
    const { api, calls } = fakeApi([request('orders-db')]);
    await renderInTestApp(<ApprovalsPage />, {
      apis: [[approvalsApiRef, api]],
    });
    fireEvent.click(await screen.findByText('Reject'));
    const confirm = screen.getByText('Confirm rejection').closest('button')!;
    expect(confirm).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Reason for rejecting'), {
      target: { value: 'too large for staging' },
    });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(calls).toEqual(['reject orders-db: too large for staging']),
    );
  });
});
