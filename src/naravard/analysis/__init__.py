"""Analysis of indicator values: confidence intervals, comparisons, targets, variation, trends."""
