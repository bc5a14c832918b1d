import torch
import my_cm_fixed as my_cm

T = lambda a: torch.as_tensor(a, dtype=torch.float64)
adapter = {
    "karras": my_cm.karras_schedule,
    "c_skip": lambda t, sigma_data, sigma_min: my_cm.skip_scaling(T(t), sigma_data, sigma_min),
    "c_out": lambda t, sigma_data, sigma_min: my_cm.output_scaling(T(t), sigma_data, sigma_min),
    "pseudo_huber": lambda x, y: my_cm.pseudo_huber_loss(T(x)[None], T(y)[None]),
    "target_ema": lambda theta_minus, theta, mu: my_cm.ema_update(T(theta_minus), T(theta), mu),
    "target_input": lambda x, z, t_n, t_n_plus_1: my_cm.target_input(T(x), T(z), t_n, t_n_plus_1),
}
