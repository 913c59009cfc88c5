#!/usr/bin/env python3
"""Writes a synthetic mesh in one of the YAML styles people and tools write.

bench/gen_mesh.py writes block style only, the style meshlint's scanner reads
fastest. Real repositories are written otherwise; this generator writes the
same kind of mesh (namespaces, Sidecars, ServiceEntries, a few VirtualServices
exported everywhere, and as many objects no meshlint rule reads: Deployments,
Services, ConfigMaps) in these styles:

  flow       block documents whose labels, selectors, annotations, ports, env,
             resources and host lists are flow collections ({app: web}), some
             spread over several lines, as people and Helm charts write them
  helm       `helm template` output: a file per release, `# Source:` comments,
             empty documents of templates whose condition was false, Helm's
             standard labels, quoted values, checksum annotations and long
             ConfigMaps of block scalars (nginx.conf, application.yaml)
  crd        mostly large CustomResourceDefinitions (OpenAPI v3 schemas nested
             eight deep, folded descriptions, thousands of lines each) beside
             the mesh's Istio objects
  kustomize  `kubectl kustomize` output of an overlay: one stream, keys sorted
             at every level (so `data:` comes before `kind:`), sequences not
             indented, objects in kustomize's kind order, a name prefix, common
             labels and `config.kubernetes.io/origin` annotations (--origin)

Output is a pure function of the arguments (seeded), so runs are comparable.

    bench/gen_styles.py --style flow --out DIR --objects 100000

Python standard library only.
"""

import argparse
import hashlib
import json
import os
import random
import re
import sys

NS_PER_TEAM = 50
# About one ServiceEntry in 140 exported to every namespace (one for about
# 100 namespaces) also has a VirtualService exported everywhere that routes
# its host: every namespace without a Sidecar imports them all, so the
# routes a report answers grow with the rows times the VirtualServices.
VS_SHARE = 1 / 140

# --- a small YAML writer ------------------------------------------------------
# Enough for the documents below: maps (dicts), sequences (lists), strings,
# ints and booleans. A string with a newline is written as a literal block
# scalar, a Folded value as a folded one.

_PLAIN = re.compile(r"^(?:[A-Za-z0-9_./]|-(?=[^ -]|-[^ ]))[A-Za-z0-9_./=+@:-]*"
                    r"(?: [A-Za-z0-9_./=+@()-][A-Za-z0-9_./=+@():-]*)*$")
_RESERVED = re.compile(r"^(?:[-+]?[0-9][0-9_.eE+-]*|0x[0-9a-fA-F]+|true|false|yes|no|on|off|null|~|y|n)$",
                       re.IGNORECASE)


class Folded(str):
    """A string written as a folded block scalar (>-), as CRD descriptions are."""


class Flow:
    """Wraps a map or list to write it in flow style; multiline spreads it over lines."""

    def __init__(self, value, multiline=False):
        self.value, self.multiline = value, multiline


