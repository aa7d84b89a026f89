import { useCallback } from 'react';
import { Grid } from '@material-ui/core';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { deployApiRef } from '../api/DeployApi';
import { DeploymentsCard } from './DeploymentsCard';
import { RunsCard } from './RunsCard';
import { usePolled } from './usePolled';

/**
 * The entity page's Delivery tab: the component's deployments and its
 * repository's CI runs, read again every `pollIntervalMs` (a CI run
 * deploys while the page is open).
 */
export const DeliveryContent = (props: { pollIntervalMs?: number }) => {
  const { pollIntervalMs = 15_000 } = props;
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(deployApiRef);
  const deployments = usePolled(
    useCallback(() => api.listDeployments(entityRef), [api, entityRef]),
    pollIntervalMs,
  );
  const runs = usePolled(
    useCallback(() => api.listRuns(entityRef), [api, entityRef]),
    pollIntervalMs,
  );
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DeploymentsCard
          deployments={deployments.value}
          error={deployments.error}
        />
      </Grid>
      <Grid item xs={12}>
        <RunsCard runs={runs.value} error={runs.error} />
      </Grid>
    </Grid>
  );
};
