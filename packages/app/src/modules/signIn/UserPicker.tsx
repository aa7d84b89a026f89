import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';

/** A user the picker offers (GET /api/auth/picker/users). */
type PickerUser = {
  userEntityRef: string;
  displayName: string;
  groups: string[];
};

const GUEST = 'user:default/guest';

/** The backend's message behind a failed request (a ResponseError's cause). */
const reasonOf = (error: Error) =>
  (error as Error & { cause?: { message?: string } }).cause?.message ??
  error.message;

const groupNames = (groups: string[]) =>
  groups.map(ref => ref.replace(/^group:(default\/)?/, '')).join(', ');

type Loaded = { value?: PickerUser[]; error?: Error };

/** The users the picker offers, read before anyone is signed in. */
function usePickerUsers(): Loaded | undefined {
  const discoveryApi = useApi(discoveryApiRef);
  const [loaded, setLoaded] = useState<Loaded>();
  useEffect(() => {
    discoveryApi
      .getBaseUrl('auth')
      .then(base => fetch(`${base}/picker/users`))
      .then(async response => {
        if (!response.ok) {
          throw new Error(`Could not list the users: ${response.status}`);
        }
        setLoaded({ value: (await response.json()).items });
      })
      .catch(error => setLoaded({ error }));
  }, [discoveryApi]);
  return loaded;
}

/**
 * The sign-in page of the embedded default: enter as the guest, or as any
 * user of the sample organisation, to see what that user may do.
 */
export function UserPicker(props: {
  onPick: (userEntityRef: string) => void;
  error?: Error;
}) {
  const users = usePickerUsers();
  return (
    <Page themeId="home">
      <Header title="Paved" subtitle="Sign in (embedded default)" />
      <Content>
        {props.error && (
          <ErrorPanel
            title={`Sign-in failed: ${reasonOf(props.error)}`}
            error={props.error}
          />
        )}
        <Grid container spacing={2}>
          <Grid item xs={12} md={4}>
            <InfoCard
              title="Guest"
              actions={
                <Button
                  color="primary"
                  variant="outlined"
                  onClick={() => props.onPick(GUEST)}
                >
                  Enter
                </Button>
              }
            >
              <Typography variant="body1">
                The shared guest, a member of the platform team (admins).
              </Typography>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={8}>
            <InfoCard title="Sign in as a sample user">
              <Typography variant="body2">
                Anyone may be anyone here; production signs in with GitHub. Each
                user changes only what their team owns.
              </Typography>
              {!users && <Progress />}
              {users?.error && (
                <ErrorPanel title="No users" error={users.error} />
              )}
              <List dense>
                {users?.value?.map(user => (
                  <ListItem
                    key={user.userEntityRef}
                    button
                    aria-label={`Sign in as ${user.displayName}`}
                    onClick={() => props.onPick(user.userEntityRef)}
                  >
                    <ListItemText
                      primary={user.displayName}
                      secondary={groupNames(user.groups)}
                    />
                  </ListItem>
                ))}
              </List>
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
