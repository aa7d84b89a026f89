import {
  SelectorError,
  parseFieldSelector,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  const labels = { app: 'web', tier: 'front', version: '3' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=web,tier=back', false],
    ['app=web,tier in (front,back),!missing', true],
    ['version>2', true],
    ['version<3', false],
  ])('%j matches: %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('rejects what the apiserver cannot parse', () => {
    expect(() => parseLabelSelector('app=web,,tier')).toThrow(SelectorError);
    expect(() => parseLabelSelector('app in web')).toThrow(
      'unable to parse requirement',
    );
  });
});

describe('parseFieldSelector', () => {
  it('matches supported fields and rejects others', () => {
    const selector = parseFieldSelector(
      'involvedObject.name=web-1,type!=Normal',
      ['involvedObject.name', 'type'],
    );
    expect(
      selector.matches({ 'involvedObject.name': 'web-1', type: 'Warning' }),
    ).toBe(true);
    expect(
      selector.matches({ 'involvedObject.name': 'web-1', type: 'Normal' }),
    ).toBe(false);
    expect(() => parseFieldSelector('spec.color=red', ['type'])).toThrow(
      'field label not supported: spec.color',
    );
  });
});
