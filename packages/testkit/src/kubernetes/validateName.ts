/**
 * Name validation with the apiserver's messages
 * (k8s.io/apimachinery pkg/util/validation/validation.go).
 */
import { NameValidation } from './resourceTypes';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

// RegexError puts two spaces after "'my-name'," when there are two examples.
const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/**
 * The problems with a name, each the detail of one `metadata.name` field
 * error; empty when the name is valid.
 */
export function validateName(name: string, rule: NameValidation): string[] {
  const problems: string[] = [];
  switch (rule) {
    case 'dns1123Label':
      if (name.length > 63) problems.push('must be no more than 63 characters');
      if (!DNS1123_LABEL.test(name)) problems.push(DNS1123_LABEL_MESSAGE);
      break;
    case 'dns1035Label':
      if (name.length > 63) problems.push('must be no more than 63 characters');
      if (!DNS1035_LABEL.test(name)) problems.push(DNS1035_LABEL_MESSAGE);
      break;
    case 'dns1123Subdomain':
      if (name.length > 253)
        problems.push('must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(name))
        problems.push(DNS1123_SUBDOMAIN_MESSAGE);
      break;
    case 'pathSegment':
      if (name === '.' || name === '..') problems.push(`may not be '${name}'`);
      for (const bad of ['/', '%']) {
        if (name.includes(bad)) problems.push(`may not contain '${bad}'`);
      }
      break;
    default:
      break;
  }
  return problems;
}
