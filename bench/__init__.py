"""`make bench`: the speed benchmarks of issue 7 (scripts printing tables and writing JSON, not timed tests)."""
