import {
  Box,
  Card,
  CardContent,
  Chip,
  Link,
  Typography,
} from '@material-ui/core';
import { ApprovalRequestView } from '@paved/plugin-approvals-common';
import { ReactNode } from 'react';

function when(iso?: string) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** One request: what, whose, asked by whom, and its decision. */
export const RequestCard = (props: {
  request: ApprovalRequestView;
  highlighted: boolean;
  children?: ReactNode;
}) => {
  const { request, highlighted, children } = props;
  return (
    <Card
      variant="outlined"
      data-testid={`approval-${request.id}`}
      style={highlighted ? { borderWidth: 2, borderColor: '#1f5493' } : {}}
    >
      <CardContent>
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography variant="h6">{request.target}</Typography>
          <Chip size="small" label={request.status} />
        </Box>
        <Typography variant="body2">
          Owned by {request.ownerRef}; asked by {request.requesterRef} at{' '}
          {when(request.createdAt)} (
          <Link href={request.taskUrl}>task {request.taskId}</Link>)
        </Typography>
        <Typography variant="body1" style={{ margin: '8px 0' }}>
          {request.summary}
        </Typography>
        {request.status !== 'pending' && (
          <Typography variant="body2">
            {request.status === 'approved' ? 'Approved' : 'Rejected'} by{' '}
            {request.decidedBy} at {when(request.decidedAt)}
            {request.reason ? `: ${request.reason}` : ''}
          </Typography>
        )}
        {children}
      </CardContent>
    </Card>
  );
};
