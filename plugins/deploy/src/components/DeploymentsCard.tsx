import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { Deployment } from '../api/types';
import { errorMessage } from './errorMessage';
import { Status } from './Status';
import { NO_WRAP, Time } from './Time';

/** The commit an image was built from: the CI run's, else a sha tag. */
export function commitOf(deployment: Deployment): string | undefined {
  if (deployment.run?.sha) return deployment.run.sha;
  const tag = deployment.image.match(/:([0-9a-f]{7,40})$/)?.[1];
  return tag;
}

const DeploymentRow = ({ deployment }: { deployment: Deployment }) => {
  const commit = commitOf(deployment);
  return (
    <TableRow data-testid={`deployment-${deployment.id}`}>
      <TableCell style={NO_WRAP}>
        <Status value={deployment.status} />
        {deployment.message && (
          <Typography variant="caption" display="block" color="error">
            {deployment.message}
          </Typography>
        )}
      </TableCell>
      <TableCell>{deployment.environment}</TableCell>
      <TableCell>
        <code>{deployment.image}</code>
      </TableCell>
      <TableCell style={NO_WRAP}>
        {commit ? <code title={commit}>{commit.slice(0, 7)}</code> : '—'}
      </TableCell>
      <TableCell>{deployment.workloads.join(', ') || '—'}</TableCell>
      <TableCell>
        {deployment.run
          ? `${deployment.run.workflow} #${deployment.run.runId}`
          : deployment.actor ?? '—'}
      </TableCell>
      <TableCell style={NO_WRAP}>
        <Time iso={deployment.finishedAt ?? deployment.startedAt} />
      </TableCell>
    </TableRow>
  );
};

/** The images deployed to the component's environments, newest first. */
export const DeploymentsCard = (props: {
  deployments?: Deployment[];
  error?: Error;
}) => {
  const { deployments, error } = props;
  let body;
  if (error) {
    body = (
      <WarningPanel
        severity="error"
        title="Could not read the deployments"
        message={errorMessage(error)}
        defaultExpanded
      />
    );
  } else if (!deployments) {
    body = <Progress />;
  } else if (deployments.length === 0) {
    body = (
      <Typography color="textSecondary">
        Nothing deployed through Paved yet: the first CI run on main deploys the
        service's image.
      </Typography>
    );
  } else {
    body = (
      <Table size="small" aria-label="Deployments">
        <TableHead>
          <TableRow>
            <TableCell>Result</TableCell>
            <TableCell>Environment</TableCell>
            <TableCell>Image</TableCell>
            <TableCell>Commit</TableCell>
            <TableCell>Workloads</TableCell>
            <TableCell>Asked by</TableCell>
            <TableCell>Finished</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {deployments.map(d => (
            <DeploymentRow key={d.id} deployment={d} />
          ))}
        </TableBody>
      </Table>
    );
  }
  return <InfoCard title="Deployments">{body}</InfoCard>;
};
