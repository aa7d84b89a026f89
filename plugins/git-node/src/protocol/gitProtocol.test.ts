import {
  advertiseRefs,
  errorPacket,
  parseUploadPackRequest,
  pktLine,
  uploadPackResponse,
} from './gitProtocol';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('git smart HTTP protocol', () => {
  it('frames pkt-lines with their length in hex', () => {
    expect(pktLine('a\n').toString()).toBe('0006a\n');
    expect(pktLine('# service=git-upload-pack\n').toString()).toBe(
      '001e# service=git-upload-pack\n',
    );
  });

  it('advertises HEAD first, capabilities on the first line, peeled tags', () => {
    const body = advertiseRefs({
      head: { target: 'refs/heads/main', oid: A },
      refs: [
        { name: 'refs/heads/main', oid: A },
        { name: 'refs/tags/v1', oid: B, peeled: C },
      ],
    }).toString();
    expect(body).toBe(
      [
        '001e# service=git-upload-pack\n',
        '0000',
        pktLine(
          `${A} HEAD\0multi_ack_detailed side-band-64k side-band no-progress symref=HEAD:refs/heads/main agent=paved-forge/1\n`,
        ).toString(),
        pktLine(`${A} refs/heads/main\n`).toString(),
        pktLine(`${B} refs/tags/v1\n`).toString(),
        pktLine(`${C} refs/tags/v1^{}\n`).toString(),
        '0000',
      ].join(''),
    );
  });

  it('advertises an empty repository as git does (capabilities^{})', () => {
    expect(advertiseRefs({ refs: [] }).toString()).toContain(
      `${'0'.repeat(
        40,
      )} capabilities^{}\0multi_ack_detailed side-band-64k side-band no-progress agent=paved-forge/1\n`,
    );
  });

  it('parses wants with capabilities, haves and done', () => {
    const body = Buffer.concat([
      pktLine(`want ${A} multi_ack_detailed side-band-64k agent=git/2.39\n`),
      pktLine(`want ${B}\n`),
      Buffer.from('0000'),
      pktLine(`have ${C}\n`),
      pktLine('done\n'),
    ]);
    const request = parseUploadPackRequest(body);
    expect(request.wants).toEqual([A, B]);
    expect(request.haves).toEqual([C]);
    expect([...request.capabilities]).toEqual([
      'multi_ack_detailed',
      'side-band-64k',
      'agent=git/2.39',
    ]);
    expect(request.done).toBe(true);
  });

  it.each([
    ['zzzz', /expected a pkt-line length at byte 0/],
    ['0032want short', /truncated pkt-line/],
    [pktLine('want nothex\n').toString(), /bad want line "want nothex"/],
    [pktLine('deepen 1\n').toString(), /Shallow clones are not supported/],
    [pktLine('frobnicate\n').toString(), /unexpected "frobnicate"/],
    [pktLine('done\n').toString(), /no want lines/],
  ])('refuses the malformed request %j', (body, message) => {
    expect(() => parseUploadPackRequest(Buffer.from(body))).toThrow(message);
  });

  const request = (capabilities: string[], done: boolean) => ({
    wants: [A],
    haves: [B],
    capabilities: new Set(capabilities),
    done,
  });

  it('acknowledges as multi_ack_detailed asks, never "ready"', () => {
    expect(
      uploadPackResponse({
        request: request(['multi_ack_detailed'], false),
        common: [B, C],
      }).toString(),
    ).toBe(
      `${pktLine(`ACK ${B} common\n`)}${pktLine(`ACK ${C} common\n`)}0008NAK\n`,
    );
    expect(
      uploadPackResponse({
        request: request(['multi_ack_detailed'], true),
        common: [B, C],
        pack: Buffer.from('PACK'),
      }).toString(),
    ).toBe(`${pktLine(`ACK ${C}\n`)}PACK`);
    expect(
      uploadPackResponse({
        request: request(['multi_ack_detailed'], true),
        common: [],
        pack: Buffer.from('PACK'),
      }).toString(),
    ).toBe('0008NAK\nPACK');
  });

  it('acknowledges only the first common object without multi_ack', () => {
    expect(
      uploadPackResponse({
        request: request([], false),
        common: [B, C],
      }).toString(),
    ).toBe(pktLine(`ACK ${B}\n`).toString());
  });

  it('multiplexes the pack on band 1 in side-band-64k packets', () => {
    const pack = Buffer.alloc(70000, 7);
    const response = uploadPackResponse({
      request: request(['side-band-64k'], true),
      common: [],
      pack,
    });
    expect(response.subarray(0, 8).toString()).toBe('0008NAK\n');
    // 65520-byte packet (65515 data bytes), then the 4485 left, then a flush.
    expect(response.subarray(8, 13).toString('latin1')).toBe('fff0\u0001');
    const second = 8 + 65520;
    expect(response.subarray(second, second + 5).toString('latin1')).toBe(
      `${(4485 + 5).toString(16).padStart(4, '0')}\u0001`,
    );
    expect(response.subarray(response.length - 4).toString()).toBe('0000');
    expect(response.length).toBe(8 + 65520 + 4490 + 4);
  });

  it('reports errors as git shows them', () => {
    expect(errorPacket('not our ref x').toString()).toBe(
      '0016ERR not our ref x\n',
    );
  });
});
