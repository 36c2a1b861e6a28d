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
    "gen.fig_hero",
    "gen.tab_conventions",
    "gen.fig_first_steps",
    "gen.num_rules",
    "gen.fig_scaling_paths",
    "gen.fig_scaling_state",
    "gen.fig_scaling_arrows",
    "gen.tab_scaling",
    "gen.fig_lr_sweep",
    "gen.fig_ablation",
    "gen.tab_ablation",
    "gen.fig_step_length",
    "gen.fig_simulator",
    "gen.fig_simulator_aspect",
    "gen.data_playground_tuned",
    "gen.data_playground_defaults",
    "gen.num_playground",
    "gen.fig_starts",
    "gen.fig_offset",
    "gen.fig_sweep",
    "gen.fig_rotated",
    "gen.tab_q3",
    "gen.fig_map_kappa_tol",
    "gen.fig_alignment",
    "gen.fig_schedules",
    "gen.tab_dimension",
    "gen.fig_noise_paths",
    "gen.fig_noise_floor",
    "gen.fig_noise_snr",
    "gen.tab_noise_rate",
    "gen.tab_noise",
    "gen.tab_network_assignment",
    "gen.data_course_assignment",
    "gen.fig_network_costs",
    "gen.fig_network_boundaries",
    "gen.tab_network_tuned",
    "gen.tab_network_ablation",
    "gen.fig_network_steps",
    "gen.fig_network_steady",
)

KIND_PREFIXES = ("fig_", "tab_", "num_", "data_")


def namespace(module_name: str) -> str:
    """The prose namespace of a module: ``gen.fig_hero`` -> ``hero``."""
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
