import { InputError } from '@backstage/errors';
import { GitRefs } from '../refs/listRefs';

/**
 * git's smart HTTP protocol, version 0/1, read side only (upload-pack), as
 * described in git's gitprotocol-pack and gitprotocol-http documents. Clients
 * that ask for protocol v2 (`Git-Protocol: version=2`) get v0, which every
 * git and isomorphic-git accept.
 */

const ZERO_OID = '0000000000000000000000000000000000000000';
const FLUSH = Buffer.from('0000');
const OID = /^[0-9a-f]{40}$/;
/** Data bytes per side-band-64k packet: 65520 minus 4 length and 1 band bytes. */
const SIDE_BAND_64K_DATA = 65515;
/** Data bytes per side-band packet: 1000 minus 4 length and 1 band bytes. */
const SIDE_BAND_DATA = 995;

export const AGENT = 'agent=paved-forge/1';

/** One pkt-line: four hex digits of length (including themselves), then the data. */
export function pktLine(data: string | Buffer): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  const length = payload.length + 4;
  if (length > 65520) throw new Error(`pkt-line too long (${length} bytes)`);
  return Buffer.concat([
    Buffer.from(length.toString(16).padStart(4, '0')),
    payload,
  ]);
}

/**
 * The answer to `GET .../info/refs?service=git-upload-pack`: the service
 * line, a flush, the refs (HEAD first, capabilities after the first), a flush.
 */
export function advertiseRefs(refs: GitRefs): Buffer {
  const capabilities = [
    'multi_ack_detailed',
    'side-band-64k',
    'side-band',
    'no-progress',
    ...(refs.head ? [`symref=HEAD:${refs.head.target}`] : []),
    AGENT,
  ].join(' ');
  const lines: Array<[string, string]> = [];
  if (refs.head) lines.push([refs.head.oid, 'HEAD']);
  for (const ref of refs.refs) {
    lines.push([ref.oid, ref.name]);
    if (ref.peeled && ref.peeled !== ref.oid) {
      lines.push([ref.peeled, `${ref.name}^{}`]);
    }
  }
  if (lines.length === 0) lines.push([ZERO_OID, 'capabilities^{}']);
  return Buffer.concat([
    pktLine('# service=git-upload-pack\n'),
    FLUSH,
    ...lines.map(([oid, name], i) =>
      pktLine(
        i === 0 ? `${oid} ${name}\0${capabilities}\n` : `${oid} ${name}\n`,
      ),
    ),
    FLUSH,
  ]);
}

/** What a client asked for in one `POST .../git-upload-pack`. */
export interface UploadPackRequest {
  wants: string[];
  haves: string[];
  capabilities: Set<string>;
  /** True when the client ended negotiation and expects the pack. */
  done: boolean;
}

/** Parses the pkt-lines of an upload-pack request. */
export function parseUploadPackRequest(body: Buffer): UploadPackRequest {
  const request: UploadPackRequest = {
    wants: [],
    haves: [],
    capabilities: new Set(),
    done: false,
  };
  let offset = 0;
  while (offset < body.length) {
    const header = body.toString('latin1', offset, offset + 4);
    if (!/^[0-9a-f]{4}$/.test(header)) {
      throw new InputError(
        `Malformed upload-pack request: expected a pkt-line length at byte ${offset}`,
      );
    }
    const length = parseInt(header, 16);
    if (length < 4) {
      // flush (0000), delimiter (0001) or response-end (0002)
      offset += 4;
      continue;
    }
    if (offset + length > body.length) {
      throw new InputError('Malformed upload-pack request: truncated pkt-line');
    }
    const line = body
      .toString('utf8', offset + 4, offset + length)
      .replace(/\n$/, '');
    offset += length;
    const [command, oid, ...rest] = line.split(' ');
    if (command === 'want' || command === 'have') {
      if (!OID.test(oid ?? '')) {
        throw new InputError(
          `Malformed upload-pack request: bad ${command} line "${line}"`,
        );
      }
      if (command === 'want') {
        if (request.wants.length === 0) {
          for (const capability of rest) request.capabilities.add(capability);
        }
        request.wants.push(oid);
      } else {
        request.haves.push(oid);
      }
    } else if (command === 'done') {
      request.done = true;
    } else if (
      command === 'deepen' ||
      command === 'deepen-since' ||
      command === 'deepen-not' ||
      command === 'shallow'
    ) {
      throw new InputError(
        'Shallow clones are not supported by the local forge; clone without --depth',
      );
    } else {
      throw new InputError(
        `Malformed upload-pack request: unexpected "${line}"`,
      );
    }
  }
  if (request.wants.length === 0 && request.done) {
    throw new InputError('Malformed upload-pack request: no want lines');
  }
  return request;
}

/**
 * The response to an upload-pack request: acknowledgements in the mode the
 * client chose, then (once it said "done") the packfile, multiplexed on band
 * 1 when it asked for side-band.
 *
 * This server never says "ready", so a client sends all its haves and then
 * "done"; stateless HTTP needs nothing more.
 */
export function uploadPackResponse(options: {
  request: UploadPackRequest;
  common: string[];
  pack?: Uint8Array;
}): Buffer {
  const { request, common, pack } = options;
  const parts: Buffer[] = [];
  if (request.capabilities.has('multi_ack_detailed')) {
    if (!request.done) {
      for (const oid of common) parts.push(pktLine(`ACK ${oid} common\n`));
      parts.push(pktLine('NAK\n'));
    } else if (common.length > 0) {
      parts.push(pktLine(`ACK ${common[common.length - 1]}\n`));
    } else {
      parts.push(pktLine('NAK\n'));
    }
  } else if (common.length > 0) {
    // Without multi_ack only the first common object is acknowledged.
    parts.push(pktLine(`ACK ${common[0]}\n`));
  } else {
    parts.push(pktLine('NAK\n'));
  }
  if (!request.done || !pack) return Buffer.concat(parts);

  const data = Buffer.from(pack.buffer, pack.byteOffset, pack.byteLength);
  let chunk = 0;
  if (request.capabilities.has('side-band-64k')) chunk = SIDE_BAND_64K_DATA;
  else if (request.capabilities.has('side-band')) chunk = SIDE_BAND_DATA;
  if (chunk === 0) return Buffer.concat([...parts, data]);
  for (let i = 0; i < data.length; i += chunk) {
    parts.push(
      pktLine(Buffer.concat([Buffer.from([1]), data.subarray(i, i + chunk)])),
    );
  }
  parts.push(FLUSH);
  return Buffer.concat(parts);
}

/** A protocol error as git shows it: "remote error: <message>". */
export function errorPacket(message: string): Buffer {
  return pktLine(`ERR ${message}\n`);
}
