/** Who a REST or git request authenticated as. */
import { InstallationTokenState, UserState } from '../state';

/** Who a request authenticated as. @internal */
export interface Identity {
  kind: 'token' | 'installation' | 'app';
  /** The key its rate limit budget is kept under (the token itself). */
  key: string;
  /** Numeric id named in rate limit messages. */
  id: number;
  login?: string;
  user?: UserState;
  scopes?: string[];
  installation?: InstallationTokenState;
  appId?: string;
}

/** Whether the caller may change `.github/workflows`. @internal */
export function workflowAllowed(req: { identity: Identity }): boolean {
  const { identity } = req;
  if (identity.kind === 'token') {
    return identity.scopes?.includes('workflow') ?? false;
  }
  return identity.installation?.permissions.workflows === 'write';
}
