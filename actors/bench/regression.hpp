// regression: is a benchmark slower (or faster) than it used to be, and at
// which run did that start? Pure statistics over the runs of one benchmark on
// one platform, oldest first; the caller maps run indexes back to run ids and
// commit ranges.
//
// Two levels of noise are in any benchmark history: within a run (samples
// spread around the run's location) and between runs (machine state, layout,
// frequency: runs of the same commit differ by more than the within-run
// spread explains). A test that pools the raw samples of the baseline runs
// sees only the first and calls every between-run wobble a regression. So a
// window of candidate runs is compared with the baseline runs before it in
// two ways when the runs have samples, both required for significance, and
// by a test of the run values alone when they do not:
//
//   run level    Each run is reduced to its location: the Hodges-Lehmann
//                estimate of its samples (as efficient as the mean, robust
//                to the odd slow sample), or its value when it has fewer
//                than 2 samples. The candidate median of those is compared
//                with the baseline median (the last K runs) in units of the
//                between-run spread s: the Qn scale of the baseline runs'
//                locations, floored by the spread that the within-run
//                samples alone imply. The score |x - c| / (s * sqrt(v(m) +
//                v(K))) (v(n): variance factor of a median of n) is made
//                normal-equivalent (a spread estimated from a few runs makes
//                it a t statistic) and must reach `fence`. This is
//                rustc-perf's insight: judge a change against the history's
//                own noise.
//   sample level When both sides have at least `min_samples` raw samples, a
//                two-sided Mann-Whitney U test of the candidate samples
//                against the pooled samples of the last K baseline runs must
//                give p < alpha. Where the runs differ from each other by
//                more than their samples do (between-run spread above the
//                within-run one), a run's samples are one piece of evidence,
//                not ten: the bare-value t-test below must then pass too.
//                (Without it, 3.3% of noise-only histories with run offsets
//                of 1-2% and 10 samples per run were flagged; with it 0.3%.)
//   bare values  Without samples (a suite that reports one value per run;
//                a run with one sample is one value too),
//                the run values themselves are all the evidence: a pooled
//                two-sample t-test of the candidate runs' values against
//                the whole baseline's (up to noise_runs), each side clamped
//                to its median +- 3 s so that one bad run neither makes nor
//                hides a step, must give p < alpha_values. (Apache Otava /
//                Hunter test a split the same way; a median test throws
//                away a third of the information that a run's single value
//                carries.)
//
// And in any case |relative change| >= max(min_change, noise_factor x the
// series' relative spread s / |baseline|): a step must stand out of this
// benchmark's own noise, and smaller changes are not worth a culprit search
// however significant they are.
//
// Step detection scans a series: a step starts at run i when the window of
// `confirm_runs` runs from i differs significantly from the runs before it,
// and i is where the level changes: among the window's runs, splitting the
// runs from the baseline's start (up to noise_runs back) to the window's end
// at i gives the least total absolute deviation around the two levels. A window
// that straddles a step also differs from its baseline, but the split test
// names the later run, and the scan judges that one with its own full
// window. So a single outlier run (or two) is never a step, and the step's
// first run is the one named: its commit range is where the culprit search
// starts. After a step the baseline restarts at it.

#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace troupe::bench {

// One run of one benchmark on one platform, as the detector sees it.
struct run_point {
  double value = 0;             // the run's summary value (its median); used
                                // when it has fewer than 2 samples
  std::vector<double> samples;  // raw samples of the run; may be empty
};

enum class verdict { noise, regression, improvement };
// "noise", "regression", "improvement".
std::string_view verdict_name(verdict v);

enum class test_method { mann_whitney, t_test };
// "mann_whitney", "t_test".
std::string_view test_method_name(test_method m);

// Defaults tuned with perf/regression_eval (see its header for the noise
// model): at 10 samples per run they find >= 0.95 of 5% steps at the exact
// run with < 1% of noise-only histories flagged (0.76 where runs differ by
// more than their samples, with 0.3% flagged); with one value per run at
// CV 0.5-2%, 0.84 of them (as many as the best split names when told that a
// step exists) with 0.25% flagged.
struct detector_options {
  std::size_t baseline_runs = 10;     // K: the baseline center is the median of
                                      // the K runs before the candidate
  std::size_t noise_runs = 30;        // runs before the candidate that find_steps
                                      // gives compare() to estimate the spread
  std::size_t min_baseline_runs = 5;  // fewer baseline runs: no verdict (noise)
  std::size_t confirm_runs = 6;       // m: runs whose median must have moved
  double min_change = 0.025;          // |relative change| below this is noise
  double noise_factor = 1.5;          // nor below this many times the spread
  double alpha = 0.001;               // Mann-Whitney significance level
  // Minimum run-level score (normal-equivalent), with Mann-Whitney on runs
  // that have samples.
  double fence = 2.5;
  // Runs without samples: the t-test's significance level.
  double alpha_values = 1e-4;
  std::size_t min_samples = 5;    // per side, for Mann-Whitney
  bool higher_is_better = false;  // throughput units: a drop is a regression
  // A series whose noise (series_noise) is above this is flagged noisy (the
  // dashboard, the history document); its steps must still clear
  // noise_factor times its spread.
  double max_noise = 0.15;
};

// The run-to-run noise of a series: the standard deviation of its last
// `runs` run values relative to their median, estimated robustly from the
// differences of neighbouring runs (1.4826 x their median magnitude / sqrt 2),
// so that neither a step nor a bad run counts as noise. 0 with fewer than 3
// runs or a median of 0.
double series_noise(const std::vector<double>& values, std::size_t runs);

// The comparison of candidate runs with baseline runs.
struct comparison {
  verdict kind = verdict::noise;
  test_method method = test_method::t_test;
  double baseline = 0;         // median of the last K baseline runs' locations
  double candidate = 0;        // median of the candidate runs' locations
  double relative_change = 0;  // (candidate - baseline) / |baseline|; 0 if baseline is 0
  double p_value = 1;          // of the test named by `method`
  double score = 0;            // run-level score (see above); infinite if the spread is 0
  double noise = 0;            // between-run spread s relative to |baseline|
};

// Compares `candidate` (one run, or a window of consecutive runs) with
// `baseline` (the runs before it, oldest first): the baseline center and the
// Mann-Whitney samples come from its last options.baseline_runs runs, the
// between-run spread from all of it. Noise, with p_value 1, when either side
// is empty or the baseline has fewer than options.min_baseline_runs runs.
comparison compare(const std::vector<run_point>& candidate,
                   const std::vector<run_point>& baseline,
                   const detector_options& options);

// A level change in a series.
struct step {
  std::size_t index = 0;  // the first run at the new level
  comparison evidence;  // runs [index, index + confirm_runs) against the baseline before
  // False for a suspected step in the last runs of the series, seen in
  // fewer than confirm_runs runs: it may still turn out to be an outlier.
  bool confirmed = true;
};

// The steps of `series` (oldest run first), in order. Deterministic and
// stateless: calling it again on a longer series finds the same confirmed
// steps as long as the earlier runs are unchanged.
std::vector<step> find_steps(const std::vector<run_point>& series,
                             const detector_options& options);

}  // namespace troupe::bench
