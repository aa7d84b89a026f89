import { useState } from 'react';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import { ApprovalRequestView } from '@paved/plugin-approvals-common';

/** Approve, or reject with a reason; or why the person may not decide. */
export const DecisionButtons = (props: {
  request: ApprovalRequestView;
  busy: boolean;
  onApprove: () => void;
  onReject: (reason: string) => void;
}) => {
  const { request, busy, onApprove, onReject } = props;
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  if (!request.canDecide) {
    return (
      <Typography variant="body2" color="textSecondary">
        {request.cannotDecideReason ?? 'You may not decide this request.'}
      </Typography>
    );
  }
  if (rejecting) {
    return (
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <TextField
          label="Reason"
          size="small"
          variant="outlined"
          value={reason}
          onChange={e => setReason(e.target.value)}
          inputProps={{ 'aria-label': 'Reason for rejecting' }}
        />
        <Button
          variant="contained"
          color="secondary"
          disabled={busy || reason.trim() === ''}
          onClick={() => onReject(reason.trim())}
        >
          Confirm rejection
        </Button>
        <Button disabled={busy} onClick={() => setRejecting(false)}>
          Cancel
        </Button>
      </Box>
    );
  }
  return (
    <Box display="flex" style={{ gap: 8 }}>
      <Button
        variant="contained"
        color="primary"
        disabled={busy}
        onClick={onApprove}
      >
        Approve
      </Button>
      <Button
        variant="outlined"
        disabled={busy}
        onClick={() => setRejecting(true)}
      >
        Reject
      </Button>
    </Box>
  );
};