class Writer:
    def __init__(self, sort_keys=False, indent_seq=True, quote_all=False):
        self.sort_keys, self.indent_seq, self.quote_all = sort_keys, indent_seq, quote_all
        self.flows = 0  # multi-line flow collections written

    def scalar(self, v, flow=False, key=False):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        s = str(v)
        if self.quote_all and not flow and not key:
            return json.dumps(s)
        # A colon is left plain in block context only, and never last.
        if s and _PLAIN.match(s) and not _RESERVED.match(s) and not s.endswith(":") and not (flow and ":" in s):
            return s
        return json.dumps(s)

    def flow(self, v):
        if isinstance(v, Flow):
            v = v.value
        if isinstance(v, dict):
            items = sorted(v.items()) if self.sort_keys else v.items()
            return "{" + ", ".join(f"{self.scalar(k, True, True)}: {self.flow(x)}" for k, x in items) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(self.flow(x) for x in v) + "]"
        return self.scalar(v, True)

    def flow_lines(self, v, pad):
        """A flow map or list over several lines, one entry a line, as people align them."""
        inner = v.value
        if isinstance(inner, dict):
            entries = [f"{self.scalar(k, True, True)}: {self.flow(x)}" for k, x in inner.items()]
            open_, close = "{", "}"
        else:
            entries = [self.flow(x) for x in inner]
            open_, close = "[", "]"
        # Half close on the last entry's line; half on a line of their own at
        # the key's indentation, as people write it (istio's spire sample
        # does): less indented than YAML 1.2 allows, but yaml-cpp and libyaml
        # read it, so users have it.
        body = (",\n" + pad + "    ").join(entries)
        self.flows += 1
        if self.flows % 2:
            return f"{open_}\n{pad}    {body}{close}"
        return f"{open_}\n{pad}    {body}\n{pad}{close}"

    def value_after_key(self, v, indent, out, key_line):
        pad = " " * indent
        if isinstance(v, Flow):
            text = self.flow_lines(v, pad) if v.multiline else self.flow(v)
            out.append(f"{key_line} {text}")
        elif isinstance(v, Folded):
            out.append(f"{key_line} >-")
            out.extend(pad + "  " + line for line in v.split("\n"))
        elif isinstance(v, str) and "\n" in v:
            out.append(f"{key_line} |" + ("" if v.endswith("\n") else "-"))
            out.extend((pad + "  " + line) if line else "" for line in v.rstrip("\n").split("\n"))
        elif isinstance(v, dict) and v:
            out.append(key_line)
            self.map(v, indent + 2, out)
        elif isinstance(v, list) and v:
            out.append(key_line)
            self.seq(v, indent + 2 if self.indent_seq else indent, out)
        elif isinstance(v, (dict, list)):
            out.append(f"{key_line} {'{}' if isinstance(v, dict) else '[]'}")
        else:
            out.append(f"{key_line} {self.scalar(v)}")

    def map(self, m, indent, out, first_prefix=None):
        pad = " " * indent
        items = sorted(m.items()) if self.sort_keys else list(m.items())
        for n, (k, v) in enumerate(items):
            lead = first_prefix if (n == 0 and first_prefix is not None) else pad
            self.value_after_key(v, indent, out, f"{lead}{self.scalar(k, key=True)}:")

    def seq(self, s, indent, out):
        pad = " " * indent
        for v in s:
            if isinstance(v, dict) and v and not isinstance(v, Flow):
                self.map(v, indent + 2, out, first_prefix=pad + "- ")
            elif isinstance(v, list) and v:
                out.append(pad + "-")
                self.seq(v, indent + 2, out)
            elif isinstance(v, Flow):
                out.append(f"{pad}- {self.flow(v)}")
            elif isinstance(v, str) and "\n" in v:
                out.append(f"{pad}- |-")
                out.extend(pad + "  " + line for line in v.split("\n"))
            else:
                out.append(f"{pad}- {self.scalar(v)}")

    def document(self, obj):
        out = []
        self.map(obj, 0, out)
        return "\n".join(out) + "\n"


# --- the mesh: the same shape as bench/gen_mesh.py -----------------------------

class Shape:
    """How a style writes the small collections: metadata labels, selectors,
    annotations, host lists, and small maps and lists (ports, env, args)."""

    def labels(self, m):
        return m

    def selector(self, m):
        return self.labels(m)

    def annotations(self, m):
        return self.labels(m)

    def hosts(self, h):
        return h

    def small(self, v):
        return v


