import { renderTestApp } from '@backstage/frontend-test-utils';
import {
  ApprovalRequestView,
  ApprovalStatus,
} from '@paved/plugin-approvals-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApprovalsApi, approvalsApiRef } from '../api/ApprovalsApi';
import { approvalsPlugin } from '../plugin';

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
  summary: `Plan for ${id}: 6 to add, 0 to change, 0 to destroy.`,
  taskUrl: `http://localhost:3000/create/tasks/task-${id}`,
  url: `http://localhost:3000/approvals?request=${id}`,
  status: 'pending',
  createdAt: '2026-12-07T11:00:00.000Z',
  canDecide: true,
  ...overrides,
});

/** The approvals API as the backend answers, in memory, recording calls. */
function fakeApi(items: ApprovalRequestView[]) {
  const calls: string[] = [];
  const decide = (id: string, status: ApprovalStatus) => {
    const i = items.findIndex(r => r.id === id);
    items[i] = { ...items[i], status, canDecide: false };
    return items[i];
  };
  const api: ApprovalsApi = {
    list: async (filter = {}) => {
      calls.push(`list ${filter.status ?? 'all'}`);
      return items.filter(r => !filter.status || r.status === filter.status);
    },
    approve: async id => {
      calls.push(`approve ${id}`);
      return decide(id, 'approved');
    },
    reject: async (id, reason) => {
      calls.push(`reject ${id}: ${reason}`);
      return decide(id, 'rejected');
    },
  };
  return { api, calls };
}

const renderAt = (path: string, api: ApprovalsApi) =>
  renderTestApp({
    features: [approvalsPlugin],
    initialRouteEntries: [path],
    apis: [[approvalsApiRef, api]],
  });

describe('TaskPageApprovals', () => {
  it('shows nothing, and asks nothing, off the task page', async () => {
    const { api, calls } = fakeApi([request('orders-db')]);
    renderAt('/catalog', api);
    // The approvals page's nav item proves the app, and the plugin, rendered.
    expect(await screen.findByText('Approvals')).toBeInTheDocument();
    expect(screen.queryByText(/Waiting for approval/)).not.toBeInTheDocument();
    expect(screen.queryByText('Approve')).not.toBeInTheDocument();
    expect(calls).toEqual([]);
  });

  it("offers Approve on a task's page for its pending request, and refreshes after the decision", async () => {
    const { api, calls } = fakeApi([request('orders-db'), request('cart-db')]);
    renderAt('/create/tasks/task-orders-db', api);
    const panel = await screen.findByTestId('task-approval-orders-db');
    expect(
      within(panel).getByText(/Plan for orders-db: 6 to add/),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText('open on the Approvals page').closest('a'),
    ).toHaveAttribute(
      'href',
      'http://localhost:3000/approvals?request=orders-db',
    );
    // Another task's request is not on this task's page.
    expect(
      screen.queryByTestId('task-approval-cart-db'),
    ).not.toBeInTheDocument();

    fireEvent.click(within(panel).getByText('Approve'));
    await waitFor(() =>
      expect(
        screen.queryByTestId('task-approval-orders-db'),
      ).not.toBeInTheDocument(),
    );
    expect(calls).toEqual([
      'list pending',
      'approve orders-db',
      'list pending',
    ]);
  });

  it('rejects from the task page only with a reason', async () => {
    const { api, calls } = fakeApi([request('orders-db')]);
    renderAt('/create/tasks/task-orders-db', api);
    fireEvent.click(await screen.findByText('Reject'));
    const confirm = screen.getByText('Confirm rejection').closest('button')!;
    expect(confirm).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Reason for rejecting'), {
      target: { value: 'too large for staging' },
    });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(calls).toContain('reject orders-db: too large for staging'),
    );
  });

  it('says why the person may not decide, without buttons', async () => {
    const { api, calls } = fakeApi([
      request('orders-db', {
        canDecide: false,
        cannotDecideReason:
          'user:default/lena-fischer may not decide approval request orders-db: they asked for it',
      }),
    ]);
    renderAt('/create/tasks/task-orders-db', api);
    const panel = await screen.findByTestId('task-approval-orders-db');
    expect(within(panel).getByText(/they asked for it/)).toBeInTheDocument();
    expect(within(panel).queryByText('Approve')).not.toBeInTheDocument();
    expect(within(panel).queryByText('Reject')).not.toBeInTheDocument();
    expect(calls).toEqual(['list pending']);
  });
});
