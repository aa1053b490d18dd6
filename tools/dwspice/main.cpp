// Placeholder until the CLI lands (see issue 2).
#include <fmt/core.h>
int main() {
  fmt::print(stderr, "dwspice: not yet implemented\n");
  return 1;
}
