// Maps a continuous signed weight w (a conductance difference G+ - G-) to
// the pair of notch states (a, b) whose difference levels[a] - levels[b] is
// nearest to w. Among equally near pairs it prefers one device at state 0
// (the spec's rule: the lowest common conductance, i.e. the least
// common-mode current through the pair), then the lower state sum.
#pragma once

#include <cstdint>
#include <vector>

namespace dwspice::train {

struct StatePair {
  std::uint8_t plus = 0, minus = 0;
};

class PairQuantizer {
public:
  explicit PairQuantizer(std::vector<double> levels); // strictly rising, >= 2

  [[nodiscard]] StatePair nearest(double weight) const;
  [[nodiscard]] double difference(StatePair pair) const { return levels_[pair.plus] - levels_[pair.minus]; }
  [[nodiscard]] const std::vector<double> &levels() const { return levels_; }
  [[nodiscard]] double span() const { return levels_.back() - levels_.front(); }

private:
  std::vector<double> levels_;
  // Every reachable difference once (sorted), with the preferred pair for it.
  std::vector<double> differences_;
  std::vector<StatePair> pairs_;
  // Buckets over [differences_.front(), differences_.back()]: bucketFirst_[k]
  // = first difference >= the bucket's lower edge, so a lookup starts next
  // to its answer (fine-tuning quantises every weight at every step).
  std::vector<std::size_t> bucketFirst_;
  double bucketWidth_ = 1;
  [[nodiscard]] std::size_t firstNotBelow(double weight) const; // std::lower_bound, faster
};

} // namespace dwspice::train
