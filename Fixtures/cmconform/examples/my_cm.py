"""A user's own PyTorch consistency-training code, as it might look, with two of the known mistakes
in it (marked). The kit's README checks it with check_my_cm.py; my_cm_fixed.py is the corrected copy."""

import math

import torch


def karras_schedule(num_timesteps, sigma_min=0.002, sigma_max=80.0, rho=7.0):
    rho_inv = 1.0 / rho
    steps = torch.arange(num_timesteps, dtype=torch.float64) / max(num_timesteps - 1, 1)
    sigmas = sigma_min ** rho_inv + steps * (sigma_max ** rho_inv - sigma_min ** rho_inv)
    return sigmas ** rho


def skip_scaling(sigma, sigma_data=0.5, sigma_min=0.002):
    return sigma_data ** 2 / ((sigma - sigma_min) ** 2 + sigma_data ** 2)


def output_scaling(sigma, sigma_data=0.5, sigma_min=0.002):
    return (sigma_data * sigma) / (sigma_data ** 2 + sigma ** 2) ** 0.5  # mistake: no σ_min shift


def pseudo_huber_loss(input, target):
    c = 0.00054 * math.sqrt(input[0].numel())
    return (torch.sqrt((input - target) ** 2 + c ** 2) - c).mean()  # mistake: element by element


def ema_update(ema_params, params, decay):
    return decay * ema_params + (1 - decay) * params


def target_input(data, noise, current_sigmas, next_sigmas):
    return data + current_sigmas * noise  # current_noisy_data
