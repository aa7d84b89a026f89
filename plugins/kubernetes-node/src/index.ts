/**
 * KubernetesProvisioner: namespaces with guardrails, server-side apply, rollouts (service ref + default factory).
 *
 * @packageDocumentation
 */

export {};
