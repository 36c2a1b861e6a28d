"""``python -m gen``: build every registered module into docs/generated/, incrementally.

Outputs (all deterministic bytes):
    docs/generated/figures/<id>.html   figure includes          (FigureSpec)
    docs/generated/data/<id>.json|csv  the data behind a figure (FigureSpec)
    docs/generated/tables/<id>.md      Markdown tables          (TableSpec)
    docs/generated/data/<id>.json      data for site scripts    (DataSpec, e.g. playground-tuned)
    docs/generated/numbers.json        {"<namespace>.<name>": "<formatted>"} for prose

A module is rebuilt only when its checksum changes: the module's source, every source file of
rmsprop_core, the gen framework, and the numpy/plotly versions. Stamps live in .cache/gen/.
Files are rewritten only when their bytes change, so a no-op run touches nothing (and
mkdocs sees nothing new).
"""
from __future__ import annotations

import ast
import csv
import hashlib
import importlib.util
import io
import json
import multiprocessing
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import plotly

from gen import registry
from gen.html import figure_include, table_header
from gen.serialize import dumps, figure_json, plain
from gen.spec import DataSpec, FigureSpec, NumbersSpec, TableSpec

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "generated"
STAMPS = ROOT / ".cache" / "gen"
FRAMEWORK = ("__init__.py", "__main__.py", "build.py", "html.py", "serialize.py", "spec.py")
STAMP_VERSION = 1


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shared_inputs_digest() -> str:
    """Checksum of everything every module depends on (core sources, framework, versions)."""
    h = hashlib.sha256(f"v{STAMP_VERSION} numpy {np.__version__} plotly {plotly.__version__}".encode())
    core = ROOT / "rmsprop_core"
    paths = sorted(core.rglob("*.py")) if core.is_dir() else []
    paths += [ROOT / "gen" / name for name in FRAMEWORK]
    for path in paths:
        if path.exists():
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def gen_dependencies(module_name: str) -> list[Path]:
    """The module's source file and those of the other modules of its top-level package that
    it imports, recursively: a page's shared runs (``from gen.favourable_starts import runs``),
    the essay's settings, the text and plotting helpers. Editing any of them must rebuild it.
    The framework files are already part of :func:`shared_inputs_digest`."""
    root = module_name.split(".", 1)[0]
    seen: dict[str, Path] = {}
    pending = [module_name]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ValueError(f"cannot find the source of gen module {name!r}")
        path = Path(spec.origin)
        seen[name] = path
        for candidate in sorted(imported_names(path)):
            if (candidate.startswith(root + ".") and f"{candidate.split('.', 1)[1]}.py" not in FRAMEWORK
                    and is_module(candidate)):
                pending.append(candidate)
    return [seen[name] for name in sorted(seen)]


def imported_names(path: Path) -> set[str]:
    """The dotted names a source file imports (absolute imports only). ``from pkg import name``
    gives both ``pkg`` and ``pkg.name``: name may be a module of pkg or an attribute of it."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:   # ``gen.settings.TOL``: its parent is a module, not a package
        return False


def write_if_changed(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def plain_json(obj):
    """numpy scalars/arrays -> Python numbers/lists, without rounding (for DataSpec)."""
    if isinstance(obj, dict):
        return {str(k): plain_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain_json(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return plain_json(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def data_csv(data: dict) -> str:
    columns = list(data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in zip(*(plain(data[c]) for c in columns)):
        writer.writerow(row)
    return buffer.getvalue()


@dataclass
class Rendered:
    """A module's output files (path relative to docs/generated -> text) and its numbers."""

    files: dict[str, str]
    numbers: dict[str, str]


def render(module_name: str) -> Rendered:
    """Build one module and render its files in memory (no writing)."""
    module = registry.load(module_name)
    spec = module.build()
    source = f"gen/{module_name.rsplit('.', 1)[-1]}.py"
    files: dict[str, str] = {}
    if isinstance(spec, FigureSpec):
        if getattr(module, "ID", None) != spec.id:
            raise ValueError(f"{module_name}: ID {getattr(module, 'ID', None)!r} != spec.id {spec.id!r}")
        fig = figure_json(spec.figure)
        text = dumps(fig)
        data_files = [f"generated/data/{spec.id}.json"]
        files[f"data/{spec.id}.json"] = dumps(plain(dict(spec.data))) + "\n"
        if spec.is_tabular:
            data_files.append(f"generated/data/{spec.id}.csv")
            files[f"data/{spec.id}.csv"] = data_csv(dict(spec.data))
        files[f"figures/{spec.id}.html"] = figure_include(spec, text, fig, data_files, source)
    elif isinstance(spec, TableSpec):
        files[f"tables/{spec.id}.md"] = table_header(source) + spec.markdown.rstrip("\n") + "\n"
    elif isinstance(spec, DataSpec):
        # Unrounded: a script uses these values (e.g. learning rates), not the eye.
        files[f"data/{spec.id}.json"] = json.dumps(plain_json(spec.data), indent=1, sort_keys=True) + "\n"
    elif not isinstance(spec, NumbersSpec):
        raise ValueError(f"{module_name}.build() returned {type(spec).__name__}, not a gen spec")
    ns = registry.namespace(module_name)
    numbers = {f"{ns}.{name}": value for name, value in spec.numbers.items()}
    return Rendered(files, numbers)


def _load_stamp(module_name: str, checksum: str, out: Path, stamps: Path) -> Rendered | None:
    """The recorded outputs if the stamp matches and every output is still intact."""
    path = stamps / f"{module_name}.json"
    try:
        stamp = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if stamp.get("checksum") != checksum:
        return None
    for rel, digest in stamp["outputs"].items():
        target = out / rel
        if not target.exists() or _sha(target.read_bytes()) != digest:
            return None
    return Rendered({rel: None for rel in stamp["outputs"]}, stamp["numbers"])


