import {
  checkTypeConstraint,
  describeTypeConstraint,
  parseTypeConstraint,
} from './TypeConstraint';

describe('parseTypeConstraint', () => {
  it('reads the forms an HCL parser hands over, ${} and newlines included', () => {
    const type = parseTypeConstraint(
      '${object({\n    window = string\n    retention = optional(number, 7)\n    tags = map(list(string))\n  })}',
    );
    expect(describeTypeConstraint(type)).toBe(
      'object({ window = string, retention = optional(number), tags = map(list(string)) })',
    );
    expect(
      describeTypeConstraint(parseTypeConstraint('tuple([string, bool])')),
    ).toBe('tuple([string, bool])');
    expect(
      describeTypeConstraint(
        parseTypeConstraint(
          'object({ a = optional(map(string), { x = "}" }) })',
        ),
      ),
    ).toBe('object({ a = optional(map(string)) })');
  });

  it('refuses what is not a type', () => {
    expect(() => parseTypeConstraint('strin')).toThrow('unknown type "strin"');
    expect(() => parseTypeConstraint('list(string')).toThrow('expected ")"');
    expect(() => parseTypeConstraint('string string')).toThrow(
      'unexpected text after type',
    );
  });
});

describe('checkTypeConstraint', () => {
  const type = parseTypeConstraint(
    'object({ name = string, size = optional(number), ports = set(number), on = bool, extra = any, pair = tuple([string, number]) })',
  );

  it('accepts a value of the type', () => {
    expect(
      checkTypeConstraint(
        type,
        { name: 'a', ports: [1, 2], on: false, extra: [{}], pair: ['x', 1] },
        'v',
      ),
    ).toEqual([]);
  });

  it('names the path of every wrong value, without converting', () => {
    expect(
      checkTypeConstraint(
        type,
        { name: 1, size: '2', ports: [1, 1], on: 'true', pair: ['x'], more: 1 },
        'variables.x',
      ),
    ).toEqual([
      'variables.x.name: expected a string, got a number',
      'variables.x.size: expected a number, got a string',
      'variables.x.ports: a set cannot hold duplicate elements',
      'variables.x.on: expected a bool, got a string',
      'variables.x.extra: missing, required',
      'variables.x.pair: expected a tuple([string, number]), got a list',
      `variables.x.more: not an attribute of ${describeTypeConstraint(type)}`,
    ]);
    expect(checkTypeConstraint(type, 'x', 'v')).toEqual([
      `v: expected an ${describeTypeConstraint(type)}, got a string`,
    ]);
    expect(
      checkTypeConstraint(parseTypeConstraint('number'), Number.NaN, 'n'),
    ).toEqual(['n: expected a number, got a number']);
  });
});
