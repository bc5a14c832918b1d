// The frozen, pre-trained model that Consistency Distillation distils: CM Algorithm 2's φ.

import CMCore
import CMData

/// The teacher of Consistency Distillation: a denoiser D_φ(x, t) whose probability-flow ODE the
/// CD step follows for one solver step (CM Algorithm 2, `x̂^φ_{t_n}`).
///
/// This is **not** the seed pseudocode's `teacher_model`: that one is the target network θ⁻, an
/// EMA of the online network, and exists in CT as well. A distillation teacher is trained before
/// consistency training starts, and it is never updated.
public enum Teacher: Codable, Sendable, Equatable {
  /// The exact denoiser E[x₀ | x_t = x] of a Gaussian-mixture dataset: the ideal teacher, whose
  /// only error in CD is the ODE solver's.
  case oracle(GaussianMixture)
  /// A diffusion model D_φ pre-trained with EDM's loss (`cm pretrain`): the teacher CM distils,
  /// whose own errors CD inherits.
  case edm(EDMTeacher)

  /// D_φ for every row b of the row-major batch x (B × D) at noise level t[b].
  ///
  /// ```
  /// oracle:  D(x, t) = E[x₀ | x_t = x] = Σ_j r_j(x, t)·(m_j + s_j²/(s_j² + t²)·(x − m_j))
  /// edm:     D_φ(x, t) = c_skip(t)·x + c_out(t)·F_φ(c_in(t)·x, c_noise(t))   (EDM Table 1)
  /// ```
  ///
  /// Worked number: the oracle of the `gaussian` dataset (m = 0, s = 0.5) at t = 0.5 halves x:
  /// D((1, −2), 0.5) = (0.5, −1).
  public func denoise(batch x: [Double], t: [Double]) -> [Double] {
    switch self {
    case .oracle(let mixture): return mixture.denoise(batch: x, t: t)
    case .edm(let teacher): return teacher.denoise(batch: x, t: t)
    }
  }

  /// `denoise(batch:t:)` into `denoised` (resized to B × D), allocating nothing once it has its
  /// size: what the CD step's buffers call.
  public func denoise(batch x: [Double], t: [Double], into denoised: inout [Double]) {
    switch self {
    case .oracle(let mixture): mixture.denoise(batch: x, t: t, into: &denoised)
    case .edm(let teacher): teacher.denoise(batch: x, t: t, into: &denoised)
    }
  }

  /// The teacher's network weights, to initialise the student from (CM §6 initialises the
  /// consistency model from the pre-trained diffusion model): nil for the oracle, which has none,
  /// or when the hidden widths differ.
  public func initialWeights(hiddenWidths: [Int]) -> [Float]? {
    switch self {
    case .oracle: return nil
    case .edm(let teacher): return self.hiddenWidths == hiddenWidths ? teacher.parameters : nil
    }
  }

  /// The hidden widths of the teacher's network (nil for the oracle, which has none).
  public var hiddenWidths: [Int]? {
    switch self {
    case .oracle: return nil
    case .edm(let teacher): return Array(teacher.model.network.layout.widths.dropFirst().dropLast())
    }
  }

  /// A short name for logs and summaries: "oracle" or "edm".
  public var name: String {
    switch self {
    case .oracle: return "oracle"
    case .edm: return "edm"
    }
  }
}
