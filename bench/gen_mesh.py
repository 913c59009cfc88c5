#!/usr/bin/env python3
"""Writes a synthetic platform repository of Kubernetes/Istio manifests.

The shape follows what large platform repos hold: namespaces (most with a
Namespace object), Sidecars (some namespaces have none, some have extra
workload-scoped ones), ServiceEntries (mixed exportTo, wildcard hosts), a few
VirtualServices exported everywhere that route ServiceEntry hosts, and an
equal number of objects no meshlint rule reads: Deployments, Services, large
ConfigMaps and one CustomResourceDefinition with a big schema. Output is a
pure function of the arguments (seeded), so benchmark runs are comparable.

    bench/gen_mesh.py --out DIR --objects 100000
    bench/gen_mesh.py --out DIR --namespaces 10000 --service-entries 50000 --non-istio 0

Python standard library only.
"""

import argparse
import os
import random
import sys

NS_PER_TEAM = 50


def namespace_doc(ns, rng):
    team = ns.rsplit("-", 1)[0]
    injection = "enabled" if rng.random() < 0.9 else "disabled"
    return (
        "apiVersion: v1\n"
        "kind: Namespace\n"
        "metadata:\n"
        f"  name: {ns}\n"
        "  labels:\n"
        f"    istio-injection: {injection}\n"
        f"    team: {team}\n"
    )


def sidecar_doc(ns, name, workload, rng, namespaces):
    lines = [
        "apiVersion: networking.istio.io/v1",
        "kind: Sidecar",
        "metadata:",
        f"  name: {name}",
        f"  namespace: {ns}",
        "spec:",
    ]
    if workload:
        lines += ["  workloadSelector:", "    labels:", f"      app: {workload}"]
    lines += ["  egress:", "  - hosts:", '    - "./*"', '    - "istio-system/*"']
    if rng.random() < 0.3:
        lines.append(f'    - "{rng.choice(namespaces)}/*"')
    if rng.random() < 0.5:
        lines += ["  outboundTrafficPolicy:", "    mode: REGISTRY_ONLY"]
    return "\n".join(lines) + "\n"


def se_host(i, rng):
    if rng.random() < 0.15:
        return f'"*.partner-{i % 997}.example.org"'
    return f"api-{i}.svc-{i % 389}.example.com"


def service_entry_doc(ns, i, rng, namespaces, host, export):
    lines = [
        "apiVersion: networking.istio.io/v1beta1",
        "kind: ServiceEntry",
        "metadata:",
        f"  name: ext-{i}",
        f"  namespace: {ns}",
        "  labels:",
        f"    owner: {ns}",
        "spec:",
        "  hosts:",
        f"  - {host}",
    ]
    e = export
    if e < 0.35:
        lines += ["  exportTo:", '  - "."']
    elif e < 0.55:
        lines += ["  exportTo:", '  - "*"']
    elif e < 0.65:
        lines += ['  exportTo: [".", "' + rng.choice(namespaces) + '"]']
    elif e < 0.75:
        lines += ["  exportTo:", f"  - {rng.choice(namespaces)}"]
    # else: no exportTo, the mesh default applies
    lines += [
        "  location: " + ("MESH_INTERNAL" if rng.random() < 0.1 else "MESH_EXTERNAL"),
        "  resolution: DNS",
        "  ports:",
        "  - number: 443",
        "    name: https",
        "    protocol: TLS",
    ]
    return "\n".join(lines) + "\n"


# About one ServiceEntry in 140 exported to every namespace (one for about
# 100 namespaces) also has a VirtualService exported everywhere that routes
# its host (a TLS route by SNI): every namespace without a Sidecar imports
# them all, so their number grows with the mesh, as does the number of rows
# that route them.
VS_SHARE = 1 / 140


def virtual_service_doc(ns, i, host):
    return "\n".join([
        "apiVersion: networking.istio.io/v1",
        "kind: VirtualService",
        "metadata:",
        f"  name: route-{i}",
        f"  namespace: {ns}",
        "spec:",
        "  hosts:",
        f"  - {host}",
        "  exportTo:",
        '  - "*"',
        "  tls:",
        "  - match:",
        "    - port: 443",
        "      sniHosts:",
        f"      - {host}",
        "    route:",
        "    - destination:",
        f"        host: {host}",
        "        port:",
        "          number: 443",
    ]) + "\n"


