// compare: is commit B faster or slower than commit A, measured side by side
// on one platform? Pure statistics over the rounds of an A/B comparison.
//
// A comparison measures both commits in rounds, interleaved in ABBA order
// (A B, B A, A B, ...): each round holds one measurement of each commit
// taken back to back, so drift of the machine (frequency, temperature, other
// tenants) hits both alike and cancels within the round. The rounds are
// pairs, and the analysis is paired: for round i, d_i = ln(head_i / base_i)
// (each value the median of that measurement's samples, or its one value).
// The change is exp(mean d) - 1; its confidence interval comes from Student's
// t distribution with n - 1 degrees of freedom on the d_i, mapped through
// exp; significant when the interval excludes 0 and |change| >= min_change.
// A paired test on log ratios is scale-free (a ratio is what people ask
// for) and needs no assumption about how noisy each commit is.
#pragma once

#include <cstddef>
#include <vector>

#include "actors/bench/regression.hpp"

namespace troupe::bench {

struct compare_options {
  double confidence = 0.99;       // of the interval (two-sided)
  double min_change = 0.01;       // smaller changes are never significant
  bool higher_is_better = false;  // throughput units: a drop is a regression
};

struct paired_comparison {
  std::size_t rounds = 0;     // pairs used (both values positive)
  double base = 0, head = 0;  // medians of the rounds' values
  double change = 0;          // (head / base) - 1, from the mean log ratio
  double low = 0, high = 0;   // confidence interval of change
  bool significant = false;
  verdict kind = verdict::noise;  // regression | improvement when significant
  double noise = 0;               // CV of the base values (the platform's noise)
};

// Compares `head` with `base`, paired by index (round). Rounds where either
// value is not positive are left out. Fewer than 2 rounds: not significant,
// with an interval of (-inf, inf).
paired_comparison compare_rounds(const std::vector<double>& base,
                                 const std::vector<double>& head,
                                 const compare_options& options);

}  // namespace troupe::bench
