import { createServer, IncomingMessage, ServerResponse } from 'node:http';

// The service name is filled in by the Paved scaffolder when the repository is created.
const SERVICE_NAME = process.env.SERVICE_NAME ?? '${{ values.name }}';
const PORT = Number(process.env.PORT ?? 8080);

let shuttingDown = false;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');

  if (req.method === 'GET' && url.pathname === '/healthz') {
    // Liveness: the process is up.
    sendJson(res, 200, { status: 'ok' });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/readyz') {
    // Readiness: stop receiving traffic while shutting down.
    sendJson(res, shuttingDown ? 503 : 200, {
      status: shuttingDown ? 'shutting-down' : 'ready',
    });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/') {
    sendJson(res, 200, { service: SERVICE_NAME, message: 'Hello from Paved!' });
    return;
  }
  sendJson(res, 404, {
    code: 'not_found',
    message: `No route for ${url.pathname}`,
  });
}

const server = createServer(handle);

server.listen(PORT, () => {
  console.log(
    JSON.stringify({
      level: 'info',
      msg: `${SERVICE_NAME} listening`,
      port: PORT,
    }),
  );
});

function shutdown(signal: string): void {
  shuttingDown = true;
  console.log(
    JSON.stringify({ level: 'info', msg: `received ${signal}, shutting down` }),
  );
  server.close(err => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    process.exit(0);
  });
  // Give in-flight requests at most 10 seconds.
  setTimeout(() => process.exit(1), 10_000).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
