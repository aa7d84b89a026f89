import { Box, Typography } from '@material-ui/core';
import { Content, Progress, WarningPanel } from '@backstage/core-components';
import { ApprovalRequestView } from '@paved/plugin-approvals-common';
import { useSearchParams } from 'react-router-dom';
import { DecisionButtons } from './DecisionButtons';
import { RequestCard } from './RequestCard';
import { useApprovals } from './useApprovals';

/**
 * The requests the signed-in person may see: pending ones first, with
 * Approve and Reject where they may decide, then the decided ones.
 */
export const ApprovalsPage = () => {
  const [params] = useSearchParams();
  const highlighted = params.get('request');
  const { requests, error, busy, approve, reject } = useApprovals();

  if (error) {
    return (
      <Content>
        <WarningPanel
          title="Could not read the approvals"
          message={error.message}
        />
      </Content>
    );
  }
  if (!requests) return <Progress />;
  const pending = requests.filter(r => r.status === 'pending');
  const decided = requests.filter(r => r.status !== 'pending');
  const card = (request: ApprovalRequestView, actions: boolean) => (
    <Box key={request.id} marginBottom={2}>
      <RequestCard request={request} highlighted={request.id === highlighted}>
        {actions && (
          <DecisionButtons
            request={request}
            busy={busy === request.id}
            onApprove={() => approve(request.id)}
            onReject={reason => reject(request.id, reason)}
          />
        )}
      </RequestCard>
    </Box>
  );
  return (
    <Content>
      <Typography variant="h5" gutterBottom>
        Waiting for a decision
      </Typography>
      {pending.length === 0 && (
        <Typography color="textSecondary">Nothing waits for you.</Typography>
      )}
      {pending.map(r => card(r, true))}
      <Box marginTop={4}>
        <Typography variant="h5" gutterBottom>
          Decided
        </Typography>
        {decided.length === 0 && (
          <Typography color="textSecondary">Nothing decided yet.</Typography>
        )}
        {decided.map(r => card(r, false))}
      </Box>
    </Content>
  );
};
