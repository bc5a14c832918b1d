// The trace hook: how a step reports each intermediate value to whoever is watching.

/// An observer of a step's intermediate values, called once per named value in the order the
/// step computes them (STYLE.md rule 6). Tutorials print and pause; tests and training pass nil.
///
/// `Name` is the enum of the values one kind of step reports (`ConsistencyStepValue` for the CT
/// and CD steps, `EDMStepValue` for the teacher's pre-training step, `SamplerValue` and
/// `EDMSamplerValue` for the samplers), so an observer can `switch` over them exhaustively; the
/// value is flattened row-major. Every call site is `trace?(name, value)`: with no observer the
/// value expression is never evaluated, so tracing off builds nothing and costs nothing
/// measurable, and a traced step computes bit for bit what an untraced one does
/// (`TraceTests` checks both states).
public typealias TraceHook<Name> = (_ name: Name, _ value: [Double]) -> Void
