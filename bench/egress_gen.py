#!/usr/bin/env python3
"""Generates a large mesh for timing `meshlint egress` and `meshlint lint`.

Shape (issue 3, "Scale"): N namespaces and S ServiceEntries, most of them
exportTo ["."], a fraction exported everywhere; every 10th namespace has a
default Sidecar. One file per namespace, as a GitOps repository would have.

    python3 bench/egress_gen.py OUT_DIR [--namespaces 10000] [--service-entries 50000]
                                        [--global-fraction 0.01]
"""
import argparse
import os


def service_entry(name, ns, hosts, export_to):
    lines = [
        "apiVersion: networking.istio.io/v1",
        "kind: ServiceEntry",
        "metadata:",
        f"  name: {name}",
        f"  namespace: {ns}",
        "spec:",
        "  hosts:",
    ]
    lines += [f"  - {h}" for h in hosts]
    if export_to is not None:
        lines.append("  exportTo: [" + ", ".join(f'"{e}"' for e in export_to) + "]")
    lines += [
        "  location: MESH_EXTERNAL",
        "  resolution: DNS",
        "  ports:",
        "  - {number: 443, name: https, protocol: TLS}",
    ]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--namespaces", type=int, default=10000)
    p.add_argument("--service-entries", type=int, default=50000)
    p.add_argument("--global-fraction", type=float, default=0.01)
    a = p.parse_args()

    os.makedirs(a.out, exist_ok=True)
    n_global = int(a.service_entries * a.global_fraction)
    n_local = a.service_entries - n_global
    with open(os.path.join(a.out, "istio.yaml"), "w") as f:
        f.write("apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\n"
                "metadata:\n  name: installed-state\n  namespace: istio-system\n"
                "spec:\n  meshConfig:\n    outboundTrafficPolicy:\n      mode: REGISTRY_ONLY\n")
    docs = [service_entry(f"shared-{i:05d}", "shared", [f"api{i}.vendor{i % 97}.com"], None)
            for i in range(n_global)]
    with open(os.path.join(a.out, "shared.yaml"), "w") as f:
        f.write("---\n".join(docs))

    for n in range(a.namespaces):
        ns = f"team-{n:05d}"
        docs = [f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"
                "  labels:\n    istio-injection: enabled\n"]
        # Spread the local ServiceEntries evenly over the namespaces.
        first = n_local * n // a.namespaces
        last = n_local * (n + 1) // a.namespaces
        for i in range(first, last):
            hosts = [f"svc{i}.{ns}.example.com"]
            if i % 3 == 0:
                hosts.append(f"alt{i}.{ns}.example.com")
            docs.append(service_entry(f"ext-{i:06d}", ns, hosts, ["."]))
        if n % 10 == 0:
            docs.append(
                "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n"
                f"  name: default\n  namespace: {ns}\nspec:\n  egress:\n  - hosts:\n"
                '    - "./*"\n    - "istio-system/*"\n'
                f'    - "shared/api{n % max(n_global, 1)}.vendor{n % max(n_global, 1) % 97}.com"\n')
        with open(os.path.join(a.out, f"{ns}.yaml"), "w") as f:
            f.write("---\n".join(docs))


if __name__ == "__main__":
    main()
