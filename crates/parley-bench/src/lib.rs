//! Criterion benchmarks for the engine's hot paths; the code lives in `benches/`.
