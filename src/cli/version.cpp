#include <ostream>

#include "build_info.h"  // generated: cmake/Version.cmake
#include "cli/help.h"
#include "model/model.h"
#include "report/report.h"

namespace meshlint {

void WriteVersion(std::ostream& out) {
  out << kToolName << ' ' << kToolVersion << '\n'
      << "commit:    " << MESHLINT_GIT_COMMIT << '\n'
      << "build:     " << MESHLINT_BUILD_TYPE << ", " << MESHLINT_COMPILER << ", "
      << MESHLINT_LINKAGE << '\n'
      << "libraries: yaml-cpp " << MESHLINT_YAML_CPP_VERSION << ", RE2 " << MESHLINT_RE2_VERSION
      << ", Boost " << MESHLINT_BOOST_VERSION << ", nlohmann_json " << MESHLINT_JSON_VERSION << '\n'
      << "models:    Istio " << ModelledIstioVersions() << " (default "
      << kDefaultIstioVersion.ToString() << ")\n";
}

}  // namespace meshlint
