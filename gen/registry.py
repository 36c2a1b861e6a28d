"""The list of gen modules that ``python -m gen`` builds, in this order.

One module per line so that branches adding figures merge cleanly. A module is named by
its kind: ``fig_<name>`` (figure), ``tab_<name>`` (table), ``num_<name>`` (numbers only),
``data_<name>`` (a JSON file for a site script);
``<name>`` is the namespace of its numbers in prose (``{{ <name>.<number> }}``).
"""
from __future__ import annotations

import importlib
from types import ModuleType

MODULES: tuple[str, ...] = (
    "gen.home.fig_hero",
    "gen.update_rules.tab_conventions",
    "gen.update_rules.fig_first_steps",
    "gen.update_rules.num_rules",
    "gen.scaling_vs_momentum.fig_scaling_paths",
    "gen.scaling_vs_momentum.fig_scaling_state",
    "gen.scaling_vs_momentum.fig_scaling_arrows",
    "gen.scaling_vs_momentum.tab_scaling",
    "gen.magnitude_effect.fig_lr_sweep",
    "gen.magnitude_effect.fig_ablation",
    "gen.magnitude_effect.tab_ablation",
    "gen.magnitude_effect.fig_step_length",
    "gen.magnitude_effect.fig_simulator",
    "gen.magnitude_effect.fig_simulator_aspect",
    "gen.playground.data_playground_tuned",
    "gen.playground.data_playground_defaults",
    "gen.playground.num_playground",
    "gen.favourable_starts.fig_starts",
    "gen.favourable_starts.fig_offset",
    "gen.favourable_starts.fig_sweep",
    "gen.favourable_starts.fig_rotated",
    "gen.favourable_starts.tab_q3",
    "gen.when_rmsprop_helps.fig_map_kappa_tol",
    "gen.when_rmsprop_helps.fig_alignment",
    "gen.when_rmsprop_helps.fig_schedules",
    "gen.when_rmsprop_helps.tab_dimension",
    "gen.noisy_gradients.fig_noise_paths",
    "gen.noisy_gradients.fig_noise_floor",
    "gen.noisy_gradients.fig_noise_snr",
    "gen.noisy_gradients.tab_noise_rate",
    "gen.noisy_gradients.tab_noise",
    "gen.course_network.tab_network_assignment",
    "gen.course_network.data_course_assignment",
    "gen.course_network.fig_network_costs",
    "gen.course_network.fig_network_boundaries",
    "gen.course_network.tab_network_tuned",
    "gen.course_network.tab_network_ablation",
    "gen.course_network.fig_network_steps",
    "gen.course_network.fig_network_steady",
)

KIND_PREFIXES = ("fig_", "tab_", "num_", "data_")


def namespace(module_name: str) -> str:
    """The prose namespace of a module: ``gen.home.fig_hero`` -> ``hero``."""
    short = module_name.rsplit(".", 1)[-1]
    for prefix in KIND_PREFIXES:
        if short.startswith(prefix):
            return short[len(prefix):]
    raise ValueError(f"gen module {module_name!r} must be named fig_*, tab_* or num_*")


def load(module_name: str) -> ModuleType:
    """Import a registered module and check it has a ``build()``."""
    module = importlib.import_module(module_name)
    if not callable(getattr(module, "build", None)):
        raise ValueError(f"{module_name} has no build() function")
    return module


def figure_modules() -> tuple[str, ...]:
    return tuple(m for m in MODULES if m.rsplit(".", 1)[-1].startswith("fig_"))
