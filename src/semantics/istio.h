// Istio's rules, as meshlint models them: the one place that answers "what
// does Istio make of this configuration?". The rules, the egress analysis and
// its explanation ask these functions and never re-derive an answer, so that
// lint findings and `meshlint egress` cannot disagree.
//
// The model (src/model) holds what the manifests say, the namespace index and
// the weighing of mesh-config sources; this unit interprets them, one header
// per question:
//   hosts.h          host names and Sidecar egress host entries
//   membership.h     which pods have a sidecar, ambient, none; traffic capture
//   webhooks.h       which injection webhook of the inputs a pod is sent to
//   validity.h       which objects are applied (validation, revision labels)
//   registry.h       the service registry per revision: ports, protocols, exportTo
//   exports.h        one ServiceEntry's exportTo (the rules' question)
//   sidecar_scope.h  which Sidecar applies, what its listeners import
//   outbound.h       the outbound traffic policy
//   listeners.h      what the sidecar does with a connection to host:port
//   routes.h         VirtualServices, egress gateways, AuthorizationPolicies
// Each answer that a finding or an explanation points at carries the
// Location that decided it. Semantics: istio.io's reference pages and Istio's
// own code (see each header).
//
// Every std::string_view returned points into the model: valid as long as
// the model lives and is not finalized again.
#pragma once

#include "semantics/exports.h"
#include "semantics/hosts.h"
#include "semantics/membership.h"
#include "semantics/outbound.h"
#include "semantics/registry.h"
#include "semantics/sidecar_scope.h"
#include "semantics/validity.h"
#include "semantics/webhooks.h"
