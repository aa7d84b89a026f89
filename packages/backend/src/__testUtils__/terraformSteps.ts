import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './wiring';

/**
 * A Terraform template of templates/ with only its Terraform steps (plan,
 * review, apply, outputs) and the owner a form field (`owner`) instead of
 * the component's owner: for the tests of the Terraform driver's review
 * and dry run. The whole template (check, component, connection Secret,
 * Resource entity) runs in infrastructureWiring.test.ts.
 */
export function terraformStepsOf(name: string): any {
  const template = parseYaml(
    fs.readFileSync(
      path.join(ROOT, 'templates', name, 'template.yaml'),
      'utf8',
    ),
  );
  const steps = template.spec.steps.filter((s: any) =>
    /^paved:terraform:(plan|review|apply|output)$/.test(s.action),
  );
  const spec = JSON.parse(
    JSON.stringify({ ...template.spec, steps }).replaceAll(
      'steps.component.output.entity.spec.owner',
      'parameters.owner',
    ),
  );
  const [page] = spec.parameters;
  delete page.properties.component;
  page.properties.owner = { type: 'string' };
  page.required = ['name', 'owner'];
  delete spec.output.links;
  spec.output.text = spec.output.text.filter(
    (t: any) => !t.content.includes('steps.connection'),
  );
  return { ...template, spec };
}