def _render_all(names: list[str], jobs: int) -> list[Rendered]:
    """Render ``names`` (in order), in ``jobs`` forked processes when there is more than one.

    Modules are independent, so they can be rendered side by side; their outputs are written
    afterwards, in registry order, by the caller, so the bytes do not depend on ``jobs``. The
    canonical tunings (gen/settings.py) are computed once, before the fork, when any of the
    modules uses them, so the workers share them instead of recomputing them each.
    """
    if jobs <= 1 or len(names) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [render(name) for name in names]
    settings_py = ROOT / "gen" / "settings.py"
    if any(settings_py in gen_dependencies(name) for name in names):
        from gen import settings
        settings.warm(jobs)
    groups = _families(names, shared=shared_helpers())
    # longest first (a module's COST is a rough number of seconds; 1 if it gives none), so
    # that no long module starts last while the other worker idles
    groups.sort(key=lambda g: -sum(getattr(registry.load(n), "COST", 1) for n in g))
    with multiprocessing.get_context("fork").Pool(min(jobs, len(groups))) as pool:
        done = pool.map(_render_group, groups, chunksize=1)
    rendered = {name: result for group in done for name, result in group}
    return [rendered[name] for name in names]


def shared_helpers() -> set[Path]:
    """gen's top-level files. Every page imports some of them (settings, plots, text), so
    grouping by them would put every module in one worker. What they compute is shared
    before the fork (settings' tunings) or not at all (plots and text only format); what a
    page's modules share is their page's own runs (``gen/<page>/runs.py``)."""
    return set((ROOT / "gen").glob("*.py"))


def _render_group(names: list[str]) -> list[tuple[str, Rendered]]:
    return [(name, render(name)) for name in names]


def _families(names: list[str], shared: set[Path]) -> list[list[str]]:
    """Modules that import a common sibling (other than ``shared``, computed before the fork)
    go to one worker, in order, so that what they share (e.g. the ablation's runs, which its
    table reuses) is computed once."""
    deps = {name: set(gen_dependencies(name)) - shared for name in names}
    groups: list[list[str]] = []
    for name in names:
        hit = [g for g in groups if any(deps[name] & deps[other] for other in g)]
        merged = [n for g in hit for n in g] + [name]
        groups = [g for g in groups if g not in hit] + [sorted(merged, key=names.index)]
    return sorted(groups, key=lambda g: names.index(g[0]))


def build(force: bool = False, log=print, modules: tuple[str, ...] | None = None,
          out: Path = OUT, stamps: Path = STAMPS, jobs: int | None = None) -> dict:
    """Build the registered modules into ``out``; returns what was built, reused and removed.

    ``jobs``: processes to render stale modules in (default: the number of CPUs, at most 2).
    """
    started = time.perf_counter()
    jobs = min(2, os.cpu_count() or 1) if jobs is None else jobs
    shared = shared_inputs_digest()
    numbers: dict[str, str] = {}
    expected: set[str] = {"numbers.json"}
    built, fresh = [], []
    names = list(registry.MODULES if modules is None else modules)
    checksums, results = {}, {}
    for module_name in names:
        inputs = gen_dependencies(module_name) + [Path(p) for p in getattr(registry.load(module_name), "INPUTS", ())]
        sources = b"".join(path.name.encode() + path.read_bytes() for path in inputs)
        checksums[module_name] = _sha(shared.encode() + sources)
        results[module_name] = None if force else _load_stamp(module_name, checksums[module_name], out, stamps)
    stale = [name for name in names if results[name] is None]
    for module_name, result in zip(stale, _render_all(stale, jobs)):
        for rel, text in result.files.items():
            write_if_changed(out / rel, text)
        stamp = {
            "checksum": checksums[module_name],
            "outputs": {rel: _sha(text.encode("utf-8")) for rel, text in sorted(result.files.items())},
            "numbers": result.numbers,
        }
        write_if_changed(stamps / f"{module_name}.json", json.dumps(stamp, indent=1, sort_keys=True) + "\n")
        results[module_name] = result
    for module_name in names:
        result = results[module_name]
        (built if module_name in stale else fresh).append(module_name)
        for key, value in result.numbers.items():
            if key in numbers:
                raise ValueError(f"number {key!r} is produced by two modules")
            numbers[key] = value
        expected.update(result.files)
    write_if_changed(out / "numbers.json", json.dumps(numbers, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    # Outputs of modules that were removed or renamed would otherwise linger and be published.
    removed = []
    if out.exists():
        for path in sorted(out.rglob("*")):
            rel = path.relative_to(out).as_posix()
            # previews/ belongs to `python -m gen.previews`, which cleans it itself.
            if path.is_file() and rel not in expected and not rel.startswith("previews/"):
                path.unlink()
                removed.append(rel)
    seconds = time.perf_counter() - started
    log(f"gen: built {len(built)} ({', '.join(built) or '-'}), up to date {len(fresh)}, "
        f"removed {len(removed)} stale file(s), {len(numbers)} numbers, {seconds:.2f} s")
    return {"built": built, "fresh": fresh, "removed": removed, "numbers": numbers}


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m gen", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild every module, ignore stamps")
    parser.add_argument("--jobs", type=int, default=None,
                        help="processes to render in (default: CPUs, at most 2); the output is the same")
    args = parser.parse_args(argv)
    try:
        build(force=args.force, jobs=args.jobs)
    except ValueError as error:
        print(f"gen: error: {error}", file=sys.stderr)
        return 1
    return 0
