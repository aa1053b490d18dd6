// compare_predictions: agreement between the circuit-level predictions of a
// dwspice batch report and the trainer's behavioural predictions.
//
//   compare_predictions --report r.json --behavioural <stem>_behavioural.csv
//                       [--min-agreement PERCENT]
//
// Image k of the report's "predictions" array is test image k, as is row
// `image = k` of the CSV. Prints agreement, both accuracies on the same images
// and their difference; exits 1 when the agreement is below the threshold,
// 2 on bad input.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

namespace {

struct InputError {
  std::string message;
};

std::string readWhole(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError{fmt::format("cannot open '{}'", path)};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The integers of the top-level "predictions" array. A tiny scanner rather
// than a JSON library: the batch report writes this key exactly once, as an
// array of non-negative integers.
std::vector<int> reportPredictions(const std::string &path) {
  const std::string text = readWhole(path);
  const auto key = text.find("\"predictions\"");
  if (key == std::string::npos) {
    throw InputError{fmt::format("{}: no \"predictions\" key", path)};
  }
  auto position = text.find_first_not_of(" \t\r\n", key + 13);
  if (position == std::string::npos || text[position] != ':') {
    throw InputError{fmt::format("{}: expected ':' after \"predictions\"", path)};
  }
  position = text.find_first_not_of(" \t\r\n", position + 1);
  if (position == std::string::npos || text[position] != '[') {
    throw InputError{fmt::format("{}: \"predictions\" is not an array", path)};
  }
  std::vector<int> predictions;
  ++position;
  while (true) {
    position = text.find_first_not_of(" \t\r\n,", position);
    if (position == std::string::npos) {
      throw InputError{fmt::format("{}: \"predictions\" array is not closed", path)};
    }
    if (text[position] == ']') {
      break;
    }
    int value = 0;
    const auto [end, error] = std::from_chars(text.data() + position, text.data() + text.size(), value);
    if (error != std::errc() || value < 0) {
      throw InputError{fmt::format("{}: \"predictions\" holds something that is not a class index at byte {}",
                                   path, position)};
    }
    predictions.push_back(value);
    position = static_cast<std::size_t>(end - text.data());
  }
  if (predictions.empty()) {
    throw InputError{fmt::format("{}: \"predictions\" is empty", path)};
  }
  return predictions;
}

struct BehaviouralRow {
  int label = 0;
  int predicted = 0;
  // The behavioural top output is tied with the runner-up (relative 1e-6):
  // the circuit's choice between them is decided by rounding, so a
  // disagreement there says nothing about the circuit.
  bool tied = false;
};

// True when the two largest of the y columns (after image,label,predicted)
// are equal within a relative 1e-6.
bool topTwoTied(std::string_view outputs) {
  double best = -HUGE_VAL;
  double second = -HUGE_VAL;
  int count = 0;
  while (!outputs.empty()) {
    const auto comma = outputs.find(',');
    const std::string_view token = outputs.substr(0, comma);
    double y = 0.0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), y);
    if (error != std::errc() || end != token.data() + token.size()) {
      throw InputError{fmt::format("'{}' is not a number", token)};
    }
    ++count;
    if (y > best) {
      second = best;
      best = y;
    } else if (y > second) {
      second = y;
    }
    outputs = comma == std::string_view::npos ? std::string_view() : outputs.substr(comma + 1);
  }
  return count >= 2 && best - second <= 1e-6 * std::max(std::abs(best), std::abs(second));
}

int field(std::string_view text, const std::string &where) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) {
    throw InputError{fmt::format("{}: '{}' is not a non-negative integer", where, text)};
  }
  return value;
}

