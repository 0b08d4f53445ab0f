"""Measuring instruments the tests and benchmarks use on what the app makes (MP4 structure,
decoded frames, picture similarity); the app itself never needs them."""