class Mesh:
    """Namespaces, Sidecars, ServiceEntries and apps, decided once from the seed."""

    def __init__(self, total, seed):
        self.rng = random.Random(seed)
        # VirtualServices are drawn apart, so the rest stays as it was without them.
        self.vs_rng = random.Random(seed * 7919 + 1)
        self.last_se = None  # (host, exportTo draw) of the ServiceEntry just made
        rng = self.rng
        n_ns = max(2, total // 20)
        non_istio = total // 2
        self.namespaces = [f"team{t:04d}-ns{k:03d}" for t in range((n_ns + NS_PER_TEAM - 1) // NS_PER_TEAM)
                           for k in range(NS_PER_TEAM)][:n_ns]
        self.has_ns_object = [rng.random() < 0.9 for _ in self.namespaces]
        self.has_default_sidecar = [rng.random() < 0.7 for _ in self.namespaces]
        self.workload_sidecars = [1 if rng.random() < 0.2 else 0 for _ in self.namespaces]
        fixed = sum(self.has_ns_object) + sum(self.has_default_sidecar) + sum(self.workload_sidecars)
        n_se = max(0, total - non_istio - fixed)
        self.se_by_ns = [[] for _ in self.namespaces]
        for i in range(n_se):
            self.se_by_ns[rng.randrange(n_ns)].append(i)
        self.apps_by_ns = [[] for _ in self.namespaces]
        for i in range(non_istio):
            self.apps_by_ns[i % n_ns].append(i)
        self.teams = {}
        for i, ns in enumerate(self.namespaces):
            self.teams.setdefault(ns.split("-")[0], []).append(i)

    def namespace(self, ns, sh):
        return {"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": ns, "labels": sh.labels({
                    "istio-injection": "enabled" if self.rng.random() < 0.9 else "disabled",
                    "team": ns.rsplit("-", 1)[0]})}}

    def sidecar(self, ns, name, workload, sh):
        rng = self.rng
        spec = {}
        if workload:
            spec["workloadSelector"] = {"labels": sh.selector({"app": workload})}
        h = ["./*", "istio-system/*"]
        if rng.random() < 0.3:
            h.append(rng.choice(self.namespaces) + "/*")
        spec["egress"] = [{"hosts": sh.hosts(h)}]
        if rng.random() < 0.5:
            spec["outboundTrafficPolicy"] = {"mode": "REGISTRY_ONLY"}
        return {"apiVersion": "networking.istio.io/v1", "kind": "Sidecar",
                "metadata": {"name": name, "namespace": ns}, "spec": spec}

    def service_entry(self, ns, i, sh):
        rng = self.rng
        host = f"*.partner-{i % 997}.example.org" if rng.random() < 0.15 else f"api-{i}.svc-{i % 389}.example.com"
        spec = {"hosts": sh.hosts([host])}
        e = rng.random()
        self.last_se = (host, e)
        if e < 0.35:
            spec["exportTo"] = sh.hosts(["."])
        elif e < 0.55:
            spec["exportTo"] = sh.hosts(["*"])
        elif e < 0.65:
            spec["exportTo"] = Flow([".", rng.choice(self.namespaces)])
        elif e < 0.75:
            spec["exportTo"] = sh.hosts([rng.choice(self.namespaces)])
        spec["location"] = "MESH_INTERNAL" if rng.random() < 0.1 else "MESH_EXTERNAL"
        spec["resolution"] = "DNS"
        spec["ports"] = [{"number": 443, "name": "https", "protocol": "TLS"}]
        return {"apiVersion": "networking.istio.io/v1beta1", "kind": "ServiceEntry",
                "metadata": {"name": f"ext-{i}", "namespace": ns, "labels": sh.labels({"owner": ns})},
                "spec": spec}

    def virtual_service(self, ns, i, host, sh):
        """A TLS route by SNI for an exported ServiceEntry's host, exported everywhere."""
        spec = {"hosts": sh.hosts([host]), "exportTo": sh.hosts(["*"]),
                "tls": [{"match": [{"port": 443, "sniHosts": sh.hosts([host])}],
                         "route": [{"destination": {"host": host, "port": {"number": 443}}}]}]}
        return {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
                "metadata": {"name": f"route-{i}", "namespace": ns}, "spec": spec}

    def deployment(self, ns, app, sh):
        rng = self.rng
        small = sh.small
        container = {
            "name": app,
            "image": f"registry.example.com/{ns}/{app}:1.{rng.randint(0, 40)}.{rng.randint(0, 9)}",
            "args": small(["--port=8080", "--log-level=info"]),
            "ports": [small({"containerPort": 8080, "name": "http"})],
            "env": [small({"name": "JAVA_OPTS", "value": "-Xmx512m -XX:+UseG1GC"})],
            "resources": {"requests": small({"cpu": rng.choice(["100m", "250m", "500m"]), "memory": "256Mi"})},
            "readinessProbe": {"httpGet": small({"path": "/healthz", "port": 8080})},
        }
        return {"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": app, "namespace": ns,
                             "labels": sh.labels({"app": app, "app.kubernetes.io/part-of": "platform"}),
                             "annotations": sh.annotations(
                                 {"deployment.kubernetes.io/revision": str(rng.randint(1, 90))})},
                "spec": {"replicas": rng.randint(1, 6),
                         "selector": {"matchLabels": sh.selector({"app": app})},
                         "template": {"metadata": {"labels": sh.labels({"app": app})},
                                      "spec": {"containers": [container]}}}}

    def service(self, ns, app, sh):
        return {"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": app, "namespace": ns},
                "spec": {"selector": sh.selector({"app": app}),
                         "ports": [sh.small({"name": "http", "port": 80, "targetPort": 8080})]}}

    def configmap(self, ns, app):
        rng = self.rng
        n = rng.randint(2, 8) if rng.random() < 0.95 else rng.randint(60, 250)
        props = "".join(f"{app}.setting.key{k}=value-{rng.randint(0, 10**6)}\n" for k in range(n))
        return {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": f"{app}-config", "namespace": ns},
                "data": {"application.properties": props, "log-level": "info", "feature-flags": "a,b,c"}}

    def team_objects(self, team, sh):
        """Yields (template, object) for a team: its namespaces, Istio objects and apps."""
        for i in self.teams[team]:
            ns = self.namespaces[i]
            if self.has_ns_object[i]:
                yield "namespace.yaml", self.namespace(ns, sh)
            if self.has_default_sidecar[i]:
                yield "sidecar.yaml", self.sidecar(ns, "default", None, sh)
            for w in range(self.workload_sidecars[i]):
                yield "sidecar.yaml", self.sidecar(ns, f"payments-{w}", f"payments-{w}", sh)
            for s in self.se_by_ns[i]:
                yield "serviceentry.yaml", self.service_entry(ns, s, sh)
                host, e = self.last_se
                if not host.startswith("*") and 0.35 <= e < 0.55 and self.vs_rng.random() < VS_SHARE:
                    yield "virtualservice.yaml", self.virtual_service(ns, s, host, sh)
            for a in self.apps_by_ns[i]:
                app, kind = f"app-{a // 5}", a % 5
                if kind in (0, 2):
                    yield "deployment.yaml", self.deployment(ns, app if kind == 0 else app + "-worker", sh)
                elif kind in (1, 3):
                    yield "service.yaml", self.service(ns, app if kind == 1 else app + "-worker", sh)
                else:
                    yield "configmap.yaml", self.configmap(ns, app)


