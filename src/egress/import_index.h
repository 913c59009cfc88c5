// A row's imports indexed by host name and by port, so that a row answering
// many hosts (every routed host of every VirtualService it imports) finds
// what takes each connection by lookups instead of walking all its imports
// once per host. The answers are istio::Connection's, and those of the name
// and HTTP-listener questions of the answer, over the row's merged imports;
// the shared list is indexed once per list, each row indexes only its own
// few imports, and a lookup takes the first of both in the merged order
// (service, host, port index).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "egress/egress.h"

namespace meshlint::egress {

// Sorted by (service, host), each once with the union of its ports.
std::vector<HostRef> MergeRefs(std::vector<HostRef> all);

// One import list, sorted by (service, host), each once.
class ImportIndex {
 public:
  ImportIndex() = default;
  ImportIndex(const MeshModel& model, const istio::Registry& reg, std::vector<HostRef> refs,
              bool dns_capture);

  // An imported service port that gives a listener.
  struct Listener {
    std::uint32_t svc = 0;
    std::uint32_t host = 0;
    std::uint32_t index = 0;  // into the service's ports
    istio::PortListener listener = istio::PortListener::kNone;
  };

  // The first listener on `port` of an import whose name covers `host`.
  std::optional<Listener> Reaching(std::string_view host, std::uint32_t port) const;
  // What takes a connection to `host` on `port` when no import is named like
  // it: the first passthrough (a CIDR one only if its ranges hold `host`),
  // the first TCP listener that hijacks the port.
  std::optional<Listener> Passthrough(std::string_view host, std::uint32_t port) const;
  std::optional<Listener> Hijack(std::uint32_t port) const;
  // Does `port` have a listener that looks at the host (HTTP, sniffed, TLS)?
  bool HasHostListener(std::uint32_t port) const;
  // Does `port` have an HTTP or sniffed listener?
  bool HasHttpListener(std::uint32_t port) const;
  // Is some import (with or without ports) named like `host` or covering it?
  bool Covers(std::string_view host) const;
  // Appends the numbers of the imported ports of the imports that cover `host`.
  void PortsOf(std::string_view host, std::vector<std::uint32_t>& out) const;
  // The imported ports of (svc, host); 0 when the list does not have it.
  std::uint64_t PortsOfRef(std::uint32_t svc, std::uint32_t host) const;

 private:
  struct OnPort {
    std::unordered_map<std::string_view, Listener> first_of_name;  // exact names
    std::vector<std::pair<std::string_view, Listener>> wildcards;  // in list order
    std::optional<Listener> passthrough;
    std::optional<Listener> hijack;
    std::vector<Listener> ranges;  // CIDR passthroughs, in list order
    bool host_listener = false;
    bool http = false;
  };
  const OnPort* On(std::uint32_t port) const;

  const istio::Registry* reg_ = nullptr;
  std::vector<HostRef> refs_;
  std::unordered_map<std::uint32_t, OnPort> ports_;
  // Per name (exact, or the wildcards in list order): its imported port numbers.
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> names_;
  std::vector<std::pair<std::string_view, std::vector<std::uint32_t>>> wildcard_names_;
};

// What one row's answers consult: the index of its shared list, that of its
// own imports, and its imported VirtualServices by host.
class RowImports {
 public:
  RowImports();
  RowImports(std::shared_ptr<const ImportIndex> shared, ImportIndex own, const MeshModel& model,
             std::vector<istio::ImportedVs> virtual_services);

  // What takes a connection, over the row's merged imports.
  istio::Connection Connect(std::string_view host, std::uint32_t port) const;
  bool Covers(std::string_view host) const;
  bool HasHttpListener(std::uint32_t port) const;
  void PortsOf(std::string_view host, std::vector<std::uint32_t>& out) const;
  // The imported VirtualServices with a host that covers `host`, in order:
  // the only ones istio::RouteRequest can take a route from.
  std::vector<istio::ImportedVs> VirtualServicesFor(std::string_view host) const;

 private:
  std::shared_ptr<const ImportIndex> shared_;
  ImportIndex own_;
  std::vector<istio::ImportedVs> virtual_services_;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> vs_of_name_;
  std::vector<std::pair<std::string_view, std::uint32_t>> vs_of_wildcard_;
};

}  // namespace meshlint::egress
