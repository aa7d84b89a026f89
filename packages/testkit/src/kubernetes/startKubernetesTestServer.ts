/**
 * A Kubernetes API server for tests: real HTTP on 127.0.0.1, the apiserver's
 * paths, discovery documents, Status bodies, server-side apply and namespace
 * lifecycle, with an in-memory store and a driver for the test.
 */
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import selfsigned from 'selfsigned';
import { parse as parseYaml } from 'yaml';
import {
  KubernetesTestDriver,
  KubernetesTestServerState,
  NamespaceTerminationMode,
  RolloutMode,
} from './KubernetesTestDriver';
import {
  KubernetesObjectStore,
  StatusError,
  StoredEntry,
} from './KubernetesObjectStore';
import {
  SelectorError,
  parseFieldSelector,
  parseLabelSelector,
} from './labelSelector';
import {
  KubernetesResourceType,
  apiGroups,
  apiResourcesFor,
  groupVersionOf,
} from './resourceTypes';
import { StatusBody, statusBodies } from './statusBodies';

/**
 * One request the test server received.
 *
 * @public
 */
export interface KubernetesTestRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: Record<string, string>;
  /** The Kubernetes verb (`get`, `list`, `create`, `patch`, ...) or `discovery`. */
  verb: string;
  /** True for POST, PUT, PATCH and DELETE. */
  write: boolean;
  contentType?: string;
  /** The HTTP status answered; 0 while unanswered. */
  status: number;
}

/**
 * Options for {@link startKubernetesTestServer}.
 *
 * @public
 */
export interface KubernetesTestServerOptions {
  /** The bearer token the server accepts; random by default. */
  token?: string;
  /** The user the token authenticates, named in 403 messages. */
  user?: string;
  /** How workloads roll out; `manual` by default. */
  rollouts?: RolloutMode;
  /** When terminating namespaces disappear; after one read by default. */
  namespaceTermination?: NamespaceTerminationMode;
  /**
   * Serve HTTPS with a fresh self-signed certificate for 127.0.0.1 (which no
   * public CA signed, so clients must be given `caData` or `caFile`), as a
   * real apiserver with its cluster CA does. Plain HTTP by default.
   */
  tls?: boolean;
}

/**
 * A running Kubernetes test server.
 *
 * @public
 */
