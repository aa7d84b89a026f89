import { GuardrailRule, objectName } from '../GuardrailRule';
import { groupOf } from './allowedKinds';

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A name the API server accepts: a DNS-1035 label for a Service, a DNS-1123 subdomain otherwise. */
export const checkValidName: GuardrailRule = (m, { report }) => {
  const name = m.metadata.name;
  const nameOk =
    m.kind === 'Service'
      ? name.length <= 63 && DNS1035_LABEL.test(name)
      : name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
  if (!nameOk) {
    report(
      'metadata.name',
      m.kind === 'Service'
        ? `"${name}" is not a DNS-1035 label (lowercase letters, digits and '-', starting with a letter)`
        : `"${name}" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')`,
    );
  }
};

/** No two objects of the same group, kind and name in one set. */
export const checkUniqueName: GuardrailRule = (m, { earlier, report }) => {
  const key = (o: typeof m) =>
    `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.name}`;
  const first = earlier.findIndex(o => key(o) === key(m));
  if (first >= 0) {
    report(
      'metadata.name',
      `repeats ${objectName(m)} of document ${first + 1}`,
    );
  }
};
