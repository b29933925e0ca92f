// How the Weave GitOps pipeline-controller names what a promotion writes, in one place for
// main (plan, discovery, eligibility) and the renderer (the promote dialog's hints): the branch
// a promotion PR comes from, and the marker comment a pipeline environment's values carry.

/** The controller's branch naming: promotion-<ns>-<name>-<env>. */
export function promotionBranchName(ns: string, name: string, env: string): string {
  return `promotion-${ns}-${name}-${env}`;
}

/** The key inside a marker: <ns>:<name>:<env>. */
export function promotionMarkerKey(ns: string, name: string, env: string): string {
  return `${ns}:${name}:${env}`;
}

/** The marker comment exactly as the pipeline-controller writes it. */
export function promotionMarker(ns: string, name: string, env: string): string {
  return `# {"$promotion": "${promotionMarkerKey(ns, name, env)}"}`;
}