export interface KubernetesTestServer {
  /** `http://127.0.0.1:<port>`, or `https://` with `tls`. */
  url: string;
  /** With `tls`: the certificate the server presents, base64-encoded PEM (a kubeconfig's `certificate-authority-data`). */
  caData?: string;
  token: string;
  user: string;
  /** Every request received, in order. */
  requests: KubernetesTestRequest[];
  /** Forgets the recorded requests. */
  resetRequests(): void;
  driver: KubernetesTestDriver;
  /**
   * A cluster entry for `kubernetes.clusterLocatorMethods[].clusters`, the
   * shape the Backstage kubernetes plugin reads.
   */
  clusterConfig(name?: string): Record<string, any>;
  /**
   * App-config data with this server as the clusters of the kubernetes plugin
   * (`kubernetes.clusterLocatorMethods`, one entry per name, `test` by
   * default), plus the given `paved` keys. Unless they set
   * `paved.kubernetes.ingress`, Ingress hosts are allowed anywhere in
   * `kestrel.example`, the domain of {@link sampleServiceManifests}'
   * Ingress, whatever the component.
   */
  appConfig(options?: {
    clusterName?: string | string[];
    paved?: Record<string, unknown>;
  }): Record<string, any>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** `paved` app-config with the Ingress domain of the sample manifests, unless it names its own. */
function withSampleIngressDomain(
  paved: Record<string, any> = {},
): Record<string, any> {
  const kubernetes = paved.kubernetes ?? {};
  return {
    ...paved,
    kubernetes: {
      ingress: { domains: ['kestrel.example'] },
      ...kubernetes,
    },
  };
}
const SYSTEM_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

const FIELD_LABELS: Record<string, string[]> = {
  Event: [
    'involvedObject.apiVersion',
    'involvedObject.fieldPath',
    'involvedObject.kind',
    'involvedObject.name',
    'involvedObject.namespace',
    'involvedObject.resourceVersion',
    'involvedObject.uid',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
  ],
};

function fieldValues(entry: StoredEntry): Record<string, string> {
  const o = entry.obj;
  const values: Record<string, string> = {
    'metadata.name': o.metadata.name,
    'metadata.namespace': o.metadata.namespace ?? '',
  };
  if (entry.type.kind === 'Event') {
    for (const key of [
      'apiVersion',
      'fieldPath',
      'kind',
      'name',
      'namespace',
      'resourceVersion',
      'uid',
    ]) {
      values[`involvedObject.${key}`] = String(o.involvedObject?.[key] ?? '');
    }
    values.reason = o.reason ?? '';
    values.type = o.type ?? '';
    values.source = o.source?.component ?? '';
    values.reportingComponent = o.reportingComponent ?? '';
  }
  if (entry.type.kind === 'Pod') {
    values['spec.nodeName'] = o.spec?.nodeName ?? '';
    values['spec.restartPolicy'] = o.spec?.restartPolicy ?? '';
    values['spec.schedulerName'] = o.spec?.schedulerName ?? '';
    values['spec.serviceAccountName'] = o.spec?.serviceAccountName ?? '';
    values['status.phase'] = o.status?.phase ?? '';
    values['status.podIP'] = o.status?.podIP ?? '';
  }
  return values;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

function parseBody(body: Buffer, contentType: string): unknown {
  const text = body.toString('utf8');
  try {
    return contentType.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new StatusError(
      statusBodies.badRequest(
        `error decoding ${contentType.includes('yaml') ? 'YAML' : 'JSON'}: ${
          (error as Error).message
        }`,
      ),
    );
  }
}

/** A JSON patch (RFC 6902) with add, replace, remove and test on object paths. */
function jsonPatch(
  target: Record<string, any>,
  ops: unknown,
): Record<string, any> {
  if (!Array.isArray(ops)) {
    throw new StatusError(
      statusBodies.badRequest('the JSON patch must be an array of operations'),
    );
  }
  const doc = structuredClone(target);
  for (const op of ops) {
    const parts = String(op.path ?? '')
      .split('/')
      .slice(1)
      .map((p: string) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    let parent: any = doc;
    for (const p of parts) {
      parent = parent?.[Array.isArray(parent) ? Number(p) : p];
    }
    if (parent === undefined || last === undefined) {
      throw new StatusError(
        statusBodies.badRequest(
          `the server rejected our request due to an error in our request`,
        ),
      );
    }
    let key: string | number = last;
    if (Array.isArray(parent))
      key = last === '-' ? parent.length : Number(last);
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(key as number, 0, op.value);
        else parent[key] = op.value;
        break;
      case 'replace':
        parent[key] = op.value;
        break;
      case 'remove':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        break;
      case 'test':
        if (JSON.stringify(parent[key]) !== JSON.stringify(op.value)) {
          throw new StatusError(
            statusBodies.badRequest(`testing value ${op.path} failed`),
          );
        }
        break;
      default:
        throw new StatusError(
          statusBodies.badRequest(`Unexpected kind: ${op.op}`),
        );
    }
  }
  return doc;
}

/**
 * Starts a Kubernetes API test server on a random port of 127.0.0.1.
 *
 * @public
 */
export async function startKubernetesTestServer(
  options: KubernetesTestServerOptions = {},
): Promise<KubernetesTestServer> {
  const store = new KubernetesObjectStore();
  const state: KubernetesTestServerState = {
    store,
    token: options.token ?? `test-${randomBytes(16).toString('hex')}`,
    user: options.user ?? 'system:serviceaccount:paved-system:paved',
    tokenExpired: false,
    denyRules: [],
    hangRules: [],
    namespaceTermination: options.namespaceTermination ?? { afterGets: 1 },
    terminatingGets: new Map(),
    rollouts: options.rollouts ?? 'manual',
  };
  const driver = new KubernetesTestDriver(state);
  store.onChange = entry => driver.onChange(entry);
  const nsType = store.typeFor('', 'v1', 'namespaces')!;
  for (const name of SYSTEM_NAMESPACES) {
    store.put(
      nsType,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      'kube-apiserver',
    );
  }

  const requests: KubernetesTestRequest[] = [];
  const hung = new Set<http.ServerResponse>();
  let address = '';

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const contentType = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const record: KubernetesTestRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      verb: 'unknown',
      write: ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method),
      ...(contentType && { contentType }),
      status: 0,
    };
    requests.push(record);