MESH_CONFIGMAP = {"apiVersion": "v1", "kind": "ConfigMap",
                  "metadata": {"name": "istio", "namespace": "istio-system"},
                  "data": {"mesh": "rootNamespace: istio-system\noutboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n"}}


class Output:
    def __init__(self, root):
        self.root, self.objects, self.bytes, self.files = root, 0, 0, 0

    def write(self, path, text, objects):
        full = os.path.join(self.root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        self.objects += objects
        self.bytes += len(text.encode("utf-8"))
        self.files += 1


# --- flow ---------------------------------------------------------------------

def write_flow(mesh, out):
    w = Writer()
    rng = random.Random(11)

    class FlowShape(Shape):
        def labels(self, m):
            # About one in eight spread over lines, as hand-aligned manifests are.
            return Flow(m, multiline=len(m) > 1 and rng.random() < 0.125)

        def hosts(self, h):
            return Flow(h)

        def small(self, v):
            return Flow(v)

    for team in sorted(mesh.teams):
        docs = [w.document(o) for _, o in mesh.team_objects(team, FlowShape())]
        out.write(f"teams/{team}/all.yaml", "---\n".join(docs), len(docs))
    out.write("cluster/istio-mesh.yaml", w.document(MESH_CONFIGMAP), 1)


# --- helm ---------------------------------------------------------------------

NGINX_BLOCK = """server {{
    listen {port};
    server_name {app}.{ns}.svc.cluster.local;
    location / {{
        proxy_pass http://127.0.0.1:8080;
        proxy_set_header Host $host;
        proxy_read_timeout {timeout}s;
    }}
}}
"""


def helm_configmap(mesh, ns, app, release, chart_labels):
    rng = mesh.rng
    # Charts carry whole config files; a few carry very long ones.
    blocks = rng.randint(1, 4) if rng.random() < 0.97 else rng.randint(20, 150)
    nginx = "".join(NGINX_BLOCK.format(port=8000 + k, app=app, ns=ns, timeout=rng.randint(5, 120))
                    for k in range(blocks))
    settings = "".join(f"  {app}-key{k}: \"value {rng.randint(0, 10**6)}\"\n" for k in range(rng.randint(3, 30)))
    appyaml = f"server:\n  port: 8080\nlogging:\n  level: INFO\nsettings:\n{settings}"
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": f"{release}-{app}", "namespace": ns, "labels": chart_labels},
            "data": {"nginx.conf": nginx, "application.yaml": appyaml, "LOG_LEVEL": "info"}}


