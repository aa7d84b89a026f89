import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { WorkflowRun, WorkflowRuns } from '../api/types';
import { errorMessage } from './errorMessage';
import { Status } from './Status';
import { NO_WRAP, Time } from './Time';

const RunRow = ({ run }: { run: WorkflowRun }) => (
  <TableRow data-testid={`run-${run.id}`}>
    <TableCell style={NO_WRAP}>
      <Status value={run.conclusion ?? run.status} />
    </TableCell>
    <TableCell>
      <Link to={run.htmlUrl}>{run.name}</Link>
    </TableCell>
    <TableCell>
      <code title={run.headSha}>{run.headSha.slice(0, 7)}</code>
    </TableCell>
    <TableCell>
      <Time iso={run.createdAt} />
    </TableCell>
  </TableRow>
);

/**
 * The GitHub Actions runs of the component's repository, each linking to
 * its page on GitHub; or why there are none (a repository on the local
 * forge has no CI).
 */
export const RunsCard = (props: { runs?: WorkflowRuns; error?: Error }) => {
  const { runs, error } = props;
  let body;
  if (error) {
    body = (
      <WarningPanel
        severity="error"
        title="Could not read the CI runs"
        message={errorMessage(error)}
        defaultExpanded
      />
    );
  } else if (!runs) {
    body = <Progress />;
  } else if (runs.reason) {
    body = (
      <WarningPanel
        severity="info"
        title="No CI runs to show"
        message={runs.reason}
        defaultExpanded
      />
    );
  } else if (runs.runs.length === 0) {
    body = (
      <Typography color="textSecondary">
        No workflow runs yet: the repository's CI has not run.
      </Typography>
    );
  } else {
    body = (
      <Table size="small" aria-label="CI runs">
        <TableHead>
          <TableRow>
            <TableCell>Result</TableCell>
            <TableCell>Workflow</TableCell>
            <TableCell>Commit</TableCell>
            <TableCell>Started</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {runs.runs.map(run => (
            <RunRow key={run.id} run={run} />
          ))}
        </TableBody>
      </Table>
    );
  }
  return <InfoCard title="CI runs">{body}</InfoCard>;
};
