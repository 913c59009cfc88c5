// mesh-config-conflict: two sources of mesh settings disagree. Only one of
// them is what istiod runs with, so the repository does not say what the mesh
// does.
#include "rules/common.h"
#include "rules/rules.h"

namespace meshlint::rules {

void CheckMeshConfigConflict(const MeshModel& model, FindingSink& sink) {
  for (const MeshConflict& c : model.mesh_conflicts) {
    const MeshConfigSource& winner = model.mesh_sources[c.winner];
    const MeshConfigSource& loser = model.mesh_sources[c.loser];
    Diagnostic d;
    d.loc = c.loser_loc;
    d.object = loser.object;
    d.field = "meshConfig." + c.field;
    const std::string of = c.revision.empty() ? "" : " of revision " + c.revision;
    d.message = "Mesh config sources" + of + " disagree on " + c.field + ": " + loser.description +
                " sets " + c.loser_value + ", " + winner.description + " (" +
                Where(model, c.winner_loc) + ") sets " + c.winner_value + ". meshlint uses " +
                c.winner_value + "; keep one source of truth for the mesh config.";
    d.related.push_back({c.winner_loc, "the value meshlint uses: " + c.winner_value});
    sink.Report(std::move(d));
  }
}

}  // namespace meshlint::rules
