// Checks kustomize output (multi-document YAML on stdin) against the Kubernetes API schemas (kubernetes-models) and
// against what DealFlow's manifests promise: probes, resources and a non-root user on every container, a disruption
// budget per Deployment, autoscalers on existing Deployments, the analytics autoscaler capped at the partition count,
// every referenced ConfigMap key defined and every Secret key in secret.example.env, ingress denied by default.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as models from "kubernetes-models";

const [secretExample, label] = process.argv.slice(2);
const docs = parseAllDocuments(readFileSync(0, "utf8")).map((d) => d.toJSON()).filter(Boolean);
const problems = [];
const fail = (doc, message) => problems.push(`${doc.kind}/${doc.metadata?.name}: ${message}`);

function modelOf(doc) {
  const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
  // kubernetes-models names groups in camel case: networking.k8s.io → networkingK8sIo
  const module = models[group === "" ? "v1" : group.replace(/\.(\w)/g, (_, c) => c.toUpperCase())];
  const byVersion = group === "" ? module : module?.[version];
  return byVersion?.[doc.kind];
}

for (const doc of docs) {
  const Model = modelOf(doc);
  if (!Model) {
    fail(doc, `no schema for ${doc.apiVersion} ${doc.kind}`);
    continue;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    fail(doc, e.message);
  }
}

const of = (kind) => docs.filter((d) => d.kind === kind);
const config = Object.assign({}, ...of("ConfigMap").map((c) => c.data ?? {}));
const secretKeys = new Set(readFileSync(secretExample, "utf8").split("\n")
  .filter((l) => l.trim() && !l.startsWith("#")).map((l) => l.split("=")[0].trim()));
const deployments = of("Deployment");

for (const d of deployments) {
  const pod = d.spec.template.spec;
  for (const c of pod.containers) {
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      if (!c[probe]) fail(d, `${c.name} has no ${probe}`);
    }
    for (const side of ["requests", "limits"]) {
      for (const resource of ["cpu", "memory"]) {
        if (!c.resources?.[side]?.[resource]) fail(d, `${c.name} has no ${resource} ${side.slice(0, -1)}`);
      }
    }
    if (!(pod.securityContext?.runAsNonRoot || c.securityContext?.runAsNonRoot)) fail(d, `${c.name} may run as root`);
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      if (cm && !(cm.key in config)) fail(d, `${e.name} reads ConfigMap key ${cm.key}, which no ConfigMap defines`);
      const secret = e.valueFrom?.secretKeyRef;
      if (secret && !secretKeys.has(secret.key)) fail(d, `${e.name} reads Secret key ${secret.key}, missing from ${secretExample}`);
    }
  }
  const labels = d.spec.template.metadata.labels;
  const selects = (selector) => Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  if (d.metadata.name !== "redis" && !of("PodDisruptionBudget").some((p) => selects(p.spec.selector))) {
    fail(d, "no PodDisruptionBudget selects it");
  }
}
for (const h of of("HorizontalPodAutoscaler")) {
  if (!deployments.some((d) => d.metadata.name === h.spec.scaleTargetRef.name)) fail(h, "scales a Deployment that does not exist");
  if (h.spec.scaleTargetRef.name === "funnel-analytics-service" && h.spec.maxReplicas > Number(config.DEALFLOW_TOPIC_PARTITIONS)) {
    fail(h, `maxReplicas ${h.spec.maxReplicas} exceeds the topic's ${config.DEALFLOW_TOPIC_PARTITIONS} partitions`);
  }
}
if (!of("NetworkPolicy").some((p) => Object.keys(p.spec.podSelector).length === 0 && !p.spec.ingress)) {
  problems.push("no NetworkPolicy denies ingress by default");
}

if (problems.length) {
  console.error(`${label}: ${problems.length} problem(s)\n  ` + problems.join("\n  "));
  process.exit(1);
}
console.log(`${label}: ${docs.length} objects valid (${[...new Set(docs.map((d) => d.kind))].join(", ")})`);
