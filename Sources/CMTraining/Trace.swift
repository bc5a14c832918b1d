// The trace hook: how a training step reports each intermediate value to whoever is watching.

/// An observer of a step's intermediate values, called once per named value in the order the
/// step computes them (STYLE.md rule 6). Tutorials print and pause; tests and training pass nil.
///
/// The name is the paper's symbol or the seed pseudocode's variable (`"N(k)"`, `"t_n"`,
/// `"x_t_n_plus_1"`, `"loss"`); the value is flattened row-major. With no observer the step
/// builds no trace values at all, so tracing off costs nothing measurable.
public typealias TraceHook = (_ name: String, _ value: [Double]) -> Void
