import { useCallback, useEffect, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  ApprovalRequestView,
  ApprovalStatus,
} from '@paved/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';

/**
 * The requests the person may see (only those in `status` when given), and
 * their decisions, reloaded after each and every `pollIntervalMs` when given.
 */
export function useApprovals(
  options: { status?: ApprovalStatus; pollIntervalMs?: number } = {},
) {
  const { status, pollIntervalMs } = options;
  const api = useApi(approvalsApiRef);
  const alerts = useApi(alertApiRef);
  const [requests, setRequests] = useState<ApprovalRequestView[]>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState<string>();

  const load = useCallback(async () => {
    try {
      setRequests(await api.list(status ? { status } : undefined));
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [api, status]);
  useEffect(() => {
    load();
    if (!pollIntervalMs) return undefined;
    const timer = setInterval(load, pollIntervalMs);
    return () => clearInterval(timer);
  }, [load, pollIntervalMs]);

  const decide = async (id: string, decision: () => Promise<unknown>) => {
    setBusy(id);
    try {
      await decision();
      alerts.post({ message: 'Decision recorded', severity: 'success' });
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    } finally {
      setBusy(undefined);
      await load();
    }
  };

  return {
    requests,
    error,
    busy,
    approve: (id: string) => decide(id, () => api.approve(id)),
    reject: (id: string, reason: string) =>
      decide(id, () => api.reject(id, reason)),
  };
}