    const sendJson = (code: number, body: unknown) => {
      record.status = code;
      const text = `${JSON.stringify(body)}\n`;
      res.writeHead(code, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      });
      res.end(text);
    };
    const sendStatus = (status: StatusBody) => sendJson(status.code, status);

    const body = await readBody(req);
    if (body === 'too-large') {
      sendStatus({
        ...statusBodies.badRequest(
          `Request entity too large: limit is ${MAX_BODY_BYTES}`,
        ),
        reason: 'RequestEntityTooLarge',
        code: 413,
      });
      return;
    }

    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${state.token}` || state.tokenExpired) {
      sendStatus(statusBodies.unauthorized());
      return;
    }

    const hang = state.hangRules.find(
      r =>
        (!r.method || r.method.toUpperCase() === method) &&
        (!r.path ||
          (typeof r.path === 'string'
            ? url.pathname.startsWith(r.path)
            : r.path.test(url.pathname))),
    );
    if (hang) {
      hung.add(res);
      return;
    }

    try {
      const discovery = answerDiscovery(url.pathname);
      if (discovery !== undefined) {
        record.verb = 'discovery';
        if (method !== 'GET') {
          sendStatus(statusBodies.pathNotFound());
          return;
        }
        sendJson(
          discovery ? 200 : 404,
          discovery ?? statusBodies.pathNotFound(),
        );
        return;
      }
      handleResource(
        method,
        url,
        contentType,
        body,
        record,
        req,
        res,
        sendJson,
      );
    } catch (error) {
      if (error instanceof StatusError) {
        sendStatus(error.status);
        return;
      }
      sendJson(500, {
        ...statusBodies.badRequest(
          `Internal error occurred: ${(error as Error).message}`,
        ),
        reason: 'InternalError',
        code: 500,
      });
    }
  }

  /** Discovery documents; undefined when the path is not a discovery path, null for an unknown group. */
  function answerDiscovery(
    path: string,
  ): Record<string, unknown> | null | undefined {
    if (path === '/version') {
      return {
        major: '1',
        minor: '33',
        gitVersion: 'v1.33.0',
        gitCommit: '60a317eadfcb839692a5f4a1ef6cd76a1d9a4c8d',
        gitTreeState: 'clean',
        buildDate: '2025-04-23T13:07:20Z',
        goVersion: 'go1.24.2',
        compiler: 'gc',
        platform: 'linux/amd64',
      };
    }
    if (path === '/api' || path === '/api/') {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: address },
        ],
      };
    }
    if (path === '/apis' || path === '/apis/') {
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: apiGroups().map(g => {
          const gv = {
            groupVersion: `${g.name}/${g.version}`,
            version: g.version,
          };
          return { name: g.name, versions: [gv], preferredVersion: gv };
        }),
      };
    }
    if (path === '/api/v1' || path === '/api/v1/') {
      return {
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: apiResourcesFor('', 'v1'),
      };
    }
    const group = path.match(/^\/apis\/([^/]+)\/?$/);
    if (group) {
      const g = apiGroups().find(x => x.name === group[1]);
      if (!g) return null;
      const gv = { groupVersion: `${g.name}/${g.version}`, version: g.version };
      return {
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: g.name,
        versions: [gv],
        preferredVersion: gv,
      };
    }
    const gv = path.match(/^\/apis\/([^/]+)\/([^/]+)\/?$/);
    if (gv) {
      const resources = apiResourcesFor(gv[1], gv[2]);
      if (resources.length === 0) return null;
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: `${gv[1]}/${gv[2]}`,
        resources,
      };
    }
    return undefined;
  }

  function handleResource(
    method: string,
    url: URL,
    contentType: string,
    body: Buffer,
    record: KubernetesTestRequest,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    sendJson: (code: number, body: unknown) => void,
  ) {
    const sendStatus = (status: StatusBody) => sendJson(status.code, status);
    const core = url.pathname.match(/^\/api\/v1(\/.*)?$/);
    const named = url.pathname.match(/^\/apis\/([^/]+)\/([^/]+)(\/.*)?$/);
    let group: string | undefined;
    let version: string | undefined;
    let rest: string | undefined;
    if (core) [group, version, rest] = ['', 'v1', core[1]];
    else if (named) [group, version, rest] = [named[1], named[2], named[3]];
    if (group === undefined || version === undefined) {
      sendStatus(statusBodies.pathNotFound());
      return;
    }
    const segs = (rest ?? '')
      .split('/')
      .filter(Boolean)
      .map(s => decodeURIComponent(s));
    let namespace: string | undefined;
    let resource: string | undefined;
    let name: string | undefined;
    let sub: string | undefined;
    let extra: string[] = [];
    const nsScoped =
      segs[0] === 'namespaces' &&
      segs.length >= 3 &&
      store.typeFor(group, version, segs[2])?.namespaced;
    if (nsScoped) {
      [, namespace, resource, name, sub, ...extra] = segs;
    } else {
      [resource, name, sub, ...extra] = segs;
    }
    const type = resource ? store.typeFor(group, version, resource) : undefined;
    if (
      !type ||
      extra.length > 0 ||
      (type.namespaced && namespace === undefined && name !== undefined) ||
      (sub !== undefined &&
        !(type.subresources ?? []).some(s => s.name === sub))
    ) {
      sendStatus(statusBodies.pathNotFound());
      return;
    }

    const query = url.searchParams;
    const verb = verbOf(method, name, query);
    record.verb = verb;

    // For /api/v1/namespaces/foo the request's namespace is foo.
    const requestNamespace =
      namespace ?? (type.kind === 'Namespace' ? name : undefined);
    const resourceName = sub ? `${type.resource}/${sub}` : type.resource;
    const deniedFor = (v: string) =>
      state.denyRules.some(
        r =>
          (r.verb === undefined || r.verb === v) &&
          (r.resource === undefined || r.resource === resourceName) &&
          (r.group === undefined || r.group === type.group) &&
          (r.namespace === undefined || r.namespace === requestNamespace),
      );
    if (deniedFor(verb)) {
      const scope =
        requestNamespace === undefined
          ? 'at the cluster scope'
          : `in the namespace "${requestNamespace}"`;
      sendStatus(
        statusBodies.forbidden(
          type,
          verb === 'create' ? undefined : name,
          `User "${state.user}" cannot ${verb} resource "${resourceName}" in API group "${type.group}" ${scope}`,
        ),
      );
      return;
    }

    const dryRun = query.get('dryRun') === 'All';
    const fieldManager = query.get('fieldManager') ?? undefined;
    const userAgentManager =
      (req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';

    if (verb === 'get') {
      if (sub === 'log') {
        answerLog(type, namespace!, name!, query, record, res, sendStatus);
        return;
      }
      const entry = store.get(type, namespace, name!);
      if (!entry) {
        sendStatus(statusBodies.notFound(type, name!));
        return;
      }
      sendJson(200, store.render(entry));
      if (
        type.kind === 'Namespace' &&
        entry.obj.status?.phase === 'Terminating'
      ) {
        const reads = (state.terminatingGets.get(name!) ?? 0) + 1;
        state.terminatingGets.set(name!, reads);
        const mode = state.namespaceTermination;
        if (mode !== 'manual' && reads >= mode.afterGets) {
          driver.finishNamespaceTermination(name!);
        }
      }
      return;
    }

    if (verb === 'list' || verb === 'watch') {
      let labels;
      let fields;
      try {
        labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
        fields = parseFieldSelector(query.get('fieldSelector') ?? undefined, [
          'metadata.name',
          'metadata.namespace',
          ...(FIELD_LABELS[type.kind] ?? []),
        ]);
      } catch (error) {
        if (error instanceof SelectorError) {
          sendStatus(statusBodies.badRequest(error.message));
          return;
        }
        throw error;
      }
      const items = store
        .all()
        .filter(
          e =>
            e.type === type &&
            (namespace === undefined ||
              e.obj.metadata.namespace === namespace) &&
            labels.matches(e.obj.metadata.labels) &&
            fields.matches(fieldValues(e)),
        )
        .sort((a, b) =>
          `${a.obj.metadata.namespace ?? ''}/${a.obj.metadata.name}` <
          `${b.obj.metadata.namespace ?? ''}/${b.obj.metadata.name}`
            ? -1
            : 1,
        )
        .map(e => store.render(e, false));
      sendJson(200, {
        kind: `${type.kind}List`,
        apiVersion: groupVersionOf(type),
        metadata: { resourceVersion: store.currentRevision() },
        items,
      });
      return;
    }

    if (sub !== undefined) {
      // Status and scale writes are the controllers' business here.
      sendStatus(statusBodies.methodNotAllowed(type, name, method));
      return;
    }

    if (verb === 'create') {
      const result = store.create(
        type,
        namespace,
        parseBody(body, contentType),
        fieldManager ?? userAgentManager,
        dryRun,
      );
      sendJson(result.code, result.body);
      return;
    }

    if (verb === 'patch') {
      const force = query.get('force');
      if (contentType === 'application/apply-patch+yaml') {
        if (!fieldManager) {
          sendStatus(
            patchOptionsInvalid(
              'fieldManager',
              'FieldValueRequired',
              'Required value: is required for apply patch',
            ),
          );
          return;
        }
        if (!store.get(type, namespace, name!) && deniedFor('create')) {
          // An apply that creates is authorized as create too (patch.go
          // withAuthorization), with the authorizer's reason, which RBAC leaves empty.
          sendStatus(statusBodies.forbidden(type, name, ''));
          return;
        }
        const result = store.apply(
          type,
          namespace,
          name!,
          parseBody(body, 'yaml'),
          fieldManager,
          force === 'true',
          dryRun,
        );
        sendJson(result.code, result.body);
        return;
      }
      if (force !== null) {
        sendStatus(
          patchOptionsInvalid(
            'force',
            'FieldValueForbidden',
            'Forbidden: may not be specified for non-apply patch',
          ),
        );
        return;
      }
      const manager = fieldManager ?? userAgentManager;
      if (
        contentType === 'application/merge-patch+json' ||
        contentType === 'application/strategic-merge-patch+json'
      ) {
        const result = store.patch(
          type,
          namespace,
          name!,
          parseBody(body, 'json'),
          contentType === 'application/strategic-merge-patch+json',
          manager,
          dryRun,
        );
        sendJson(result.code, result.body);
        return;
      }
      if (contentType === 'application/json-patch+json') {
        const live = store.get(type, namespace, name!);
        if (!live) {
          sendStatus(statusBodies.notFound(type, name!));
          return;
        }
        const patched = jsonPatch(store.render(live), parseBody(body, 'json'));
        const result = store.replace(
          type,
          namespace,
          name!,
          patched,
          manager,
          dryRun,
        );
        sendJson(result.code, result.body);
        return;
      }
      sendStatus(statusBodies.unsupportedMediaType(contentType));
      return;
    }

    if (verb === 'update') {
      const result = store.replace(
        type,
        namespace,
        name!,
        parseBody(body, contentType),
        fieldManager ?? userAgentManager,
        dryRun,
      );
      sendJson(result.code, result.body);
      return;
    }

    if (verb === 'delete') {
      const result = store.delete(type, namespace, name!, dryRun);
      sendJson(result.code, result.body);
      return;
    }

    sendStatus(statusBodies.methodNotAllowed(type, name, method));
  }

  function answerLog(
    type: KubernetesResourceType,
    namespace: string,
    name: string,
    query: URLSearchParams,
    record: KubernetesTestRequest,
    res: http.ServerResponse,
    sendStatus: (s: StatusBody) => void,
  ) {
    const pod = store.get(type, namespace, name);
    if (!pod) {
      sendStatus(statusBodies.notFound(type, name));
      return;
    }
    const containers: string[] = (pod.obj.spec?.containers ?? []).map(
      (c: { name: string }) => c.name,
    );
    const initContainers: string[] = (pod.obj.spec?.initContainers ?? []).map(
      (c: { name: string }) => c.name,
    );
    let container = query.get('container') ?? undefined;
    if (!container) {
      if (containers.length !== 1) {
        const init =
          initContainers.length > 0
            ? ` or one of the init containers: [${initContainers.join(' ')}]`
            : '';
        sendStatus(
          statusBodies.badRequest(
            `a container name must be specified for pod ${name}, choose one of: [${containers.join(
              ' ',
            )}]${init}`,
          ),
        );
        return;
      }
      container = containers[0];
    }
    if (
      !containers.includes(container) &&
      !initContainers.includes(container)
    ) {
      sendStatus(
        statusBodies.badRequest(
          `container ${container} is not valid for pod ${name}`,
        ),
      );
      return;
    }
    const lines = store.logs.get(`${namespace}/${name}/${container}`);
    const status = [
      ...(pod.obj.status?.initContainerStatuses ?? []),
      ...(pod.obj.status?.containerStatuses ?? []),
    ].find((c: { name: string }) => c.name === container);
    if (
      !lines &&
      (!status || status.state?.waiting?.reason === 'ContainerCreating')
    ) {
      const reason = status?.state?.waiting?.reason ?? 'ContainerCreating';
      sendStatus(
        statusBodies.badRequest(
          `container "${container}" in pod "${name}" is waiting to start: ${reason}`,
        ),
      );
      return;
    }
    const tail = query.get('tailLines');
    const selected =
      tail !== null
        ? (lines ?? []).slice(-Math.max(0, Number(tail)))
        : lines ?? [];
    let text = selected.map(l => `${l}\n`).join('');
    // As the kubelet does: the first limitBytes bytes of the (tailed) log.
    const limitBytes = query.get('limitBytes');
    if (limitBytes !== null) {
      text = Buffer.from(text)
        .subarray(0, Math.max(0, Number(limitBytes)))
        .toString();
    }
    record.status = 200;
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(error => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(error));
    });
  };
  const pems = options.tls ? selfSignedCertificate() : undefined;
  const server = pems
    ? https.createServer({ key: pems.private, cert: pems.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  address = `127.0.0.1:${port}`;
  const url = `${pems ? 'https' : 'http'}://${address}`;
  const caData = pems && Buffer.from(pems.cert).toString('base64');

  const clusterConfig = (name = 'test') => ({
    name,
    url,
    authProvider: 'serviceAccount',
    serviceAccountToken: state.token,
    ...(caData ? { caData } : { skipTLSVerify: true }),
    skipMetricsLookup: true,
  });

  return {
    url,
    ...(caData && { caData }),
    token: state.token,
    user: state.user,
    requests,
    resetRequests() {
      requests.length = 0;
    },
    driver,
    clusterConfig,
    appConfig(appOptions = {}) {
      return {
        kubernetes: {
          serviceLocatorMethod: { type: 'multiTenant' },
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [appOptions.clusterName ?? 'test']
                .flat()
                .map(name => clusterConfig(name)),
            },
          ],
        },
        paved: withSampleIngressDomain(appOptions.paved),
      };
    },
    async close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** A certificate for 127.0.0.1 that is its own CA, like a test cluster's. */
function selfSignedCertificate() {
  return selfsigned.generate(
    [{ name: 'commonName', value: 'kube-apiserver' }],
    {
      days: 2,
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', keyCertSign: true, digitalSignature: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    },
  );
}

/** The Kubernetes verb of a request, as RBAC sees it. */
function verbOf(
  method: string,
  name: string | undefined,
  query: URLSearchParams,
): string {
  switch (method) {
    case 'GET': {
      if (name !== undefined) return 'get';
      const watch = query.get('watch');
      return watch === 'true' || watch === '1' ? 'watch' : 'list';
    }
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name === undefined ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

function patchOptionsInvalid(
  field: string,
  reason: string,
  detail: string,
): StatusBody {
  return statusBodies.invalid(
    { group: 'meta.k8s.io', kind: 'PatchOptions' },
    '',
    [{ field, reason, detail }],
  );
}