def write_helm(mesh, out):
    w = Writer(quote_all=False)
    q = Writer(quote_all=True)  # values rendered through `| quote`
    for team in sorted(mesh.teams):
        release = team
        chart = f"{team}-platform"
        std = {"helm.sh/chart": f"{chart}-1.4.2", "app.kubernetes.io/name": chart,
               "app.kubernetes.io/instance": release, "app.kubernetes.io/version": "1.16.0",
               "app.kubernetes.io/managed-by": "Helm"}

        class HelmShape(Shape):
            def labels(self, m):
                return {**m, **std}

            def selector(self, m):  # a chart's selectorLabels
                return {**m, "app.kubernetes.io/name": chart, "app.kubernetes.io/instance": release}

            def annotations(self, m):
                return m

        parts = []

        def emit(template, obj, writer=w):
            parts.append(f"---\n# Source: {chart}/templates/{template}\n" + writer.document(obj))

        checksum = hashlib.sha256(team.encode()).hexdigest()
        for template, obj in mesh.team_objects(team, HelmShape()):
            if obj["kind"] == "Deployment":
                obj["spec"]["template"]["metadata"]["annotations"] = {"checksum/config": checksum}
                emit(template, obj, q if mesh.rng.random() < 0.5 else w)
                if mesh.rng.random() < 0.3:
                    # A template whose `if` was false renders to a comment alone.
                    parts.append(f"---\n# Source: {chart}/templates/hpa.yaml\n")
            elif obj["kind"] == "ConfigMap":
                md = obj["metadata"]
                emit(template, helm_configmap(mesh, md["namespace"], md["name"], release, std))
            elif obj["kind"] in ("ServiceEntry", "Sidecar"):
                emit(template, obj, q)
            else:
                emit(template, obj)
        out.write(f"rendered/{release}.yaml", "".join(parts), sum(1 for p in parts if "\nkind:" in p or p.startswith("kind:")))
    out.write("cluster/istio-mesh.yaml", w.document(MESH_CONFIGMAP), 1)


# --- crd ----------------------------------------------------------------------

def crd_schema(rng, depth, width):
    props = {}
    for k in range(width):
        name = f"field{depth}x{k}"
        if depth > 0 and k % 2 == 0:
            props[name] = {"description": Folded(f"{name} holds the nested settings of depth {depth}.\n"
                                                 "Every field is optional; unset fields take the\n"
                                                 "defaults the operator documents."),
                           "type": "object", "properties": crd_schema(rng, depth - 1, width)}
            if k == 0:
                props[name]["required"] = [f"field{depth - 1}x1"]
        elif k % 3 == 1:
            props[name] = {"description": f"The {name} value; see the operator documentation.",
                           "type": "string", "enum": ["Always", "IfNotPresent", "Never"]}
        elif k % 3 == 2:
            props[name] = {"type": "array", "items": {"type": "object",
                                                      "x-kubernetes-preserve-unknown-fields": True},
                           "x-kubernetes-list-type": "atomic"}
        else:
            props[name] = {"description": f"Limit for {name}.", "type": "integer",
                           "format": "int32", "minimum": 0, "maximum": 65535}
    return props


def crd(rng, i):
    group = f"group{i % 37}.platform.example.com"
    plural = f"widgets{i}"
    schema = {"type": "object", "properties": crd_schema(rng, 5, 4)}
    versions = [{"name": v, "served": True, "storage": v == "v1",
                 "schema": {"openAPIV3Schema": schema},
                 "subresources": {"status": {}},
                 "additionalPrinterColumns": [{"jsonPath": ".status.phase", "name": "Phase", "type": "string"}]}
                for v in ("v1alpha1", "v1")]
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"annotations": {"controller-gen.kubebuilder.io/version": "v0.14.0"},
                         "name": f"{plural}.{group}"},
            "spec": {"group": group, "names": {"kind": f"Widget{i}", "listKind": f"Widget{i}List",
                                               "plural": plural, "singular": f"widget{i}"},
                     "scope": "Namespaced", "versions": versions}}


