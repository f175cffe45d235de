"""The package's shape: no import cycles, no module importing the package root for a value,
settings read in one place, and a CLI whose help does not load the libraries the work needs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from newsweave import settings

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "newsweave"
DOCS = Path(__file__).resolve().parents[1] / "docs"


def _parse(path: Path | str) -> ast.Module:
    """``ast.parse`` that survives CPython 3.11's spurious ``SystemError: AST constructor recursion
    depth mismatch`` (python/cpython#106905), raised when another thread (a Ray client's, left
    by an earlier test) moves the interpreter's recursion counters during the parse."""
    source = path.read_text(encoding="utf-8") if isinstance(path, Path) else path
    for attempt in range(4):
        try:
            return ast.parse(source)
        except SystemError as err:
            if "recursion depth mismatch" not in str(err) or attempt == 3:
                raise
    raise AssertionError("unreachable")


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules ``name`` imports, at the top or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(_parse(path)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert "newsweave.sources.read" in graph["newsweave.ingest.readers"]  # the graph sees calls
    cycle = _cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


#: The package's layers, lowest first: a module imports from its own layer and the layers
#: below it, never from a layer above (README, "How it works"). A module of a package not named
#: here is in its package's layer.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (layer, tuple(names.split()))
    for layer, names in (
        ("base", "errors version settings model _disjoint _native _stopwords syntax reuse"),
        ("models", "_onnx_bert _nameindex embed models"),
        (
            "inputs",
            "ingest sources.canonical sources.feeds sources.fetch sources.pages sources.paywall "
            "sources.read sources.warc",
        ),
        ("document stage", "document"),
        ("story stage", "stories story"),
        ("store", "store"),
        ("read side", "report"),
        ("runs", "parallel pipeline batch sources sources.collect sources.watch"),
        ("interfaces", "web cli __main__"),
    )
)


def _layer(module: str) -> int:
    name = module.removeprefix("newsweave").removeprefix(".")
    if not name:
        return len(LAYERS) - 1  # the package root: newsweave.analyze and the other entry points
    while name:
        for rank, (_, names) in enumerate(LAYERS):
            if name in names:
                return rank
        name = name.rpartition(".")[0]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def _climbs(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} ({LAYERS[_layer(a)][0]}) -> {b} ({LAYERS[_layer(b)][0]})"
        for a, targets in graph.items()
        for b in targets
        if _layer(b) > _layer(a)
    )


def test_no_import_climbs_a_layer() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert _climbs(graph) == []


def test_the_layer_check_finds_a_climb() -> None:
    graph = {"newsweave.model": {"newsweave.store.sql"}, "newsweave.cli": {"newsweave.model"}}
    assert _climbs(graph) == ["newsweave.model (base) -> newsweave.store.sql (store)"]
    assert _layer("newsweave.ingest.readers") == _layer("newsweave.sources.read")
    assert _layer("newsweave") == len(LAYERS) - 1
    with pytest.raises(AssertionError, match="in no layer"):
        _layer("newsweave.newcomer")


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_a_value_from_the_package_root() -> None:
    modules = _modules()
    bad = []
    for name, path in modules.items():
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.ImportFrom) and node.module == "newsweave" and not node.level:
                bad += [
                    f"{name}: {a.name}" for a in node.names if f"newsweave.{a.name}" not in modules
                ]
    assert bad == []


def test_evaluation_code_lives_in_bench() -> None:
    """Scorers (B-cubed, MUC, CEAF-e, TempEval-3, the timeline metric) are in bench/, not in the
    package a user installs."""
    scorers = {"bcubed", "b_cubed", "bcubed_labels", "muc", "ceaf_e", "score", "micro"}
    found = []
    for name, path in _modules().items():
        if any(word in name.rpartition(".")[2] for word in ("score", "metrics")):
            found.append(name)
        for node in _parse(path).body:
            if isinstance(node, ast.FunctionDef) and node.name in scorers:
                found.append(f"{name}.{node.name}")
    assert found == []


def test_every_error_is_in_the_error_tree() -> None:
    """The exceptions newsweave raises on purpose are defined in errors.py, and its docstring
    draws each of them (private helpers of one module, named with an underscore, aside)."""
    tree = (PACKAGE / "errors.py").read_text(encoding="utf-8")
    defined = {
        node.name
        for node in _parse(tree).body
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_")
    }
    drawn = ast.get_docstring(_parse(tree)) or ""
    assert sorted(n for n in defined if f" {n} " not in drawn) == []
    elsewhere = []
    for name, path in _modules().items():
        if path.name == "errors.py":
            continue
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {ast.unparse(b).rpartition(".")[2] for b in node.bases}
                if bases & (defined | {"Exception"}) or any(b.endswith("Error") for b in bases):
                    elsewhere.append(f"{name}.{node.name}")
    assert elsewhere == []


