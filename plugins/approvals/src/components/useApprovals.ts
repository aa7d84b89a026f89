import { useCallback, useEffect, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import { ApprovalRequestView } from '@paved/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';

/** The requests the person may see, and their decisions, reloaded after each. */
export function useApprovals() {
  const api = useApi(approvalsApiRef);
  const alerts = useApi(alertApiRef);
  const [requests, setRequests] = useState<ApprovalRequestView[]>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState<string>();

  const load = useCallback(async () => {
    try {
      setRequests(await api.list());
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    }
  }, [api]);
  useEffect(() => {
    load();
  }, [load]);

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
