#include "quantizer.hpp"

#include "core/diagnostics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dwspice::train {

PairQuantizer::PairQuantizer(std::vector<double> levels) : levels_(std::move(levels)) {
  if (levels_.size() < 2 || levels_.size() > 256) {
    throw UserError("a synapse needs 2..256 conductance levels");
  }
  struct Candidate {
    double difference;
    StatePair pair;
    bool hasZeroState;
    int stateSum;
  };
  std::vector<Candidate> candidates;
  const int count = static_cast<int>(levels_.size());
  for (int a = 0; a < count; ++a) {
    for (int b = 0; b < count; ++b) {
      candidates.push_back({levels_[static_cast<std::size_t>(a)] - levels_[static_cast<std::size_t>(b)],
                            {static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b)},
                            a == 0 || b == 0,
                            a + b});
    }
  }
  // Pairs whose differences agree to rounding are the same weight; keep the
  // preferred one.
  const double sameWeight = 1e-12 * span();
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate &x, const Candidate &y) { return x.difference < y.difference; });
  for (std::size_t i = 0; i < candidates.size();) {
    std::size_t end = i;
    std::size_t best = i;
    while (end < candidates.size() && candidates[end].difference - candidates[i].difference <= sameWeight) {
      const Candidate &c = candidates[end];
      const Candidate &b = candidates[best];
      if ((c.hasZeroState && !b.hasZeroState) ||
          (c.hasZeroState == b.hasZeroState && c.stateSum < b.stateSum)) {
        best = end;
      }
      ++end;
    }
    differences_.push_back(candidates[best].difference);
    pairs_.push_back(candidates[best].pair);
    i = end;
  }
  constexpr std::size_t bucketsPerDifference = 8;
  const std::size_t buckets = bucketsPerDifference * differences_.size();
  bucketWidth_ = (differences_.back() - differences_.front()) / static_cast<double>(buckets);
  if (!(bucketWidth_ > 0)) { // a single difference (cannot happen with rising levels)
    bucketWidth_ = 1;
  }
  bucketFirst_.resize(buckets + 1);
  for (std::size_t k = 0; k <= buckets; ++k) {
    const double edge = differences_.front() + bucketWidth_ * static_cast<double>(k);
    bucketFirst_[k] = static_cast<std::size_t>(
        std::lower_bound(differences_.begin(), differences_.end(), edge) - differences_.begin());
  }
}

std::size_t PairQuantizer::firstNotBelow(double weight) const {
  if (!(weight > differences_.front())) { // also NaN
    return 0;
  }
  const double position = std::floor((weight - differences_.front()) / bucketWidth_);
  std::size_t k = static_cast<std::size_t>(std::min(position, static_cast<double>(bucketFirst_.size() - 1)));
  // Rounding of the bucket edge: step back until the edge really is <= weight.
  while (k > 0 && differences_.front() + bucketWidth_ * static_cast<double>(k) > weight) {
    --k;
  }
  std::size_t index = bucketFirst_[k];
  while (index < differences_.size() && differences_[index] < weight) {
    ++index;
  }
  return index;
}

StatePair PairQuantizer::nearest(double weight) const {
  const std::size_t above = firstNotBelow(weight);
  if (above == 0) {
    return pairs_.front();
  }
  if (above == differences_.size()) {
    return pairs_.back();
  }
  const std::size_t below = above - 1;
  // Exactly halfway: the smaller magnitude (towards zero current).
  const double distanceAbove = differences_[above] - weight;
  const double distanceBelow = weight - differences_[below];
  if (distanceBelow < distanceAbove) {
    return pairs_[below];
  }
  if (distanceAbove < distanceBelow) {
    return pairs_[above];
  }
  return std::abs(differences_[below]) <= std::abs(differences_[above]) ? pairs_[below] : pairs_[above];
}

} // namespace dwspice::train