def deployment_doc(ns, app, rng):
    replicas = rng.randint(1, 6)
    image_tag = f"1.{rng.randint(0, 40)}.{rng.randint(0, 9)}"
    lines = [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        f"  name: {app}",
        f"  namespace: {ns}",
        "  labels:",
        f"    app: {app}",
        "    app.kubernetes.io/part-of: platform",
        "  annotations:",
        f"    deployment.kubernetes.io/revision: \"{rng.randint(1, 90)}\"",
        "spec:",
        f"  replicas: {replicas}",
        "  selector:",
        "    matchLabels:",
        f"      app: {app}",
        "  template:",
        "    metadata:",
        "      labels:",
        f"        app: {app}",
        "    spec:",
        "      containers:",
        f"      - name: {app}",
        f"        image: registry.example.com/{ns}/{app}:{image_tag}",
    ]
    if rng.random() < 0.1:
        # Flow style, as many generators write it.
        lines.append('        args: ["--port=8080", "--log-level=info"]')
    else:
        lines += ["        args:", "        - --port=8080", "        - --log-level=info"]
    lines += [
        "        ports:",
        "        - containerPort: 8080",
        "          name: http",
        "        env:",
        "        - name: JAVA_OPTS",
        "          value: -Xmx512m -XX:+UseG1GC",
        "        resources:",
        "          requests:",
        f"            cpu: {rng.choice(['100m', '250m', '500m'])}",
        "            memory: 256Mi",
        "        readinessProbe:",
        "          httpGet:",
        "            path: /healthz",
        "            port: 8080",
    ]
    return "\n".join(lines) + "\n"


def service_doc(ns, app):
    return (
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        f"  name: {app}\n"
        f"  namespace: {ns}\n"
        "spec:\n"
        "  selector:\n"
        f"    app: {app}\n"
        "  ports:\n"
        "  - name: http\n"
        "    port: 80\n"
        "    targetPort: 8080\n"
    )


def configmap_doc(ns, app, rng):
    lines = [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        f"  name: {app}-config",
        f"  namespace: {ns}",
        "data:",
        "  application.properties: |",
    ]
    # Mostly small, a few large (up to ~13 KB), as real repos have.
    n = rng.randint(2, 8) if rng.random() < 0.95 else rng.randint(60, 250)
    for k in range(n):
        lines.append(f"    {app}.setting.key{k}=value-{rng.randint(0, 10**6)}")
    lines += ["  log-level: info", '  feature-flags: "a,b,c"']
    return "\n".join(lines) + "\n"


def schema_props(rng, depth, width, out, indent):
    pad = " " * indent
    for k in range(width):
        name = f"field{depth}x{k}"
        out.append(f"{pad}{name}:")
        if depth > 0 and k % 2 == 0:
            out.append(f"{pad}  type: object")
            out.append(f"{pad}  description: Nested settings {name} of depth {depth}.")
            out.append(f"{pad}  properties:")
            schema_props(rng, depth - 1, width, out, indent + 4)
        else:
            out.append(f"{pad}  type: {rng.choice(['string', 'integer', 'boolean'])}")
            out.append(f"{pad}  description: >-")
            out.append(f"{pad}    The {name} value; see the operator documentation for")
            out.append(f"{pad}    the allowed range and defaults.")


def crd_doc(rng):
    lines = [
        "apiVersion: apiextensions.k8s.io/v1",
        "kind: CustomResourceDefinition",
        "metadata:",
        "  name: widgets.platform.example.com",
        "spec:",
        "  group: platform.example.com",
        "  names:",
        "    kind: Widget",
        "    plural: widgets",
        "  scope: Namespaced",
        "  versions:",
        "  - name: v1",
        "    served: true",
        "    storage: true",
        "    schema:",
        "      openAPIV3Schema:",
        "        type: object",
        "        properties:",
    ]
    schema_props(rng, 4, 6, lines, 10)
    return "\n".join(lines) + "\n"