def test_settings_are_read_in_one_place() -> None:
    names = [s.env for s in settings.SETTINGS if s.env]
    limit = str(settings.MAX_INPUT_BYTES)
    for path in _modules().values():
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        for reading in ("os.environ", "getenv", "from os import environ"):
            assert reading not in text, f"{path.name} reads the environment ({reading})"
        for env in names:
            assert f'"{env}"' not in text, f"{path.name} names {env}"
        assert f"{int(limit):_}" not in text and limit not in text, f"{path.name}: a size limit"


def test_settings_docs_are_generated_from_the_declarations() -> None:
    assert (DOCS / "settings.md").read_text(encoding="utf-8") == settings.markdown()


def test_setting_values() -> None:
    assert settings.value("db", environ={}) == "newsweave.db"
    assert settings.value("db", environ={"NEWSWEAVE_DB": "x.db"}) == "x.db"
    assert settings.value("db", "given.db", environ={"NEWSWEAVE_DB": "x.db"}) == "given.db"
    assert settings.value("token", environ={}) is None
    assert settings.env("token") == "NEWSWEAVE_TOKEN"
    # text: given, else the variable, else the default; blanks are not a value
    assert settings.text("embed_engine", environ={}) == "auto"
    assert settings.text("embed_engine", environ={"NEWSWEAVE_EMBED_ENGINE": " "}) == "auto"
    assert settings.text("embed_engine", environ={"NEWSWEAVE_EMBED_ENGINE": " numpy "}) == "numpy"
    assert settings.text("embed_engine", "onnx", {"NEWSWEAVE_EMBED_ENGINE": "numpy"}) == "onnx"
    assert settings.text("state_dir", environ={}) is None


def test_cache_dir_and_threads_settings(tmp_path: Path) -> None:
    home = Path.home() / ".cache" / "newsweave"
    assert settings.cache_dir({}) == home
    assert settings.cache_dir({"XDG_CACHE_HOME": ""}) == home
    assert settings.cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "newsweave"
    given = {"XDG_CACHE_HOME": "/elsewhere", "NEWSWEAVE_CACHE_DIR": str(tmp_path / "c")}
    assert settings.cache_dir(given) == tmp_path / "c"
    assert settings.embed_threads({}) is None
    assert settings.embed_threads({"OMP_NUM_THREADS": "3"}) == 3
    assert settings.embed_threads({"OMP_NUM_THREADS": "3", "NEWSWEAVE_EMBED_THREADS": "2"}) == 2
    assert settings.embed_threads({"NEWSWEAVE_EMBED_THREADS": "0", "OMP_NUM_THREADS": "x"}) is None


def test_help_loads_none_of_the_heavy_libraries() -> None:
    """``newsweave --help`` imports only the CLI (it took 3-5 s when every library was loaded
    up front; measured 0.5 s without them)."""
    heavy = ["spacy", "torch", "onnxruntime", "numpy", "sqlalchemy", "networkx", "fastapi"]
    heavy += ["jinja2", "httpx", "ray", "scipy", "alembic", "newsweave.pipeline"]
    code = (
        "import sys\n"
        "from newsweave.cli import app\n"
        "try:\n"
        "    app(['--help'], prog_name='newsweave')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert "Usage" in run.stdout
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_the_lazy_names_of_sources_are_its_public_names() -> None:
    """``newsweave.sources`` lists each lazily imported name once, with the module it is in."""
    import importlib

    from newsweave import errors, sources

    lazy = sources._LAZY
    eager = {n for n in sources.__all__ if n not in lazy}
    assert eager == {"FetchError", "RobotsDisallowed", "UnsafeURL", "WallPage"}
    assert all(getattr(sources, n) is getattr(errors, n) for n in eager)
    for name, module in lazy.items():
        assert name in sources.__all__
        assert getattr(importlib.import_module(f"newsweave.sources.{module}"), name) is not None


def test_only_the_store_queries_its_tables() -> None:
    """No module outside ``newsweave.store`` imports SQLAlchemy or the store's tables: the web,
    the runs and the read side go through :class:`newsweave.store.Store`'s methods."""
    found = []
    for name, path in _modules().items():
        if name == "newsweave.store" or name.startswith("newsweave.store."):
            continue
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                module = node.module or ""
                targets = [module] + [f"{module}.{a.name}" for a in node.names]
            else:
                continue
            if any(
                x.split(".")[0] == "sqlalchemy" or x == "newsweave.store.schema" for x in targets
            ):
                found.append(name)
    assert found == []
