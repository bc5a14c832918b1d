"""The known variants: wrong-but-plausible forms seen in public consistency-model code.

Each entry: what the variant computes, and where the papers say otherwise. The diagnosis names a
variant when the user's output equals it on every case where the correct value differs.
"""

KNOWN = {
    "elementwise_pseudo_huber": (
        "pseudo-Huber applied element by element, mean(√((xᵢ − yᵢ)² + c²) − c), instead of to the "
        "per-sample norm: a different, much more L2-like loss",
        "iCT §3.3: d(x, y) = √(‖x − y‖₂² + c²) − c, one number per sample from the Euclidean norm "
        "of the whole difference"),
    "wrong_pseudo_huber_c": (
        "pseudo-Huber with a c other than 0.00054·√D (D = dimensions of one sample)",
        "iCT §3.3: c = 0.00054·√d, which gives c ≈ 0.03 only for 3×32×32 CIFAR-10 images"),
    "swapped_ema": (
        "the EMA arguments swapped: θ⁻ ← μ·θ + (1 − μ)·θ⁻, so the target jumps to the online "
        "network instead of trailing it",
        "CM Eq. 8 / Alg. 3: θ⁻ ← stopgrad(μ·θ⁻ + (1 − μ)·θ)"),
    "next_sigmas_typo": (
        "the target network called at t_{n+1} (teacher_model(current_noisy_data, next_sigmas) in "
        "the seed pseudocode): boundary scalings at t_n, the network's c_in and c_noise at t_{n+1}",
        "CM Algs. 2 and 3: the target is f_θ⁻(x̂_{t_n}, t_n), everything at t_n"),
    "c_out_no_sigma_min_shift": (
        "c_out = σ_data·t/√(σ_data² + t²), EDM's denoiser scaling, without the σ_min shift: "
        "c_out(ε) ≠ 0, so f(x, ε) = x no longer holds by construction",
        "CM App. C: c_out(t) = σ_data·(t − ε)/√(σ_data² + t²), so that c_out(ε) = 0"),
    "c_skip_no_sigma_min_shift": (
        "c_skip = σ_data²/(t² + σ_data²) without the σ_min shift: c_skip(ε) ≠ 1",
        "CM App. C: c_skip(t) = σ_data²/((t − ε)² + σ_data²), so that c_skip(ε) = 1"),
    "unshifted_scalings": (
        "f built with EDM's unshifted c_skip and c_out: f(x, ε) ≠ x",
        "CM Eq. 5 and App. C: c_skip and c_out shifted by ε, so the boundary condition holds "
        "for any F_θ"),
    "descending_grid": (
        "the grid runs from T down to ε (k-diffusion's and the official code's order) where an "
        "ascending grid t₁ = ε < … < t_N = T is expected; pairs (t_n, t_{n+1}) indexed on it have "
        "the noisier level first. If your indices count down too, declare "
        "options={'karras_order': 'descending'}",
        "EDM Eq. 5 and CM §3 number the grid ascending: t_i for i = 1 … N from ε to T"),
    "ascending_grid": (
        "the grid is ascending although options declare karras_order='descending'",
        "EDM Eq. 5 is ascending; say karras_order='ascending' (the default) if that is what you use"),
    "mu_n_minus_1": (
        "μ(k) = exp(s₀·ln μ₀/(N(k) − 1)), the official code's form, where the paper's form was "
        "declared (μ(0) = 0.81 instead of μ₀ = 0.9). If you mean the official form, declare "
        "options={'mu_form': 'official'}",
        "CM App. C: μ(k) = exp(s₀·ln μ₀/N(k)), so μ(0) = μ₀"),
    "mu_n_not_n_minus_1": (
        "μ(k) = exp(s₀·ln μ₀/N(k)), the paper's form, although options declare mu_form='official'",
        "the official code divides by N(k) − 1; CM App. C by N(k)"),
    "ct_curriculum_s1_squared": (
        "N(k) with s₁² where (s₁ + 1)² belongs (a bug of an older public implementation): the "
        "schedule ends one grid point short, N(K) = s₁ instead of s₁ + 1",
        "CM App. C: N(k) = ⌈√(k/K·((s₁ + 1)² − s₀²) + s₀²) − 1⌉ + 1, so N(K) = s₁ + 1"),
    "l2_sum_over_dimensions": (
        "squared L2 summed over the D dimensions instead of averaged: D times the library's value "
        "(the same minimiser; it rescales the loss, hence the effective learning rate)",
        "CM Eq. 6 writes ‖x − y‖²; REFERENCE.md and the library average over dimensions"),
    "l1_sum_over_dimensions": (
        "L1 summed over the D dimensions instead of averaged: D times the library's value",
        "REFERENCE.md: L1 per sample, averaged over its dimensions"),
    "ict_lambda_missing": (
        "λ ≡ 1 where iCT's weighting λ(t_n) = 1/(t_{n+1} − t_n) was declared",
        "iCT §3.1: λ(t_n) = 1/(t_{n+1} − t_n)"),
    "ict_lambda_applied": (
        "iCT's λ = 1/(t_{n+1} − t_n) applied where λ ≡ 1 was declared (options loss_weighting)",
        "CM uses λ ≡ 1; iCT §3.1 uses 1/(t_{n+1} − t_n)"),
    "lognormal_p_mean_sign": (
        "the lognormal pair distribution with P_mean of the opposite sign (one public README "
        "prints P_mean = 1.1): most pairs drawn at large noise levels",
        "iCT §3.5: P_mean = −1.1, P_std = 2.0"),
    "heun_without_correction": (
        "the Heun step returns the Euler predictor x₁ without the trapezoidal correction",
        "EDM Alg. 1 / CM Alg. 2: x̂ = x + (t_n − t_{n+1})·(d + d′)/2 with d′ at (x₁, t_n)"),
    "noisy_pair_swapped": (
        "the pair returned in the order (x_{t_{n+1}}, x_{t_n})",
        "the kit's noisy_pair step returns (x + t_n·z, x + t_{n+1}·z), CM Alg. 3"),
}