def write_crd(mesh, out, target_bytes):
    w = Writer()
    istio = 0  # bytes
    for team in sorted(mesh.teams):
        docs = [w.document(o) for _, o in mesh.team_objects(team, Shape())
                if o["kind"] in ("Namespace", "Sidecar", "ServiceEntry", "VirtualService")]
        istio += sum(len(d) for d in docs)
        out.write(f"teams/{team}/istio.yaml", "---\n".join(docs), len(docs))
    out.write("cluster/istio-mesh.yaml", w.document(MESH_CONFIGMAP), 1)
    rng = random.Random(5)
    i, written = 0, 0
    want = max(target_bytes - istio, 4 * istio)  # CRDs: four fifths of the bytes or more
    docs = []
    while written < want:
        docs.append(w.document(crd(rng, i)))
        written += len(docs[-1])
        i += 1
        if len(docs) == 8 or written >= want:  # operators ship their CRDs a few to a file
            out.write(f"crds/operator-{(i - 1) // 8:04d}.yaml", "---\n".join(docs), len(docs))
            docs = []


# --- kustomize ----------------------------------------------------------------

KIND_ORDER = ["Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
              "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap",
              "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume",
              "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget"]


def write_kustomize(mesh, out, origin):
    w = Writer(sort_keys=True, indent_seq=False)
    common = {"app.kubernetes.io/managed-by": "kustomize", "env": "prod"}

    class KustomizeShape(Shape):
        def labels(self, m):
            return {**m, **common}

        def annotations(self, m):
            return m

    def order(o):
        k = o["kind"]
        rank = KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER)
        return (rank, k, o["metadata"].get("namespace", ""), o["metadata"]["name"])

    # Rendered as they come and sorted as text: a million objects as dicts
    # would need gigabytes.
    docs = []
    for team in sorted(mesh.teams):
        for template, o in mesh.team_objects(team, KustomizeShape()):
            md = o["metadata"]
            if o["kind"] != "Namespace":
                md["name"] = "prod-" + md["name"]
            md.setdefault("labels", {}).update(common)
            if origin:
                base = f"../../base/{team}/{template}"
                md.setdefault("annotations", {})["config.kubernetes.io/origin"] = f"path: {base}\n"
            docs.append((order(o), w.document(o)))
    docs.append((order(MESH_CONFIGMAP), w.document(MESH_CONFIGMAP)))
    docs.sort(key=lambda d: d[0])
    # One file, as `kubectl kustomize overlays/prod > rendered.yaml` writes
    # it, up to KUSTOMIZE_PART_BYTES; past that (the 1M-object scaling run,
    # about 610 MB) the stream is cut at document boundaries into parts, each
    # under meshlint's 256 MiB bound on one file: a single 610 MB file would
    # be refused whole, and the run would time nothing.
    part, size, k = [], 0, 1
    for _, text in docs:
        if part and size + len(text) > KUSTOMIZE_PART_BYTES:
            out.write(kustomize_part(k), "---\n".join(part), len(part))
            part, size, k = [], 0, k + 1
        part.append(text)
        size += len(text) + 4
    out.write(kustomize_part(k), "---\n".join(part), len(part))


KUSTOMIZE_PART_BYTES = 160 << 20


def kustomize_part(k):
    return "overlays/prod/rendered.yaml" if k == 1 else f"overlays/prod/rendered-{k}.yaml"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--style", required=True, choices=["flow", "helm", "crd", "kustomize"])
    p.add_argument("--out", required=True, help="output directory (created)")
    p.add_argument("--objects", type=int, default=100000,
                   help="objects of the mesh, half of them non-Istio (default 100000); the crd style "
                        "keeps a fifth of the mesh's Istio objects and fills the bytes the mesh "
                        "would have with CRDs")
    p.add_argument("--origin", action="store_true",
                   help="kustomize: config.kubernetes.io/origin annotations (buildMetadata: [originAnnotations])")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    # The crd style keeps a fifth of the mesh; CRDs fill the rest of the bytes.
    mesh = Mesh(args.objects // 5 if args.style == "crd" else args.objects, args.seed)
    out = Output(args.out)
    if args.style == "flow":
        write_flow(mesh, out)
    elif args.style == "helm":
        write_helm(mesh, out)
    elif args.style == "crd":
        write_crd(mesh, out, target_bytes=args.objects * 430)  # the block mesh's bytes per object
    else:
        write_kustomize(mesh, out, args.origin)
    print(f"{args.style}: {out.objects} objects, {out.bytes} bytes, {out.files} files -> {args.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
