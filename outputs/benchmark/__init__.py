"""Support for the benchmark commands: a small HTTP client and the bare view the pages are measured against."""
