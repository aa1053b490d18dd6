// .include and .lib: relative paths, sections, recursion, missing files.
#include "test_parse_support.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <cstdio>
#include <filesystem>
#include <random>

using namespace dwspice;
using namespace dwspice::frontend_test;
namespace fs = std::filesystem;

namespace {

// A scratch directory removed when the test ends.
class TempDir {
public:
  TempDir() {
    std::random_device seed;
    path_ = fs::temp_directory_path() / fmt::format("dwspice_parse_{}", seed());
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  [[nodiscard]] const fs::path &path() const { return path_; }
  void write(const std::string &name, const std::string &text) const {
    fs::create_directories((path_ / name).parent_path());
    std::FILE *file = std::fopen((path_ / name).c_str(), "wb");
    REQUIRE(file != nullptr);
    std::fwrite(text.data(), 1, text.size(), file);
    std::fclose(file);
  }

private:
  fs::path path_;
};

} // namespace

TEST_CASE("include: files relative to the including file, quotes, case kept") {
  TempDir dir;
  dir.write("main.cir", "main\n.include \"Lib/Parts.inc\"\nx1 a 0 divider\nv1 a 0 1\n.end\n");
  dir.write("Lib/Parts.inc", "* no title line in included files\n"
                             ".include 'more/values.inc'\n"
                             ".subckt divider top bot\nr1 top mid {rv}\nr2 mid bot {rv}\n.ends\n");
  dir.write("Lib/more/values.inc", ".param rv=2k\n.end\n.param rv=3k\n");
  const CircuitSpec spec = loadNetlist(dir.path() / "main.cir");
  CHECK(spec.title == "main");
  REQUIRE(spec.instances.size() == 3);
  CHECK(findInstance(spec, "r.x1.r1")->args[0].value == 2000);
  REQUIRE(spec.files.size() == 3);
  CHECK(spec.files[1]->path.find("Parts.inc") != std::string::npos);
  // Locations point into the included file.
  CHECK(findInstance(spec, "r.x1.r1")->loc.file->path.find("Parts.inc") != std::string::npos);
  CHECK(findInstance(spec, "r.x1.r1")->loc.line == 4);
}

TEST_CASE("include: .lib sections") {
  TempDir dir;
  dir.write("models.lib", "* library\n"
                          ".lib fast\n.model dm d is=1e-12\n.endl fast\n"
                          ".lib slow\n.model dm d is=1e-16\n.endl\n");
  const std::string netlist = "t\n.lib models.lib SLOW\nd1 a 0 dm\nv1 a 0 1\n";
  const CircuitSpec spec = loadNetlistText(netlist, "t.cir", dir.path());
  CHECK(findInstance(spec, "d1")->model->params.at("is") == doctest::Approx(1e-16));

  // A section defined in the netlist itself is skipped unless requested.
  const CircuitSpec own = loadNetlistText("t\n.lib unused\nr1 a 0 1\n.endl\nr2 a 0 1\n", "t.cir", dir.path());
  CHECK(own.instances.size() == 1);

  CapturedError e = errorOf("t\n.lib models.lib typical\nr1 a 0 1\n", dir.path());
  CHECK(e.message.find("section 'typical' not found") != std::string::npos);
  CHECK(e.line == 2);
  e = errorOf("t\n.endl\n", dir.path());
  CHECK(e.message.find("'.endl' without '.lib'") != std::string::npos);
}

TEST_CASE("include: missing file is reported at the .include line") {
  TempDir dir;
  const CapturedError e = errorOf("t\nr1 a 0 1\n.include nothere.inc\n", dir.path());
  CHECK(e.message.find("cannot open include file") != std::string::npos);
  CHECK(e.line == 3);
  CHECK(e.column == 10);
  CHECK_THROWS_AS(loadNetlist(dir.path() / "absent.cir"), UserError);
}

TEST_CASE("include: recursion is detected") {
  TempDir dir;
  dir.write("self.cir", "self\n.include self.cir\nr1 a 0 1\n");
  CHECK_THROWS_WITH_AS(loadNetlist(dir.path() / "self.cir"), doctest::Contains("recursive include"),
                       UserError);
  dir.write("a.inc", ".include b.inc\n");
  dir.write("b.inc", "r1 a 0 1\n.include a.inc\n");
  const CapturedError e = errorOf("t\n.include a.inc\n", dir.path());
  CHECK(e.message.find("recursive include") != std::string::npos);
  CHECK(e.message.find("a.inc -> ") != std::string::npos);
  dir.write("lib.lib", ".lib one\n.lib lib.lib one\n.endl\n");
  CHECK(errorOf("t\n.lib lib.lib one\nr1 a 0 1\n", dir.path()).message.find("recursive include") !=
        std::string::npos);
}

TEST_CASE("include: binary include file") {
  TempDir dir;
  dir.write("bin.inc", std::string("r1 a 0 1\n\x7f"
                                   "ELF\x02\x01\x01\0\0\0",
                                   18));
  const CapturedError e = errorOf("t\n.include bin.inc\n", dir.path());
  CHECK(e.message.find("not a text netlist") != std::string::npos);
  CHECK(e.rendered.find("bin.inc:2:") != std::string::npos);
}
