import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** The body of `POST /api/deploy/deployments`. */
export interface DeployApiRequest {
  entityRef: string;
  environment: string;
  image: string;
  dryRun?: boolean;
}

/** A recorded deployment, as the deploy API answers it. */
export interface DeployApiDeployment {
  id: string;
  entityRef: string;
  environment: string;
  image: string;
  status: 'succeeded' | 'failed';
  workloads: string[];
  message?: string;
}

/** What a dry run answers. */
export interface DeployApiPlan {
  namespace: string;
  image: string;
  workloads: string[];
  changes: string[];
}

/** The deploy API's answer: a deployment, or a dry run's plan. */
export type DeployApiResponse =
  | { deployment: DeployApiDeployment; dryRun?: undefined }
  | { dryRun: DeployApiPlan; deployment?: undefined };

/** The @backstage/errors error for an answer's status, so callers can tell a refusal from bad input by name. */
const errorFor: Record<number, new (message: string) => Error> = {
  400: InputError,
  401: AuthenticationError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
};

/** The message of an error answer (`{ error: { message } }`), else what was asked and the answer's text. */
async function messageOf(res: Response, url: string): Promise<string> {
  const text = await res.text();
  try {
    const message = JSON.parse(text)?.error?.message;
    if (typeof message === 'string' && message) return message;
  } catch {
    // not a Backstage error: said below
  }
  const answer = `POST ${url} answered ${res.status} ${
    text.slice(0, 200) || res.statusText
  }`;
  return res.status === 404
    ? `${answer}: is the deploy plugin (@paved/plugin-deploy-backend) part of the backend?`
    : answer;
}

/**
 * Posts a deploy to the deploy plugin (`POST /api/deploy/deployments`) on
 * behalf of `credentials`, so it is checked, audited and recorded as every
 * deploy is. A refusal or bad input becomes the matching
 * `@backstage/errors` error carrying the API's message; the token is never
 * part of one.
 */
export async function postDeployment(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  credentials: BackstageCredentials;
  request: DeployApiRequest;
  signal?: AbortSignal;
}): Promise<DeployApiResponse> {
  const { auth, discovery, credentials, request, signal } = options;
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'deploy',
  });
  const baseUrl = await discovery.getBaseUrl('deploy');
  const url = `${baseUrl}/deployments`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(request),
    signal,
  });
  if (!res.ok) {
    const message = await messageOf(res, url);
    const Known = errorFor[res.status] ?? ServiceUnavailableError;
    throw new Known(message);
  }
  return (await res.json()) as DeployApiResponse;
}