// image -> (label, predicted) from `image,label,predicted,y0,…`.
std::map<int, BehaviouralRow> behaviouralRows(const std::string &path) {
  std::ifstream in(path);
  if (!in) {
    throw InputError{fmt::format("cannot open '{}'", path)};
  }
  std::string line;
  if (!std::getline(in, line) || line.rfind("image,label,predicted", 0) != 0) {
    throw InputError{fmt::format("{}: expected the header 'image,label,predicted,y0,…'", path)};
  }
  std::map<int, BehaviouralRow> rows;
  for (int lineNumber = 2; std::getline(in, line); ++lineNumber) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      continue;
    }
    const std::string where = fmt::format("{}:{}", path, lineNumber);
    std::vector<std::string_view> fields;
    std::string_view rest = line;
    for (int k = 0; k < 3; ++k) {
      const auto comma = rest.find(',');
      fields.push_back(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    const int image = field(fields[0], where);
    bool tied = false;
    try {
      tied = topTwoTied(rest);
    } catch (const InputError &error) {
      throw InputError{fmt::format("{}: {}", where, error.message)};
    }
    if (!rows.emplace(image, BehaviouralRow{field(fields[1], where), field(fields[2], where), tied}).second) {
      throw InputError{fmt::format("{}: image {} appears twice", where, image)};
    }
  }
  return rows;
}

double numberArgument(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw InputError{fmt::format("'{}' is not a number", text)};
  }
  return value;
}

} // namespace

int main(int argc, char **argv) {
  try {
    std::string reportPath;
    std::string behaviouralPath;
    double minimumAgreement = 0.0;
    const std::vector<std::string_view> words(argv + 1, argv + argc);
    for (std::size_t k = 0; k < words.size(); ++k) {
      if (k + 1 >= words.size()) {
        throw InputError{fmt::format("'{}' needs a value", words[k])};
      }
      if (words[k] == "--report") {
        reportPath = words[++k];
      } else if (words[k] == "--behavioural") {
        behaviouralPath = words[++k];
      } else if (words[k] == "--min-agreement") {
        minimumAgreement = numberArgument(words[++k]);
      } else {
        throw InputError{fmt::format("unknown option '{}'", words[k])};
      }
    }
    if (reportPath.empty() || behaviouralPath.empty()) {
      throw InputError{"usage: compare_predictions --report r.json --behavioural <stem>_behavioural.csv "
                       "[--min-agreement PERCENT]"};
    }
    const std::vector<int> circuit = reportPredictions(reportPath);
    const auto behavioural = behaviouralRows(behaviouralPath);
    long agree = 0;
    long circuitCorrect = 0;
    long behaviouralCorrect = 0;
    long tied = 0;
    std::vector<int> disagreements;
    for (std::size_t image = 0; image < circuit.size(); ++image) {
      const auto row = behavioural.find(static_cast<int>(image));
      if (row == behavioural.end()) {
        throw InputError{fmt::format("{}: no row for image {}", behaviouralPath, image)};
      }
      agree += circuit[image] == row->second.predicted ? 1 : 0;
      circuitCorrect += circuit[image] == row->second.label ? 1 : 0;
      behaviouralCorrect += row->second.predicted == row->second.label ? 1 : 0;
      tied += row->second.tied ? 1 : 0;
      if (circuit[image] != row->second.predicted && disagreements.size() < 20) {
        disagreements.push_back(static_cast<int>(image));
      }
    }
    const double count = static_cast<double>(circuit.size());
    const double agreement = 100.0 * static_cast<double>(agree) / count;
    const double circuitAccuracy = 100.0 * static_cast<double>(circuitCorrect) / count;
    const double behaviouralAccuracy = 100.0 * static_cast<double>(behaviouralCorrect) / count;
    fmt::print(
        "images {}\nagreement {:.2f} % ({} of {})\ncircuit accuracy {:.2f} %\nbehavioural accuracy {:.2f} %\n"
        "accuracy difference (circuit - behavioural) {:+.2f} points\n",
        circuit.size(), agreement, agree, circuit.size(), circuitAccuracy, behaviouralAccuracy,
        circuitAccuracy - behaviouralAccuracy);
    fmt::print("behavioural ties (top two outputs equal within 1e-6) {}\n", tied);
    if (!disagreements.empty()) {
      fmt::print("first disagreeing images:");
      for (const int image : disagreements) {
        fmt::print(" {}", image);
      }
      fmt::print("\n");
    }
    if (agreement < minimumAgreement) {
      fmt::print(stderr, "compare_predictions: agreement {:.2f} % is below the required {:.2f} %\n",
                 agreement, minimumAgreement);
      return 1;
    }
    return 0;
  } catch (const InputError &error) {
    fmt::print(stderr, "compare_predictions: error: {}\n", error.message);
    return 2;
  }
}
