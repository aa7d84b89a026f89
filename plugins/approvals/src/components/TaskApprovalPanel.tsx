import { Box, Link, Paper, Typography } from '@material-ui/core';
import { DecisionButtons } from './DecisionButtons';
import { useApprovals } from './useApprovals';

/** How often the task page asks again: its review step may start later. */
const POLL_INTERVAL_MS = 10_000;

/**
 * The pending approval requests of one task the signed-in person may see,
 * fixed at the bottom of the task page, with Approve and Reject where they
 * may decide and the reason where not; nothing when there are none.
 */
export const TaskApprovalPanel = (props: { taskId: string }) => {
  const { taskId } = props;
  const { requests, busy, approve, reject } = useApprovals({
    status: 'pending',
    pollIntervalMs: POLL_INTERVAL_MS,
  });
  const mine = (requests ?? []).filter(
    r => r.taskId === taskId && r.status === 'pending',
  );
  if (mine.length === 0) return null;
  return (
    <Box
      position="fixed"
      bottom={16}
      left="50%"
      zIndex={1300}
      style={{ transform: 'translateX(-50%)', width: 'min(720px, 90vw)' }}
    >
      {mine.map(request => (
        <Paper
          key={request.id}
          elevation={6}
          data-testid={`task-approval-${request.id}`}
          style={{ padding: 16, marginTop: 8 }}
        >
          <Typography variant="subtitle1">
            Waiting for approval: {request.target}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Owned by {request.ownerRef}; asked by {request.requesterRef} (
            <Link href={request.url}>open on the Approvals page</Link>)
          </Typography>
          <Typography variant="body1" style={{ margin: '8px 0' }}>
            {request.summary}
          </Typography>
          <DecisionButtons
            request={request}
            busy={busy === request.id}
            onApprove={() => approve(request.id)}
            onReject={reason => reject(request.id, reason)}
          />
        </Paper>
      ))}
    </Box>
  );
};
