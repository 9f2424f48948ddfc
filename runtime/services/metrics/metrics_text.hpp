// metrics_text: the pieces of the Prometheus text exposition format 0.0.4 that
// metrics_registry writes (value formatting, escaping, sample lines) and the
// naming rules it enforces. Used by runtime/services/metrics/metrics.cpp; public for its
// tests.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace troupe {

// Appends `value` as Prometheus expects it: "+Inf", "-Inf", "NaN", integers
// without a fraction ("3"), others in the shortest form that round-trips.
void append_metric_value(std::string& out, double value);

// Appends a label value with \ " and newline escaped (\\ \" \n).
void append_label_value(std::string& out, std::string_view value);

// Appends a HELP text with \ and newline escaped (\\ \n).
void append_help_text(std::string& out, std::string_view help);

// Appends one sample line: name{l1="v1",...,extra_name="extra_value"} value\n.
// Braces are omitted when there is no label at all; `extra_name` (e.g. "le")
// is skipped when empty. label_names and label_values have the same size.
void append_sample(std::string& out, std::string_view name,
                   const std::vector<std::string>& label_names,
                   const std::vector<std::string>& label_values,
                   std::string_view extra_name, std::string_view extra_value,
                   double value);

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]* not starting with "__" (reserved by Prometheus).
bool is_valid_label_name(std::string_view name);

}  // namespace troupe