MESH_CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |
    rootNamespace: istio-system
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="output directory (created)")
    p.add_argument("--objects", type=int, default=100000,
                   help="total objects; half of them non-Istio (default 100000)")
    p.add_argument("--namespaces", type=int, help="override: number of namespaces")
    p.add_argument("--service-entries", type=int, help="override: number of ServiceEntries")
    p.add_argument("--non-istio", type=int, help="override: number of non-Istio objects")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    rng = random.Random(args.seed)
    vs_rng = random.Random(args.seed * 7919 + 1)  # apart, so the other draws stay as they were

    total = args.objects
    n_ns = args.namespaces if args.namespaces is not None else max(2, total // 20)
    non_istio = args.non_istio if args.non_istio is not None else total // 2
    namespaces = [f"team{t:04d}-ns{k:03d}" for t in range(0, (n_ns + NS_PER_TEAM - 1) // NS_PER_TEAM)
                  for k in range(NS_PER_TEAM)][:n_ns]
    # Which namespaces get what, decided up front.
    has_ns_object = [rng.random() < 0.9 for _ in namespaces]
    has_default_sidecar = [rng.random() < 0.7 for _ in namespaces]
    workload_sidecars = [1 if rng.random() < 0.2 else 0 for _ in namespaces]
    fixed = sum(has_ns_object) + sum(has_default_sidecar) + sum(workload_sidecars)
    if args.service_entries is not None:
        n_se = args.service_entries
    else:
        n_se = max(0, total - non_istio - fixed)

    os.makedirs(args.out, exist_ok=True)
    teams = {}
    for i, ns in enumerate(namespaces):
        teams.setdefault(ns.split("-")[0], []).append(i)
    team_names = sorted(teams)
    # About a fifth of the teams are rendered into one big bundle file (as
    # `helm template` or kustomize output is), the others have a file per kind.
    bundle_teams = set(team_names[: max(1, len(team_names) // 5)]) if len(team_names) > 1 else set()

    # ServiceEntries and non-Istio objects are spread round-robin over namespaces.
    se_by_ns = [[] for _ in namespaces]
    for i in range(n_se):
        se_by_ns[rng.randrange(len(namespaces))].append(i)
    apps_by_ns = [[] for _ in namespaces]
    # A Deployment, Service and ConfigMap per app: 2 of 5 Deployments, 2 of 5
    # Services, 1 of 5 ConfigMaps; the CRD counts as one object.
    remaining = max(0, non_istio - (1 if non_istio else 0))
    for i in range(remaining):
        apps_by_ns[i % len(namespaces)].append(i)

    counts = {"objects": 0, "bytes": 0, "files": 0}

    def write(path, docs):
        if not docs:
            return
        full = os.path.join(args.out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        text = "---\n".join(docs)
        with open(full, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        counts["objects"] += len(docs)
        counts["bytes"] += len(text.encode("utf-8"))
        counts["files"] += 1

    bundle = []
    for team in team_names:
        ns_docs, istio_docs, app_docs = [], [], []
        for i in teams[team]:
            ns = namespaces[i]
            if has_ns_object[i]:
                ns_docs.append(namespace_doc(ns, rng))
            if has_default_sidecar[i]:
                istio_docs.append(sidecar_doc(ns, "default", None, rng, namespaces))
            for w in range(workload_sidecars[i]):
                istio_docs.append(sidecar_doc(ns, f"payments-{w}", f"payments-{w}", rng, namespaces))
            for s in se_by_ns[i]:
                # The same draws as before VirtualServices were added, so the
                # rest of the mesh stays as it was.
                host = se_host(s, rng)
                export = rng.random()
                istio_docs.append(service_entry_doc(ns, s, rng, namespaces, host, export))
                if (not host.startswith('"') and 0.35 <= export < 0.55 and vs_rng.random() < VS_SHARE):
                    istio_docs.append(virtual_service_doc(ns, s, host))
            for a in apps_by_ns[i]:
                app = f"app-{a // 5}"
                kind = a % 5
                if kind in (0, 2):
                    app_docs.append(deployment_doc(ns, app if kind == 0 else app + "-worker", rng))
                elif kind in (1, 3):
                    app_docs.append(service_doc(ns, app if kind == 1 else app + "-worker"))
                else:
                    app_docs.append(configmap_doc(ns, app, rng))
        if team in bundle_teams:
            bundle += ns_docs + istio_docs + app_docs
        else:
            write(f"teams/{team}/namespaces.yaml", ns_docs)
            write(f"teams/{team}/istio.yaml", istio_docs)
            write(f"teams/{team}/apps.yaml", app_docs)
    write("rendered/platform-bundle.yaml", bundle)
    if non_istio:
        write("cluster/crd-widgets.yaml", [crd_doc(rng)])
    write("cluster/istio-mesh.yaml", [MESH_CONFIGMAP])

    print(f"{counts['objects']} objects, {counts['bytes']} bytes, {counts['files']} files, "
          f"{n_ns} namespaces, {n_se} ServiceEntries -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
